"""`inkslop check` parses its usual arguments without click (cli/check_arguments.py), so
that pre-commit's `inkslop check --color never FILES` starts faster. Whatever that parser
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

from inkslop.cli.check_arguments import plain_check
from inkslop.cli.check_command import check
from inkslop.cli.check_run import rule_codes
from inkslop.lint.selectors import check_selectors

CLEAN = '[tts engine="kokoro_tts" voice="af_heart"]\nHello there.\n[/tts]\n'


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
               "--max-file-size", "-h", "--help", "--", "--colour", "-x", "--fix=1"]
    values = ["auto", "always", "never", "ALWAYS", "text", "json", "github", "sarif", "xml",
              "E001", "s012,c", "C", "NOPE", "W", "2", "0", "-1", "1.5"]
    joined = st.builds(lambda o, v: f"{o}={v}", st.sampled_from(options), st.sampled_from(values))
    return st.one_of(st.sampled_from(names), st.sampled_from(options), st.sampled_from(values),
                     joined)


def _click_params(args: list[str]) -> dict | None:
    """What click passes to `check`, or None when it stops with a usage error or help."""
    try:
        with check.make_context("check", list(args)) as context:
            params = dict(context.params)
    except (click.exceptions.UsageError, click.exceptions.Exit):
        return None
    if check_selectors(rule_codes(params["select"]) + rule_codes(params["ignore"])):
        return None  # the command's own usage error
    return params


@settings(max_examples=600, deadline=None)
@given(data=st.data())
def test_what_the_plain_parser_accepts_click_reads_the_same(place: Path,
                                                             data: st.DataObject) -> None:
    args = data.draw(st.lists(_tokens(place), max_size=6))
    plain = plain_check(["check", *args])
    if plain is not None:
        assert plain == _click_params(args)


@pytest.mark.parametrize("args", [
    ["--color", "never", "a.inkslop"],  # pre-commit's hook
    ["a.inkslop", "folder"],
    [],
    ["-"],
    ["--output-format=json", "--select", "S,C", "--ignore=D001", "--no-cache", "a.inkslop"],
    ["--fix", "--unsafe-fixes", "--config", "inkslop.toml", "--stdin-filename", "x.inkslop"],
])
def test_the_usual_command_lines_need_no_click(place: Path, monkeypatch: pytest.MonkeyPatch,
                                               args: list[str]) -> None:
    monkeypatch.chdir(place)
    plain = plain_check(["check", *args])
    assert plain is not None
    assert plain == _click_params(args)


@pytest.mark.parametrize("args", [
    ["-h"], ["--jobs", "2", "a.inkslop"], ["--select", "NOPE"], ["--color", "red"],
    ["--config", "missing.toml"], ["--", "a.inkslop"], ["--fix=yes"],
])
def test_anything_else_is_left_to_click(place: Path, monkeypatch: pytest.MonkeyPatch,
                                        args: list[str]) -> None:
    monkeypatch.chdir(place)
    assert plain_check(["check", *args]) is None


def test_an_environment_variable_for_an_option_is_left_to_click(
        place: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INKSLOP_MAX_FILE_SIZE", "0.001")
    assert plain_check(["check", str(place / "a.inkslop")]) is None


def test_both_parsers_print_the_same(place: Path) -> None:
    """The same command line, once as pre-commit runs it and once through click (a
    `--jobs` the plain parser leaves to click): the same report and status."""
    bad = place / "bad.inkslop"
    bad.write_text("Hello outside every block.\n", encoding="utf-8")
    files = [str(place / "a.inkslop"), str(bad)]

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "inkslop", "check", *args], cwd=place,
                              capture_output=True, text=True, check=False,
                              env={**os.environ, "NO_COLOR": "1"})

    plain, through_click = run("--color", "never", *files), run("--jobs", "1", *files)
    assert plain.returncode == through_click.returncode == 1
    assert plain.stdout == through_click.stdout and "C006 error" in plain.stdout
    assert plain.stderr == through_click.stderr == ""
