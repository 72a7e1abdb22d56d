"""The script's structure for the editor: the outline (document symbols), folding
ranges and selection ranges, all read from the parsed Document.

Everything is built without recursion: a script may nest thousands of blocks.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from lsprotocol import types

from inkslop.syntax.ast import (
    Attribute,
    Block,
    Comment,
    Document,
    FrontMatter,
    Text,
    Variable,
    VoidTag,
    node_path_at,
    walk,
)

if TYPE_CHECKING:
    from inkslop_lsp.scripts import Script
    from inkslop_lsp.session import Session

FIRST_WORDS = 6
_WALK_LIMIT = 200  # nodes read to find a block's first words
# Results nest no deeper than this: LSP's JSON (and the libraries that read and write
# it) recurse on nested results, and a script may nest blocks thousands deep. Deeper
# blocks are listed among the children of their ancestor at this depth; a selection
# grows through the innermost ranges, then to the whole document.
MAX_DEPTH = 64


# ---- outline ----------------------------------------------------------------------------


def document_symbols(session: Session, params: types.DocumentSymbolParams) -> list[Any] | None:
    script = session.scripts.get(params.text_document.uri)
    if script is None:
        return None
    symbols = _symbols(script)
    if session.can("text_document.document_symbol.hierarchical_document_symbol_support"):
        return symbols
    return _flattened(script.uri, symbols)


def _symbols(script: Script) -> list[types.DocumentSymbol]:
    document = script.document
    narrated = {n for n, spec in script.settings.schema.tags.items() if spec.narrated}
    result: list[types.DocumentSymbol] = []
    if document.front_matter is not None:
        front_matter = document.front_matter
        result.append(types.DocumentSymbol(
            name="front matter", kind=types.SymbolKind.Module,
            range=script.span_range(front_matter.span),
            selection_range=script.range(front_matter.span.start, front_matter.span.start + 3)))
    todo: list[tuple[Any, list[types.DocumentSymbol], int]] = [
        (child, result, 1) for child in reversed(document.children)]
    while todo:
        node, siblings, depth = todo.pop()
        if not isinstance(node, (Block, VoidTag)):
            continue
        words = _first_words(node)
        kind = types.SymbolKind.String if node.name in narrated else \
            types.SymbolKind.Namespace if isinstance(node, Block) else types.SymbolKind.Field
        symbol = types.DocumentSymbol(
            name=f"{node.name}: {words}" if words else node.name, kind=kind,
            detail=_attributes(node) or None, range=script.span_range(node.span),
            selection_range=script.span_range(node.name_span), children=[])
        siblings.append(symbol)
        if isinstance(node, Block):
            inside, level = (symbol.children, depth + 1) if depth < MAX_DEPTH else (siblings, depth)
            todo.extend((child, inside, level) for child in reversed(node.children))
    return result


def _first_words(node: Block | VoidTag) -> str:
    words: list[str] = []
    for count, child in enumerate(walk(node)):
        if count > _WALK_LIMIT or len(words) > FIRST_WORDS:
            break
        if isinstance(child, Text):
            words += child.value.split()
        elif isinstance(child, Variable):
            words.append("{{ " + child.name + " }}")
    shown = " ".join(words[:FIRST_WORDS])
    return shown + " …" if len(words) > FIRST_WORDS else shown


def _attributes(node: Block | VoidTag) -> str:
    text = " ".join(f"{a.name}={a.raw}" if a.raw is not None else a.name
                    for a in node.attributes)
    return text if len(text) <= 80 else text[:79] + "…"


def _flattened(uri: str, symbols: list[types.DocumentSymbol]) -> list[types.SymbolInformation]:
    found: list[types.SymbolInformation] = []
    todo: list[tuple[types.DocumentSymbol, str | None]] = [(s, None) for s in reversed(symbols)]
    while todo:
        symbol, container = todo.pop()
        found.append(types.SymbolInformation(
            name=symbol.name, kind=symbol.kind, container_name=container,
            location=types.Location(uri=uri, range=symbol.range)))
        todo.extend((child, symbol.name) for child in reversed(symbol.children or []))
    return found


# ---- folding ----------------------------------------------------------------------------


def folding_ranges(session: Session,
                   params: types.FoldingRangeParams) -> list[types.FoldingRange] | None:
    script = session.scripts.get(params.text_document.uri)
    if script is None:
        return None
    document = script.document
    found: list[types.FoldingRange] = []
    if document.front_matter is not None:
        span = document.front_matter.span
        _fold(script, found, span.start, _last_line_end(span.start, span.end),
              types.FoldingRangeKind.Region)
    for node in walk(document):
        if isinstance(node, Block):
            end = node.close_span.start - 1 if node.close_span is not None else \
                _last_line_end(node.span.start, node.span.end)
            _fold(script, found, node.span.start, end, None)
        elif isinstance(node, Comment):
            _fold(script, found, node.span.start, _last_line_end(node.span.start, node.span.end),
                  types.FoldingRangeKind.Comment)
    return found


def _last_line_end(start: int, end: int) -> int:
    """The last offset of a span that is not the start of a line after it."""
    return max(start, end - 1)


def _fold(script: Script, found: list[types.FoldingRange], start: int, end: int,
          kind: str | None) -> None:
    first = script.positions.line_of(start + script.base)
    last = script.positions.line_of(max(start, end) + script.base)
    if last > first:
        found.append(types.FoldingRange(start_line=first, end_line=last, kind=kind))


# ---- selection ranges -------------------------------------------------------------------


def selection_ranges(session: Session,
                     params: types.SelectionRangeParams) -> list[types.SelectionRange] | None:
    script = session.scripts.get(params.text_document.uri)
    if script is None:
        return None
    return [_selection(script, script.offset(position)) for position in params.positions]


def _selection(script: Script, offset: int) -> types.SelectionRange:
    document = script.document
    spans: list[tuple[int, int]] = []  # innermost first
    for node in reversed(node_path_at(document, offset)):
        spans += _spans_of(node, offset, document)
    result: types.SelectionRange | None = None
    previous: tuple[int, int] | None = None
    nested: list[tuple[int, int]] = []
    for start, end in spans:  # keep each span that contains the one before it
        if previous is None or (start <= previous[0] and previous[1] <= end
                                and (start, end) != previous):
            nested.append((start, end))
            previous = (start, end)
    if len(nested) > MAX_DEPTH:
        nested = nested[:MAX_DEPTH - 1] + nested[-1:]
    for start, end in reversed(nested):  # outermost first: each is the parent of the next
        result = types.SelectionRange(range=script.range(start, end), parent=result)
    return result or types.SelectionRange(range=script.range(offset, offset))


def _spans_of(node: Any, offset: int, document: Document) -> list[tuple[int, int]]:
    if isinstance(node, Attribute):
        found = []
        if node.name_span.contains(offset):
            found.append((node.name_span.start, node.name_span.end))
        value = node.value_span
        if value is not None and value.contains(offset):
            if node.quote and value.end - value.start >= 2:
                found.append((value.start + 1, value.end - 1))
            found.append((value.start, value.end))
        return found + [(node.span.start, node.span.end)]
    if isinstance(node, (Block, VoidTag)):
        found = []
        if node.name_span.contains(offset):
            found.append((node.name_span.start, node.name_span.end))
        if isinstance(node, Block):
            if node.open_span.contains(offset):
                found.append((node.open_span.start, node.open_span.end))
            elif node.close_span is not None and node.close_span.contains(offset):
                found.append((node.close_span.start, node.close_span.end))
            elif node.close_span is not None:
                found.append((node.open_span.end, node.close_span.start))  # what it holds
        return found + [(node.span.start, node.span.end)]
    if isinstance(node, FrontMatter):
        return [(node.body_span.start, node.body_span.end), (node.span.start, node.span.end)]
    if isinstance(node, (Text, Variable, Comment)):
        return [(node.span.start, node.span.end)]
    if isinstance(node, Document):
        return [(0, len(document.text))]
    return []
