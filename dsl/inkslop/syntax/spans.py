"""Source positions: offsets into the text, and 1-based lines and columns.

Columns count Unicode code points (Python string indices), as the command-line
contract says; the language server converts them to the encoding its client
negotiated.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass


# A value, never changed once made, and hashable; not `frozen`, which makes each one cost
# three times as much to build (a parse builds one per node and more, an incremental parse
# builds again every span after the edit).
@dataclass(slots=True, unsafe_hash=True)
class Span:
    """A half-open range [start, end) of the text, with its line and column form."""

    start: int
    end: int
    line: int
    column: int
    end_line: int
    end_column: int

    def contains(self, offset: int) -> bool:
        return self.start <= offset <= self.end


class LineIndex:
    """Maps offsets to lines and columns for one text, in O(log lines)."""

    __slots__ = ("line_starts", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        starts = [0]
        find = text.find
        position = find("\n")
        while position != -1:
            starts.append(position + 1)
            position = find("\n", position + 1)
        self.line_starts = starts

    def edited(self, text: str, start: int, old_end: int, new_end: int) -> LineIndex:
        """The index of `text`: this one's text with `[start, old_end)` replaced by
        `text[start:new_end]`. The line starts up to the edit are kept, those after it
        moved, and only the line breaks it wrote are looked for (an incremental parse
        does this on every keystroke, not a pass over the whole text)."""
        starts = self.line_starts
        found = []
        position = text.find("\n", start, new_end)
        while position != -1:
            found.append(position + 1)
            position = text.find("\n", position + 1, new_end)
        delta = new_end - old_end
        edited = LineIndex.__new__(LineIndex)
        edited.text = text
        edited.line_starts = [*starts[:bisect_right(starts, start)], *found,
                              *[offset + delta for offset in starts[bisect_right(starts, old_end):]]]
        return edited

    def position(self, offset: int) -> tuple[int, int]:
        """The 1-based (line, column) of an offset."""
        line = bisect_right(self.line_starts, offset)
        return line, offset - self.line_starts[line - 1] + 1

    def offset(self, line: int, column: int) -> int:
        """The offset of a 1-based (line, column); clamped to the text."""
        if line < 1:
            return 0
        if line > len(self.line_starts):
            return len(self.text)
        start = self.line_starts[line - 1]
        return min(start + max(column, 1) - 1, len(self.text))

    def span(self, start: int, end: int) -> Span:
        line, column = self.position(start)
        end_line, end_column = self.position(end)
        return Span(start, end, line, column, end_line, end_column)

    def line_text(self, line: int) -> str:
        """The text of a 1-based line, without its line ending."""
        start = self.line_starts[line - 1]
        end = self.line_starts[line] - 1 if line < len(self.line_starts) else len(self.text)
        return self.text[start:end].rstrip("\r")

    @property
    def line_count(self) -> int:
        return len(self.line_starts)
