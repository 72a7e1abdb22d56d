"""Positions in the encoding each client negotiated: UTF-16 (the default, Visual Studio
Code), UTF-8 (Neovim) and UTF-32 (offered alone), with characters outside the Basic
Multilingual Plane before, inside and after tags: every range the server sends,
and every position it is sent, must land on the same characters."""

from __future__ import annotations

import asyncio

import pytest
from lsp_helpers import (
    at,
    change,
    doc,
    open_script,
    position_of,
    published,
    published_latest,
    units,
)
from lsprotocol import types

from inkslop.editor.highlight import highlights
from inkslop.lint.checker import check
from inkslop.syntax.parser import parse

pytestmark = pytest.mark.asyncio(loop_scope="module")

EMOJI = (
    '😀 [tts note="🎵" engine="kokoro_tts" voice="af_hert"]\n'
    "🐙 Hello 🦐 {{ fish }} world\n"
    "[/tts] 🎬\n"
)
ENCODINGS = {"vscode": "utf-16-le", "neovim": "utf-8", "utf32": "utf-32-le"}


async def diagnostics_of(client, name: str, uri: str) -> list[types.Diagnostic]:
    if name == "neovim":
        report = await client.text_document_diagnostic_async(
            types.DocumentDiagnosticParams(text_document=doc(uri)))
        return report.items
    return await published_latest(client, uri)  # not a push of a version in between


async def test_the_clients_encodings_differ_on_this_text():
    line = EMOJI.splitlines()[0]
    assert len({units(line, e) for e in ENCODINGS.values()}) == 3


async def check_encoding(client, name: str, workspace) -> None:
    encoding = ENCODINGS[name]
    uri = open_script(client, workspace / f"emoji-{name}.inkslop", EMOJI)
    expected = sorted((d.code, position_of(EMOJI, d.span.start, encoding),
                       position_of(EMOJI, d.span.end, encoding)) for d in check(parse(EMOJI)))
    found = await diagnostics_of(client, name, uri)
    assert sorted((d.code, d.range.start, d.range.end) for d in found) == expected
    assert {d.code for d in found} >= {"C001", "T002", "T008", "V001"}

    # hover on the voice's value, after an emoji in the same tag
    value = EMOJI.index('"af_hert"')
    hover = await client.text_document_hover_async(types.HoverParams(
        text_document=doc(uri), position=position_of(EMOJI, value + 3, encoding)))
    assert hover is not None
    assert hover.range == types.Range(start=position_of(EMOJI, value, encoding),
                                      end=position_of(EMOJI, value + 9, encoding))

    # completion of the voice: the edit replaces exactly the value's letters
    completion = await client.text_document_completion_async(types.CompletionParams(
        text_document=doc(uri), position=position_of(EMOJI, value + 3, encoding)))
    edit = next(i for i in completion.items if i.label == "af_heart").text_edit
    assert edit.range == types.Range(start=position_of(EMOJI, value + 1, encoding),
                                     end=position_of(EMOJI, value + 8, encoding))

    # semantic tokens: each token, read back in the client's units, is the right text
    tokens = (await client.text_document_semantic_tokens_full_async(
        types.SemanticTokensParams(text_document=doc(uri)))).data
    assert _token_texts(EMOJI, tokens, encoding) == [
        EMOJI[s:e] for s, e, _ in highlights(parse(EMOJI))]

    # an incremental change after the emoji, in the client's units
    text = EMOJI.replace("af_hert", "af_heart")
    change(client, uri, "af_heart", types.Range(start=position_of(EMOJI, value + 1, encoding),
                                                end=position_of(EMOJI, value + 8, encoding)))
    if name != "neovim":
        await asyncio.sleep(0)
    found = await diagnostics_of(client, name, uri)
    expected = sorted((d.code, position_of(text, d.span.start, encoding),
                       position_of(text, d.span.end, encoding)) for d in check(parse(text)))
    assert sorted((d.code, d.range.start, d.range.end) for d in found) == expected
    assert "T008" not in {d.code for d in found}

    # an edit inside the emoji-laden narration, then at the very end of the text
    line = 1
    column = units("🐙 Hello 🦐 ", encoding)
    change(client, uri, "🦀", types.Range(start=at(line, column), end=at(line, column)))
    text = text.replace("🐙 Hello 🦐 ", "🐙 Hello 🦐 🦀")
    change(client, uri, "🎉", types.Range(start=at(3, 0), end=at(3, 0)))
    text += "🎉"
    found = await diagnostics_of(client, name, uri)
    expected = sorted((d.code, position_of(text, d.span.start, encoding),
                       position_of(text, d.span.end, encoding)) for d in check(parse(text)))
    assert sorted((d.code, d.range.start, d.range.end) for d in found) == expected


def _token_texts(text: str, data: list[int], encoding: str) -> list[str]:
    lines = text.split("\n")
    found, line, column = [], 0, 0
    for index in range(0, len(data), 5):
        delta_line, delta_start, length = data[index:index + 3]
        line += delta_line
        column = column + delta_start if delta_line == 0 else delta_start
        raw = lines[line].encode(encoding)
        width = {"utf-8": 1, "utf-16-le": 2, "utf-32-le": 4}[encoding]
        found.append(raw[column * width:(column + length) * width].decode(encoding))
    return found


async def test_utf16_positions(vscode, workspace):
    await check_encoding(vscode, "vscode", workspace)


async def test_utf8_positions(neovim, workspace):
    await check_encoding(neovim, "neovim", workspace)


async def test_utf32_positions(utf32, workspace):
    await check_encoding(utf32, "utf32", workspace)


async def test_a_byte_order_mark_shifts_nothing(vscode, workspace):
    text = "\ufeff" + '[tts engine="kokoro_tts" voice="af_hert"]\nHi\n[/tts]\n'
    uri = open_script(vscode, workspace / "bom.inkslop", text)
    (found,) = await published(vscode, uri)
    start = text.index('"af_hert"')
    assert found.range == types.Range(start=position_of(text, start),
                                      end=position_of(text, start + 9))


async def test_a_line_separator_is_not_a_line_break(vscode, workspace):
    # U+2028 and form feeds are not line breaks in LSP (Python's splitlines says they are)
    text = 'Stray\u2028words\x0c here [tts engine="kokoro_tts" voice="af_hert"]\nHi\n[/tts]\n'
    uri = open_script(vscode, workspace / "separator.inkslop", text)
    found = await published(vscode, uri)
    voice = next(d for d in found if d.code == "T008")
    assert voice.range.start == position_of(text, text.index('"af_hert"'))
    assert voice.range.start.line == 0
