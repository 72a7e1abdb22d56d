"""Formatting of the whole script and of a range, through the library's formatter."""

from __future__ import annotations

import pytest
from lsp_helpers import apply_edits, doc, open_script, span
from lsprotocol import types

from inkslop.format.formatter import format_range, format_text

pytestmark = pytest.mark.asyncio(loop_scope="module")

MESSY = (
    "[music   file='music/Carefree.opus'  fit=\"loop\"]\n"
    "[tts voice=\"af_heart\"   engine=\"kokoro_tts\"]\n"
    "Hello there.   \n"
    "[/tts]\n"
    "[/music]\n"
    "[tts  engine=\"kokoro_tts\" voice=\"af_heart\"]\nAgain.\n[/tts]\n"
)
OPTIONS = types.FormattingOptions(tab_size=2, insert_spaces=True)


async def test_the_whole_script(vscode, workspace):
    uri = open_script(vscode, workspace / "messy.inkslop", MESSY)
    edits = await vscode.text_document_formatting_async(
        types.DocumentFormattingParams(text_document=doc(uri), options=OPTIONS))
    assert len(edits) == 1  # one edit over what differs
    assert apply_edits(MESSY, edits) == format_text(MESSY)


async def test_a_formatted_script_needs_no_edit(vscode, workspace):
    text = format_text(MESSY)
    uri = open_script(vscode, workspace / "tidy.inkslop", text)
    assert not await vscode.text_document_formatting_async(
        types.DocumentFormattingParams(text_document=doc(uri), options=OPTIONS))


async def test_a_range(vscode, workspace):
    uri = open_script(vscode, workspace / "messy-range.inkslop", MESSY)
    edits = await vscode.text_document_range_formatting_async(
        types.DocumentRangeFormattingParams(text_document=doc(uri), range=span((5, 0), (6, 0)),
                                            options=OPTIONS))
    from inkslop.syntax.diagnostics import apply_edits as apply_library_edits

    assert apply_edits(MESSY, edits) == apply_library_edits(MESSY, format_range(MESSY, 6, 6))
    assert apply_edits(MESSY, edits).splitlines()[:5] == MESSY.splitlines()[:5]


async def test_a_script_with_syntax_errors_is_not_formatted(vscode, workspace):
    uri = open_script(vscode, workspace / "broken-format.inkslop", "[tts engine=\"x\nHi\n")
    assert not await vscode.text_document_formatting_async(
        types.DocumentFormattingParams(text_document=doc(uri), options=OPTIONS))
