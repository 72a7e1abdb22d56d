"""`inkslop fmt` and the formatter API: the canonical style, its golden corpus, its promises.

The golden pairs live in tests/corpus/format/: NAME.input.inkslop formats to
NAME.expected.inkslop (byte for byte: CRLF files are CRLF there), with
NAME.toml used as the project's inkslop.toml when present.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from inkslop import FormatError, format_range, parse
from inkslop.compile.compiler import compile_document
from inkslop.config.loader import load_settings
from inkslop.config.settings import Settings, default_settings
from inkslop.format.formatter import format_document, format_text, newline_of
from inkslop.syntax.ast import Block, Comment, walk
from inkslop.syntax.diagnostics import apply_edits

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "tests" / "corpus" / "format"
PAIRS = sorted(p.name[: -len(".input.inkslop")] for p in CORPUS.glob("*.input.inkslop"))

# The two scripts of InkSlop's API documentation, as written there.
MANTIS_SHRIMP = (
    '[music file="music/Carefree.opus" volume="0.3" fit="loop"]\n'
    '[tts engine="kokoro_tts" voice="af_heart" subtitles="true"]\n'
    "Did you know the mantis shrimp can punch with the force of a bullet?\n"
    "Their eyes can see 16 types of colour receptors. Humans have only 3.\n"
    "[/tts]\n"
    "[/music]"
)
HELLO_WORLD = '[tts engine="kokoro_tts" voice="af_heart"]\nHello world!\n[/tts]'

TTS = '[tts engine="kokoro_tts" voice="af_heart"]'


def read(path: Path) -> str:
    """A file's exact text: no newline translation (CRLF stays CRLF)."""
    return path.read_bytes().decode("utf-8")


def settings_of(name: str, tmp_path: Path) -> Settings:
    """The settings of a golden pair: its NAME.toml loaded as an inkslop.toml, or the defaults."""
    toml = CORPUS / f"{name}.toml"
    if not toml.exists():
        return default_settings()
    config = tmp_path / "inkslop.toml"
    shutil.copyfile(toml, config)
    return load_settings(config)


def run(*args: str, cwd: Path, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "inkslop", *args], cwd=cwd, input=stdin,
                          capture_output=True, timeout=60)


# ---- golden corpus -------------------------------------------------------------------


def test_the_corpus_has_its_pairs():
    assert len(PAIRS) >= 12
    for name in PAIRS:
        assert (CORPUS / f"{name}.expected.inkslop").is_file(), name


@pytest.mark.parametrize("name", PAIRS)
def test_golden_pair_formats_to_the_expected_text(name, tmp_path):
    settings = settings_of(name, tmp_path)
    source = read(CORPUS / f"{name}.input.inkslop")
    expected = read(CORPUS / f"{name}.expected.inkslop")
    assert format_text(source, settings) == expected


@pytest.mark.parametrize("name", PAIRS)
def test_golden_expected_text_is_a_fixpoint(name, tmp_path):
    settings = settings_of(name, tmp_path)
    expected = read(CORPUS / f"{name}.expected.inkslop")
    assert format_text(expected, settings) == expected


@pytest.mark.parametrize("name", PAIRS)
def test_golden_pair_keeps_the_compiled_script(name, tmp_path):
    settings = settings_of(name, tmp_path)
    source = read(CORPUS / f"{name}.input.inkslop")
    formatted = format_text(source, settings)
    before, after = parse(source), parse(formatted)
    assert not after.has_syntax_errors
    values = {"animal": "axolotl", "voice": "af_heart"}
    assert _words(compile_document(before, values)) == _words(compile_document(after, values))


@pytest.mark.parametrize("name", PAIRS)
def test_fmt_formats_the_golden_input_file_through_the_command_line(name, tmp_path):
    # The input in a directory of its own, with NAME.toml as that directory's inkslop.toml.
    shutil.copyfile(CORPUS / f"{name}.input.inkslop", tmp_path / "script.inkslop")
    if (CORPUS / f"{name}.toml").exists():
        shutil.copyfile(CORPUS / f"{name}.toml", tmp_path / "inkslop.toml")
    result = run("fmt", "script.inkslop", cwd=tmp_path)
    assert result.returncode == 0, result.stderr.decode()
    assert (tmp_path / "script.inkslop").read_bytes() == \
        (CORPUS / f"{name}.expected.inkslop").read_bytes()


# ---- the API documentation's scripts are canonical -------------------------------------


def test_the_official_example_is_left_byte_for_byte():
    assert format_text(MANTIS_SHRIMP + "\n") == MANTIS_SHRIMP + "\n"


def test_the_official_example_without_final_newline_gains_only_the_newline():
    assert format_text(MANTIS_SHRIMP) == MANTIS_SHRIMP + "\n"


def test_the_minimal_script_gains_only_its_final_newline():
    assert format_text(HELLO_WORLD) == HELLO_WORLD + "\n"


def test_the_example_files_hold_the_documented_scripts():
    assert read(ROOT / "examples" / "mantis-shrimp.inkslop") == MANTIS_SHRIMP + "\n"
    assert read(ROOT / "examples" / "hello-world.inkslop") == HELLO_WORLD + "\n"


@pytest.mark.parametrize("name", ["mantis-shrimp.inkslop", "hello-world.inkslop"])
def test_fmt_check_leaves_the_example_files_alone(name, tmp_path):
    shutil.copyfile(ROOT / "examples" / name, tmp_path / name)
    before = (tmp_path / name).read_bytes()
    result = run("fmt", "--check", name, cwd=tmp_path)
    assert result.returncode == 0, result.stderr.decode()
    result = run("fmt", name, cwd=tmp_path)
    assert result.returncode == 0
    assert (tmp_path / name).read_bytes() == before


def test_every_shipped_example_is_canonical():
    for path in sorted((ROOT / "examples").glob("*.inkslop")):
        assert format_text(read(path)) == read(path), path.name


# ---- the style, case by case -------------------------------------------------------------


def test_attributes_follow_the_schema_order_and_unknown_ones_keep_theirs():
    text = '[tts b="2" voice="af_heart" a="1" engine="kokoro_tts" speed="1"]\nx\n[/tts]\n'
    assert format_text(text).splitlines()[0] == \
        '[tts engine="kokoro_tts" voice="af_heart" speed="1" b="2" a="1"]'


def test_every_attribute_keeps_its_value_through_quoting_changes():
    text = ("[tts engine=kokoro_tts voice='af_heart' a='it\\'s' b='say \"x\"' c=\"back\\\\slash\" "
            "d=\"\"]\nx\n[/tts]\n")
    before, after = parse(text), parse(format_text(text))
    assert [(a.name, a.value) for a in after.children[0].attributes] == \
        [(a.name, a.value) for a in before.children[0].attributes]
    assert [a.value for a in after.children[0].attributes] == \
        ["kokoro_tts", "af_heart", "it's", 'say "x"', "back\\slash", ""]


def test_narration_is_never_reflowed_or_reworded():
    text = (f"{TTS}\nA   line   with   runs of spaces,\nand a second line, kept apart.\n"
            "Ünïcödé, «quotes» & punctuation!?\n[/tts]\n")
    assert format_text(text) == text


def test_a_comment_after_a_tag_stays_on_the_tag_line():
    text = f"{TTS}   [# inkslop: ignore T008 #]\nHi\n[/tts]\n"
    assert format_text(text).splitlines()[0] == f"{TTS} [# inkslop: ignore T008 #]"


def test_a_comment_after_a_closing_tag_stays_on_its_line():
    text = f"{TTS}\nHi\n[/tts][# done #]\n"
    assert format_text(text).splitlines()[-1] == "[/tts] [# done #]"


def test_comments_keep_their_order_and_bodies():
    text = ("[# one #]\n[music file='m.opus']  [# two #]\n" + TTS +
            "\nHi [#three#] there\n[# four\n  still four #]\n[/tts]\n[/music] [# five #]\n")
    bodies = [c.body for c in walk(parse(format_text(text))) if isinstance(c, Comment)]
    assert bodies == [" one ", " two ", "three", " four\n  still four ", " five "]


def test_a_blank_line_after_front_matter_is_kept_once():
    text = '+++\nvideo_name = "x"\n+++\n\n\n\n' + TTS + "\nHi\n[/tts]\n"
    assert format_text(text) == '+++\nvideo_name = "x"\n+++\n\n' + TTS + "\nHi\n[/tts]\n"


def test_front_matter_is_kept_verbatim():
    body = 'video_name="x"   # odd spacing kept\n\n\n[publish]\n    channel_id=3\n'
    text = "+++\n" + body + "+++\n" + TTS + "\nHi\n[/tts]\n"
    formatted = format_text(text)
    assert formatted.startswith("+++\n" + body + "+++\n")
    assert parse(formatted).front_matter.body == body


def test_an_empty_document_formats_to_nothing():
    assert format_text("") == ""
    assert format_text("\n\n  \n") == ""


def test_variables_are_written_with_one_space_inside_the_braces():
    text = '[tts engine="kokoro_tts" voice="{{v}}" note="a{{  b\t}}c"]\n{{x}} and {{\ty  }}\n[/tts]\n'
    assert format_text(text) == ('[tts engine="kokoro_tts" voice="{{ v }}" note="a{{ b }}c"]\n'
                                 "{{ x }} and {{ y }}\n[/tts]\n")


def test_indent_setting_indents_each_level():
    text = "[music file='m.opus']\n[music file='n.opus']\n" + TTS + "\nHi\n[/tts]\n[/music]\n[/music]\n"
    assert format_text(text, Settings(format_indent=4)) == (
        '[music file="m.opus"]\n    [music file="n.opus"]\n        ' + TTS +
        "\n            Hi\n        [/tts]\n    [/music]\n[/music]\n")


def test_indented_text_is_reindented_not_accumulated():
    settings = Settings(format_indent=2)
    once = format_text("[music file='m.opus']\n" + TTS + "\nHi\n[/tts]\n[/music]\n", settings)
    assert format_text(once, settings) == once
    assert format_text(once) == '[music file="m.opus"]\n' + TTS + "\nHi\n[/tts]\n[/music]\n"


# ---- line endings ------------------------------------------------------------------------


def test_crlf_file_stays_crlf():
    text = TTS + "\r\nHi  \r\n\r\n\r\nthere\r\n[/tts]"
    assert format_text(text) == TTS + "\r\nHi\r\n\r\nthere\r\n[/tts]\r\n"


def test_crlf_multiline_comment_keeps_single_crlf_line_endings():
    # BUG: the comment's own CRLF becomes "\r\r\n", and one more "\r" is added each run.
    text = "[# a\r\nb #]\r\n" + TTS + "\r\nHi\r\n[/tts]\r\n"
    formatted = format_text(text)
    assert "\r\r" not in formatted
    assert formatted == text


def test_line_ending_lf_converts_a_multiline_comment_too():
    # BUG: with line-ending = "lf" the comment keeps its CRLF: the file has mixed endings.
    text = "[# a\r\nb #]\r\n" + TTS + "\r\nHi\r\n[/tts]\r\n"
    assert format_text(text, Settings(line_ending="lf")) == "[# a\nb #]\n" + TTS + "\nHi\n[/tts]\n"


def test_line_ending_crlf_setting_converts_lf():
    text = TTS + "\nHi\n[/tts]\n"
    assert format_text(text, Settings(line_ending="crlf")) == TTS + "\r\nHi\r\n[/tts]\r\n"


def test_newline_of():
    assert newline_of("a\r\nb\n") == "\r\n"
    assert newline_of("a\nb\r\n") == "\n"
    assert newline_of("no newline") == "\n"
    assert newline_of("a\r\n", "lf") == "\n"
    assert newline_of("a\n", "crlf") == "\r\n"


# ---- idempotence and meaning ---------------------------------------------------------------


MESSY = ("+++\nvideo_name = 'x'\n+++\n[MUSIC  volume=0.3 FILE='music/a.opus' ]  [# bg #]\n"
         "  [TTS voice='af_heart'   engine=kokoro_tts]Hello   {{name}}  [# aside #] world  \n\n\n"
         "second line[/TTS][tts engine='kokoro_tts' voice='am_adam']x[/tts]\n[/music]\n\n")


def _words(script: str) -> list[str]:
    return [" ".join(line.split()) for line in script.splitlines() if line.strip()]


def test_formatting_is_idempotent():
    once = format_text(MESSY)
    assert format_text(once) == once


def test_formatting_keeps_the_compiled_script():
    values = {"name": "Ada"}
    compiled = compile_document(parse(MESSY), values)
    assert _words(compile_document(parse(format_text(MESSY)), values)) == _words(compiled)


def test_formatting_refuses_front_matter_below_a_blank_line():
    # Front matter below a blank line is misplaced (S019, an error): fmt does not move it;
    # the fix of S019 does.
    text = '\n+++\nvideo_name = "x"\n+++\n' + TTS + "\nHi\n[/tts]\n"
    with pytest.raises(FormatError) as refused:
        format_text(text)
    assert [d.code for d in refused.value.diagnostics] == ["S019"]


# ---- refusal ---------------------------------------------------------------------------------


@pytest.mark.parametrize("text, code", [
    (TTS + "\nHi\n[/tts", "S009"),
    (TTS + "\nHi\n", "S001"),
    ("[tts subtitles]\nHi\n[/tts]\n", "S006"),
    ("[# never closed\n" + TTS + "\nHi\n[/tts]\n", "S005"),
    (TTS + "\nHi {{ oops }\n[/tts]\n", "S011"),
    (TTS + "\na [ b\n[/tts]\n", "S008"),
])
def test_syntax_errors_raise_format_error_with_diagnostics(text, code):
    with pytest.raises(FormatError) as caught:
        format_text(text)
    assert code in [d.code for d in caught.value.diagnostics]
    assert all(d.severity == "error" for d in caught.value.diagnostics)


def test_format_document_refuses_a_parsed_document_with_errors():
    with pytest.raises(FormatError):
        format_document(parse(TTS + "\nHi\n"))
    assert format_document(parse(HELLO_WORLD)) == HELLO_WORLD + "\n"


def test_warnings_do_not_stop_formatting():
    # Single quotes (S012) and an unknown voice (T008) are warnings, not syntax errors.
    assert format_text("[tts engine='kokoro_tts' voice='af_hert']\nHi\n[/tts]") == \
        '[tts engine="kokoro_tts" voice="af_hert"]\nHi\n[/tts]\n'


# ---- format_range --------------------------------------------------------------------------


RANGED = (
    '[tts   engine="kokoro_tts" voice="af_heart"]\n'  # 1 changes
    "Hi   \n"                                          # 2 changes
    "[/tts]\n"                                         # 3 canonical
    "\n"                                               # 4 canonical
    '[tts   engine="kokoro_tts" voice="am_adam"]\n'   # 5 changes
    "Yo   \n"                                          # 6 changes
    "[/tts]\n"                                         # 7 canonical
)


def _touched_lines(text: str, edit) -> set[int]:
    """The 1-based lines of `text` that an edit replaces (or, for an insertion, where it goes)."""
    span = edit.span
    if span.start == span.end:
        return {span.line}
    last = span.end_line if span.end_column > 1 else span.end_line - 1
    return set(range(span.line, last + 1))


def test_format_range_returns_edits_not_text():
    edits = format_range(RANGED, 5, 6)
    assert isinstance(edits, list) and edits
    assert all(hasattr(e, "span") and hasattr(e, "new_text") for e in edits)


def test_format_range_formats_the_lines_asked_for():
    edits = format_range(RANGED, 5, 6)
    assert apply_edits(RANGED, edits) == RANGED.replace(
        '[tts   engine="kokoro_tts" voice="am_adam"]\nYo   \n',
        '[tts engine="kokoro_tts" voice="am_adam"]\nYo\n')


def test_format_range_over_the_whole_text_gives_the_formatted_text():
    assert apply_edits(RANGED, format_range(RANGED, 1, 7)) == format_text(RANGED)


@pytest.mark.parametrize("start, end", [(1, 1), (2, 2), (3, 3), (4, 4), (5, 6), (7, 7)])
def test_format_range_touches_only_the_requested_lines(start, end):
    # BUG: the whole run of changed lines is returned when it merely reaches the range
    # (asking for line 1 rewrites line 2 too), and a run that ends on the line just before
    # the range is returned as well (asking for line 3, which is canonical, rewrites 1-2).
    for edit in format_range(RANGED, start, end):
        assert _touched_lines(RANGED, edit) <= set(range(start, end + 1)), edit


def test_format_range_of_canonical_lines_returns_no_edits():
    assert format_range(RANGED, 3, 4) == []


def test_format_range_of_a_canonical_text_returns_no_edits():
    assert format_range(MANTIS_SHRIMP + "\n", 1, 6) == []


def test_format_range_refuses_syntax_errors():
    with pytest.raises(FormatError):
        format_range(TTS + "\nHi\n", 1, 1)


# ---- the command line: inkslop fmt ------------------------------------------------------------


MESSY_FILE = b'[tts   engine="kokoro_tts" voice="af_heart"]\nHi   \n[/tts]'
CANONICAL_FILE = b'[tts engine="kokoro_tts" voice="af_heart"]\nHi\n[/tts]\n'
BROKEN_FILE = b'[tts engine="kokoro_tts" voice="af_heart"]\nHi\n[/tts'


def test_fmt_rewrites_a_file_in_place(tmp_path):
    (tmp_path / "a.inkslop").write_bytes(MESSY_FILE)
    result = run("fmt", "a.inkslop", cwd=tmp_path)
    assert result.returncode == 0, result.stderr.decode()
    assert (tmp_path / "a.inkslop").read_bytes() == CANONICAL_FILE
    assert result.stdout == b""
    assert "1 file reformatted" in result.stderr.decode()


def test_fmt_twice_changes_nothing_the_second_time(tmp_path):
    (tmp_path / "a.inkslop").write_bytes(MESSY_FILE)
    run("fmt", "a.inkslop", cwd=tmp_path)
    first = (tmp_path / "a.inkslop").read_bytes()
    result = run("fmt", "--check", "a.inkslop", cwd=tmp_path)
    assert result.returncode == 0
    assert (tmp_path / "a.inkslop").read_bytes() == first


def test_fmt_leaves_a_canonical_file_unwritten(tmp_path):
    path = tmp_path / "a.inkslop"
    path.write_bytes(CANONICAL_FILE)
    os.utime(path, (1_000_000_000, 1_000_000_000))
    result = run("fmt", "a.inkslop", cwd=tmp_path)
    assert result.returncode == 0
    assert path.read_bytes() == CANONICAL_FILE
    assert path.stat().st_mtime == 1_000_000_000


def test_fmt_refuses_a_file_with_syntax_errors_and_leaves_it_untouched(tmp_path):
    path = tmp_path / "bad.inkslop"
    path.write_bytes(BROKEN_FILE)
    os.utime(path, (1_000_000_000, 1_000_000_000))
    result = run("fmt", "bad.inkslop", cwd=tmp_path)
    assert result.returncode == 2
    stderr = result.stderr.decode()
    assert "bad.inkslop:3:1" in stderr and "S009" in stderr
    assert "not formatted" in stderr
    assert path.read_bytes() == BROKEN_FILE
    assert path.stat().st_mtime == 1_000_000_000
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.inkslop"]


def test_fmt_still_formats_the_good_files_beside_a_broken_one(tmp_path):
    (tmp_path / "bad.inkslop").write_bytes(BROKEN_FILE)
    (tmp_path / "good.inkslop").write_bytes(MESSY_FILE)
    result = run("fmt", "bad.inkslop", "good.inkslop", cwd=tmp_path)
    assert result.returncode == 2
    assert (tmp_path / "good.inkslop").read_bytes() == CANONICAL_FILE
    assert (tmp_path / "bad.inkslop").read_bytes() == BROKEN_FILE


def test_fmt_check_lists_the_files_that_would_change_and_writes_nothing(tmp_path):
    (tmp_path / "messy.inkslop").write_bytes(MESSY_FILE)
    (tmp_path / "clean.inkslop").write_bytes(CANONICAL_FILE)
    result = run("fmt", "--check", "messy.inkslop", "clean.inkslop", cwd=tmp_path)
    assert result.returncode == 1
    stderr = result.stderr.decode()
    assert "Would reformat: messy.inkslop" in stderr
    assert "Would reformat: clean.inkslop" not in stderr
    assert (tmp_path / "messy.inkslop").read_bytes() == MESSY_FILE


def test_fmt_check_exits_0_when_everything_is_canonical(tmp_path):
    (tmp_path / "clean.inkslop").write_bytes(CANONICAL_FILE)
    result = run("fmt", "--check", "clean.inkslop", cwd=tmp_path)
    assert result.returncode == 0
    assert "Would reformat" not in result.stderr.decode()


def test_fmt_check_with_a_syntax_error_exits_2(tmp_path):
    (tmp_path / "bad.inkslop").write_bytes(BROKEN_FILE)
    (tmp_path / "messy.inkslop").write_bytes(MESSY_FILE)
    result = run("fmt", "--check", ".", cwd=tmp_path)
    assert result.returncode == 2
    assert (tmp_path / "messy.inkslop").read_bytes() == MESSY_FILE


def test_fmt_diff_prints_a_unified_diff_and_writes_nothing(tmp_path):
    (tmp_path / "a.inkslop").write_bytes(MESSY_FILE)
    result = run("fmt", "--diff", "a.inkslop", cwd=tmp_path)
    assert result.returncode == 1
    diff = result.stdout.decode()
    assert diff.splitlines()[:2] == ["--- a/a.inkslop", "+++ b/a.inkslop"]
    assert "-Hi   " in diff.splitlines() and "+Hi" in diff.splitlines()
    assert '-[tts   engine="kokoro_tts" voice="af_heart"]' in diff.splitlines()
    assert re.search(r"^@@ -1,3 \+1,3 @@$", diff, re.M)
    assert (tmp_path / "a.inkslop").read_bytes() == MESSY_FILE


def test_fmt_diff_of_a_canonical_file_is_empty(tmp_path):
    (tmp_path / "a.inkslop").write_bytes(CANONICAL_FILE)
    result = run("fmt", "--diff", "a.inkslop", cwd=tmp_path)
    assert result.returncode == 0
    assert result.stdout == b""


def test_fmt_dash_reads_stdin_and_writes_stdout(tmp_path):
    result = run("fmt", "-", cwd=tmp_path, stdin=MESSY_FILE)
    assert result.returncode == 0, result.stderr.decode()
    assert result.stdout == CANONICAL_FILE
    assert list(tmp_path.iterdir()) == []


def test_fmt_dash_writes_a_canonical_text_unchanged(tmp_path):
    result = run("fmt", "-", cwd=tmp_path, stdin=(MANTIS_SHRIMP + "\n").encode())
    assert result.returncode == 0
    assert result.stdout == (MANTIS_SHRIMP + "\n").encode()


def test_fmt_dash_with_a_syntax_error_prints_nothing_on_stdout(tmp_path):
    result = run("fmt", "-", cwd=tmp_path, stdin=BROKEN_FILE)
    assert result.returncode == 2
    assert result.stdout == b""
    assert "S009" in result.stderr.decode()


def test_fmt_dash_check_exits_1_and_prints_no_text(tmp_path):
    result = run("fmt", "--check", "-", cwd=tmp_path, stdin=MESSY_FILE)
    assert result.returncode == 1
    assert result.stdout == b""


def test_fmt_dash_keeps_crlf(tmp_path):
    result = run("fmt", "-", cwd=tmp_path, stdin=MESSY_FILE.replace(b"\n", b"\r\n"))
    assert result.stdout == CANONICAL_FILE.replace(b"\n", b"\r\n")


def test_fmt_formats_directories_recursively(tmp_path):
    (tmp_path / "scripts" / "deep" / "deeper").mkdir(parents=True)
    targets = [tmp_path / "scripts" / "a.inkslop", tmp_path / "scripts" / "deep" / "b.inkslop",
               tmp_path / "scripts" / "deep" / "deeper" / "c.inkslop"]
    for target in targets:
        target.write_bytes(MESSY_FILE)
    other = tmp_path / "scripts" / "deep" / "notes.txt"
    other.write_bytes(MESSY_FILE)
    result = run("fmt", "scripts", cwd=tmp_path)
    assert result.returncode == 0, result.stderr.decode()
    assert all(t.read_bytes() == CANONICAL_FILE for t in targets)
    assert other.read_bytes() == MESSY_FILE
    assert "3 files reformatted" in result.stderr.decode()


def test_fmt_check_on_a_directory_names_the_nested_files(tmp_path):
    (tmp_path / "scripts" / "deep").mkdir(parents=True)
    (tmp_path / "scripts" / "deep" / "b.inkslop").write_bytes(MESSY_FILE)
    (tmp_path / "scripts" / "a.inkslop").write_bytes(CANONICAL_FILE)
    result = run("fmt", "--check", "scripts", cwd=tmp_path)
    assert result.returncode == 1
    assert f"Would reformat: {Path('scripts', 'deep', 'b.inkslop')}" in result.stderr.decode()


def test_fmt_of_a_missing_path_exits_2(tmp_path):
    result = run("fmt", "nope.inkslop", cwd=tmp_path)
    assert result.returncode == 2
    assert "nope.inkslop" in result.stderr.decode()


def test_fmt_keeps_crlf_line_endings(tmp_path):
    path = tmp_path / "win.inkslop"
    path.write_bytes(MESSY_FILE.replace(b"\n", b"\r\n"))
    assert run("fmt", "win.inkslop", cwd=tmp_path).returncode == 0
    assert path.read_bytes() == CANONICAL_FILE.replace(b"\n", b"\r\n")


def test_fmt_uses_the_configured_lf_line_ending(tmp_path):
    (tmp_path / "inkslop.toml").write_text('[format]\nline-ending = "lf"\n')
    path = tmp_path / "win.inkslop"
    path.write_bytes(CANONICAL_FILE.replace(b"\n", b"\r\n"))
    result = run("fmt", "--check", "win.inkslop", cwd=tmp_path)
    assert result.returncode == 1
    assert run("fmt", "win.inkslop", cwd=tmp_path).returncode == 0
    assert path.read_bytes() == CANONICAL_FILE


def test_fmt_uses_the_configured_indent(tmp_path):
    (tmp_path / "inkslop.toml").write_text("[format]\nindent = 2\n")
    path = tmp_path / "nested.inkslop"
    path.write_bytes(b'[music file="m.opus"]\n' + CANONICAL_FILE + b"[/music]\n")
    assert run("fmt", "nested.inkslop", cwd=tmp_path).returncode == 0
    assert path.read_bytes() == (b'[music file="m.opus"]\n  [tts engine="kokoro_tts" '
                                 b'voice="af_heart"]\n    Hi\n  [/tts]\n[/music]\n')


def test_fmt_reads_the_configuration_of_pyproject(tmp_path):
    (tmp_path / "pyproject.toml").write_text("[tool.inkslop.format]\nindent = 1\n")
    path = tmp_path / "nested.inkslop"
    path.write_bytes(b'[music file="m.opus"]\n' + CANONICAL_FILE + b"[/music]\n")
    assert run("fmt", "nested.inkslop", cwd=tmp_path).returncode == 0
    assert path.read_bytes().splitlines()[1].startswith(b" [tts")


def test_fmt_config_option_and_stdin_filename_choose_the_configuration(tmp_path):
    (tmp_path / "proj").mkdir()
    (tmp_path / "proj" / "inkslop.toml").write_text("[format]\nindent = 2\n")
    nested = b'[music file="m.opus"]\n' + CANONICAL_FILE + b"[/music]\n"
    plain = run("fmt", "-", cwd=tmp_path, stdin=nested)
    assert plain.stdout == nested
    by_name = run("fmt", "-", "--stdin-filename", "proj/x.inkslop", cwd=tmp_path, stdin=nested)
    assert by_name.stdout.splitlines()[1] == b'  [tts engine="kokoro_tts" voice="af_heart"]'
    by_config = run("fmt", "-", "--config", "proj/inkslop.toml", cwd=tmp_path, stdin=nested)
    assert by_config.stdout == by_name.stdout


def test_fmt_with_a_broken_configuration_exits_2_and_writes_nothing(tmp_path):
    (tmp_path / "inkslop.toml").write_text("[format]\nindent = 99\n")
    (tmp_path / "a.inkslop").write_bytes(MESSY_FILE)
    result = run("fmt", "a.inkslop", cwd=tmp_path)
    assert result.returncode == 2
    assert "format.indent" in result.stderr.decode()
    assert (tmp_path / "a.inkslop").read_bytes() == MESSY_FILE


def test_fmt_keeps_a_byte_order_mark(tmp_path):
    path = tmp_path / "bom.inkslop"
    path.write_bytes(b"\xef\xbb\xbf" + MESSY_FILE)
    assert run("fmt", "bom.inkslop", cwd=tmp_path).returncode == 0
    assert path.read_bytes() == b"\xef\xbb\xbf" + CANONICAL_FILE


def test_fmt_refuses_a_file_that_is_not_utf8(tmp_path):
    path = tmp_path / "latin.inkslop"
    data = b'[tts engine="kokoro_tts" voice="af_heart"]\ncaf\xe9\n[/tts]\n'
    path.write_bytes(data)
    result = run("fmt", "latin.inkslop", cwd=tmp_path)
    assert result.returncode == 2
    assert "UTF-8" in result.stderr.decode()
    assert path.read_bytes() == data


def test_fmt_writes_atomically_by_replacing_the_file(tmp_path):
    # A reader that opened the file before formatting still reads the old content whole:
    # the new text went to a new file that replaced the old one, never over it.
    path = tmp_path / "a.inkslop"
    path.write_bytes(MESSY_FILE)
    path.chmod(0o640)
    with path.open("rb") as reader:
        result = run("fmt", "a.inkslop", cwd=tmp_path)
        assert result.returncode == 0
        assert reader.read() == MESSY_FILE
    assert path.read_bytes() == CANONICAL_FILE
    assert path.stat().st_mode & 0o777 == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.inkslop"]


def test_fmt_formats_a_symlinked_script_through_its_link(tmp_path):
    # BUG: the atomic write replaces the link itself with a regular file: the script the link
    # points to stays unformatted, and the link is gone.
    target = tmp_path / "real.inkslop"
    target.write_bytes(MESSY_FILE)
    link = tmp_path / "link.inkslop"
    link.symlink_to("real.inkslop")
    assert run("fmt", "link.inkslop", cwd=tmp_path).returncode == 0
    assert link.is_symlink()
    assert target.read_bytes() == CANONICAL_FILE


def test_fmt_without_paths_formats_the_current_directory(tmp_path):
    (tmp_path / "a.inkslop").write_bytes(MESSY_FILE)
    result = run("fmt", cwd=tmp_path)
    assert result.returncode == 0
    assert (tmp_path / "a.inkslop").read_bytes() == CANONICAL_FILE


def test_fmt_never_changes_what_a_file_compiles_to(tmp_path):
    path = tmp_path / "a.inkslop"
    path.write_bytes(MESSY.encode())
    before = run("compile", "a.inkslop", "--var", "name=Ada", cwd=tmp_path)
    assert before.returncode == 0, before.stderr.decode()
    assert run("fmt", "a.inkslop", cwd=tmp_path).returncode == 0
    after = run("compile", "a.inkslop", "--var", "name=Ada", cwd=tmp_path)
    assert _words(after.stdout.decode()) == _words(before.stdout.decode())


def test_block_structure_survives_formatting():
    text = ("[music file='a']\n[tts engine='kokoro_tts' voice='af_heart']x[/tts]"
            "[music file='b'][tts engine='kokoro_tts' voice='am_adam']y[/tts][/music][/music]")
    def shape(document):
        return [(n.name, [c.name for c in n.children if isinstance(c, Block)])
                for n in walk(document) if isinstance(n, Block)]
    assert shape(parse(format_text(text))) == shape(parse(text))
