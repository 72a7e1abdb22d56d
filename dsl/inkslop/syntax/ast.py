"""The typed syntax tree of an InkSlop script.

Nodes are slotted dataclasses: a script of thousands of blocks parses without
pydantic on the path of `inkslop check` (see docs/benchmarks.md for the
start-up figures that decided this). Equality is structural: spans are left
out of `==`, so a document built in code equals the same document parsed from
its text; `dump()` gives the full form with spans for tests and tools.

Every node has a `span`. Walking is iterative, never recursive, so a document
of ten thousand nested tags can be walked, searched and dumped.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Union

from inkslop.syntax.diagnostics import Diagnostic
from inkslop.syntax.spans import LineIndex, Span

NO_SPAN = Span(0, 0, 1, 1, 1, 1)


def _span_field() -> Any:
    return field(default=NO_SPAN, compare=False, repr=False)


@dataclass(slots=True)
class Text:
    """Text as written; inside a `tts` block it is narrated."""

    value: str
    span: Span = _span_field()


@dataclass(slots=True)
class Comment:
    """A toolkit comment `[# ... #]`; `body` is what stands between the marks."""

    body: str
    closed: bool = True
    span: Span = _span_field()


@dataclass(slots=True)
class Variable:
    """A toolkit variable `{{ name }}`, filled in at compile time."""

    name: str
    span: Span = _span_field()


@dataclass(slots=True)
class Attribute:
    """`name="value"` in a tag.

    `raw` is the value as written (quotes included), `value` the decoded string,
    `typed` the value converted to the schema's type for this attribute (a
    bool, a float, or the string) or None when it does not convert or holds a
    variable. `quote` is '"', "'" or '' (bare); all four are None when the
    attribute was written without a value.
    """

    name: str
    value: str | None = None
    raw: str | None = None
    quote: str | None = '"'
    typed: bool | float | str | None = field(default=None, compare=False)
    variables: tuple[Variable, ...] = field(default=(), compare=False, repr=False)
    name_span: Span = _span_field()
    value_span: Span | None = field(default=None, compare=False, repr=False)
    span: Span = _span_field()


@dataclass(slots=True)
class VoidTag:
    """A tag that holds nothing: `[name ... /]`."""

    name: str
    attributes: list[Attribute] = field(default_factory=list)
    name_span: Span = _span_field()
    span: Span = _span_field()

    def attribute(self, name: str) -> Attribute | None:
        return _find_attribute(self.attributes, name)


@dataclass(slots=True)
class Block:
    """An opening tag, what it holds, and its closing tag.

    `open_span` covers the opening tag, `close_span` the closing one (None when
    the block was never closed), `span` the whole block.
    """

    name: str
    attributes: list[Attribute] = field(default_factory=list)
    children: list[Node] = field(default_factory=list)
    name_span: Span = _span_field()
    open_span: Span = _span_field()
    close_span: Span | None = field(default=None, compare=False, repr=False)
    span: Span = _span_field()

    def attribute(self, name: str) -> Attribute | None:
        return _find_attribute(self.attributes, name)


@dataclass(slots=True)
class FrontMatter:
    """The TOML between the `+++` lines at the top (toolkit).

    `data` is the parsed table, or None when the TOML is broken or the block
    was never closed.
    """

    body: str
    data: dict[str, Any] | None = field(default=None, compare=False)
    closed: bool = True
    body_span: Span = _span_field()
    span: Span = _span_field()


Node = Union[Text, Comment, Variable, Block, VoidTag]


@dataclass(slots=True)
class Document:
    """A parsed script: its front matter, its top-level nodes, its syntax diagnostics."""

    children: list[Node] = field(default_factory=list)
    front_matter: FrontMatter | None = None
    text: str = field(default="", compare=False, repr=False)
    diagnostics: list[Diagnostic] = field(default_factory=list, compare=False, repr=False)
    lines: LineIndex = field(default_factory=lambda: LineIndex(""), compare=False, repr=False)

    @property
    def span(self) -> Span:
        return self.lines.span(0, len(self.text))

    @property
    def has_syntax_errors(self) -> bool:
        return any(d.severity == "error" for d in self.diagnostics)

    def blocks(self, name: str | None = None) -> Iterator[Block]:
        """Every block in document order, or only those with this tag name."""
        for node in walk(self):
            if isinstance(node, Block) and (name is None or node.name == name):
                yield node

    def variables(self) -> Iterator[Variable]:
        """Every variable reference, in text and in attribute values, in order."""
        return variables_in(self)


def _find_attribute(attributes: list[Attribute], name: str) -> Attribute | None:
    for attribute in attributes:
        if attribute.name == name:
            return attribute
    return None


def children_of(node: object) -> list[Any]:
    """The child nodes of a node, attributes first, in source order."""
    if isinstance(node, Document):
        return ([node.front_matter] if node.front_matter else []) + node.children
    if isinstance(node, Block):
        return [*node.attributes, *node.children]
    if isinstance(node, VoidTag):
        return list(node.attributes)
    return []


def walk(node: object) -> Iterator[Any]:
    """Every node below `node` (and `node` itself), pre-order, without recursion."""
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(reversed(children_of(current)))


def variables_in(node: object) -> Iterator[Variable]:
    """Every variable reference below `node`, in text and in attribute values, in order."""
    for found in walk(node):
        if isinstance(found, Variable):
            yield found
        elif isinstance(found, Attribute):
            yield from found.variables


def walk_with_parent(node: object) -> Iterator[tuple[Any, Any]]:
    """Like `walk`, with each node's parent (None for `node` itself)."""
    stack: list[tuple[Any, Any]] = [(node, None)]
    while stack:
        current, parent = stack.pop()
        yield current, parent
        stack.extend((child, current) for child in reversed(children_of(current)))


def node_path_at(document: Document, offset: int) -> list[Any]:
    """The chain of nodes that contain `offset`, from the document down to the innermost.

    A node contains the offsets from its start to its end inclusive, so a
    cursor just after a tag still finds it.
    """
    path: list[Any] = [document]
    current: Any = document
    while True:
        inner = next((c for c in children_of(current) if c.span.contains(offset)), None)
        if inner is None:
            return path
        path.append(inner)
        current = inner


def node_at(document: Document, offset: int) -> Any:
    """The innermost node at `offset` (the document itself when none is)."""
    return node_path_at(document, offset)[-1]


def narrated_text(block: Block, values: dict[str, str] | None = None) -> str:
    """The text a block narrates: its text, variables filled from `values` where
    given (left as `{{ name }}` otherwise), comments dropped; nested blocks'
    text included in order."""
    parts: list[str] = []
    for node in walk(block):
        if isinstance(node, Text):
            parts.append(node.value)
        elif isinstance(node, Variable):
            if values is not None and node.name in values:
                parts.append(str(values[node.name]))
            else:
                parts.append("{{ " + node.name + " }}")
    return "".join(parts)


def dump(node: object) -> Any:
    """A plain, JSON-ready form of a node with every field, spans included."""
    # Built bottom-up, children before parents, so that deep documents never recurse.
    built: dict[int, Any] = {}
    for current in reversed(list(walk(node))):
        built[id(current)] = _dump_one(current, built)
    return built[id(node)]


def _dump_one(node: Any, built: dict[int, Any]) -> Any:
    result: dict[str, Any] = {"type": type(node).__name__}
    for name in node.__slots__:
        value = getattr(node, name)
        if name in ("text", "lines", "diagnostics"):
            continue
        if isinstance(value, list) or (isinstance(value, tuple) and name == "variables"):
            result[name] = [built[id(v)] if id(v) in built else _plain(v) for v in value]
        elif isinstance(value, (Block, VoidTag, FrontMatter)):
            result[name] = built[id(value)]
        else:
            result[name] = _plain(value)
    return result


def _plain(value: Any) -> Any:
    if isinstance(value, Span):
        return [value.start, value.end, value.line, value.column, value.end_line, value.end_column]
    if isinstance(value, Variable):
        return {"type": "Variable", "name": value.name, "span": _plain(value.span)}
    return value
