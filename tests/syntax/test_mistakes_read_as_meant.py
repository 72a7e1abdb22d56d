"""The parser's readings of QA's mistakes (one finding each), and the incremental parse
that the language server relies on: after any small edit in or around them it equals a
whole parse."""

from __future__ import annotations

import pytest

from inkslop.lint.checker import check
from inkslop.syntax.ast import Block, dump
from inkslop.syntax.incremental import TextEdit, reparse
from inkslop.syntax.parser import parse

TTS = '[tts engine="kokoro_tts" voice="af_heart"]'
AFTER = '[# note #]\n[music file="music/Carefree.opus"]\n' + TTS + "\nBye.\n[/tts]\n[/music]\n"
MISTAKES = {
    "colon": '[tts engine: "kokoro_tts" voice: "af_heart"]\nHello.\n[/tts]\n',
    "space": '[ tts engine="kokoro_tts" voice="af_heart"]\nHello.\n[ /tts]\n',
    "curly": '[tts engine="kokoro_tts\u201d voice="af_heart"]\nHello.\n[/tts]\n',
    "backslash": TTS + "\nHello.\n[\\tts]\n",
    "slashless": TTS + "\nHello.\n[tts]\nMore.\n[/tts]\n",
    "braces": TTS + "\nPrice: {[# TODO #]{ animal }} dollars.\n[/tts]\n",
    "fence": TTS + "\n```\nHello.\n```\n[/tts]\n",
}


def codes(text: str) -> list[str]:
    return [d.code for d in check(parse(text))]


@pytest.mark.parametrize("name, expected", [
    ("colon", ["S022", "S022"]), ("space", ["S023", "S023"]), ("curly", ["S015"]),
    ("backslash", ["S017"]), ("slashless", ["S017"]), ("braces", ["S011"]),
    ("fence", ["S018", "S018"]),
])
def test_each_mistake_is_one_finding_per_place(name, expected):
    assert codes(MISTAKES[name]) == expected


@pytest.mark.parametrize("name", ["colon", "space", "curly", "backslash"])
def test_the_tag_is_read_as_meant(name):
    document = parse(MISTAKES[name])
    block = document.children[0]
    assert isinstance(block, Block) and block.name == "tts" and block.close_span is not None
    assert block.attribute("engine").value == "kokoro_tts"  # type: ignore[union-attr]
    assert block.attribute("voice").value == "af_heart"  # type: ignore[union-attr]


def test_a_straight_quoted_value_may_hold_typographic_quotes():
    text = TTS[:-1] + ' label="He said \u201chi\u201d there"]\nHi.\n[/tts]\n'
    assert "S015" not in codes(text)
    assert parse(text).children[0].attribute("label").value == "He said \u201chi\u201d there"


def test_bracketed_words_with_a_space_or_a_colon_stay_words():
    text = TTS + '\nSo I [ laughs ] and [music fades: "slowly"] left.\n[/tts]\n'
    assert codes(text) == ["S008", "S016"]  # a `[` and a space: a stray `[`, as ever


@pytest.mark.parametrize("name", sorted(MISTAKES))
@pytest.mark.parametrize("typed", ["", "x", "\n", "[", ":", '"'])
def test_reparse_after_an_edit_in_a_mistake_equals_a_whole_parse(name, typed):
    text = MISTAKES[name] + AFTER
    for start in range(len(MISTAKES[name]) + 1):
        end = min(start + (0 if typed else 1), len(text))
        new_text = text[:start] + typed + text[end:]
        incremental = reparse(parse(text), new_text, TextEdit(start, end, start + len(typed)))
        whole = parse(new_text)
        assert dump(incremental) == dump(whole), (start, new_text)
        assert incremental.diagnostics == whole.diagnostics, (start, new_text)
