"""Offsets in a script's text, as LSP positions in the encoding the client negotiated.

The library counts in code points (Python string indices); a client counts in
UTF-16 code units unless it offered UTF-8 or UTF-32. The conversion of columns
is pygls's `PositionCodec`, fed with lines as LSP defines them: only `\\r\\n`,
`\\r` and `\\n` end a line (Python's `str.splitlines` also breaks at form
feeds, U+2028 and more, which no client does, so it is not used).

Lines are sliced from the text only when the codec needs one, so building a
`Positions` for a large script costs one pass of a regular expression. A line
prefix of ASCII characters has as many code units as code points in every
encoding, so the codec is skipped for it: that is where nearly every column
of a script lies, and what keeps semantic tokens of thousands of tags fast.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence

from lsprotocol import types
from pygls.workspace.position_codec import PositionCodec, ServerTextPosition

_LINE_BREAK = re.compile(r"\r\n|\r|\n")


class _Lines(Sequence[str]):
    """The text's lines with their endings, sliced on demand (what the codec indexes)."""

    def __init__(self, text: str, starts: list[int]) -> None:
        self.text, self.starts = text, starts

    def __len__(self) -> int:
        return len(self.starts)

    def __getitem__(self, index):  # type: ignore[no-untyped-def, override]
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self.starts):
            raise IndexError(index)
        end = self.starts[index + 1] if index + 1 < len(self.starts) else len(self.text)
        return self.text[self.starts[index]:end]


class Positions:
    """Converts between offsets of one text and LSP positions, both ways."""

    def __init__(self, text: str, codec: PositionCodec, starts: list[int] | None = None) -> None:
        self.text = text
        self.codec = codec
        self.starts = starts if starts is not None else \
            [0, *(match.end() for match in _LINE_BREAK.finditer(text))]
        self.lines = _Lines(text, self.starts)

    def edited(self, text: str, start: int, old_end: int, new_end: int) -> Positions:
        """The positions of `text`: this one's text with `[start, old_end)` replaced by
        `text[start:new_end]`. A line starts after a `\n`, and after a `\r` that no `\n`
        follows: so the line starts before `start` are kept, those after `old_end` moved,
        and only those in between found again (not a pass over the whole text)."""
        starts = self.starts
        kept = starts[:bisect_left(starts, start)] or [0]
        around = max(start - 1, 0)  # a `\r` just before the edit may now end no line
        found = [around + match.end() for match in _LINE_BREAK.finditer(
            text[around:new_end + 1]) if start <= around + match.end() <= new_end]
        delta = new_end - old_end
        moved = [offset + delta for offset in starts[bisect_left(starts, old_end + 1):]]
        return Positions(text, self.codec, [*kept, *found, *moved])

    @property
    def line_count(self) -> int:
        return len(self.starts)

    def line_of(self, offset: int) -> int:
        """The 0-based LSP line of an offset."""
        return bisect_right(self.starts, offset) - 1

    def line_content_end(self, line: int) -> int:
        """The offset where a line's content ends (before its line break)."""
        if line + 1 >= len(self.starts):
            return len(self.text)
        end = self.starts[line + 1]
        if self.text[end - 1] == "\n":
            end -= 1
        if end > self.starts[line] and self.text[end - 1] == "\r":
            end -= 1
        return end

    def position(self, offset: int) -> types.Position:
        """The LSP position of an offset (clamped to the text)."""
        offset = max(0, min(offset, len(self.text)))
        line = self.line_of(offset)
        start = self.starts[line]
        if self.text[start:offset].isascii():
            return types.Position(line=line, character=offset - start)
        return self.codec.position_to_client_units(
            self.lines, ServerTextPosition(line, offset - start))

    def range(self, start: int, end: int) -> types.Range:
        return types.Range(start=self.position(start), end=self.position(end))

    def offset(self, position: types.Position) -> int:
        """The offset of an LSP position; a position past a line's end is that end."""
        if position.line < 0:
            return 0
        if position.line >= len(self.starts):
            return len(self.text)
        start = self.starts[position.line]
        content_end = self.line_content_end(position.line)
        character = max(position.character, 0)
        content = self.text[start:content_end]
        if content.isascii():
            return start + min(character, len(content))
        if character >= self.codec.client_num_units(content):
            return content_end
        # A copy: the codec may change the position it is given.
        found = self.codec.position_from_client_units(
            self.lines, types.Position(line=position.line, character=character))
        return min(start + found.character, content_end)
