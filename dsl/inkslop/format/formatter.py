"""`format`: the canonical text of a script (see inkslop.format.canonical for the style).

A script with syntax errors is never formatted: FormatError carries its
diagnostics, as black and ruff refuse. Line endings are the file's own (those
of its first line) unless the configuration says `line-ending = "lf"` or
`"crlf"`. `format_range` returns edits for the lines that change within a
range, for editors that format a selection.
"""

from __future__ import annotations

from difflib import SequenceMatcher

from inkslop.config.settings import Settings, default_settings
from inkslop.format.canonical import RenderOptions, render
from inkslop.syntax.ast import Document
from inkslop.syntax.bom import without_bom
from inkslop.syntax.diagnostics import ERROR, Diagnostic, Edit
from inkslop.syntax.parser import parse
from inkslop.syntax.spans import LineIndex


class FormatError(Exception):
    """The script has syntax errors; `diagnostics` says which."""

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        self.diagnostics = diagnostics
        super().__init__(f"{len(diagnostics)} syntax error(s): the script is not formatted")


def newline_of(text: str, line_ending: str = "auto") -> str:
    if line_ending == "lf":
        return "\n"
    if line_ending == "crlf":
        return "\r\n"
    first = text.find("\n")
    return "\r\n" if first > 0 and text[first - 1] == "\r" else "\n"


def format_document(document: Document, settings: Settings | None = None) -> str:
    """The canonical text of a parsed document; FormatError if it has syntax errors."""
    settings = settings or default_settings()
    errors = [d for d in document.diagnostics if d.severity == ERROR]
    if errors:
        raise FormatError(errors)
    options = RenderOptions(indent=settings.format_indent, schema=settings.schema,
                            newline=newline_of(document.text, settings.line_ending))
    return render(document, options)


def format_text(text: str, settings: Settings | None = None) -> str:
    """The canonical form of script text; FormatError if it has syntax errors."""
    settings = settings or default_settings()
    return format_document(parse(text, settings.schema), settings)


def format_range(text: str, start_line: int, end_line: int,
                 settings: Settings | None = None) -> list[Edit]:
    """Edits that format the lines from `start_line` to `end_line` (1-based, inclusive).

    The whole script is formatted, then only the changes that touch the range
    are returned, as edits of whole lines of the original text.
    """
    text = without_bom(text)
    formatted = format_text(text, settings)
    before = text.splitlines(keepends=True)
    after = formatted.splitlines(keepends=True)
    lines = LineIndex(text)
    edits = []
    matcher = SequenceMatcher(None, before, after, autojunk=False)
    first, last = start_line - 1, end_line - 1  # 0-based, inclusive
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        # Lines that differ only in their ending pair off line for line, at either end of
        # the group, so that a change outside the range is not dragged into it.
        while i1 < i2 and j1 < j2 and _same_line(before[i1], after[j1]):
            edits += _within(text, lines, before, i1, i1 + 1, after[j1], first, last)
            i1, j1 = i1 + 1, j1 + 1
        while i1 < i2 and j1 < j2 and _same_line(before[i2 - 1], after[j2 - 1]):
            edits += _within(text, lines, before, i2 - 1, i2, after[j2 - 1], first, last)
            i2, j2 = i2 - 1, j2 - 1
        if i2 - i1 == j2 - j1:
            for offset in range(i2 - i1):
                edits += _within(text, lines, before, i1 + offset, i1 + offset + 1,
                                 after[j1 + offset], first, last)
        elif i1 < i2 or j1 < j2:
            edits += _within(text, lines, before, i1, i2, "".join(after[j1:j2]), first, last)
    return sorted(edits, key=lambda e: e.span.start)


def _same_line(old: str, new: str) -> bool:
    return old.rstrip("\r\n") == new.rstrip("\r\n")


def _within(text: str, lines: LineIndex, before: list[str], i1: int, i2: int, new_text: str,
            first: int, last: int) -> list[Edit]:
    """The edit of lines i1..i2 (0-based, end excluded), if it lies in the range and changes."""
    inside = first <= i1 <= last if i1 == i2 else i1 <= last and i2 - 1 >= first and \
        first <= i1 and i2 - 1 <= last
    if not inside or "".join(before[i1:i2]) == new_text:
        return []
    return [_line_edit(text, lines, before, i1, i2, new_text)]


def _line_edit(text: str, lines: LineIndex, before: list[str], i1: int, i2: int,
               new_text: str) -> Edit:
    start = lines.offset(i1 + 1, 1) if i1 < len(before) else len(text)
    end = lines.offset(i2 + 1, 1) if i2 < len(before) else len(text)
    return Edit(lines.span(start, end), new_text)
