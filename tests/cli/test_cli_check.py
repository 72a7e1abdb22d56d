"""End-to-end tests of `inkslop check`: what a user sees (stdout, stderr, exit status).

The main paths run the real command in a subprocess (`python -m inkslop check ...`, with
the working directory set to a temporary directory); many small variations run in-process
through click's CliRunner, which is faster but sees the same command.

Exit status (the command-line contract): 0 no errors (warnings allowed), 1 errors found,
2 usage, I/O or configuration error.
"""

from __future__ import annotations

import json
import os
import pty
import random
import re
import subprocess
import sys
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

import pytest
from click.testing import CliRunner

from inkslop.cli import cli

# ---- scripts -------------------------------------------------------------------------------

CLEAN = '[tts engine="kokoro_tts" voice="af_heart"]\nHello world!\n[/tts]\n'
# Three warnings: S012 (single quotes, safe fix), T008 (a voice far from every known one:
# it may exist, no fix) and N001 (a directive that suppresses nothing, unsafe fix).
WARNINGS = ("[tts engine='kokoro_tts' voice=\"narrator\"]\nHello.\n[/tts]\n"
            "[# inkslop: ignore T001 #]\n")
# WARNINGS after --fix: T008 and N001 remain.
SAFE_FIXED = WARNINGS.replace("'kokoro_tts'", '"kokoro_tts"')
# An error: S009, the opening tag lacks its `]` (safe fix).
MISSING_BRACKET = '[tts engine="kokoro_tts" voice="af_heart"\nHello.\n[/tts]\n'
# An error that has no fix: S008, a stray `[` in the narration.
STRAY_BRACKET = '[tts engine="kokoro_tts" voice="af_heart"]\nIt costs [5 dollars.\n[/tts]\n'
# Only the unknown voice (T008 warning, no fix).
FAR_VOICE = '[tts engine="kokoro_tts" voice="narrator"]\nHello.\n[/tts]\n'
# S012 (warning, safe fix) and T008 (a near miss of "af_heart": an error, unsafe fix).
MISSPELT = "[tts engine='kokoro_tts' voice=\"af_hert\"]\nHello.\n[/tts]\n"

JSON_KEYS = {"path", "code", "severity", "message", "line", "column", "end_line", "end_column",
             "fix"}


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str


def _env(**extra: str) -> dict[str, str]:
    """The environment of a run: no NO_COLOR or FORCE_COLOR unless given, UTF-8 output."""
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    return {**env, "PYTHONIOENCODING": "utf-8", **extra}


def inkslop(cwd: Path, *args: str, stdin: bytes | str | None = None,
            env: dict[str, str] | None = None, timeout: float = 120) -> Run:
    """Run `python -m inkslop ARGS` as a user would, in `cwd`."""
    data = stdin.encode("utf-8") if isinstance(stdin, str) else stdin
    done = subprocess.run([sys.executable, "-m", "inkslop", *args], cwd=cwd, input=data,
                          capture_output=True, env=env or _env(), timeout=timeout)
    return Run(done.returncode, done.stdout.decode("utf-8"), done.stderr.decode("utf-8"))


def check(cwd: Path, *args: str, **kwargs) -> Run:  # type: ignore[no-untyped-def]
    return inkslop(cwd, "check", *args, **kwargs)


def no_crash(run: Run) -> None:
    assert "Traceback" not in run.stderr, run.stderr
    assert "internal error" not in run.stderr, run.stderr


def write(path: Path, text: str | bytes) -> Path:
    """Write a file byte for byte (no newline translation), making its directories."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return path


def github_codes(stdout: str) -> list[tuple[str, str]]:
    """(file, code) of each `--output-format github` line."""
    found = []
    for line in stdout.splitlines():
        match = re.match(r"::(?:error|warning|notice) file=([^,]*),.*?::(\w+) ", line)
        assert match, line
        found.append((match[1], match[2]))
    return found


@pytest.fixture
def runner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """`invoke(*args, input=...)`: the check command in-process, in tmp_path."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("FORCE_COLOR", raising=False)

    def invoke(*args: str, input: str | bytes | None = None):  # type: ignore[no-untyped-def]
        result = CliRunner().invoke(cli, ["check", *args], input=input)
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            raise AssertionError(f"check {args} raised {result.exception!r}") \
                from result.exception
        return result

    return invoke


# ---- exit status -------------------------------------------------------------------------


def test_clean_file_exits_0_and_says_all_checks_passed(tmp_path: Path) -> None:
    write(tmp_path / "clean.inkslop", CLEAN)
    run = check(tmp_path, "clean.inkslop")
    assert run.code == 0
    assert run.stdout == "All checks passed (1 file).\n"
    assert run.stderr == ""


def test_warnings_only_exit_0(tmp_path: Path) -> None:
    write(tmp_path / "warn.inkslop", WARNINGS)
    run = check(tmp_path, "warn.inkslop")
    assert run.code == 0, run.stdout
    assert "S012 warning" in run.stdout and "T008 warning" in run.stdout
    assert "N001 warning" in run.stdout
    assert "Found 3 warnings in 1 file." in run.stdout
    assert "1 fixable with --fix; 1 more with --unsafe-fixes" in run.stdout


def test_errors_exit_1(tmp_path: Path) -> None:
    write(tmp_path / "err.inkslop", STRAY_BRACKET)
    run = check(tmp_path, "err.inkslop")
    assert run.code == 1
    assert "err.inkslop:2:10: S008 error:" in run.stdout
    assert "Found 1 error in 1 file." in run.stdout
    no_crash(run)


def test_empty_file_is_an_error_nothing_is_narrated(tmp_path: Path) -> None:
    write(tmp_path / "empty.inkslop", "")
    run = check(tmp_path, "empty.inkslop")
    no_crash(run)
    assert run.code == 1
    assert "empty.inkslop:1:1: C006 error:" in run.stdout


def test_missing_path_exits_2_names_it_and_still_checks_the_others(tmp_path: Path) -> None:
    write(tmp_path / "err.inkslop", STRAY_BRACKET)
    write(tmp_path / "warn.inkslop", WARNINGS)
    run = check(tmp_path, "err.inkslop", "nowhere.inkslop", "warn.inkslop")
    assert run.code == 2
    assert "nowhere.inkslop" in run.stderr
    assert "no such file or directory" in run.stderr
    assert "err.inkslop:2:10: S008" in run.stdout
    assert "warn.inkslop:1:13: S012" in run.stdout
    no_crash(run)


def test_file_that_is_not_utf8_exits_2_with_file_and_byte_offset(tmp_path: Path) -> None:
    write(tmp_path / "bad.inkslop", b"[tts]\xff\xfe")
    write(tmp_path / "err.inkslop", STRAY_BRACKET)
    run = check(tmp_path, "bad.inkslop", "err.inkslop")
    assert run.code == 2
    line = next(line for line in run.stderr.splitlines() if "bad.inkslop" in line)
    assert "UTF-8" in line
    assert "byte offset 5" in line
    assert "err.inkslop:2:10: S008" in run.stdout  # the other file is still checked
    no_crash(run)


def test_not_utf8_on_stdin_names_the_stdin_filename(tmp_path: Path) -> None:
    run = check(tmp_path, "-", "--stdin-filename", "piped.inkslop",
                stdin=b'[tts engine="kokoro_tts" voice="af_heart"]\nH\xe9llo\n[/tts]\n')
    assert run.code == 2
    assert "piped.inkslop" in run.stderr
    assert "byte offset 44" in run.stderr
    no_crash(run)


def test_unknown_select_code_is_a_usage_error(tmp_path: Path) -> None:
    write(tmp_path / "clean.inkslop", CLEAN)
    run = check(tmp_path, "--select", "X999", "clean.inkslop")
    assert run.code == 2
    assert "X999" in run.stderr
    no_crash(run)


@pytest.mark.parametrize("args, unknown", [
    (["--ignore", "Q"], "Q"),
    (["--select", "T008,T99"], "T99"),
    (["--select", "T008", "--select", "NOPE"], "NOPE"),
])
def test_unknown_codes_in_select_or_ignore_are_usage_errors(runner, args, unknown) -> None:  # type: ignore[no-untyped-def]
    write(Path("clean.inkslop"), CLEAN)
    result = runner(*args, "clean.inkslop")
    assert result.exit_code == 2
    assert f"`{unknown}`" in result.stderr
    assert "All checks passed" not in result.stdout


# ---- directories -------------------------------------------------------------------------


def test_directory_is_searched_recursively_skipping_hidden_dirs_and_other_files(
        tmp_path: Path) -> None:
    write(tmp_path / "proj" / "top.inkslop", FAR_VOICE)
    write(tmp_path / "proj" / "a" / "b" / "deep.inkslop", FAR_VOICE)
    write(tmp_path / "proj" / ".hidden" / "secret.inkslop", FAR_VOICE)
    write(tmp_path / "proj" / "a" / ".git" / "x.inkslop", FAR_VOICE)
    write(tmp_path / "proj" / "notes.txt", FAR_VOICE)
    write(tmp_path / "proj" / "script.inkslop.bak", FAR_VOICE)
    run = check(tmp_path, "proj", "--output-format", "json")
    assert run.code == 0
    paths = {item["path"] for item in json.loads(run.stdout)}
    assert paths == {os.path.join("proj", "top.inkslop"),
                     os.path.join("proj", "a", "b", "deep.inkslop")}


def test_no_path_means_the_current_directory(tmp_path: Path) -> None:
    write(tmp_path / "one.inkslop", FAR_VOICE)
    write(tmp_path / "sub" / "two.inkslop", STRAY_BRACKET)
    write(tmp_path / ".cache" / "three.inkslop", STRAY_BRACKET)
    run = check(tmp_path, "--output-format", "github")
    assert run.code == 1
    assert sorted(github_codes(run.stdout)) == [
        ("one.inkslop", "T008"), (os.path.join("sub", "two.inkslop"), "S008")]
    text = check(tmp_path)
    assert "Found 1 error, 1 warning in 2 files." in text.stdout


def test_hidden_directory_given_explicitly_is_checked(runner) -> None:  # type: ignore[no-untyped-def]
    write(Path(".drafts", "a.inkslop"), FAR_VOICE)
    result = runner(".drafts")
    assert result.exit_code == 0
    assert os.path.join(".drafts", "a.inkslop") + ":1:32: T008" in result.stdout


def test_directory_without_scripts(runner) -> None:  # type: ignore[no-untyped-def]
    write(Path("empty", "readme.md"), "# nothing\n")
    result = runner("empty")
    assert result.exit_code == 0
    assert "No scripts were checked." in result.stdout


# ---- text output -------------------------------------------------------------------------


def _excerpt(stdout: str, head: str) -> list[str]:
    """The lines of one diagnostic: its head line and the excerpt under it."""
    lines = stdout.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(head))
    end = next((i for i in range(start + 1, len(lines)) if not lines[i]), len(lines))
    return lines[start:end]


def test_text_shows_source_line_and_underlines_the_exact_span(tmp_path: Path) -> None:
    write(tmp_path / "warn.inkslop", WARNINGS)
    run = check(tmp_path, "warn.inkslop")
    assert _excerpt(run.stdout, "warn.inkslop:1:13: S012 warning: ")[1:] == [
        "  |",
        "1 | [tts engine='kokoro_tts' voice=\"narrator\"]",
        "  |             ^^^^^^^^^^^^ S012",
        "   = fix: Use double quotes",
    ]
    assert _excerpt(run.stdout, "warn.inkslop:1:32: T008 warning: ")[1:] == [
        "  |",
        "1 | [tts engine='kokoro_tts' voice=\"narrator\"]",
        "  |                                ^^^^^^^^^^ T008",
    ]
    assert _excerpt(run.stdout, "warn.inkslop:4:1: N001 warning: ")[1:] == [
        "  |",
        "4 | [# inkslop: ignore T001 #]",
        "  | " + "^" * len("[# inkslop: ignore T001 #]") + " N001",
        "   = fix (unsafe): Remove the directive",
    ]


def test_text_underline_lines_up_after_wide_characters_and_tabs(runner) -> None:  # type: ignore[no-untyped-def]
    write(Path("wide.inkslop"),
          '[tts engine="kokoro_tts" voice="af_heart"]\n日本語 😀 costs [5.\n[/tts]\n')
    write(Path("tab.inkslop"), '[tts engine="kokoro_tts"\tvoice="af_hert"]\nHi.\n[/tts]\n')
    result = runner("wide.inkslop", "tab.inkslop", "--color", "never")
    wide = _excerpt(result.stdout, "wide.inkslop:2:")
    # 日本語 and 😀 take two terminal columns each: the caret stands under the `[`.
    assert wide[2] == "2 | 日本語 😀 costs [5."
    assert wide[3] == "  | " + " " * (6 + 1 + 2 + 7) + "^ S008"
    tab = _excerpt(result.stdout, "tab.inkslop:1:32: T008")
    shown, underline = tab[2], tab[3]
    assert "\t" not in shown
    assert underline.index("^") == shown.index('"af_hert"')
    assert underline.endswith('^' * len('"af_hert"') + " T008")


def test_text_has_no_color_when_not_a_terminal(tmp_path: Path) -> None:
    write(tmp_path / "warn.inkslop", WARNINGS)
    run = check(tmp_path, "warn.inkslop")
    assert "\x1b[" not in run.stdout + run.stderr


def test_color_always_colors_even_when_piped(tmp_path: Path) -> None:
    write(tmp_path / "warn.inkslop", WARNINGS)
    run = check(tmp_path, "--color", "always", "warn.inkslop")
    assert "\x1b[" in run.stdout
    assert re.sub(r"\x1b\[[0-9;]*m", "", run.stdout) == check(tmp_path, "warn.inkslop").stdout


def _check_on_terminal(cwd: Path, *args: str, env: dict[str, str]) -> tuple[int, str]:
    """Run `inkslop check` with stdout on a pseudo-terminal; its output and status."""
    master, slave = pty.openpty()
    process = subprocess.Popen([sys.executable, "-m", "inkslop", "check", *args], cwd=cwd,
                               stdin=subprocess.DEVNULL, stdout=slave,
                               stderr=subprocess.DEVNULL, env=env)
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not data:
            break
        chunks.append(data)
    os.close(master)
    process.wait(timeout=60)
    return process.returncode, b"".join(chunks).decode("utf-8")


def test_color_auto_on_a_terminal_and_no_color_env(tmp_path: Path) -> None:
    write(tmp_path / "warn.inkslop", WARNINGS)
    code, colored = _check_on_terminal(tmp_path, "warn.inkslop", env=_env())
    assert code == 0
    assert "\x1b[" in colored  # auto: a terminal gets color ...
    code, plain = _check_on_terminal(tmp_path, "warn.inkslop", env=_env(NO_COLOR="1"))
    assert code == 0
    assert "\x1b[" not in plain  # ... unless NO_COLOR is set
    assert "T008 warning" in plain
    code, never = _check_on_terminal(tmp_path, "--color", "never", "warn.inkslop", env=_env())
    assert "\x1b[" not in never


# ---- json output -------------------------------------------------------------------------


def test_json_is_an_array_with_the_contract_keys_and_code_point_columns(tmp_path: Path) -> None:
    # Three emoji before the stray `[`: column 5 in code points (8 in UTF-16, 14 in bytes).
    write(tmp_path / "emoji.inkslop",
          '[tts engine="kokoro_tts" voice="af_heart"]\n😀😀😀 [5 dollars.\n[/tts]\n')
    write(tmp_path / "warn.inkslop", WARNINGS)
    run = check(tmp_path, "--output-format", "json", "emoji.inkslop", "warn.inkslop")
    assert run.code == 1
    items = json.loads(run.stdout)
    assert isinstance(items, list)
    for item in items:
        assert set(item) == JSON_KEYS
        assert item["severity"] in ("error", "warning", "info")
    stray = [i for i in items if i["path"] == "emoji.inkslop"]
    assert stray == [{
        "path": "emoji.inkslop", "code": "S008", "severity": "error",
        "message": stray[0]["message"], "line": 2, "column": 5, "end_line": 2, "end_column": 6,
        "fix": None,
    }]
    quotes = next(i for i in items if i["code"] == "S012")
    assert (quotes["path"], quotes["line"], quotes["column"], quotes["end_line"],
            quotes["end_column"]) == ("warn.inkslop", 1, 13, 1, 25)
    assert isinstance(quotes["fix"]["message"], str) and quotes["fix"]["message"]
    assert quotes["fix"]["edits"], quotes["fix"]
    voice = next(i for i in items if i["code"] == "T008")
    assert voice["severity"] == "warning" and voice["fix"] is None
    unused = next(i for i in items if i["code"] == "N001")
    assert unused["severity"] == "warning" and unused["fix"]["edits"]


def test_json_columns_after_an_emoji_in_a_tag(runner) -> None:  # type: ignore[no-untyped-def]
    line = '[# 🎬 #] [tts engine="kokoro_tts" voice="af_hert"]'
    write(Path("e.inkslop"), line + "\nHi.\n[/tts]\n")
    result = runner("--output-format", "json", "e.inkslop")
    [item] = json.loads(result.stdout)
    column = line.index('"af_hert"') + 1  # 40: one code point for the emoji
    assert (item["code"], item["line"], item["column"], item["end_column"]) == \
        ("T008", 1, column, column + len('"af_hert"'))


def test_json_output_is_still_valid_when_a_path_is_missing(tmp_path: Path) -> None:
    write(tmp_path / "warn.inkslop", WARNINGS)
    run = check(tmp_path, "--output-format", "json", "warn.inkslop", "gone.inkslop")
    assert run.code == 2
    assert {i["code"] for i in json.loads(run.stdout)} == {"S012", "T008", "N001"}
    assert "gone.inkslop" in run.stderr


def test_json_for_a_clean_file_is_an_empty_array(runner) -> None:  # type: ignore[no-untyped-def]
    write(Path("clean.inkslop"), CLEAN)
    result = runner("--output-format", "json", "clean.inkslop")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == []


# ---- github and sarif output -------------------------------------------------------------


def test_github_workflow_commands(tmp_path: Path) -> None:
    write(tmp_path / "err.inkslop", MISSING_BRACKET)
    write(tmp_path / "warn.inkslop", WARNINGS)
    run = check(tmp_path, "--output-format", "github", "err.inkslop", "warn.inkslop")
    assert run.code == 1
    lines = run.stdout.splitlines()
    assert len(lines) == 4
    assert re.match(r"::error file=err\.inkslop,line=1,col=1,.*::S009 \S", lines[0]), lines[0]
    assert re.match(r"::warning file=warn\.inkslop,line=1,col=13,.*::S012 \S", lines[1]), lines[1]
    assert re.match(r"::warning file=warn\.inkslop,line=1,col=32,.*::T008 \S", lines[2]), lines[2]
    assert re.match(r"::warning file=warn\.inkslop,line=4,col=1,.*::N001 \S", lines[3]), lines[3]


def test_github_escapes_commas_and_colons_in_file_names(runner) -> None:  # type: ignore[no-untyped-def]
    write(Path("a,b:c.inkslop"), STRAY_BRACKET)
    result = runner("--output-format", "github", "a,b:c.inkslop")
    assert result.exit_code == 1
    assert result.stdout.startswith("::error file=a%2Cb%3Ac.inkslop,line=2,col=10,")


def test_sarif_log(tmp_path: Path) -> None:
    write(tmp_path / "err.inkslop", STRAY_BRACKET)
    write(tmp_path / "warn.inkslop", WARNINGS)
    run = check(tmp_path, "--output-format", "sarif", "err.inkslop", "warn.inkslop")
    assert run.code == 1
    log = json.loads(run.stdout)
    assert log["version"] == "2.1.0"
    [only_run] = log["runs"]
    rules = only_run["tool"]["driver"]["rules"]
    assert only_run["tool"]["driver"]["name"] == "inkslop"
    assert {rule["id"] for rule in rules} == {"S008", "S012", "T008", "N001"}
    results = only_run["results"]
    assert len(results) == 4
    by_code = {r["ruleId"]: r for r in results}
    assert by_code["S008"]["level"] == "error" and by_code["T008"]["level"] == "warning"
    for result in results:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        assert result["message"]["text"]
    location = by_code["S008"]["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "err.inkslop"
    assert location["region"] == {"startLine": 2, "startColumn": 10, "endLine": 2,
                                  "endColumn": 11}


def test_sarif_for_a_clean_run_has_no_results(runner) -> None:  # type: ignore[no-untyped-def]
    write(Path("clean.inkslop"), CLEAN)
    result = runner("--output-format", "sarif", "clean.inkslop")
    assert result.exit_code == 0
    log = json.loads(result.stdout)
    assert log["version"] == "2.1.0"
    assert log["runs"][0]["results"] == [] and log["runs"][0]["tool"]["driver"]["rules"] == []


# ---- standard input ----------------------------------------------------------------------


def test_stdin_with_a_filename_uses_the_name_and_its_configuration(tmp_path: Path) -> None:
    write(tmp_path / "project" / "inkslop.toml", '[severity]\nT008 = "error"\n')
    run = check(tmp_path, "-", "--stdin-filename", "project/scenes/intro.inkslop",
                stdin=FAR_VOICE)
    assert run.code == 1  # T008 raised to an error by project/inkslop.toml
    assert "project/scenes/intro.inkslop:1:32: T008 error:" in run.stdout
    elsewhere = check(tmp_path, "-", "--stdin-filename", "other/intro.inkslop",
                      stdin=FAR_VOICE)
    assert elsewhere.code == 0
    assert "other/intro.inkslop:1:32: T008 warning:" in elsewhere.stdout


def test_stdin_without_a_name(tmp_path: Path) -> None:
    run = check(tmp_path, "-", stdin=STRAY_BRACKET)
    assert run.code == 1
    assert "-:2:10: S008 error:" in run.stdout
    assert "Found 1 error in 1 file." in run.stdout


def test_stdin_without_a_name_uses_the_working_directory_configuration(runner) -> None:  # type: ignore[no-untyped-def]
    write(Path("inkslop.toml"), 'ignore = ["T008"]\n')
    result = runner("-", input=WARNINGS)
    assert result.exit_code == 0
    assert "-:1:13: S012" in result.stdout
    assert "T008" not in result.stdout


def test_stdin_and_files_together(runner) -> None:  # type: ignore[no-untyped-def]
    write(Path("warn.inkslop"), WARNINGS)
    result = runner("-", "warn.inkslop", "--stdin-filename", "in.inkslop",
                    "--output-format", "github", input=STRAY_BRACKET)
    assert result.exit_code == 1
    assert sorted(github_codes(result.stdout)) == [
        ("in.inkslop", "S008"), ("warn.inkslop", "N001"), ("warn.inkslop", "S012"),
        ("warn.inkslop", "T008")]


# ---- --select / --ignore -----------------------------------------------------------------


@pytest.mark.parametrize("args, expected", [
    ([], {"S012", "T008", "C001", "N001"}),
    (["--select", "T008"], {"T008"}),
    (["--select", "t008"], {"T008"}),
    (["--select", "T"], {"T008"}),
    (["--select", "S012,C"], {"S012", "C001"}),
    (["--select", "S012", "--select", "C001"], {"S012", "C001"}),
    (["--ignore", "T008"], {"S012", "C001", "N001"}),
    (["--ignore", "S,T"], {"C001", "N001"}),
    (["--ignore", "S012", "--ignore", "C"], {"T008", "N001"}),
    (["--select", "T,S", "--ignore", "T00"], {"S012"}),
])
def test_select_and_ignore(runner, args, expected) -> None:  # type: ignore[no-untyped-def]
    write(Path("w.inkslop"), WARNINGS + "Loose text.\n")
    result = runner(*args, "--output-format", "json", "w.inkslop")
    assert result.exit_code == 0
    assert {item["code"] for item in json.loads(result.stdout)} == expected


def test_syntax_errors_show_even_when_not_selected(tmp_path: Path) -> None:
    write(tmp_path / "e.inkslop", MISSING_BRACKET + FAR_VOICE)
    run = check(tmp_path, "--select", "T008", "--output-format", "github", "e.inkslop")
    assert run.code == 1
    assert [code for _, code in github_codes(run.stdout)] == ["S009", "T008"]
    ignored = check(tmp_path, "--ignore", "S", "--output-format", "github", "e.inkslop")
    assert ignored.code == 1
    assert "S009" in [code for _, code in github_codes(ignored.stdout)]


def test_select_replaces_and_ignore_adds_to_the_configuration(runner) -> None:  # type: ignore[no-untyped-def]
    write(Path("inkslop.toml"), 'select = ["T"]\nignore = ["C"]\n')
    write(Path("w.inkslop"), WARNINGS + "Loose text.\n")

    def codes(*args: str) -> set[str]:
        return {i["code"] for i in json.loads(runner(*args, "--output-format", "json",
                                                     "w.inkslop").stdout)}

    assert codes() == {"T008"}
    assert codes("--select", "S,C") == {"S012"}  # replaces select; config's ignore stays
    assert codes("--ignore", "T008") == set()


# ---- --fix -------------------------------------------------------------------------------


def test_fix_applies_safe_fixes_and_leaves_unsafe_ones(tmp_path: Path) -> None:
    quotes = write(tmp_path / "quotes.inkslop", WARNINGS)
    bracket = write(tmp_path / "bracket.inkslop", MISSING_BRACKET)
    run = check(tmp_path, "--fix", "quotes.inkslop", "bracket.inkslop")
    assert run.code == 0  # the error was fixed; the unsafe warning remains
    assert quotes.read_text(encoding="utf-8") == SAFE_FIXED
    assert bracket.read_text(encoding="utf-8") == CLEAN.replace("Hello world!", "Hello.")
    assert "Fixed 2 problems." in run.stdout
    assert "quotes.inkslop:1:32: T008 warning:" in run.stdout
    assert "S012" not in run.stdout and "S009" not in run.stdout
    assert "1 more with --unsafe-fixes" in run.stdout


def test_fix_with_unsafe_fixes_applies_did_you_mean(tmp_path: Path) -> None:
    script = write(tmp_path / "w.inkslop", MISSPELT)
    run = check(tmp_path, "--fix", "--unsafe-fixes", "w.inkslop")
    assert run.code == 0
    assert script.read_text(encoding="utf-8") == \
        '[tts engine="kokoro_tts" voice="af_heart"]\nHello.\n[/tts]\n'
    assert "Fixed 2 problems." in run.stdout
    assert "All checks passed (1 file)." in run.stdout


def test_unsafe_fixes_implies_fix(runner) -> None:  # type: ignore[no-untyped-def]
    # The summary suggests `--unsafe-fixes`; run alone, it does what it says.
    script = write(Path("w.inkslop"), MISSPELT)
    result = runner("--unsafe-fixes", "w.inkslop")
    assert result.exit_code == 0
    assert script.read_text(encoding="utf-8") == \
        '[tts engine="kokoro_tts" voice="af_heart"]\nHello.\n[/tts]\n'
    assert "Fixed 2 problems." in result.stdout


def test_fix_leaves_errors_without_a_fix_and_exits_1(runner) -> None:  # type: ignore[no-untyped-def]
    # With a syntax error in the file, even the quotes' fix counts as unsafe.
    script = write(Path("e.inkslop"), STRAY_BRACKET.replace('"kokoro_tts"', "'kokoro_tts'"))
    result = runner("--unsafe-fixes", "e.inkslop")
    assert result.exit_code == 1
    assert script.read_text(encoding="utf-8") == STRAY_BRACKET
    assert "Fixed 1 problem." in result.stdout
    assert "e.inkslop:2:10: S008 error:" in result.stdout


def test_fix_on_stdin_writes_the_script_to_stdout_and_the_report_to_stderr(
        tmp_path: Path) -> None:
    run = check(tmp_path, "--fix", "-", "--stdin-filename", "in.inkslop", stdin=WARNINGS)
    assert run.code == 0
    assert run.stdout == SAFE_FIXED
    assert "Fixed 1 problem." in run.stderr
    assert "in.inkslop:1:32: T008 warning:" in run.stderr
    assert list(tmp_path.iterdir()) == []  # no file written


def test_fix_on_stdin_with_nothing_to_fix_still_echoes_the_script(tmp_path: Path) -> None:
    # `inkslop check --fix - < a.inkslop > b.inkslop` must never leave b empty.
    run = check(tmp_path, "--fix", "-", stdin=CLEAN)
    assert run.code == 0
    assert run.stdout == CLEAN
    assert "All checks passed" in run.stderr


def test_file_with_nothing_to_fix_is_not_rewritten(tmp_path: Path) -> None:
    clean = write(tmp_path / "clean.inkslop", CLEAN)
    unsafe_only = write(tmp_path / "voice.inkslop", SAFE_FIXED)
    past = 1_000_000_000
    for path in (clean, unsafe_only):
        os.utime(path, ns=(past * 10**9, past * 10**9))
    inode = unsafe_only.stat().st_ino
    run = check(tmp_path, "--fix", "clean.inkslop", "voice.inkslop")
    assert run.code == 0
    assert "Fixed" not in run.stdout
    for path, text in ((clean, CLEAN), (unsafe_only, SAFE_FIXED)):
        assert path.stat().st_mtime_ns == past * 10**9
        assert path.read_text(encoding="utf-8") == text
    assert unsafe_only.stat().st_ino == inode
    assert sorted(p.name for p in tmp_path.iterdir()) == ["clean.inkslop", "voice.inkslop"]


def test_fix_keeps_line_endings_and_permissions(runner) -> None:  # type: ignore[no-untyped-def]
    script = write(Path("crlf.inkslop"), WARNINGS.replace("\n", "\r\n"))
    os.chmod(script, 0o640)
    result = runner("--fix", "crlf.inkslop")
    assert result.exit_code == 0
    assert script.read_bytes() == SAFE_FIXED.replace("\n", "\r\n").encode()
    assert script.stat().st_mode & 0o777 == 0o640


def test_fix_in_a_file_that_starts_with_a_byte_order_mark(tmp_path: Path) -> None:
    script = write(tmp_path / "bom.inkslop", "\ufeff" + WARNINGS)
    run = check(tmp_path, "--fix", "bom.inkslop")
    assert script.read_text(encoding="utf-8") == "\ufeff" + SAFE_FIXED
    assert run.code == 0
    assert "Fixed 1 problem." in run.stdout


# ---- configuration -----------------------------------------------------------------------


def test_configuration_is_found_from_each_file(tmp_path: Path) -> None:
    write(tmp_path / "strict" / "inkslop.toml", '[severity]\nT008 = "error"\n')
    write(tmp_path / "strict" / "scenes" / "a.inkslop", WARNINGS)
    write(tmp_path / "lax" / "inkslop.toml", 'ignore = ["S012", "T"]\n')
    write(tmp_path / "lax" / "b.inkslop", WARNINGS)
    write(tmp_path / "plain" / "c.inkslop", WARNINGS)
    run = check(tmp_path, "--output-format", "json", "strict", "lax", "plain")
    assert run.code == 1
    found = {(i["path"], i["code"], i["severity"]) for i in json.loads(run.stdout)}
    a, c = os.path.join("strict", "scenes", "a.inkslop"), os.path.join("plain", "c.inkslop")
    b = os.path.join("lax", "b.inkslop")
    assert found == {(a, "S012", "warning"), (a, "T008", "error"), (a, "N001", "warning"),
                     (b, "N001", "warning"),
                     (c, "S012", "warning"), (c, "T008", "warning"), (c, "N001", "warning")}


def test_pyproject_tool_table(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml",
          '[project]\nname = "videos"\n\n[tool.inkslop]\nignore = ["S012"]\n'
          '[tool.inkslop.severity]\nT008 = "error"\n')
    write(tmp_path / "videos" / "w.inkslop", WARNINGS)
    run = check(tmp_path, "--output-format", "github")
    assert run.code == 1
    assert run.stdout.startswith("::error file=" + os.path.join("videos", "w.inkslop"))
    assert [code for _, code in github_codes(run.stdout)] == ["T008", "N001"]


def test_pyproject_without_tool_table_does_not_hide_a_farther_configuration(
        tmp_path: Path) -> None:
    write(tmp_path / "inkslop.toml", 'ignore = ["T008"]\n')
    write(tmp_path / "pkg" / "pyproject.toml", '[project]\nname = "pkg"\n')
    write(tmp_path / "pkg" / "w.inkslop", WARNINGS)
    run = check(tmp_path, "--output-format", "github", "pkg")
    assert [code for _, code in github_codes(run.stdout)] == ["S012", "N001"]


def test_nearest_configuration_wins(runner) -> None:  # type: ignore[no-untyped-def]
    write(Path("inkslop.toml"), 'ignore = ["T008"]\n')
    write(Path("top.inkslop"), FAR_VOICE)
    write(Path("sub", "inkslop.toml"), '[severity]\nT008 = "error"\n')
    write(Path("sub", "below.inkslop"), FAR_VOICE)
    result = runner("--output-format", "github")
    assert result.exit_code == 1
    assert github_codes(result.stdout) == [(os.path.join("sub", "below.inkslop"), "T008")]


def test_config_option_overrides_discovery(tmp_path: Path) -> None:
    write(tmp_path / "inkslop.toml", 'ignore = ["T008", "S012"]\n')
    write(tmp_path / "w.inkslop", WARNINGS)
    write(tmp_path / "ci" / "strict.toml", '[severity]\nT008 = "error"\n')
    assert check(tmp_path, "w.inkslop").code == 0
    run = check(tmp_path, "--config", "ci/strict.toml", "--output-format", "github", "w.inkslop")
    assert run.code == 1
    assert [code for _, code in github_codes(run.stdout)] == ["S012", "T008", "N001"]
    assert run.stdout.splitlines()[1].startswith("::error ")


@pytest.mark.parametrize("config, key", [
    ('select = [\n', None),
    ('colour = "red"\n', "colour"),
    ('[severity]\nT008 = "fatal"\n', "severity.T008"),
    ('select = ["T008", "X42"]\n', "select"),
])
def test_broken_configuration_exits_2_and_other_files_are_still_checked(
        tmp_path: Path, config: str, key: str | None) -> None:
    write(tmp_path / "broken" / "inkslop.toml", config)
    write(tmp_path / "broken" / "a.inkslop", CLEAN)
    write(tmp_path / "fine" / "b.inkslop", STRAY_BRACKET)
    run = check(tmp_path, "broken", "fine")
    assert run.code == 2
    message = next((line for line in run.stderr.splitlines() if "inkslop.toml" in line), "")
    assert os.path.join("broken", "inkslop.toml") in message, run.stderr
    if key is None:
        assert "TOML" in message
    else:
        assert f"`{key}`" in message
    assert os.path.join("fine", "b.inkslop") + ":2:10: S008" in run.stdout
    no_crash(run)


def test_broken_pyproject_table_names_the_dotted_key(runner) -> None:  # type: ignore[no-untyped-def]
    write(Path("pyproject.toml"), '[tool.inkslop]\nsevrity = { T008 = "error" }\n')
    write(Path("a.inkslop"), CLEAN)
    result = runner()
    assert result.exit_code == 2
    assert "pyproject.toml" in result.stderr and "`tool.inkslop.sevrity`" in result.stderr


def test_broken_explicit_configuration(runner) -> None:  # type: ignore[no-untyped-def]
    write(Path("ci.toml"), '[severity]\nT008 = "loud"\n')
    write(Path("a.inkslop"), CLEAN)
    result = runner("--config", "ci.toml", "a.inkslop")
    assert result.exit_code == 2
    assert "ci.toml" in result.stderr and "`severity.T008`" in result.stderr
    missing = runner("--config", "nope.toml", "a.inkslop")
    assert missing.exit_code == 2
    assert "nope.toml" in missing.stderr


# ---- suppression directives --------------------------------------------------------------


@pytest.mark.parametrize("script, expected", [
    # a directive alone on its line covers the next line
    ("[# inkslop: ignore T008 #]\n" + FAR_VOICE, []),
    # on the same line
    ('[tts engine="kokoro_tts" voice="af_hert"] [# inkslop: ignore T00 #]\nHi.\n[/tts]\n', []),
    # a directive that suppresses nothing is reported
    ("[# inkslop: ignore T008 #]\n" + CLEAN, ["N001"]),
    # misspelt directive or unknown code: reported, and the problem still shows
    ("[# inkslop: ignor T008 #]\n" + FAR_VOICE, ["N002", "T008"]),
    ("[# inkslop: ignore T999 #]\n" + FAR_VOICE, ["N002", "T008"]),
    # ignore-block covers its block only
    ('[tts engine="kokoro_tts" voice="af_hert"]\n[# inkslop: ignore-block #]\nHi.\n[/tts]\n'
     + FAR_VOICE, ["T008"]),
    # ignore-file covers everything but syntax errors
    ("[# inkslop: ignore-file T008,C001 #]\n" + FAR_VOICE + "Loose.\n" + FAR_VOICE, []),
    ("[# inkslop: ignore-file #]\n" + MISSING_BRACKET, ["N001", "S009"]),
])
def test_suppression_directives(runner, script: str, expected: list[str]) -> None:  # type: ignore[no-untyped-def]
    write(Path("s.inkslop"), script)
    result = runner("--output-format", "json", "s.inkslop")
    assert sorted(i["code"] for i in json.loads(result.stdout)) == expected
    assert result.exit_code == (1 if "S009" in expected else 0)


def test_suppressed_error_does_not_fail_the_run(tmp_path: Path) -> None:
    write(tmp_path / "inkslop.toml", '[severity]\nT008 = "error"\n')
    write(tmp_path / "quiet.inkslop", "[# inkslop: ignore T008 #]\n" + FAR_VOICE)
    write(tmp_path / "loud.inkslop", FAR_VOICE)
    run = check(tmp_path, "quiet.inkslop")
    assert run.code == 0, run.stdout
    assert "All checks passed (1 file)." in run.stdout
    assert check(tmp_path, "loud.inkslop").code == 1


# ---- robustness --------------------------------------------------------------------------


def test_ten_megabyte_script(tmp_path: Path) -> None:
    block = ('[tts engine="kokoro_tts" voice="af_heart"]\n'
             + "The mantis shrimp sees more colours than any other animal. " * 16 + "\n[/tts]\n")
    count = 10 * 1024 * 1024 // len(block) + 1
    last_line = 3 * count + 1  # the line of the final block's opening tag
    write(tmp_path / "big.inkslop", block * count + FAR_VOICE)
    assert (tmp_path / "big.inkslop").stat().st_size > 10 * 1024 * 1024
    # D001 (a script too long to be one video) is not what this test is about.
    run = check(tmp_path, "--output-format", "json", "--ignore", "D001", "big.inkslop")
    no_crash(run)
    assert run.code == 0
    assert [(i["code"], i["line"]) for i in json.loads(run.stdout)] == [("T008", last_line)]


def test_ten_thousand_unclosed_nested_blocks(tmp_path: Path) -> None:
    write(tmp_path / "deep.inkslop", '[music file="music/Carefree.opus"]\n' * 10_000)
    run = check(tmp_path, "deep.inkslop")
    no_crash(run)
    assert run.code == 1
    assert "deep.inkslop:1:1: S001 error:" in run.stdout
    assert "deep.inkslop:100:1: S001 error:" in run.stdout  # the first 100 shown ...
    assert "deep.inkslop:101:1:" not in run.stdout
    assert "deep.inkslop: 9900 more findings not shown" in run.stdout  # ... the rest counted
    assert "Found 10000 errors" in run.stdout


def test_ten_thousand_nested_closed_blocks(tmp_path: Path) -> None:
    # Each `[tts]` inside a `[tts]` is a misplaced tag (C002, an error); one finding each.
    n = 10_000
    write(tmp_path / "deep.inkslop", '[tts engine="kokoro_tts" voice="af_heart"]\n' * n
          + "Deep.\n" + "[/tts]\n" * n)
    run = check(tmp_path, "--output-format", "github", "deep.inkslop")
    no_crash(run)
    codes = github_codes(run.stdout)
    assert len(codes) == n - 1 and {code for _, code in codes} == {"C002"}
    assert run.code == 1


def _nasty_inputs() -> dict[str, str]:
    inputs = {
        "lone-bracket": "[", "comment-open": "[#", "braces": "{{", "plus": "+++",
        "plus-newline": "+++\n", "empty-front-matter": "+++\n+++\n", "slash": "[/",
        "empty-close": "[/]", "lone-equals": "[tts =", "open-quote": '[tts a="',
        "open-single": "[tts a='", "void-nameless": "[ /]", "nul": "\x00[tts]\x00",
        "cr-only": CLEAN.replace("\n", "\r"), "bom-only": "\ufeff", "braces4": "{{{{}}}}",
        "empty-variable": "{{ }}", "two-names": "{{ a b }}", "nested-comment": "[# [# #] #]",
        "bad-toml": "+++\n[[[\n+++\n", "vars-not-table": "+++\nvars = 3\n+++\n{{ x }}",
        "publish-not-table": "+++\npublish = 1\n+++\n", "brackets": "[" * 2000,
        "closers": "[/tts]" * 2000, "emoji-tag": '😀[😀 😀="😀"]',
        "line-separators": "\u2028[tts\u2029]", "whitespace": " \t\v\f",
        "max-code-point": "\U0010ffff", "combining": '[tts e\u0301="x\u0301"]',
        "long-line": "a" * 100_000, "directive-eof": "[# inkslop: ignore",
        "bare-directive-block": "[# inkslop: ignore-block #]", "empty-directive": "[# inkslop: #]",
        "commas-directive": "[# inkslop: ignore-file T,,, #]",
        "unclosed-var-in-attr": '[tts engine="{{" voice="}}"]\n{{\n[/tts]',
    }
    rng = random.Random(20240521)
    pieces = list("[]/#{}+=\"' \n\t\raé😀\u0301\x00") + [
        "tts", "music", "engine", "voice", "+++\n", "[#", "#]", "{{", "}}", "inkslop: ignore",
        '"kokoro_tts"', "/]", "[/"]
    for i in range(12):
        inputs[f"random-pieces-{i}"] = "".join(
            rng.choice(pieces) for _ in range(rng.randint(1, 400)))
    for i in range(8):  # random bytes, kept to the part that is valid UTF-8
        data = bytes(rng.randrange(256) for _ in range(600))
        inputs[f"random-bytes-{i}"] = data.decode("utf-8", "ignore")
    return inputs


NASTY = _nasty_inputs()


def test_nasty_inputs_never_crash_the_command(tmp_path: Path) -> None:
    for name, text in NASTY.items():
        write(tmp_path / f"{name}.inkslop", text)
    for output_format in ("text", "json", "github", "sarif"):
        run = check(tmp_path, "--output-format", output_format)
        no_crash(run)
        assert run.code in (0, 1), run.stderr
        assert run.stderr == ""
    fixed = check(tmp_path, "--fix", "--unsafe-fixes")
    no_crash(fixed)
    assert fixed.code in (0, 1), fixed.stderr


@pytest.mark.parametrize("name", sorted(NASTY))
def test_nasty_input_on_stdin_with_fixes(runner, name: str) -> None:  # type: ignore[no-untyped-def]
    result = runner("--fix", "--unsafe-fixes", "-", input=NASTY[name].encode("utf-8"))
    assert result.exit_code in (0, 1), result.output


@pytest.mark.parametrize("script", [
    pytest.param('[tts engine="kokoro_tts" voice="af_heart"\rHello.\r[/tts]\r',
                 id="cr-line-endings-and-a-missing-bracket"),
    pytest.param("[tts\u2028]\nHello.\n[/tts]\n", id="line-separator-in-a-tag"),
    pytest.param("[tts\x0c]\nHello.\n[/tts]\n", id="form-feed-in-a-tag"),
    pytest.param('[tts engine="kokoro_tts" voice="af_heart"]\nHello.\n[/tts voice="af_heart"/]\n',
                 id="closing-tag-with-attribute-and-void-end"),
])
def test_parser_never_gives_up(runner, script: str) -> None:  # type: ignore[no-untyped-def]
    # S000 means "the parser failed on this file (a bug in inkslop)": the parser should
    # recover from every input and say what is wrong with the script instead.
    result = runner("--output-format", "json", "-", input=script.encode("utf-8"))
    assert result.exit_code in (0, 1)
    failures = [i["message"] for i in json.loads(result.stdout) if i["code"] == "S000"]
    assert failures == []


def test_parser_never_gives_up_on_the_nasty_inputs(tmp_path: Path) -> None:
    for name, text in NASTY.items():
        write(tmp_path / f"{name}.inkslop", text)
    run = check(tmp_path, "--output-format", "json")
    failed = sorted(i["path"] for i in json.loads(run.stdout) if i["code"] == "S000")
    assert failed == []


# ---- help and version --------------------------------------------------------------------


def test_help_lists_the_commands(tmp_path: Path) -> None:
    run = inkslop(tmp_path, "--help")
    assert run.code == 0
    commands = run.stdout.split("Commands:")[1]
    assert re.search(r"^\s+check\s+\S", commands, re.M)
    assert re.search(r"^\s+rule\s+\S", commands, re.M)
    check_help = inkslop(tmp_path, "check", "--help")
    assert check_help.code == 0
    for option in ("--output-format", "--select", "--ignore", "--fix", "--stdin-filename",
                   "--config"):
        assert option in check_help.stdout


def test_version(tmp_path: Path) -> None:
    run = inkslop(tmp_path, "--version")
    assert run.code == 0
    assert run.stdout.strip() == f"inkslop {version('inkslop')}"
