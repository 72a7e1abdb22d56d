"""Unit tests of `inkslop.syntax.parser.parse`: the tree it builds, its spans, its error recovery."""

from __future__ import annotations

import json

import pytest

from inkslop.lint.checker import check
from inkslop.syntax.ast import (
    Attribute,
    Block,
    Comment,
    Document,
    FrontMatter,
    Text,
    Variable,
    VoidTag,
    dump,
    narrated_text,
    node_at,
    node_path_at,
    walk,
)
from inkslop.syntax.parser import parse

OFFICIAL = (
    '[music file="music/Carefree.opus" volume="0.3" fit="loop"]\n'
    '[tts engine="kokoro_tts" voice="af_heart" subtitles="true"]\n'
    "Did you know the mantis shrimp can punch with the force of a bullet?\n"
    "Their eyes can see 16 types of colour receptors. Humans have only 3.\n"
    "[/tts]\n"
    "[/music]\n"
)
TTS = '[tts engine="kokoro_tts" voice="af_heart"]'


def where(span) -> tuple[int, int, int, int]:
    return span.line, span.column, span.end_line, span.end_column


def source(document: Document, span) -> str:
    return document.text[span.start:span.end]


def only_block(document: Document) -> Block:
    blocks = [n for n in document.children if isinstance(n, Block)]
    assert len(blocks) == 1, document.children
    return blocks[0]


def syntax(document: Document) -> list[tuple[str, tuple[int, int, int, int]]]:
    return [(d.code, where(d.span)) for d in document.diagnostics]


# ---- the tree ------------------------------------------------------------------


def test_official_example_parses_to_music_holding_tts():
    document = parse(OFFICIAL)
    assert document.diagnostics == [] and not document.has_syntax_errors
    assert check(document) == []
    assert document.front_matter is None
    music = only_block(document)
    assert music.name == "music"
    assert [(a.name, a.value) for a in music.attributes] == [
        ("file", "music/Carefree.opus"), ("volume", "0.3"), ("fit", "loop")]
    assert music.attribute("volume").typed == 0.3
    assert music.attribute("file").typed == "music/Carefree.opus"
    assert music.attribute("missing") is None
    tts = only_block(Document(music.children))
    assert tts.name == "tts"
    assert tts.attribute("subtitles").typed is True
    assert narrated_text(tts) == (
        "\nDid you know the mantis shrimp can punch with the force of a bullet?\n"
        "Their eyes can see 16 types of colour receptors. Humans have only 3.\n")
    assert where(music.span) == (1, 1, 6, 9)
    assert where(music.open_span) == (1, 1, 1, 59)
    assert where(music.close_span) == (6, 1, 6, 9)
    assert where(tts.open_span) == (2, 1, 2, 60)
    assert where(tts.close_span) == (5, 1, 5, 7)
    assert source(document, tts.name_span) == "tts"


def test_a_document_built_in_code_equals_the_parsed_one():
    built = Document([
        Block("tts", [Attribute("engine", "kokoro_tts", '"kokoro_tts"', '"'),
                      Attribute("voice", "af_heart", '"af_heart"', '"')],
              [Text("\nHello "), Variable("name"), Text("!\n")]),
        Text("\n"),
    ])
    assert parse(TTS + "\nHello {{ name }}!\n[/tts]\n") == built
    assert parse(TTS + "\nHello {{ name }}?\n[/tts]\n") != built


def test_tag_and_attribute_names_are_lower_cased_and_spans_point_at_the_source():
    document = parse('[TTS Engine="kokoro_tts" VOICE="af_heart"]Hi[/TtS]')
    assert document.diagnostics == []
    block = only_block(document)
    assert block.name == "tts"
    assert [a.name for a in block.attributes] == ["engine", "voice"]
    assert source(document, block.name_span) == "TTS"
    assert source(document, block.attributes[0].name_span) == "Engine"
    assert source(document, block.attributes[1].name_span) == "VOICE"
    assert source(document, block.attributes[1].value_span) == '"af_heart"'
    assert source(document, block.attributes[1].span) == 'VOICE="af_heart"'
    assert source(document, block.close_span) == "[/TtS]"
    assert check(document) == []


def test_double_quoted_value_with_escapes():
    document = parse(r'[x a="say \"hi\" \\ back\slash" /]')
    attribute = document.children[0].attributes[0]
    assert attribute.raw == r'"say \"hi\" \\ back\slash"'
    assert attribute.value == r'say "hi" \ back\slash'
    assert attribute.quote == '"'
    assert attribute.typed == attribute.value  # an unknown tag's values are strings
    assert source(document, attribute.value_span) == attribute.raw
    assert document.diagnostics == []


def test_single_quoted_and_bare_values_are_read_with_a_warning():
    text = "[tts engine=kokoro_tts voice='af_\\'heart' speed=1.5 subtitles=false]Hi[/tts]"
    document = parse(text)
    block = only_block(document)
    engine, voice, speed, subtitles = block.attributes
    assert (engine.value, engine.raw, engine.quote) == ("kokoro_tts", "kokoro_tts", "")
    assert (voice.value, voice.raw, voice.quote) == ("af_'heart", "'af_\\'heart'", "'")
    assert (speed.value, speed.typed) == ("1.5", 1.5)
    assert (subtitles.value, subtitles.typed) == ("false", False)
    assert [(d.code, d.severity, source(document, d.span)) for d in document.diagnostics] == [
        ("S012", "warning", "kokoro_tts"), ("S012", "warning", "'af_\\'heart'"),
        ("S012", "warning", "1.5"), ("S012", "warning", "false")]
    assert "single quotes" in document.diagnostics[1].message
    assert "no quotes" in document.diagnostics[0].message


@pytest.mark.parametrize("tag, value, typed", [
    ("music", 'volume="0.3"', 0.3),
    ("music", 'volume="1"', 1.0),
    ("music", 'volume="loud"', None),
    ("music", 'volume="nan"', None),
    ("music", 'volume="inf"', None),
    ("tts", 'subtitles="true"', True),
    ("tts", 'subtitles="false"', False),
    ("tts", 'subtitles="yes"', None),
    ("tts", 'subtitles="TRUE"', None),
    ("tts", 'speed="1.2"', 1.2),
    ("music", 'fit="loop"', "loop"),
    ("music", 'colour="12"', "12"),  # not in the schema: the string
    ("music", 'volume="{{ level }}"', None),  # a variable: unknown until compiled
])
def test_typed_values_follow_the_schema(tag, value, typed):
    block = only_block(parse(f"[{tag} {value}][/{tag}]"))
    assert block.attributes[0].typed == typed


def test_attribute_without_value():
    document = parse(TTS[:-1] + " subtitles]\nHi\n[/tts]\n")
    attribute = only_block(document).attribute("subtitles")
    assert (attribute.value, attribute.raw, attribute.quote, attribute.typed) == (
        None, None, None, None)
    assert attribute.value_span is None
    assert source(document, attribute.span) == "subtitles"
    assert syntax(document) == [("S006", (1, 43, 1, 52))]


def test_variables_in_text_and_in_attribute_values():
    text = TTS[:-1] + ' speed="{{speed}}"]\nThe {{ animal }} is {{\tcolour }}.\n[/tts]\n'
    document = parse(text)
    assert document.diagnostics == []
    block = only_block(document)
    assert [type(n).__name__ for n in block.children] == [
        "Text", "Variable", "Text", "Variable", "Text"]
    animal, colour = block.children[1], block.children[3]
    assert (animal.name, source(document, animal.span)) == ("animal", "{{ animal }}")
    assert (colour.name, source(document, colour.span)) == ("colour", "{{\tcolour }}")
    assert where(animal.span) == (2, 5, 2, 17)
    speed = block.attribute("speed")
    assert speed.value == "{{speed}}" and speed.typed is None
    assert [(v.name, source(document, v.span)) for v in speed.variables] == [
        ("speed", "{{speed}}")]
    assert [v.name for v in document.variables()] == ["speed", "animal", "colour"]
    assert narrated_text(block) == "\nThe {{ animal }} is {{ colour }}.\n"
    assert narrated_text(block, {"animal": "mantis shrimp"}) == \
        "\nThe mantis shrimp is {{ colour }}.\n"


def test_single_braces_are_text():
    document = parse(TTS + "\nA set {1, 2} and a } and a {\n[/tts]")
    assert document.diagnostics == []
    assert narrated_text(only_block(document)) == "\nA set {1, 2} and a } and a {\n"


def test_void_tag():
    document = parse('[X a="1" /]\n[pause/]')
    assert document.diagnostics == []
    first, _, second = document.children
    assert isinstance(first, VoidTag) and isinstance(second, VoidTag)
    assert first.name == "x" and second.name == "pause"
    assert first.attribute("a").value == "1"
    assert second.attributes == []
    assert source(document, first.span) == '[X a="1" /]'
    assert source(document, first.name_span) == "X"
    assert source(document, second.span) == "[pause/]"
    assert where(second.span) == (2, 1, 2, 9)


def test_comment_spanning_lines():
    document = parse("[# first line\nsecond [tts] {{ x }}\nthird #]\n" + TTS + "Hi[/tts]")
    assert document.diagnostics == []
    comment = document.children[0]
    assert isinstance(comment, Comment)
    assert comment.body == " first line\nsecond [tts] {{ x }}\nthird "
    assert comment.closed
    assert where(comment.span) == (1, 1, 3, 9)
    assert list(document.variables()) == []  # a variable in a comment is not a variable


def test_comment_inside_tts_is_not_narrated():
    document = parse(TTS + "\nOne [# not this #]two\n[/tts]")
    block = only_block(document)
    assert isinstance(block.children[1], Comment)
    assert narrated_text(block) == "\nOne two\n"


def test_front_matter_with_toml_data():
    text = ('+++\nvideo_name = "mantis"\nresolution = "16:9"\n\n[publish]\nchannel_id = 3\n'
            '+++\n' + TTS + "\nHi\n[/tts]\n")
    document = parse(text)
    assert document.diagnostics == []
    front = document.front_matter
    assert isinstance(front, FrontMatter) and front.closed
    assert front.data == {"video_name": "mantis", "resolution": "16:9",
                          "publish": {"channel_id": 3}}
    assert front.body == 'video_name = "mantis"\nresolution = "16:9"\n\n[publish]\nchannel_id = 3\n'
    assert source(document, front.body_span) == front.body
    assert where(front.span) == (1, 1, 7, 4)
    assert source(document, front.span).startswith("+++\n") and source(
        document, front.span).endswith("\n+++")
    block = only_block(document)
    assert where(block.open_span) == (8, 1, 8, 43)
    assert check(document) == []


def test_front_matter_below_a_blank_line_is_read_as_front_matter_and_reported():
    # Issue 11: it is meant as front matter, so its lines are neither narration nor tags.
    text = '\n+++\nvideo_name = 1\n[publish]\nchannel_id = 3\n+++\n' + TTS + "\nHi\n[/tts]\n"
    document = parse(text)
    assert document.front_matter.data == {"video_name": 1, "publish": {"channel_id": 3}}
    assert syntax(document) == [("S019", (2, 1, 2, 4))]
    assert "first line" in document.diagnostics[0].message
    # as after front matter on the first line: the line end, the block, the last line end
    assert [type(n).__name__ for n in document.children] == ["Text", "Block", "Text"]
    assert only_block(document).name == "tts"


def test_yaml_front_matter_is_reported_once():
    text = "---\ntitle: Shrimp\ntags: [a, b]\n---\n" + TTS + "\nHi\n[/tts]\n"
    document = parse(text)
    assert syntax(document) == [("S019", (1, 1, 1, 4))]
    assert "YAML" in document.diagnostics[0].message and "+++" in document.diagnostics[0].message
    assert only_block(document).name == "tts"


def test_crlf_line_endings():
    text = TTS + "\r\nHello\r\n[/tts]\r\n[/tts]\r\n"
    document = parse(text)
    block = only_block(document)
    assert block.children == [Text("\r\nHello\r\n")]
    assert where(block.close_span) == (3, 1, 3, 7)
    assert syntax(document) == [("S002", (4, 1, 4, 7))]
    assert document.lines.line_text(2) == "Hello"


def test_crlf_front_matter():
    text = '+++\r\nvideo_name = "x"\r\n+++\r\n' + TTS + "\r\nHi\r\n[/tts]\r\n"
    document = parse(text)
    assert document.diagnostics == []
    assert document.front_matter.data == {"video_name": "x"}
    assert where(only_block(document).open_span) == (4, 1, 4, 43)


def test_byte_order_mark_is_tolerated():
    document = parse("\ufeff" + OFFICIAL)
    assert document.diagnostics == [] and check(document) == []
    assert document.text == OFFICIAL
    assert where(only_block(document).open_span) == (1, 1, 1, 59)
    assert parse("\ufeff" + OFFICIAL) == parse(OFFICIAL)


def test_non_bmp_characters_count_as_one_column():
    text = '😀[tts engine="kokoro_tts" voice="af_heart"]🎉x𝄞[/tts]😀\n😀😀[x a="𝄞" /]'
    document = parse(text)
    assert document.diagnostics == []
    before, block, after, void = document.children
    assert before == Text("😀") and where(before.span) == (1, 1, 1, 2)
    assert where(block.open_span) == (1, 2, 1, 44)
    assert block.children == [Text("🎉x𝄞")]
    assert where(block.children[0].span) == (1, 44, 1, 47)
    assert where(block.close_span) == (1, 47, 1, 53)
    assert after == Text("😀\n😀😀")
    assert where(void.span) == (2, 3, 2, 14)
    assert void.attribute("a").value == "𝄞"
    assert where(void.attribute("a").value_span) == (2, 8, 2, 11)


def test_diagnostic_columns_after_non_bmp_characters():
    document = parse('😀😀[tts engine="kokoro_tts" voice="af_heart]\nHi\n[/tts]\n')
    assert syntax(document) == [("S004", (1, 34, 1, 43))]


def test_empty_file():
    document = parse("")
    assert document.children == [] and document.front_matter is None
    assert document.diagnostics == []
    assert [d.code for d in check(document)] == ["C006"]  # nothing would be narrated
    assert dump(document) == {"type": "Document", "children": [], "front_matter": None}


# ---- navigation and dump ----------------------------------------------------------


def test_node_path_at_finds_the_chain_down_to_the_innermost_node():
    document = parse(OFFICIAL)
    offset = OFFICIAL.index("mantis")
    path = node_path_at(document, offset)
    assert [type(n).__name__ for n in path] == ["Document", "Block", "Block", "Text"]
    assert [n.name for n in path[1:3]] == ["music", "tts"]
    assert node_at(document, offset) is path[-1]
    value = node_at(document, OFFICIAL.index("af_heart"))
    assert isinstance(value, Attribute) and value.name == "voice"
    assert node_at(parse(""), 0) == parse("")


def test_dump_is_plain_json_with_spans():
    document = parse('+++\nvideo_name = "x"\n+++\n' + TTS + "\n{{ a }}\n[/tts]")
    dumped = dump(document)
    assert json.loads(json.dumps(dumped)) == dumped
    assert dumped["front_matter"]["type"] == "FrontMatter"
    tts = dumped["children"][1]
    assert tts["type"] == "Block" and tts["name"] == "tts"
    assert tts["open_span"] == [25, 67, 4, 1, 4, 43]
    assert tts["children"][1] == {"type": "Variable", "name": "a", "span": [68, 75, 5, 1, 5, 8]}
    assert tts["attributes"][0]["value_span"] == [37, 49, 4, 13, 4, 25]


# ---- error recovery: one typo, one diagnostic ---------------------------------------

SINGLE_TYPOS = {
    "S001 unclosed tag": (TTS + "\nHello world!\n", "S001", (1, 1, 1, 43)),
    "S001 closed by an outer block": (
        '[music file="music/Carefree.opus"]\n' + TTS + "\nHello\n[/music]\n",
        "S001", (2, 1, 2, 43)),
    "S002 closing tag with no opener": (
        TTS + "\nHello.\n[/tts]\n[/tts]\n", "S002", (4, 1, 4, 7)),
    "S003 mismatched closing tag": (TTS + "\nHello.\n[/tss]\n", "S003", (3, 1, 3, 7)),
    "S004 unterminated quote": (
        '[tts engine="kokoro_tts" voice="af_heart]\nHello.\n[/tts]\n', "S004", (1, 32, 1, 41)),
    "S004 unterminated quote at end of file": (
        '[tts engine="kokoro_tts" voice="af_heart', "S004", (1, 32, 1, 41)),
    "S005 unterminated comment": (
        "[# draft\n" + TTS + "\nHello.\n[/tts]\n", "S005", (1, 1, 1, 3)),
    "S006 attribute without value": (
        TTS[:-1] + " subtitles]\nHello.\n[/tts]\n", "S006", (1, 43, 1, 52)),
    "S006 attribute with = and no value": (
        TTS[:-1] + " speed=]\nHello.\n[/tts]\n", "S006", (1, 43, 1, 49)),
    "S007 unclosed front matter": (
        '+++\nvideo_name = "mantis"\n\n' + TTS + "\nHello.\n[/tts]\n", "S007", (1, 1, 1, 4)),
    "S007 invalid TOML": (
        "+++\nvideo_name = mantis\n+++\n" + TTS + "\nHello.\n[/tts]\n", "S007", (2, 14, 2, 20)),
    "S008 stray bracket": (TTS + "\nIt costs [5 dollars.\n[/tts]\n", "S008", (2, 10, 2, 11)),
    "S009 missing bracket": (
        '[tts engine="kokoro_tts" voice="af_heart"\nHello.\n[/tts]\n', "S009", (1, 1, 1, 42)),
    "S009 missing bracket at end of file": ('[tts engine="kokoro_tts"', "S009", (1, 1, 1, 25)),
    "S009 closing tag missing bracket": (TTS + "\nHello.\n[/tts\n", "S009", (3, 1, 3, 6)),
    "S010 value without a name": (
        '[tts engine="kokoro_tts" "af_heart"]\nHello.\n[/tts]\n', "S010", (1, 26, 1, 36)),
    "S010 junk in tag": (TTS[:-1] + " @@ ]\nHello.\n[/tts]\n", "S010", (1, 43, 1, 45)),
    "S011 unclosed variable": (TTS + "\nHello {{ animal.\n[/tts]\n", "S011", (2, 7, 2, 17)),
    "S011 bad variable name": (TTS + "\nHello {{ 1animal }}.\n[/tts]\n", "S011", (2, 7, 2, 20)),
}


@pytest.mark.parametrize("text, code, span", SINGLE_TYPOS.values(), ids=SINGLE_TYPOS.keys())
def test_one_typo_gives_one_diagnostic_at_the_typo(text, code, span):
    document = parse(text)
    assert syntax(document) == [(code, span)]
    assert document.diagnostics[0].severity == "error" and document.has_syntax_errors
    # The rules do not pile on: the checked document still has this one diagnostic.
    assert [(d.code, where(d.span)) for d in check(document)] == [(code, span)]


def test_recovery_keeps_the_rest_of_a_tag_with_an_unterminated_quote():
    document = parse('[tts engine="kokoro_tts voice="af_heart"]\nHello.\n[/tts]\n')
    block = only_block(document)
    assert block.name == "tts" and block.close_span is not None
    assert narrated_text(block) == "\nHello.\n"


def test_recovery_after_a_missing_bracket_keeps_the_narration():
    document = parse('[tts engine="kokoro_tts" voice="af_heart"\nHello.\n[/tts]\n')
    block = only_block(document)
    assert [a.name for a in block.attributes] == ["engine", "voice"]
    assert block.close_span is not None
    assert "Hello." in narrated_text(block)


def test_recovery_after_a_mismatched_closing_tag_closes_the_block():
    document = parse(TTS + "\nHello.\n[/tss]\n" + TTS + "\nAgain.\n[/tts]\n")
    assert syntax(document) == [("S003", (3, 1, 3, 7))]
    assert [b.name for b in document.children if isinstance(b, Block)] == ["tts", "tts"]
    diagnostic = document.diagnostics[0]
    assert "[/tts]" in diagnostic.message
    assert [(label, where(span)) for label, span in diagnostic.related] == [
        ("opened here", (1, 1, 1, 43))]


def test_an_unclosed_comment_swallows_the_rest_and_nothing_else_is_reported():
    document = parse(TTS + "\nHello [# note\n[/tts]\n[music]\n")
    assert syntax(document) == [("S005", (2, 7, 2, 9))]
    comment = only_block(document).children[-1]
    assert isinstance(comment, Comment) and not comment.closed
    assert comment.body == " note\n[/tts]\n[music]\n"


def test_unclosed_front_matter_ends_before_the_script():
    document = parse('+++\nvideo_name = "x"\n[publish]\nchannel_id = 3\n\n'
                     + TTS + "\nHi\n[/tts]\n")
    assert syntax(document) == [("S007", (1, 1, 1, 4))]
    front = document.front_matter
    assert not front.closed and front.data is None
    assert front.body == 'video_name = "x"\n[publish]\nchannel_id = 3\n\n'
    assert only_block(document).name == "tts"


def test_three_separate_mistakes_give_exactly_three_diagnostics():
    text = (
        '[music file="music/Carefree.opus" volume="0.3" fit="loop"]\n'
        '[tts engine="kokoro_tts" voice="af_heart]\n'
        "It costs [5 dollars.\n"
        "[/tts]\n"
        '[tts engine="kokoro_tts" voice="af_heart"]\n'
        "Hello {{ animal.\n"
        "[/tts]\n"
        "[/music]\n"
    )
    document = parse(text)
    expected = [("S004", (2, 32, 2, 41)), ("S008", (3, 10, 3, 11)), ("S011", (6, 7, 6, 17))]
    assert syntax(document) == expected
    assert [(d.code, where(d.span)) for d in check(document)] == expected


def test_three_other_mistakes_give_exactly_three_diagnostics():
    text = (
        '[tts engine="kokoro_tts" voice="af_heart"\n'
        "Hello.\n"
        "[/tts]\n"
        '[tts engine="kokoro_tts" voice="af_heart" subtitles]\n'
        "Again.\n"
        "[/tss]\n"
    )
    assert syntax(parse(text)) == [
        ("S009", (1, 1, 1, 42)), ("S006", (4, 43, 4, 52)), ("S003", (6, 1, 6, 7))]


def test_no_break_space_in_a_tag_is_not_a_parser_failure():
    # A no-break space (U+00A0), pasted from a web page between two attributes.
    text = '[tts engine="kokoro_tts"\u00a0voice="af_heart"]\nHello.\n[/tts]\n'
    document = parse(text)
    assert "S000" not in {d.code for d in document.diagnostics}, document.diagnostics
    block = only_block(document)
    assert block.attribute("engine").value == "kokoro_tts"
    assert narrated_text(block) == "\nHello.\n"
    assert [(d.code, where(d.span)) for d in document.diagnostics] == [("S021", (1, 25, 1, 26))]
    assert "U+00A0 NO-BREAK SPACE" in document.diagnostics[0].message
    for diagnostic in document.diagnostics:  # the message shows what is wrong, not "``"
        assert "``" not in diagnostic.message, diagnostic.message


@pytest.mark.parametrize("character", ["\r", "\x0b", "\x0c", "\x85", "\u2028", "\u3000"])
def test_other_whitespace_in_a_tag_is_not_a_parser_failure(character):
    document = parse(f'[tts engine="kokoro_tts"{character}voice="af_heart"]\nHello.\n[/tts]\n')
    assert "S000" not in {d.code for d in document.diagnostics}, document.diagnostics
    assert [b.name for b in document.blocks()] == ["tts"]
    assert len(document.diagnostics) <= 1
    for diagnostic in document.diagnostics:
        assert "``" not in diagnostic.message, diagnostic.message


# ---- depth ---------------------------------------------------------------------------


DEPTH = 10_000


def dumped_depth(dumped: dict) -> int:
    depth, node = 0, dumped
    while True:
        inner = [c for c in node["children"] if c["type"] == "Block"]
        if not inner:
            return depth
        node, depth = inner[0], depth + 1


def test_ten_thousand_unclosed_nested_tags():
    document = parse('[music file="music/Carefree.opus"]\n' * DEPTH)
    assert {d.code for d in document.diagnostics} == {"S001"}
    assert len(document.diagnostics) == DEPTH
    assert document.diagnostics[0].span.line == 1
    assert document.diagnostics[-1].span.line == DEPTH
    assert sum(1 for node in walk(document) if isinstance(node, Block)) == DEPTH
    dumped = dump(document)
    assert dumped_depth(dumped) == DEPTH
    found = check(document)
    assert len([d for d in found if d.code == "S001"]) == DEPTH
    assert "S000" not in {d.code for d in found}


def test_ten_thousand_closed_nested_tags():
    text = "[music]\n" * DEPTH + "[/music]\n" * DEPTH
    document = parse(text)
    assert document.diagnostics == []
    blocks = list(document.blocks("music"))
    assert len(blocks) == DEPTH and all(b.close_span is not None for b in blocks)
    assert where(blocks[-1].span) == (DEPTH, 1, DEPTH + 1, 9)
    path = node_path_at(document, text.index("[/music]"))
    assert len([n for n in path if isinstance(n, Block)]) == DEPTH
    assert dumped_depth(dump(document)) == DEPTH
    found = check(document)
    assert "S000" not in {d.code for d in found}
    assert len([d for d in found if d.code == "C003"]) == DEPTH - 1  # each inner music


# ---- mistakes authors and script generators make (issue 11): how they are read ----------

def narration(document: Document) -> str:
    """The text of the one block, as its narration reads (bracketed words stay text)."""
    return "".join(n.value for n in only_block(document).children if isinstance(n, Text))


@pytest.mark.parametrize(("line", "bracketed"), [
    ("So I told him [laughs] and left.", "[laughs]"),
    ("[Music fades]", "[Music fades]"),
    ("[SFX: whoosh] Gone.", "[SFX: whoosh]"),
    ("Wait [pause] now.", "[pause]"),
    ("Read [here](https://example.com).", "[here]"),
])
def test_bracketed_words_in_narration_stay_text_with_one_finding(line, bracketed):
    document = parse(f"{TTS}\n{line}\n[/tts]\n")
    assert narration(document) == f"\n{line}\n"  # the block is not cut, nothing is wrapped
    ((code, (row, column, _, _)),) = syntax(document)
    assert (code, row, column) == ("S016", 2, line.index(bracketed) + 1)
    assert "square brackets in narration are read as tags" in \
        document.diagnostics[0].message.lower()
    fix = document.diagnostics[0].fix
    assert fix is not None and not fix.safe
    assert all("[" not in e.new_text for e in fix.edits)  # it removes, it never adds a tag


def test_a_closing_tag_without_its_slash_closes_the_block():
    document = parse(f"{TTS}\nHello.\n[tts]\n")
    block = only_block(document)
    assert narration(document) == "\nHello.\n" and block.close_span is not None
    assert syntax(document) == [("S017", (3, 1, 3, 6))]
    assert "did you mean `[/tts]`" in document.diagnostics[0].message


def test_a_tag_cut_across_lines_is_one_tag_and_its_fix_joins_the_lines():
    document = parse('[tts engine="kokoro_tts"\nvoice="af_heart"]\nHello.\n[/tts]\n')
    block = only_block(document)
    assert [(a.name, a.value) for a in block.attributes] == [
        ("engine", "kokoro_tts"), ("voice", "af_heart")]
    assert narration(document) == "\nHello.\n"  # `voice="af_heart"]` is not narration
    assert syntax(document) == [("S020", (1, 1, 1, 25))]
    assert document.diagnostics[0].fix.safe


def test_curly_quotes_are_read_as_quotes():
    document = parse("[tts engine=\u201ckokoro_tts\u201d voice=\u2018af_heart\u2019]\nHi\n[/tts]\n")
    block = only_block(document)
    assert [a.value for a in block.attributes] == ["kokoro_tts", "af_heart"]
    assert [code for code, _ in syntax(document)] == ["S015", "S015"]
    assert [e.new_text for d in document.diagnostics for e in d.fix.edits] == [
        '"kokoro_tts"', '"af_heart"']


@pytest.mark.parametrize(("character", "named"), [
    ("\u200b", "U+200B ZERO WIDTH SPACE"), ("\ufeff", "U+FEFF ZERO WIDTH NO-BREAK SPACE"),
    ("\u2060", "U+2060 WORD JOINER"),
])
def test_an_invisible_character_in_a_name_is_named_and_read_without_it(character, named):
    document = parse(f'[tts engine="kokoro{character}_tts" voi{character}ce="af_heart"]\nHi\n[/tts]\n')
    block = only_block(document)
    assert [(a.name, a.value) for a in block.attributes] == [
        ("engine", "kokoro_tts"), ("voice", "af_heart")]
    assert [code for code, _ in syntax(document)] == ["S021", "S021"]
    assert all(named in d.message for d in document.diagnostics)


def test_an_unterminated_comment_is_never_closed_at_the_end_of_the_file():
    document = parse(f"[# draft\nmore\n{TTS}\nHello.\n[/tts]\n")
    (diagnostic,) = document.diagnostics
    (edit,) = diagnostic.fix.edits
    assert not diagnostic.fix.safe and edit.new_text == " #]"
    assert where(edit.span)[:2] == (2, 5)  # before the tag that follows, not at the end
    assert parse("[# draft\nonly notes\n").diagnostics[0].fix is None  # no tag: nothing to keep
