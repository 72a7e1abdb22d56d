"""inkslop_lsp.positions against pygls's own conversions, on random text."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from lsprotocol import types
from pygls.workspace import TextDocument
from pygls.workspace.position_codec import PositionCodec

from inkslop_lsp.positions import Positions

ENCODINGS = [types.PositionEncodingKind.Utf8, types.PositionEncodingKind.Utf16,
             types.PositionEncodingKind.Utf32]
TEXT = st.text(alphabet="ab [\n\r😀é𝄞\u2028", max_size=40)


@settings(max_examples=300, deadline=None)
@given(TEXT, st.sampled_from(ENCODINGS))
def test_offsets_go_to_positions_and_back(text, encoding):
    positions = Positions(text, PositionCodec(encoding))
    for offset in range(len(text) + 1):
        if 0 < offset < len(text) and text[offset - 1:offset + 1] == "\r\n":
            continue  # between \r and \n: not a place in a line
        assert positions.offset(positions.position(offset)) == offset


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="ab [\n😀é𝄞", max_size=40), st.sampled_from(ENCODINGS))
def test_positions_agree_with_pygls_where_lines_agree(text, encoding):
    # Without \r or U+2028, Python's splitlines (pygls) and LSP agree on the lines.
    codec = PositionCodec(encoding)
    positions = Positions(text, codec)
    document = TextDocument("file:///x", text, position_codec=codec)
    for offset in range(len(text) + 1):
        position = positions.position(offset)
        if position.line >= len(text.splitlines()):
            continue  # the empty line after a final line break, which pygls's lines lack
        assert document.offset_at_position(position) == offset


def test_line_breaks_are_those_of_lsp():
    positions = Positions("a\r\nb\rc\nd\u2028e\x0cf", PositionCodec())
    assert positions.starts == [0, 3, 5, 7]
    assert positions.position(8) == types.Position(line=3, character=1)
    assert positions.offset(types.Position(line=1, character=5)) == 4  # past the end: the end
    assert positions.offset(types.Position(line=9, character=0)) == 12


@settings(max_examples=1000, deadline=None)
@given(TEXT, st.lists(st.tuples(st.floats(0, 1), st.integers(0, 4),
                                st.text(alphabet="a\n\r", max_size=4)), max_size=6))
def test_positions_after_edits_are_those_of_the_edited_text(text, edits):
    codec = PositionCodec()
    positions = Positions(text, codec)
    for where, removed, typed in edits:
        start = int(where * len(text))
        end = min(len(text), start + removed)
        text = text[:start] + typed + text[end:]
        positions = positions.edited(text, start, end, start + len(typed))
        assert positions.starts == Positions(text, codec).starts
