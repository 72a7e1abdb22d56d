"""Hover: the schema's documentation with its mark, a value's facts, a variable's value,
and over a `tts` block its words and estimated seconds."""

from __future__ import annotations

import pytest
from lsp_helpers import doc, open_script, position_of
from lsprotocol import types

from inkslop.estimate.estimator import estimate_document
from inkslop.syntax.parser import parse

pytestmark = pytest.mark.asyncio(loop_scope="module")

SCRIPT = (
    '+++\n[vars]\nanimal = "mantis shrimp"\n+++\n'
    '[music file="music/Carefree.opus" volume="0.3" fit="loop"]\n'
    '[tts engine="kokoro_tts" voice="am_adam" speed="1.2"]\n'
    "The {{ animal }} punches with the force of a bullet.\n"
    "[/tts]\n"
    "[/music]\n"
)


async def hover_at(client, uri: str, needle: str, shift: int = 1) -> types.Hover | None:
    return await client.text_document_hover_async(types.HoverParams(
        text_document=doc(uri), position=position_of(SCRIPT, SCRIPT.index(needle) + shift)))


@pytest.fixture(scope="module")
def uri(vscode, workspace):
    return open_script(vscode, workspace / "hover.inkslop", SCRIPT)


async def test_a_tag_shows_its_documentation_and_mark(vscode, uri):
    hover = await hover_at(vscode, uri, "music file")
    assert "**`[music]`**" in hover.contents.value
    assert "*Confirmed*: shown in InkSlop's own API documentation." in hover.contents.value
    start = SCRIPT.index("music file")
    assert hover.range == types.Range(start=position_of(SCRIPT, start),
                                      end=position_of(SCRIPT, start + 5))


async def test_an_attribute_shows_its_documentation_and_mark(vscode, uri):
    hover = await hover_at(vscode, uri, "speed=")
    assert "**`speed`** of `[tts]`" in hover.contents.value
    assert "from 0.5 to 2" in hover.contents.value
    assert "*Assumed*" in hover.contents.value


async def test_a_voice_shows_its_language_and_gender(vscode, uri):
    hover = await hover_at(vscode, uri, '"am_adam"', 2)
    assert "**Voice `am_adam`** of `kokoro_tts` — en-US, male" in hover.contents.value


async def test_a_tts_block_shows_its_words_and_seconds(vscode, uri):
    entry = next(b for b in estimate_document(parse(SCRIPT)).blocks if b.tag == "tts")
    hover = await hover_at(vscode, uri, "punches")
    assert hover.contents.value == (
        f"**`[tts]`**: {entry.words} words, about **{entry.seconds:.1f} s** (0:00–0:0"
        f"{round(entry.end)} on the timeline)")
    on_the_tag = await hover_at(vscode, uri, "tts engine")
    assert on_the_tag.contents.value.startswith(hover.contents.value)
    assert "**`[tts]`** — Narrates" in on_the_tag.contents.value


async def test_a_closing_tag_shows_the_tag(vscode, uri):
    hover = await hover_at(vscode, uri, "[/music]", 3)
    assert "**`[music]`**" in hover.contents.value


async def test_a_variable_shows_its_value(vscode, uri):
    hover = await hover_at(vscode, uri, "{{ animal }}", 4)
    assert hover.contents.value == "**`{{ animal }}`** = `'mantis shrimp'` (from `[vars]`)"


async def test_nothing_over_front_matter(vscode, uri):
    assert await hover_at(vscode, uri, "[vars]") is None
