"""Parse a script again after an edit, re-reading only the part the edit can affect.

An editor sends one small change at a time to a script that may hold thousands of
blocks. `reparse` takes the Document of the text before the change and the change
itself, and returns what `parse` returns for the new text, in the time it takes to
parse the top-level items around the change:

- the region re-read runs from the last *stable boundary* before the edit to the first
  one after it. A boundary is a top-level tag or comment that starts a line: there the
  parser is at the top level, with nothing open, outside any tag, comment or front
  matter, so what lies before it cannot depend on what comes after, and the reverse;
- the region is parsed alone, with `parse`. If its end is not a clean top-level state
  (a block or comment left open, a front matter never closed) the region grows to the
  next boundary, and at last to the end of the text;
- the nodes and diagnostics before the region are kept as they are; those after it are
  moved: their offsets shift by the length the edit added, their lines by the lines it
  added, and their columns stay (a boundary starts a line). The region is parsed below
  as many line breaks as precede it, so that a message that names a line names the
  document's; when a message after the edit names a line and the edit adds or removes
  lines, the region runs to the end of the text;
- the parser's one rule of the whole document (fixes that requote a value are unsafe
  once it had to recover from another error) is applied again to the spliced result; when
  the edit removed the last such error, the text is parsed whole.

The result equals `parse(new_text)` (tests/syntax/test_incremental.py checks it on
random edit sequences); anything the region rule cannot vouch for (a document with no
boundary, front matter left open, a parser failure) is parsed whole.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from typing import Any

from inkslop.schema.spec import Schema
from inkslop.syntax.ast import Attribute, Block, Comment, Document, Node, Text, VoidTag
from inkslop.syntax.bom import BOM
from inkslop.syntax.diagnostics import Diagnostic, Edit, Fix
from inkslop.syntax.parser import parse, recovered, requoting_unsafe_after_recovery
from inkslop.syntax.spans import Span

_LINE_NUMBER = re.compile(r"\bline \d")
GROWTH = 3  # boundaries the region may grow by before the rest of the text is read


@dataclass(frozen=True, slots=True)
class TextEdit:
    """`old_text[start:old_end]` became `new_text[start:new_end]`."""

    start: int
    old_end: int
    new_end: int

    @property
    def delta(self) -> int:
        return self.new_end - self.old_end

    def then(self, later: TextEdit) -> TextEdit:
        """One edit that does this one, then `later` (whose offsets are in the text this one
        made): the span of the first text that both touched, and what it became."""
        start = min(self.start, later.start)
        if later.old_end <= self.new_end:
            return TextEdit(start, self.old_end, self.new_end + later.delta)
        return TextEdit(start, self.old_end + later.old_end - self.new_end, later.new_end)


def reparse(previous: Document, text: str, edit: TextEdit,
            schema: Schema | None = None) -> Document:
    """The Document of `text`, which is `previous.text` with `edit` applied.

    `previous` is consumed: its nodes after the edit are moved into the result (their
    spans are replaced), so it must not be used afterwards."""
    if not _reusable(previous, text, edit):
        return parse(text, schema)
    boundaries = _boundaries(previous)
    first = bisect_left(boundaries, edit.start) - 1  # the last boundary before the edit
    start = boundaries[first] if first >= 0 else 0
    after = bisect_right(boundaries, edit.old_end)  # the first boundary after the edit
    if _names_a_moved_line(previous, text, edit):
        after = len(boundaries)  # its words change: parsed again with the rest
    # The region is parsed below as many line breaks as precede it, so that its lines are
    # the document's (some messages name a line); only its offsets are shifted then.
    padding = previous.text.count("\n", 0, start)
    for grown in range(GROWTH + 1):
        index = after + grown
        old_end = boundaries[index] if index < len(boundaries) and grown < GROWTH \
            else len(previous.text)
        region = parse("\n" * padding + text[start:old_end + edit.delta], schema)
        if old_end == len(previous.text) or _closes_cleanly(region):
            break
    if any(d.code == "S000" for d in region.diagnostics):
        return parse(text, schema)
    _drop_padding(region, padding)
    was_recovered = recovered(previous.diagnostics)
    document = _splice(previous, text, edit, region, start - padding, start, old_end)
    if was_recovered and not recovered(document.diagnostics):
        return parse(text, schema)  # fixes kept from before were made unsafe for a reason gone
    requoting_unsafe_after_recovery(document.diagnostics)  # a rule of the whole document
    return document


def _drop_padding(region: Document, padding: int) -> None:
    """The region's text without the line breaks it was parsed below."""
    first = region.children[0] if region.children else None
    if not padding or not isinstance(first, Text) or first.span.start != 0:
        return
    if len(first.value) == padding:
        del region.children[0]
    else:  # the region starts with text (a stray `[`), which the parser joined to them
        first.value = first.value[padding:]
        first.span = region.lines.span(padding, first.span.end)


def _reusable(previous: Document, text: str, edit: TextEdit) -> bool:
    old = previous.text
    return (len(old) - (edit.old_end - edit.start) + (edit.new_end - edit.start) == len(text)
            and 0 <= edit.start <= edit.old_end <= len(old)
            and not text.startswith(BOM)
            and (previous.front_matter is None or previous.front_matter.closed)
            and not any(d.code == "S000" for d in previous.diagnostics))


def _names_a_moved_line(previous: Document, text: str, edit: TextEdit) -> bool:
    """Whether a diagnostic after the edit names a line number that the edit changes."""
    if text.count("\n", edit.start, edit.new_end) == previous.text.count(
            "\n", edit.start, edit.old_end):
        return False
    return any(_LINE_NUMBER.search(_words(d)) for d in previous.diagnostics
               if d.span.start >= edit.start)


def _words(diagnostic: Diagnostic) -> str:
    fix = diagnostic.fix.message if diagnostic.fix else ""
    return " ".join([diagnostic.message, fix, *(message for message, _ in diagnostic.related)])


def _boundaries(document: Document) -> list[int]:
    """The offsets of the top-level tags and closed comments that start a line."""
    text = document.text
    found = []
    for node in document.children:
        if isinstance(node, (Block, VoidTag)) or isinstance(node, Comment) and node.closed:
            offset = node.span.start
            if offset == 0 or text[offset - 1] == "\n":
                found.append(offset)
    return found


def _closes_cleanly(region: Document) -> bool:
    """Whether the parser ends the region at the top level with nothing left open, so that
    what follows it reads as it did."""
    if region.front_matter is not None and not region.front_matter.closed:
        return False
    last = region.children[-1] if region.children else None
    if isinstance(last, Block) and last.close_span is None:
        return False  # an unclosed block would hold what follows
    return not (isinstance(last, Comment) and not last.closed)


def _splice(previous: Document, text: str, edit: TextEdit, region: Document, shift: int,
            start: int, old_end: int) -> Document:
    """The nodes and diagnostics before `start` kept, the region's moved by `shift`, those
    from `old_end` on moved by the edit."""
    lines = previous.lines.edited(text, edit.start, edit.old_end, edit.new_end)
    line_delta = text.count("\n", edit.start, edit.new_end) \
        - previous.text.count("\n", edit.start, edit.old_end)
    to_the_end = old_end == len(previous.text)
    before = [n for n in previous.children if n.span.start < start]
    after = [] if to_the_end else [n for n in previous.children if n.span.start >= old_end]
    for node in region.children:
        _shift_node(node, shift, 0)
    for node in after:
        _shift_node(node, edit.delta, line_delta)
    diagnostics = [d for d in previous.diagnostics if d.span.start < start]
    diagnostics += [shifted_diagnostic(d, shift, 0) for d in region.diagnostics]
    if not to_the_end:
        diagnostics += [shifted_diagnostic(d, edit.delta, line_delta)
                        for d in previous.diagnostics if d.span.start >= old_end]
    diagnostics.sort(key=lambda d: d.sort_key)
    front_matter = region.front_matter if start == 0 else previous.front_matter
    middle = region.children
    if before and middle and isinstance(before[-1], Text) and isinstance(middle[0], Text) \
            and before[-1].span.end == middle[0].span.start:
        # The tag at the boundary became text (a stray `[`): it joins the text before it,
        # as the parser joins adjacent text (a tag dropped between them keeps them apart).
        joined = before[-1]
        joined.value += middle[0].value
        joined.span = lines.span(joined.span.start, middle[0].span.end)
        middle = middle[1:]
    children: list[Node] = [*before, *middle, *after]
    return Document(children, front_matter, text, diagnostics, lines)


def _shifted(span: Span, offset: int, lines: int) -> Span:
    return Span(span.start + offset, span.end + offset, span.line + lines, span.column,
                span.end_line + lines, span.end_column)


def _shift_node(top: Node, offset: int, lines: int) -> None:
    """Move a top-level node and everything in it (its spans are replaced in place). A loop
    of its own rather than `walk`: it runs over every node after the edit."""
    if not offset and not lines:
        return
    stack: list[Any] = [top]  # nodes and attributes
    while stack:
        node = stack.pop()
        node.span = _shifted(node.span, offset, lines)
        if isinstance(node, Block):
            node.name_span = _shifted(node.name_span, offset, lines)
            node.open_span = _shifted(node.open_span, offset, lines)
            if node.close_span is not None:
                node.close_span = _shifted(node.close_span, offset, lines)
            stack += node.attributes
            stack += node.children
        elif isinstance(node, VoidTag):
            node.name_span = _shifted(node.name_span, offset, lines)
            stack += node.attributes
        elif isinstance(node, Attribute):
            node.name_span = _shifted(node.name_span, offset, lines)
            if node.value_span is not None:
                node.value_span = _shifted(node.value_span, offset, lines)
            for variable in node.variables:
                variable.span = _shifted(variable.span, offset, lines)


def shifted_diagnostic(diagnostic: Diagnostic, offset: int, lines: int) -> Diagnostic:
    if not offset and not lines:
        return diagnostic
    fix = diagnostic.fix
    if fix is not None:
        fix = Fix(fix.message, tuple(Edit(_shifted(e.span, offset, lines), e.new_text)
                                     for e in fix.edits), fix.safe)
    related = tuple((message, _shifted(span, offset, lines))
                    for message, span in diagnostic.related)
    return Diagnostic(diagnostic.code, diagnostic.severity, diagnostic.message,
                      _shifted(diagnostic.span, offset, lines), fix, related)
