"""`inkslop check` and `inkslop fmt` parse their usual arguments without click
(cli/plain_arguments.py), so that pre-commit's hooks start faster. Whatever that parser
accepts must give exactly the parameters click gives; the rest goes to click."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import click
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from inkslop.cli.check_command import check
from inkslop.cli.check_run import rule_codes
from inkslop.cli.fmt_command import fmt
from inkslop.cli.plain_arguments import plain_arguments
from inkslop.lint.selectors import check_selectors

CLEAN = '[tts engine="kokoro_tts" voice="af_heart"]\nHello there.\n[/tts]\n'
COMMANDS = {"check": check, "fmt": fmt}


@pytest.fixture(scope="module")
def place(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("arguments")
    (root / "a.inkslop").write_text(CLEAN, encoding="utf-8")
    (root / "inkslop.toml").write_text("", encoding="utf-8")
    (root / "folder").mkdir()
    return root


def _tokens(root: Path) -> st.SearchStrategy[str]:
    names = [str(root / "a.inkslop"), str(root / "folder"), str(root / "missing.inkslop"),
             str(root / "inkslop.toml"), "-", "", "plain name.inkslop"]
    options = ["--color", "--output-format", "--select", "--ignore", "--fix", "--unsafe-fixes",
               "--no-cache", "--stdin-filename", "--config", "--jobs", "-j", "--max-findings",
               "--max-file-size", "-h", "--help", "--", "--colour", "-x", "--fix=1", "--check",
               "--diff", "--check=1"]
    values = ["auto", "always", "never", "ALWAYS", "text", "json", "github", "sarif", "xml",
              "E001", "s012,c", "C", "NOPE", "W", "2", "0", "-1", "1.5"]
    joined = st.builds(lambda o, v: f"{o}={v}", st.sampled_from(options), st.sampled_from(values))
    return st.one_of(st.sampled_from(names), st.sampled_from(options), st.sampled_from(values),
                     joined)


def _click_params(command: str, args: list[str]) -> dict | None:
    """What click passes to the command, or None when it stops with a usage error or help."""
    try:
        with COMMANDS[command].make_context(command, list(args)) as context:
            params = dict(context.params)
    except (click.exceptions.UsageError, click.exceptions.Exit):
        return None
    if command == "check" and check_selectors(rule_codes(params["select"])
                                              + rule_codes(params["ignore"])):
        return None  # the command's own usage error
    return params


@settings(max_examples=800, deadline=None)
@given(data=st.data())
def test_what_the_plain_parser_accepts_click_reads_the_same(place: Path,
                                                             data: st.DataObject) -> None:
    command = data.draw(st.sampled_from(sorted(COMMANDS)))
    args = data.draw(st.lists(_tokens(place), max_size=6))
    plain = plain_arguments([command, *args])
    if plain is not None:
        assert plain == (command, _click_params(command, args))


@pytest.mark.parametrize("args", [
    ["check", "--color", "never", "a.inkslop"],  # pre-commit's hooks
    ["fmt", "a.inkslop"],
    ["check", "a.inkslop", "folder"],
    ["check"],
    ["fmt", "-"],
    ["check", "--output-format=json", "--select", "S,C", "--ignore=D001", "--no-cache",
     "a.inkslop"],
    ["check", "--fix", "--unsafe-fixes", "--config", "inkslop.toml", "--stdin-filename",
     "x.inkslop"],
    ["fmt", "--check", "--diff", "--config=inkslop.toml", "folder"],
])
def test_the_usual_command_lines_need_no_click(place: Path, monkeypatch: pytest.MonkeyPatch,
                                               args: list[str]) -> None:
    monkeypatch.chdir(place)
    plain = plain_arguments(args)
    assert plain is not None
    assert plain == (args[0], _click_params(args[0], args[1:]))


@pytest.mark.parametrize("args", [
    ["check", "-h"], ["check", "--jobs", "2", "a.inkslop"], ["check", "--select", "NOPE"],
    ["check", "--color", "red"], ["check", "--config", "missing.toml"],
    ["check", "--", "a.inkslop"], ["check", "--fix=yes"], ["check", "--check"],
    ["fmt", "--color", "never"], ["fmt", "--select", "S"], ["estimate", "a.inkslop"],
    ["--version"], [],
])
def test_anything_else_is_left_to_click(place: Path, monkeypatch: pytest.MonkeyPatch,
                                        args: list[str]) -> None:
    monkeypatch.chdir(place)
    assert plain_arguments(args) is None


def test_an_environment_variable_for_an_option_is_left_to_click(
        place: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INKSLOP_MAX_FILE_SIZE", "0.001")
    assert plain_arguments(["check", str(place / "a.inkslop")]) is None


def _inkslop(place: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "inkslop", *args], cwd=place,
                          capture_output=True, text=True, check=False,
                          env={**os.environ, "NO_COLOR": "1"})


def test_both_parsers_print_the_same(place: Path) -> None:
    """The same command lines, once as pre-commit runs them and once through click (a
    `--jobs` the plain parser leaves to click): the same output and status."""
    bad = place / "bad.inkslop"
    bad.write_text("Hello outside every block.\n", encoding="utf-8")
    messy = place / "messy.inkslop"
    messy.write_text(CLEAN.replace("Hello", "   Hello"), encoding="utf-8")
    files = [str(place / "a.inkslop"), str(bad), str(messy)]
    for command, plain_options, status in [("check", ["--color", "never"], 1),
                                           ("fmt", ["--diff"], 1)]:
        plain = _inkslop(place, command, *plain_options, *files)
        through_click = _inkslop(place, command, *plain_options, "--jobs", "1", *files)
        assert plain.returncode == through_click.returncode == status
        assert (plain.stdout, plain.stderr) == (through_click.stdout, through_click.stderr)
        assert plain.stdout
