"""inkslop.editor.cursor: what is being written at an offset, and what stands there."""

from __future__ import annotations

import pytest

from inkslop.editor import cursor as context
from inkslop.editor.cursor import cursor_at, plainly_text, target_at
from inkslop.syntax.parser import parse


def cursor(marked: str):
    offset = marked.index("|")
    text = marked.replace("|", "", 1)
    found = cursor_at(parse(text), offset)
    return found, text


@pytest.mark.parametrize("marked, kind, prefix, word", [
    ("[|", context.TAG_NAME, "", ""),
    ("[t|", context.TAG_NAME, "t", "t"),
    ("[tt|s engine=\"x\"]", context.TAG_NAME, "tt", "tts"),
    ("[/|", context.CLOSING_TAG_NAME, "", ""),
    ("Hi\n[/mu|", context.CLOSING_TAG_NAME, "mu", "mu"),
    ("[tts |", context.ATTRIBUTE_NAME, "", ""),
    ("[tts eng|", context.ATTRIBUTE_NAME, "eng", "eng"),
    ("[tts en|gine=\"x\"]", context.ATTRIBUTE_NAME, "en", "engine"),
    ("[tts a=\"b\" |]", context.ATTRIBUTE_NAME, "", ""),
    ("[tts engine=|", context.ATTRIBUTE_VALUE, "", ""),
    ("[tts engine=\"ko|", context.ATTRIBUTE_VALUE, "ko", "ko"),
    ("[tts engine=\"ko|ro\" voice=\"x\"]", context.ATTRIBUTE_VALUE, "ko", "koro"),
    ("[tts engine='ko|ro']", context.ATTRIBUTE_VALUE, "ko", "koro"),
    ("[tts engine=ko|ro]", context.ATTRIBUTE_VALUE, "ko", "koro"),
    ("[tts a=\"b\"|]", context.INSIDE_TAG, "", ""),
    ("{{ an|", context.VARIABLE, "an", "an"),
    ("x {{ an|imal }}", context.VARIABLE, "an", "animal"),
    ("[# a com|ment #]", context.COMMENT, "", ""),
    ("[# a\ncom|ment #]", context.COMMENT, "", ""),
    ("+++\nkey = |1\n+++\n", context.FRONT_MATTER, "", ""),
    ("Hello |", context.TEXT, "", ""),
    ("[tts]|", context.TEXT, "", ""),
    ("[ |", context.TEXT, "", ""),
    ("x [1|", context.TEXT, "", ""),
    ("[# a\nb #] [tts |", context.ATTRIBUTE_NAME, "", ""),
    ("😀 [tts v=\"🎵a|\"]", context.ATTRIBUTE_VALUE, "🎵a", "🎵a"),
])
def test_what_is_being_written(marked, kind, prefix, word):
    found, text = cursor(marked)
    assert (found.kind, found.prefix, text[found.start:found.end]) == (kind, prefix, word)


def test_a_value_knows_its_tag_attribute_quote_and_the_other_attributes():
    found, _ = cursor('[tts voice="af|" engine="kokoro_tts" speed=1]')
    assert (found.tag, found.attribute, found.quote) == ("tts", "voice", '"')
    assert found.attributes == {"engine": "kokoro_tts", "speed": "1"}
    bare, _ = cursor("[tts engine=|]")
    assert bare.quote == ""


def test_the_blocks_open_at_a_closing_tag_innermost_last():
    found, _ = cursor('[music file="a"]\n[tts x="y"]\nHi\n[/|\n[/music]\n')
    assert [b.name for b in found.blocks] == ["music", "tts"]
    assert found.innermost.name == "tts"
    typed, _ = cursor('[music file="a"]\n[tts x="y"]\nHi\n[/t|]\n[/music]\n')
    assert [b.name for b in typed.blocks] == ["music", "tts"]


def test_the_blocks_open_at_a_tag_being_written_exclude_the_tag():
    found, _ = cursor('[music file="a"]\n[tts eng|')
    assert [b.name for b in found.blocks] == ["music"]


def test_the_cursor_is_clamped_to_the_text():
    assert cursor_at(parse("[tts"), 99).kind == context.TAG_NAME
    assert cursor_at(parse(""), 0).kind == context.TEXT


@pytest.mark.parametrize("marked, expected", [
    ("Some words |", True),
    ("Some words|", False),
    ("[tts |", False),
    ("{{ x |", False),
    ('a="b |', False),
])
def test_plainly_text(marked, expected):
    offset = marked.index("|")
    assert plainly_text(marked.replace("|", ""), offset) is expected


SCRIPT = ('+++\n[vars]\nanimal = "x"\n+++\n[music file="a.opus"]\n'
          '[tts engine="kokoro_tts" voice="{{ animal }}"]\nThe {{ animal }}.\n[/tts]\n'
          '[/music]\n[# note #]\n')


@pytest.mark.parametrize("needle, shift, kind, detail", [
    ("music file", 1, context.TAG, "music"),
    ("file=", 1, context.ATTRIBUTE, "file"),
    ('"a.opus"', 2, context.VALUE, "file"),
    ("{{ animal }}\"", 4, context.VARIABLE, "animal"),
    ("{{ animal }}.", 4, context.VARIABLE, "animal"),
    ("[/tts]", 3, context.CLOSING_TAG, "tts"),
    ("The", 1, context.BLOCK_TEXT, "tts"),
])
def test_what_stands_at_an_offset(needle, shift, kind, detail):
    document = parse(SCRIPT)
    found = target_at(document, SCRIPT.index(needle) + shift)
    assert found.kind == kind
    name = (found.variable.name if kind == context.VARIABLE else
            found.attribute.name if found.attribute and kind != context.BLOCK_TEXT else
            found.tag.name)
    assert name == detail


def test_nothing_stands_in_comments_front_matter_or_top_level_text():
    document = parse(SCRIPT + "words\n")
    for needle in ("note", "[vars]", "words"):
        assert target_at(document, SCRIPT.find(needle) if needle != "words"
                         else len(SCRIPT) + 2) is None
