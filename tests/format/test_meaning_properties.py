"""`fmt` and the safe fixes keep what a script means (issue 11, item 2).

The properties are those of tests/meaning.py, over scripts generated and mutated the
way people and generators write them; bench/fuzz_meaning.py runs them on hundreds of
thousands of inputs, this is the fast share. The minimal forms that fuzzing found are
named tests of their own below.
"""

from __future__ import annotations

import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from meaning import fix_failures, fmt_failures, meaning, random_input

from inkslop.compile.compiler import CompileError, compile_document
from inkslop.estimate.estimator import estimate_document
from inkslop.format.formatter import format_text
from inkslop.lint.checker import check, fix
from inkslop.syntax.parser import parse

SHARE = settings(max_examples=40, deadline=None,
                 suppress_health_check=[HealthCheck.too_slow])
SEEDS = st.integers(0, 2**32 - 1)
TTS = '[tts engine="kokoro_tts" voice="af_heart"]'


@SHARE
@given(SEEDS)
def test_fmt_keeps_the_meaning_of_generated_and_mutated_scripts(seed):
    assert fmt_failures(random_input(random.Random(seed))) == []


@SHARE
@given(SEEDS)
def test_the_safe_fixes_keep_the_meaning_of_generated_and_mutated_scripts(seed):
    assert fix_failures(random_input(random.Random(seed))) == []


# ---- the minimal forms ------------------------------------------------------------------------


def seconds(text: str) -> float:
    return estimate_document(parse(text)).seconds


def test_a_void_tag_inside_narration_is_estimated_as_the_formatter_writes_it():
    text = TTS + "Hello[pause/]world[/tts]\n"
    formatted = format_text(text)
    assert "Hello\n[pause /]\nworld" in formatted
    assert seconds(formatted) == seconds(text)


def test_the_estimate_of_a_script_is_the_estimate_of_its_formatted_form():
    text = (TTS + "One two [pause /] three.[/tts] [music file=\"music/Carefree.opus\"]"
            + TTS + "Four[# aside #]five, [pause/]six.[/tts][/music]\n")
    assert seconds(format_text(text)) == seconds(text)
    assert seconds(compile_document(parse(text))) == seconds(text)


def test_a_block_nested_in_narration_ends_a_line_where_it_closes():
    text = (TTS + "\n" + TTS + "\nhttps://ex[/tts]ample.com\n[/tts]\n")
    assert fmt_failures(text) == []


def test_a_suppression_after_a_closing_tag_still_applies_after_fmt():
    text = '[tts engine="kokoro_tts" voice="af_hert"]Hi there.[/tts] [# inkslop: ignore T008 #]\n'
    assert check(parse(text)) == []
    formatted = format_text(text)
    assert check(parse(formatted)) == []
    assert meaning(formatted).suppressed == meaning(text).suppressed == (("T008", "error"),)


def test_an_ignore_block_does_not_reach_the_block_that_starts_where_it_ends():
    text = (TTS + " [# inkslop: ignore-block C005 #]\nHello.\n[/tts]" + TTS + "\n \n[/tts]\n")
    assert "C005" in [d.code for d in check(parse(text))]
    assert fmt_failures(text) == []


def test_a_comment_between_two_braces_does_not_compile_to_a_variable():
    text = ('+++\n[vars]\nanimal = "cat"\n+++\n'
            + TTS + "Price: {[# TODO #]{ animal }} dollars.[/tts]\n")
    # `check` refuses it as `compile` does, and `animal` is not "unused" (QA, Q2 item 1a).
    assert [(d.code, d.severity) for d in check(parse(text))] == [("S011", "error")]
    try:
        compile_document(parse(text))
    except CompileError as error:
        [problem] = error.diagnostics
    assert problem.code == "S011" and "`{{`" in problem.message
    assert (problem.span.line, problem.span.column) == (5, 50)


def test_a_byte_order_mark_starting_a_line_after_blank_lines_formats_idempotently():
    text = TTS + "\nHello.\n[/tts]\n\n\n\ufeffWorld\n"
    once = format_text(text)
    assert format_text(once) == once
    assert fmt_failures(text) == []


def test_a_lone_carriage_return_in_a_comment_formats_idempotently():
    text = TTS + "\nHello.\n[/tts]\n[# one\rtwo #]\n"
    once = format_text(text)
    assert format_text(once) == once
    assert fmt_failures(text) == []


@pytest.mark.parametrize("text", [
    TTS + "\nworld\n[/tts] [# note #]```",
    TTS + " ```Hello[/tts] [# e #]\n",  # inside a block, glued to words
])
def test_a_fence_after_a_tag_is_not_put_on_a_line_of_its_own(text):
    formatted = format_text(text)
    assert not parse(formatted).has_syntax_errors
    assert format_text(formatted) == formatted
    assert fmt_failures(text) == []


def test_closing_an_unterminated_front_matter_keeps_its_text():
    for newline in ("\n", "\r\n"):
        text = f"+++{newline}video_name = \"x\"{newline}{newline}" + TTS + "Hi.[/tts]"
        assert fix_failures(text) == []


def test_a_quoting_fix_is_not_safe_where_the_parser_had_to_recover():
    # The music tag's quotes are unbalanced: requoting the tts values would change which
    # quote closes which value, and the tts tag would vanish into the music tag.
    text = ('[music file="music file="music/Carefree.opus"]'
            "[tts voice='af_heart' engine='kokoro_tts']\nHello.\n[/tts][/music]\n")
    assert fix(text).text == text
    assert any(d.code == "S012" and d.fix and not d.fix.safe for d in check(parse(text)))


def test_a_tag_missing_its_bracket_with_no_attribute_gets_no_safe_fix():
    text = TTS + "\nHello.\n[/tts]\n[tts\n" + TTS + "\nWorld.\n[/tts]\n"
    s009 = [d for d in check(parse(text)) if d.code == "S009"]
    assert s009 and not any(d.fix and d.fix.safe for d in s009)


def test_an_unterminated_value_with_the_tag_going_on_below_gets_no_safe_fix():
    text = '[tts engine="kokoro_tts" voice="af_he\nart"]\nHello.\n[/tts]\n'
    s004 = [d for d in check(parse(text)) if d.code == "S004"]
    assert s004 and not any(d.fix and d.fix.safe for d in s004)
    assert fix_failures(text) == []


def test_removing_a_fence_above_front_matter_keeps_the_front_matter():
    # Below a fence, `+++` lines are read as the front matter they are meant to be (S019),
    # broken TOML or not: removing the fence does not turn text into settings.
    for front_matter in ('+++\nvideo_name = "x"\n+++\n', '+++\n[s\nt="\n+++\n'):
        text = "```inkslop\n" + front_matter + TTS + "\nHi.\n[/tts]\n```\n"
        assert fix_failures(text) == []
        assert fix(text).text.startswith(front_matter)


def test_a_fence_inside_narration_is_not_estimated_and_its_safe_fix_keeps_the_estimate():
    text = TTS + "\nHello there.\n```inkslop\nBye.\n[/tts]\n"
    fixed = fix(text).text
    assert fixed == TTS + "\nHello there.\nBye.\n[/tts]\n"
    assert seconds(fixed) == seconds(text)
    assert fix_failures(text) == []


def c007(text: str) -> int:
    return sum(d.code == "C007" for d in check(parse(text)))


def test_removing_an_invisible_character_from_narration_is_not_a_safe_fix():
    # The estimate counts `zero\u200bwidth` as two words and the script sent holds it:
    # removing it changes both, so only --unsafe-fixes does.
    text = TTS + "\nzero\u200bwidth and\u00a0space.\n[/tts]\n"
    assert c007(text) == 2
    assert fix(text).text == text
    assert fix(text, unsafe=True).text == TTS + "\nzerowidth and space.\n[/tts]\n"


def test_fmt_keeps_the_invisible_characters_it_does_not_trim_and_their_findings():
    # White space at a line's ends, which fmt trims, is no finding; inside a line it stays.
    text = TTS + "\n\u00a0Hello\u200b[pause/]\u00a0world\u00a0and\u00a0more\u00a0\n[/tts]\n"
    formatted = format_text(text)
    assert c007(formatted) == c007(text) == 3
    assert fmt_failures(text) == []


def test_a_lone_carriage_return_after_a_tag_compiles_the_same_after_fmt():
    # The lone CR ends the tag's line in the compiled script; fmt ends that line itself.
    text = TTS + "\nHello.\n[/tts]\r{\n\n" + TTS + "\nWorld.\n[/tts]\n"
    formatted = format_text(text)
    assert formatted == TTS + "\nHello.\n[/tts]\n{\n\n" + TTS + "\nWorld.\n[/tts]\n"
    assert compile_document(parse(formatted)) == compile_document(parse(text))
    assert fmt_failures(text) == []


def test_a_blank_line_below_a_fence_kept_beside_an_opening_tag_stays():
    text = TTS + "```inkslop\n\nHello.\n[/tts]\n"
    formatted = format_text(text)
    assert formatted == TTS + "```inkslop\n\nHello.\n[/tts]\n"
    assert compile_document(parse(formatted)) == compile_document(parse(text))
    assert fmt_failures(text) == []


def test_a_bare_boolean_attribute_gets_no_safe_fix():
    # `true` is a guess (`subtitles]="true"` is a stray bracket, not a bare name) and
    # changes the value sent: only --unsafe-fixes writes it.
    text = TTS[:-1] + ' subtitles]="true"]\nHi\n[/tts]\n'
    assert fix(text).text == text
    assert fix_failures(text) == []
    assert fix(text, unsafe=True).text.startswith(TTS[:-1] + ' subtitles="true"]')


def test_closing_a_tag_after_a_stray_slash_is_not_a_safe_fix():
    # Found by the campaign (input 19573): `]` after `/` turns a block into a void tag.
    from inkslop.lint.checker import check
    from inkslop.syntax.parser import parse

    text = '[tts engine="kokoro_tts" voice="af_heart" /\nHello.\n[/tts]\n'
    s009 = [d for d in check(parse(text)) if d.code == "S009"]
    assert s009 and all(d.fix is None or not d.fix.safe for d in s009)


@pytest.mark.parametrize("text", [
    # A lone CR before spaces at a line's end: trimming the spaces must not make a CRLF of it.
    TTS + "Hello{\r \nworld\n[/tts]\n",
    TTS + "Hello \r\t\nworld\n[/tts]\n",
    # A lone CR alone on a line before a tag is the blank line the compiler reads.
    TTS + "Hi \u00e9\n\r[pause/][/tts]\n",
    TTS + "Hi\r\r[pause/]there[/tts]\n",
    # A lone CR after spaces that follow a tag ends the tag's line, as one right after it.
    TTS + "Hi\n[pause/] \r $4.99\n[/tts]\n",
    # A no-break space before ``` is no fence; trimming it must not make one.
    TTS + "b\n\u00a0```\nthere\n[/tts]",
    TTS + "b\n```\u00a0\nthere\n[/tts]",
])
def test_lone_crs_and_no_break_spaces_at_line_ends_keep_their_meaning(text):
    assert fmt_failures(text) == []
    formatted = format_text(text)
    assert "\r\n" not in formatted
    assert format_text(formatted) == formatted


def test_writing_true_for_TRUE_is_no_safe_fix():
    text = TTS.replace("]", ' subtitles="TRUE"]') + "Hello.[/tts]\n"
    assert [d.code for d in check(parse(text))] == ["T004"]
    assert fix(text).text == text
    assert 'subtitles="true"' in fix(text, unsafe=True).text


def test_removing_a_fence_below_a_tag_cut_at_its_line_end_is_no_safe_fix():
    """Without the fence, the cut tag would go on over the next line's `name="value"`."""
    text = '[tts engine="kokoro_tts" voice="a]b" e\n```\nngine="x"]\nHi\n[/tts]\n'
    fences = [d for d in check(parse(text)) if d.code == "S018"]
    assert fences and not fences[0].fix.safe
    assert fix_failures(text) == []


@pytest.mark.parametrize("text", [
    # A lone CR in a comment is no line end for the directives: fmt keeps it.
    '[tts engine="kokoro_tts" voice="af_hart"]\nHi\n[/tts] [# inkslop: ignore T #]'
    + TTS + " [# TO\rDO #]{{ animal }}[pause/]FAQ[pause/][/tts]\n",
    # A lone CR before a CRLF: two line breaks to the compiler, a blank line.
    '[music file="music/Carefree.opus"]\n' + TTS + "Hi\n[/tts][/music]\r\r\n"
    '[music file="music/Carefree.opus"]\n' + TTS + "Bye\n[/tts][/music]\n",
    TTS + "[# a\r\r\nb #]Hi\n[/tts]\n",
])
def test_lone_crs_beside_tags_and_in_comments_keep_their_meaning(text):
    assert fmt_failures(text) == []
    assert format_text(format_text(text)) == format_text(text)
