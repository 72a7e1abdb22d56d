"""Compile checks what it produces (issue 11, item 3): the filled-in script goes through
the checker and its findings are placed at the `{{ }}` that brought them; data files keep
their line breaks, have rows, and are comma-separated; toolkit syntax is never sent."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from inkslop.compile.compiler import CompileError, compile_document
from inkslop.compile.rows import DataError, load_rows
from inkslop.syntax.parser import parse

TEMPLATE = '[tts engine="kokoro_tts" voice="{{ voice }}"]\n{{ text }}\n[/tts]\n'


def problems(text: str, values: dict[str, str]) -> list[tuple[str, int, int, str]]:
    """(code, line, column, message) of each error compile reports; [] when it compiles."""
    try:
        compile_document(parse(text), values)
    except CompileError as error:
        return [(d.code, d.span.line, d.span.column, d.message) for d in error.diagnostics]
    return []


def compile_cli(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    (tmp_path / "t.inkslop").write_text(TEMPLATE, encoding="utf-8")
    return subprocess.run([sys.executable, "-m", "inkslop", "compile", "t.inkslop", *args],
                          cwd=tmp_path, capture_output=True, text=True, timeout=120)


# ---- the filled-in script is checked -----------------------------------------------------------


def test_a_near_miss_voice_from_a_value_is_reported_at_its_variable():
    [(code, line, column, message)] = problems(TEMPLATE, {"voice": "af_hart", "text": "Hi."})
    assert (code, line, column) == ("T008", 1, 33)
    assert message.startswith("With `voice` = 'af_hart': ") and "af_heart" in message


def test_a_value_of_spaces_that_leaves_nothing_to_narrate_is_reported_at_its_variable():
    [(code, line, column, message)] = problems(TEMPLATE, {"voice": "af_heart", "text": "   "})
    assert (code, line, column) == ("C006", 2, 1)
    assert message.startswith("With `text` = '   ': ")


def test_a_finding_the_script_has_as_written_is_not_blamed_on_a_value():
    text = ('[tts engine="kokoro_tts" voice="af_hart"]\n{{ text }}\n[/tts]\n')
    [(code, line, column, message)] = problems(text, {"text": "Hi."})
    assert (code, line, column) == ("T008", 1, 32) and not message.startswith("With")


def test_each_of_several_values_is_blamed_for_its_own_finding():
    text = TEMPLATE + TEMPLATE.replace("voice }}", "voice2 }}")
    found = problems(text, {"voice": "af_heart", "voice2": "am_adamm", "text": "Hi."})
    assert [(c, line, m.split(":")[0]) for c, line, _, m in found] == \
        [("T008", 4, "With `voice2` = 'am_adamm'")]


def test_good_values_compile():
    assert problems(TEMPLATE, {"voice": "af_heart", "text": "Hi."}) == []


def test_the_data_row_is_named_when_its_values_bring_a_finding(tmp_path):
    (tmp_path / "rows.csv").write_text("voice,text\naf_heart,Hi.\naf_hart,Hi.\n")
    result = compile_cli(tmp_path, "--data", "rows.csv", "--row", "2")
    assert result.returncode == 1
    assert "t.inkslop:1:33: T008 error: With `voice` = 'af_hart'" in result.stderr
    assert "(data row 2): not compiled" in result.stderr
    assert "Traceback" not in result.stderr


def test_an_empty_text_from_the_command_line_exits_1(tmp_path):
    result = compile_cli(tmp_path, "--var", "voice=af_heart", "--var", "text=   ")
    assert result.returncode == 1 and result.stdout == ""
    assert "t.inkslop:2:1: C006 error: With `text` = '   '" in result.stderr


# ---- toolkit syntax is never sent --------------------------------------------------------------


def test_a_value_that_joins_a_brace_into_a_variable_marker_is_refused():
    text = '[tts engine="kokoro_tts" voice="af_heart"]\nPrice: {{ sign }}{ dollars.\n[/tts]\n'
    found = problems(text, {"sign": "{"})
    assert [code for code, *_ in found] == ["V003"]
    assert "`{{`" in found[0][3]


def test_a_dropped_comment_that_joins_bracket_and_hash_is_refused():
    text = '[tts engine="kokoro_tts" voice="af_heart"]\nSee [[# aside #]# list.\n[/tts]\n'
    try:
        script = compile_document(parse(text))
    except CompileError as error:
        assert "S011" in [d.code for d in error.diagnostics] or \
            any("`[#`" in d.message for d in error.diagnostics)
    else:
        assert "[#" not in script


def test_no_compiled_script_holds_toolkit_syntax():
    text = ('+++\n[vars]\na = "x"\n+++\n[# note #]\n'
            '[tts engine="kokoro_tts" voice="af_heart"]\n{{ a }} and { {{ a }} } [# c #]\n[/tts]\n')
    script = compile_document(parse(text))
    assert "{{" not in script and "[#" not in script and "+++" not in script
    assert "x and { x }" in script


# ---- data files ----------------------------------------------------------------------------------


def test_a_quoted_csv_field_keeps_its_line_breaks(tmp_path):
    path = tmp_path / "rows.csv"
    path.write_bytes(b'voice,text\r\naf_heart,"heart,\r\nand soul"\r\n')
    assert load_rows(path) == [{"voice": "af_heart", "text": "heart,\nand soul"}]
    script = compile_document(parse(TEMPLATE), load_rows(path)[0])
    assert "heart,\nand soul\n" in script


@pytest.mark.parametrize("name, content", [
    ("rows.json", '[{"text": "one\\r\\ntwo\\rthree"}]'),
    ("rows.jsonl", '{"text": "one\\r\\ntwo\\rthree"}\r\n'),
])
def test_json_values_have_their_line_breaks_normalised(tmp_path, name, content):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    assert load_rows(path) == [{"text": "one\ntwo\nthree"}]


@pytest.mark.parametrize("name, content", [
    ("rows.csv", "voice,text\n"),
    ("rows.json", "[]"),
    ("rows.jsonl", "\n\n"),
])
def test_a_data_file_with_no_rows_is_refused(tmp_path, name, content):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    with pytest.raises(DataError, match=f"{name}: the data file has no rows"):
        load_rows(path)


@pytest.mark.parametrize("separator, said", [(";", "`;`"), ("\t", "tabs")])
def test_a_csv_header_separated_otherwise_gets_a_hint(tmp_path, separator, said):
    path = tmp_path / "rows.csv"
    path.write_text(f"voice{separator}text\naf_heart{separator}Hi.\n", encoding="utf-8")
    with pytest.raises(DataError) as caught:
        load_rows(path)
    message = str(caught.value)
    assert message.startswith("") and "rows.csv:1:" in message
    assert f"separated by {said} (voice, text)" in message and "commas" in message


def test_a_one_column_csv_is_still_read(tmp_path):
    path = tmp_path / "rows.csv"
    path.write_text("text\nHello; world.\n", encoding="utf-8")
    assert load_rows(path) == [{"text": "Hello; world."}]


def test_a_header_only_csv_exits_2_on_the_command_line(tmp_path):
    (tmp_path / "rows.csv").write_text("voice,text\n")
    result = compile_cli(tmp_path, "--data", "rows.csv", "--row", "1")
    assert result.returncode == 2
    assert "rows.csv: the data file has no rows" in result.stderr
