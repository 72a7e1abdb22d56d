"""inkslop.editor.highlight: the parts of a script by kind, for editors' colours."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from inkslop.editor.highlight import KINDS, highlights
from inkslop.syntax.parser import parse

SCRIPT = (
    '+++\nvideo_name = "x"\n# a TOML comment\n[vars]\nanimal = "octopus"\n+++\n'
    '[music file="music/Carefree.opus"]\n'
    "[tts engine='k{{ animal }}' voice=af_heart]\nThe {{ animal }} [# aside #] waves.\n[/tts]\n"
    '[pause seconds="1" /]\n[/music]\n'
)


def parts(text: str) -> list[tuple[str, str]]:
    return [(text[s:e], kind) for s, e, kind in highlights(parse(text))]


def test_every_part_of_a_script():
    assert parts(SCRIPT) == [
        ("+++", "front_matter"), ("video_name", "key"), ('"x"', "value"),
        ("# a TOML comment", "comment"), ("[vars]", "front_matter"), ("animal", "key"),
        ('"octopus"', "value"), ("+++", "front_matter"),
        ("[music", "tag"), ("file", "attribute"), ('"music/Carefree.opus"', "value"),
        ("]", "tag"),
        ("[tts", "tag"), ("engine", "attribute"), ("'k", "value"), ("{{ animal }}", "variable"),
        ("'", "value"), ("voice", "attribute"), ("af_heart", "value"), ("]", "tag"),
        ("{{ animal }}", "variable"), ("[# aside #]", "comment"), ("[/tts]", "tag"),
        ("[pause", "tag"), ("seconds", "attribute"), ('"1"', "value"), ("/]", "tag"),
        ("[/music]", "tag"),
    ]


def test_broken_scripts_still_highlight():
    assert parts("+++\nx = 1\n[tts engine=\"kokoro_tts\nHi [# open") == [
        ("+++", "front_matter"), ("x", "key"), ("1", "value"), ("[tts", "tag"),
        ("engine", "attribute"), ('"kokoro_tts', "value"), ("[# open", "comment")]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet='[]/{}#+="\' \nabtsmuic😀=\r', max_size=80))
def test_highlights_are_ordered_disjoint_and_inside_the_text(text):
    document = parse(text)
    found = highlights(document)
    previous = 0
    for start, end, kind in found:
        assert kind in KINDS
        assert previous <= start < end <= len(document.text)
        previous = end
