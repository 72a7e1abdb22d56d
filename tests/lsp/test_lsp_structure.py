"""The outline (document symbols), folding ranges and selection ranges."""

from __future__ import annotations

import pytest
from lsp_helpers import at, doc, open_script, position_of
from lsprotocol import types

pytestmark = pytest.mark.asyncio(loop_scope="module")

SCRIPT = (
    '+++\nvideo_name = "shrimp"\n+++\n'            # 0-2
    "[# A comment\nover two lines #]\n"             # 3-4
    '[music file="music/Carefree.opus"]\n'          # 5
    '[tts engine="kokoro_tts" voice="af_heart"]\n'  # 6
    "Did you know the mantis shrimp can punch with the force of a bullet?\n"  # 7
    "[/tts]\n"                                      # 8
    "[/music]\n"                                    # 9
)


@pytest.fixture(scope="module")
def uri(vscode, workspace):
    return open_script(vscode, workspace / "structure.inkslop", SCRIPT)


async def test_the_outline_names_blocks_by_tag_and_first_words(vscode, uri):
    symbols = await vscode.text_document_document_symbol_async(
        types.DocumentSymbolParams(text_document=doc(uri)))
    assert [s.name for s in symbols] == ["front matter",
                                         "music: Did you know the mantis shrimp …"]
    (tts,) = symbols[1].children
    assert tts.name == "tts: Did you know the mantis shrimp …"
    assert tts.kind == types.SymbolKind.String
    assert tts.range.start == at(6, 0) and tts.range.end == at(8, 6)
    assert tts.selection_range.start == at(6, 1) and tts.selection_range.end == at(6, 4)
    assert tts.detail == 'engine="kokoro_tts" voice="af_heart"'


async def test_a_flat_outline_for_clients_without_hierarchy(utf32, workspace):
    utf32_uri = open_script(utf32, workspace / "structure-flat.inkslop", SCRIPT)
    # the utf32 client is Visual Studio Code 1.65 whose outline is hierarchical
    symbols = await utf32.text_document_document_symbol_async(
        types.DocumentSymbolParams(text_document=doc(utf32_uri)))
    assert [s.name for s in symbols][:1] == ["front matter"]


async def test_folding_blocks_comments_and_front_matter(vscode, uri):
    ranges = await vscode.text_document_folding_range_async(
        types.FoldingRangeParams(text_document=doc(uri)))
    assert sorted((r.start_line, r.end_line, r.kind) for r in ranges) == [
        (0, 2, "region"), (3, 4, "comment"), (5, 8, None), (6, 7, None)]


async def test_selection_grows_from_a_value_to_the_document(vscode, uri):
    inside = SCRIPT.index("af_heart") + 2
    (selection,) = await vscode.text_document_selection_range_async(
        types.SelectionRangeParams(text_document=doc(uri),
                                   positions=[position_of(SCRIPT, inside)]))
    texts = []
    while selection is not None:
        start = _offset(selection.range.start)
        end = _offset(selection.range.end)
        texts.append(SCRIPT[start:end])
        selection = selection.parent
    assert texts[:4] == ["af_heart", '"af_heart"', 'voice="af_heart"',
                         '[tts engine="kokoro_tts" voice="af_heart"]']
    tts = SCRIPT[SCRIPT.index("[tts"):SCRIPT.index("[/tts]") + 6]
    music = SCRIPT[SCRIPT.index("[music"):SCRIPT.index("[/music]") + 8]
    music_holds = SCRIPT[SCRIPT.index("[music") + 34:SCRIPT.index("[/music]")]
    assert texts[4:] == [tts, music_holds, music, SCRIPT]


def _offset(position: types.Position) -> int:
    lines = SCRIPT.split("\n")
    return sum(len(line) + 1 for line in lines[:position.line]) + position.character
