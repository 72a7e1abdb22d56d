"""Completion: tag names, closing tags, attribute names, values (engines, voices, booleans,
enums, music files from the workspace and the configured library), variables, and
snippets that write a whole block."""

from __future__ import annotations

import pytest
from lsp_helpers import apply_edits, doc, open_script, position_of
from lsprotocol import types

from inkslop.schema.spec import default_schema

pytestmark = pytest.mark.asyncio(loop_scope="module")


async def complete(client, workspace, marked: str, name: str = "complete.inkslop"):
    """Completion at the `|` of a text; returns (items, text without the mark)."""
    offset = marked.index("|")
    text = marked.replace("|", "", 1)
    uri = open_script(client, workspace / name, text)
    result = await client.text_document_completion_async(types.CompletionParams(
        text_document=doc(uri), position=position_of(text, offset)))
    return (result.items if result else []), text


def by_label(items):
    return {item.label: item for item in items}


def ordered(items):
    return [i.label for i in sorted(items, key=lambda i: i.sort_text or i.label)]


async def test_tag_names_after_a_bracket(vscode, workspace):
    items, text = await complete(vscode, workspace, "[|")
    labels = by_label(items)
    assert {"tts", "music"} <= set(labels)
    tts = labels["tts"]
    assert tts.kind == types.CompletionItemKind.Keyword
    assert "Confirmed" in tts.documentation.value
    assert apply_edits(text, [tts.text_edit]) == "[tts"


async def test_tags_allowed_where_the_cursor_stands_come_first(vscode, workspace):
    # only `tts` and `music` may stand in `music`; both may stand at the top
    items, _ = await complete(vscode, workspace, '[music file="a.opus"]\n[t|\n[/music]\n')
    assert ordered([i for i in items if i.kind == types.CompletionItemKind.Keyword])[:2] == \
        ["tts", "music"]


async def test_a_block_snippet_writes_the_closing_tag(vscode, workspace):
    items, text = await complete(vscode, workspace, "Intro\n[tt|")
    snippet = by_label(items)["tts block"]
    assert snippet.insert_text_format == types.InsertTextFormat.Snippet
    written = apply_edits(text, [snippet.text_edit])
    assert written == ('Intro\n[tts engine="${1:kokoro_tts}" voice="${2:af_heart}"]\n$0\n'
                       "[/tts]")
    assert snippet.filter_text == "[tts"


async def test_a_block_snippet_is_plain_text_for_clients_without_snippets(utf32, workspace):
    items, text = await complete(utf32, workspace, "[mu|")
    snippet = by_label(items)["music block"]
    assert snippet.insert_text_format == types.InsertTextFormat.PlainText
    assert apply_edits(text, [snippet.text_edit], "utf-32-le") == \
        '[music file="music/"]\n\n[/music]'
    items, text = await complete(utf32, workspace, "[music |")
    assert apply_edits(text, [by_label(items)["file"].text_edit], "utf-32-le") == \
        '[music file=""'


async def test_closing_tag_offers_the_innermost_open_block_first(vscode, workspace):
    marked = ('[music file="a.opus"]\n[tts engine="kokoro_tts" voice="af_heart"]\nHi\n'
              "[/|\n[/music]\n")
    items, text = await complete(vscode, workspace, marked)
    assert ordered(items)[:2] == ["tts", "music"]
    first = by_label(items)["tts"]
    assert first.preselect
    assert apply_edits(text, [first.text_edit]).endswith("Hi\n[/tts]\n[/music]\n")


async def test_closing_tag_with_a_name_typed_and_its_bracket_written(vscode, workspace):
    marked = '[music file="a.opus"]\n[tts engine="kokoro_tts" voice="af_heart"]\nHi\n[/t|]\n'
    items, text = await complete(vscode, workspace, marked)
    assert ordered(items)[0] == "tts"
    assert apply_edits(text, [by_label(items)["tts"].text_edit]).endswith("[/tts]\n")


async def test_attribute_names_not_yet_written_required_first(vscode, workspace):
    items, text = await complete(vscode, workspace, '[tts voice="af_heart" |]\nHi\n[/tts]\n')
    labels = ordered(items)
    assert "voice" not in labels
    assert labels == ["engine", "subtitles", "speed"]
    engine = by_label(items)["engine"]
    assert engine.detail == "engine, required"
    assert apply_edits(text, [engine.text_edit]).startswith('[tts voice="af_heart" engine="$1"]')


async def test_attribute_name_being_typed(vscode, workspace):
    items, text = await complete(vscode, workspace, "[music vol|")
    volume = by_label(items)["volume"]
    assert apply_edits(text, [volume.text_edit]) == '[music volume="$1"'


async def test_engines(vscode, workspace):
    items, text = await complete(vscode, workspace, '[tts engine="|"]\nHi\n[/tts]\n')
    assert list(by_label(items)) == list(default_schema().engines)
    assert apply_edits(text, [items[0].text_edit]).startswith('[tts engine="kokoro_tts"]')


async def test_voices_of_the_chosen_engine_with_language_and_gender(vscode, workspace):
    items, text = await complete(vscode, workspace,
                                 '[tts voice="am|" engine="kokoro_tts"]\nHi\n[/tts]\n')
    voices = default_schema().engines["kokoro_tts"].voices
    assert [i.label for i in items] == list(voices)
    adam = by_label(items)["am_adam"]
    assert adam.detail == "en-US, male"
    assert adam.label_details.description == "en-US, male"
    assert apply_edits(text, [adam.text_edit]).startswith('[tts voice="am_adam" engine=')


async def test_a_value_without_quotes_yet_gets_them(vscode, workspace):
    items, text = await complete(vscode, workspace,
                                 '[tts engine="kokoro_tts" subtitles=|]\nHi\n[/tts]\n')
    assert [i.label for i in items] == ["true", "false"]
    assert apply_edits(text, [items[0].text_edit]).startswith(
        '[tts engine="kokoro_tts" subtitles="true"]')


async def test_enum_values(vscode, workspace):
    items, _ = await complete(vscode, workspace, '[music file="a.opus" fit="|"]\n[/music]\n')
    assert [i.label for i in items] == ["loop"]
    assert items[0].kind == types.CompletionItemKind.EnumMember


async def test_music_files_from_the_library_and_the_workspace(vscode, workspace):
    project = workspace / "library"
    project.mkdir()
    (project / "inkslop.toml").write_text('music-library = ["music/Upbeat.opus"]\n')
    items, text = await complete(vscode, workspace, '[music file="mu|"]\n[/music]\n',
                                 name="library/script.inkslop")
    labels = by_label(items)
    assert labels["music/Upbeat.opus"].detail == "music library"
    assert labels["music/Carefree.opus"].detail == "workspace"
    assert labels["music/Calm.mp3"].detail == "workspace"
    assert ordered(items)[0] == "music/Upbeat.opus"
    assert apply_edits(text, [labels["music/Calm.mp3"].text_edit]).startswith(
        '[music file="music/Calm.mp3"]')


async def test_variables_of_the_front_matter(vscode, workspace):
    marked = '+++\n[vars]\nanimal = "shrimp"\n+++\n[tts engine="kokoro_tts" voice="af_heart"]\n' \
             "The {{ an| }}\n[/tts]\n"
    items, text = await complete(vscode, workspace, marked)
    assert [i.label for i in items] == ["animal"]
    assert "{{ animal }}" in apply_edits(text, [items[0].text_edit])


@pytest.mark.parametrize("marked", [
    "Plain narration |",
    '[tts engine="kokoro_tts" voice="af_heart"]\nHello |\n[/tts]\n',
    "[# a comment | #]",
    '+++\nvideo_name = "x|"\n+++\n',
    '[tts engine="kokoro_tts"|]',
])
async def test_nothing_where_nothing_can_be_written(vscode, workspace, marked):
    items, _ = await complete(vscode, workspace, marked)
    assert items == []
