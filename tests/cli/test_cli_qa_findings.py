"""What QA found trying the command line against the sandbox, each as a user meets it: a
script that does not compile is refused (never a crash, never dropped from a batch), a
misspelt `--var` is named, an empty folder is not a batch, `check --fix` on a read-only
file still shows its findings, `[submit] allow-warnings` is validated like `select`, an
empty file's excerpt has no stray `…`, and `[api] account` comes from the script's folder.

The commands that talk to InkSlop run in process (click's CliRunner) against the sandbox
over HTTP, as the `user` of conftest.py; `check` runs as a subprocess (cli_helpers).
"""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path

import pytest
from cli_helpers import WARNING_ONLY, inkslop, no_crash, write
from click.testing import CliRunner
from fatal_scripts import TTS

from inkslop.cli import cli
from inkslop.sandbox import Sandbox

pytestmark = pytest.mark.sandbox(credits=100, render_seconds=0.2)

MISSPELT_VARIABLE = ('+++\n[vars]\nanimal = "cat"\n+++\n'
                     '[tts engine="kokoro_tts" voice="af_heart"]\nThe {{ anmial }} is here.\n'
                     '[/tts]\n')
TEMPLATE = '[tts engine="kokoro_tts" voice="af_heart"]\nThe {{ animal }} is here.\n[/tts]\n'
GREETING = ('+++\n[vars]\ntext = "Hello"\n+++\n'
            '[tts engine="kokoro_tts" voice="af_heart"]\n{{ text }}\n[/tts]\n')


def run(*args: str):  # type: ignore[no-untyped-def]
    result = CliRunner().invoke(cli, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.stderr
    assert "internal error" not in result.stderr, result.stderr
    return result


def sent(sandbox: Sandbox) -> list[str]:
    return [video["video_name"] for video in sandbox.state()["videos"]]


# ---- 1. a script that does not compile is refused -------------------------------------------

@pytest.mark.parametrize("command", [("submit",), ("submit", "--dry-run"),
                                     ("batch", "submit"), ("batch", "submit", "--dry-run")])
def test_an_undefined_variable_refuses_the_script(user, sandbox, command):
    (user / "v2.inkslop").write_text(MISSPELT_VARIABLE)
    result = run(*command, "--allow-warnings", "v2.inkslop")
    assert result.exit_code == 1, result.stderr
    assert "v2.inkslop:6:5: V001 error:" in result.stderr and "Did you mean `animal`?" in \
        result.stderr
    assert "1 error (v2.inkslop:6:5 V001)" in result.stderr
    assert "Preflight passed." not in result.stderr
    assert result.stdout == ""
    assert sent(sandbox) == []


def test_a_data_column_that_misses_the_variable_refuses_the_batch(user, sandbox):
    (user / "t3.inkslop").write_text(TEMPLATE)
    (user / "v3.csv").write_text("anmial\nowl\nnarwhal\n")
    result = run("batch", "submit", "--allow-warnings", "t3.inkslop", "--data", "v3.csv")
    assert result.exit_code == 1, result.stderr
    assert "2 errors (t3.inkslop (row 1):2:5 V001, t3.inkslop (row 2):2:5 V001)" in \
        result.stderr
    assert sent(sandbox) == []


def test_a_good_script_in_the_same_batch_is_not_sent_either(user, sandbox):
    (user / "v2.inkslop").write_text(MISSPELT_VARIABLE)
    (user / "fine.inkslop").write_text(TTS)
    result = run("batch", "submit", "--allow-warnings", ".")
    assert result.exit_code == 1 and "Refused, nothing was sent:" in result.stderr
    assert sent(sandbox) == []


# ---- 2. a misspelt --var -----------------------------------------------------------------

@pytest.mark.parametrize("command", [("compile",), ("estimate",), ("submit", "--dry-run"),
                                     ("batch", "submit", "--dry-run"), ("meta",), ("speak",)])
def test_a_misspelt_var_is_a_usage_error_naming_the_variable_meant(user, sandbox, command):
    (user / "t2.inkslop").write_text(GREETING)
    result = run(*command, "t2.inkslop", "--var", "txt=Bye")
    assert result.exit_code == 2
    assert result.stderr == ("error: --var txt: no script defines or uses `txt`. "
                             "Did you mean `text`?\n")
    assert result.stdout == ""
    assert sent(sandbox) == []


def test_a_var_the_script_uses_is_filled(user):
    (user / "t2.inkslop").write_text(GREETING)
    result = run("compile", "t2.inkslop", "--var", "text=Bye")
    assert result.exit_code == 0, result.stderr
    assert "Bye" in result.stdout and "Hello" not in result.stdout


def test_a_var_of_a_batch_needs_one_script_that_uses_it(user, sandbox):
    (user / "t2.inkslop").write_text(GREETING)
    (user / "fine.inkslop").write_text(TTS)
    used = run("batch", "submit", "--dry-run", ".", "--var", "text=Bye")
    assert used.exit_code == 0, used.stderr
    scripts = [r["script"] for r in json.loads(used.stdout)]
    assert scripts == [TTS, '[tts engine="kokoro_tts" voice="af_heart"]\nBye\n[/tts]\n']
    unused = run("batch", "submit", "--dry-run", ".", "--var", "colour=red")
    assert unused.exit_code == 2 and "--var colour: no script defines or uses" in \
        unused.stderr


# ---- 3. nothing to send ------------------------------------------------------------------

@pytest.mark.parametrize("dry_run", [(), ("--dry-run",)])
def test_batch_submit_of_an_empty_folder_is_an_error(user, sandbox, dry_run):
    (user / "emptyd").mkdir()
    result = run("batch", "submit", *dry_run, "emptyd/")
    assert result.exit_code == 2
    assert result.stderr == "error: no scripts found in emptyd/: no *.inkslop file there\n"
    assert result.stdout == ""
    assert not (user / ".inkslop").exists()  # no batch written
    assert sent(sandbox) == []


# ---- 4. check --fix on a read-only file --------------------------------------------------

def test_check_fix_on_a_read_only_file_shows_its_findings_then_the_error(tmp_path):
    script = write(tmp_path / "ro.inkslop", WARNING_ONLY)
    script.chmod(0o444)
    fixing = inkslop(tmp_path, "check", "--fix", "ro.inkslop")
    checking = inkslop(tmp_path, "check", "ro.inkslop")
    no_crash(fixing)
    assert fixing.code == 2
    assert fixing.stdout == checking.stdout  # the same findings and summary as without --fix
    assert "ro.inkslop:1:13: S012 warning:" in fixing.stdout
    assert "Found 1 warning in 1 file." in fixing.stdout
    assert fixing.stderr == "error: ro.inkslop: cannot write: the file is read-only\n"
    assert script.read_text(encoding="utf-8") == WARNING_ONLY


# ---- 5. [submit] allow-warnings is validated ---------------------------------------------

@pytest.mark.parametrize("command", [("check",), ("submit", "--dry-run")])
def test_an_unknown_code_in_allow_warnings_is_a_configuration_error(user, sandbox, command):
    (user / "inkslop.toml").write_text('[submit]\nallow-warnings = ["S0012"]\n')
    (user / "w.inkslop").write_text(WARNING_ONLY)
    result = run(*command, "w.inkslop")
    assert result.exit_code == 2
    assert "inkslop.toml: `submit.allow-warnings`: no rule has the code `S0012`." in \
        result.stderr
    assert sent(sandbox) == []


@pytest.mark.parametrize("allowed", ['["ALL"]', '["all"]', '["S01"]', '["S012"]'])
def test_allow_warnings_takes_all_and_prefixes_as_select_does(user, sandbox, allowed):
    (user / "w.inkslop").write_text(WARNING_ONLY)
    assert run("submit", "--dry-run", "w.inkslop").exit_code == 1  # not allowed by default
    (user / "inkslop.toml").write_text(f"[submit]\nallow-warnings = {allowed}\n")
    result = run("submit", "--dry-run", "w.inkslop")
    assert result.exit_code == 0, result.stderr
    assert "Preflight passed." in result.stderr


def test_allow_warnings_of_another_family_still_refuses(user, sandbox):
    (user / "w.inkslop").write_text(WARNING_ONLY)
    (user / "inkslop.toml").write_text('[submit]\nallow-warnings = ["T"]\n')
    assert run("submit", "--dry-run", "w.inkslop").exit_code == 1


# ---- 6. the excerpt of an empty file -----------------------------------------------------

@pytest.mark.parametrize("stdin", [False, True])
def test_the_excerpt_of_an_empty_script_marks_its_start_without_a_cut(tmp_path, stdin):
    write(tmp_path / "empty.inkslop", "")
    result = inkslop(tmp_path, "check", *(["-"] if stdin else ["empty.inkslop"]), stdin="")
    assert result.code == 1
    assert "1 | \n  | ^ C006\n" in result.stdout
    assert "…" not in result.stdout


def test_a_finding_that_goes_on_past_the_window_keeps_its_cut(tmp_path):
    long_value = "[tts engine='" + "k" * 300 + "' voice=\"af_heart\"]\nHello.\n[/tts]\n"
    write(tmp_path / "long.inkslop", long_value)
    result = inkslop(tmp_path, "check", "--select", "S012", "long.inkslop")
    assert re.search(r"\n +\| +\^+ … S012\n", result.stdout), result.stdout


# ---- 7. [api] account from the script's folder ------------------------------------------

def scopes(user: Path) -> set[str]:
    with sqlite3.connect(user / "state" / "inkslop" / "ratelimit.sqlite3") as db:
        return {scope for (scope,) in db.execute("SELECT scope FROM sent")}


def test_submit_and_batch_count_for_the_account_of_the_scripts_folder(user, sandbox,
                                                                      monkeypatch):
    project = user / "work"
    (project / "videos").mkdir(parents=True)
    (project / "inkslop.toml").write_text('[api]\naccount = "work"\n')
    (project / "videos" / "a.inkslop").write_text(TTS)
    (project / "videos" / "b.inkslop").write_text(TTS)
    elsewhere = user / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)  # no configuration here: the default account
    journal = str(user / "journal.sqlite3")
    single = run("submit", str(project / "videos" / "a.inkslop"), "--no-wait",
                 "--journal", journal)
    assert single.exit_code == 0, single.stderr
    batch = run("batch", "submit", str(project / "videos" / "b.inkslop"), "--no-wait",
                "--journal", journal)
    assert batch.exit_code == 0, batch.stderr
    resumed = run("batch", "resume", "--journal", journal)
    assert resumed.exit_code == 0, resumed.stderr
    assert scopes(user) == {f"{sandbox.base_url} account=work"}
    assert sorted(sent(sandbox)) == ["a", "b"]
