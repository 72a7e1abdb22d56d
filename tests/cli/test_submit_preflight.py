"""The preflight of `inkslop submit` and `inkslop batch submit`, as a user sees it, against
the sandbox over HTTP: every finding rendered as `check` renders it, the estimate, and the
verdict; errors refuse, warnings refuse unless allowed, budgets refuse, `--dry-run` exits
as the real run would. The sandbox's own record says what was (never) sent.

In-process through click's CliRunner; the user's config and state directories are
temporary ones, the journal lives in the test's directory.
"""

from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner
from fatal_scripts import ELEVEN, TTS

from inkslop.cli import cli
from inkslop.sandbox import Sandbox

FAR_VOICE = TTS.replace("af_heart", "narrator_zz")  # far from every known voice: a warning

pytestmark = pytest.mark.sandbox(credits=100, render_seconds=0.2)


def inkslop(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(cli, list(args))


def sent(sandbox: Sandbox) -> list[str]:
    return [video["video_name"] for video in sandbox.state()["videos"]]


@pytest.mark.parametrize("name", sorted(ELEVEN))
def test_submit_refuses_each_likely_fatal_script_of_the_issue(user, sandbox, name):
    (user / f"{name}.inkslop").write_text(ELEVEN[name])
    result = inkslop("submit", f"{name}.inkslop")
    assert result.exit_code == 1, result.output
    assert f"{name}.inkslop:" in result.stderr  # the finding, rendered as `check` does
    assert "Refused, nothing was sent:" in result.stderr
    assert result.stdout == ""
    assert sent(sandbox) == []


def test_batch_submit_shows_every_finding_of_every_script_and_sends_none(user, sandbox):
    for name, text in ELEVEN.items():
        (user / f"{name}.inkslop").write_text(text)
    (user / "fine.inkslop").write_text(TTS)
    result = inkslop("batch", "submit", ".")
    assert result.exit_code == 1
    for name in ELEVEN:
        assert f"{name}.inkslop:" in result.stderr
    # in the estimate: the fine one with its seconds and credits, the broken ones with dashes
    assert re.search(r"\n  fine\.inkslop +\d+\.\d +\d+\.\d\d\n", result.stderr)
    assert re.search(r"\n  voice-typo\.inkslop +- +-\n", result.stderr)
    assert "total: 1 video " in result.stderr
    assert "Refused, nothing was sent:" in result.stderr
    assert sent(sandbox) == []


def test_the_preflight_shows_the_findings_the_estimate_and_how_to_allow_warnings(user,
                                                                                 sandbox):
    (user / "far.inkslop").write_text(FAR_VOICE)
    result = inkslop("submit", "far.inkslop")
    assert result.exit_code == 1
    err = result.stderr
    assert "far.inkslop:1:32:" in err and "warning" in err
    assert "[tts engine=\"kokoro_tts\" voice=\"narrator_zz\"]" in err  # the source excerpt
    assert "Estimate" in err and "total: 1 video" in err
    assert "To send anyway: --allow-warnings, or in the configuration " \
        "`[submit] allow-warnings = true`" in err
    assert sent(sandbox) == []

    allowed = inkslop("submit", "far.inkslop", "--allow-warnings", "--no-wait")
    assert allowed.exit_code == 0, allowed.stderr
    assert "Preflight passed." in allowed.stderr
    assert sent(sandbox) == ["far"]


def test_the_configuration_allows_warnings_by_code(user, sandbox):
    (user / "far.inkslop").write_text(FAR_VOICE)
    refused = inkslop("submit", "far.inkslop", "--dry-run")
    code = refused.stderr.split("allow-warnings = [\"", 1)[1].split('"', 1)[0]
    (user / "inkslop.toml").write_text(f'[submit]\nallow-warnings = ["{code}"]\n')
    result = inkslop("submit", "far.inkslop", "--no-wait")
    assert result.exit_code == 0, result.stderr
    assert sent(sandbox) == ["far"]


def test_dry_run_runs_the_preflight_prints_the_request_and_exits_as_the_real_run(user,
                                                                                 sandbox):
    (user / "fine.inkslop").write_text(TTS)
    (user / "far.inkslop").write_text(FAR_VOICE)
    passed = inkslop("submit", "fine.inkslop", "--dry-run")
    assert passed.exit_code == 0, passed.stderr
    assert json.loads(passed.stdout)["script"] == TTS
    assert "Preflight passed." in passed.stderr and "total: 1 video" in passed.stderr
    refused = inkslop("submit", "far.inkslop", "--dry-run")
    assert refused.exit_code == 1 and refused.stdout == ""
    batch = inkslop("batch", "submit", "fine.inkslop", "--dry-run")
    assert batch.exit_code == 0, batch.stderr
    assert [r["video_name"] for r in json.loads(batch.stdout)] == ["fine"]
    assert inkslop("batch", "submit", ".", "--dry-run").exit_code == 1
    assert sent(sandbox) == []


@pytest.mark.parametrize("text", ["", "[# later #]\n", '+++\nvideo_name = "x"\n+++\n',
                                  '[tts engine="kokoro_tts" voice="af_heart"]\n[/tts]\n'])
def test_a_script_with_nothing_to_narrate_is_refused(user, sandbox, text):
    (user / "silent.inkslop").write_text(text)
    result = inkslop("submit", "silent.inkslop", "--allow-warnings")
    assert result.exit_code == 1
    assert "silent.inkslop:1:1: C006 error:" in result.stderr  # as `check` shows it
    assert "1 error (silent.inkslop:1:1 C006)" in result.stderr
    assert sent(sandbox) == []


def test_max_credits_refuses_a_video_and_a_batch_over_budget(user, sandbox):
    (user / "a.inkslop").write_text(TTS)
    (user / "b.inkslop").write_text(TTS)
    one = json.loads(inkslop("submit", "a.inkslop", "--dry-run").stdout)
    credits = one["estimated_duration"] * 2.3 / 28.4  # InkSlop's example rate
    refused = inkslop("submit", "a.inkslop", "--max-credits", f"{credits / 2:.4f}")
    assert refused.exit_code == 1 and "over budget: a.inkslop is estimated at" in refused.stderr
    batch = inkslop("batch", "submit", ".", "--max-credits", f"{credits * 1.5:.4f}")
    assert batch.exit_code == 1
    assert "over budget: the 2 videos are estimated at" in batch.stderr
    (user / "inkslop.toml").write_text(f"[submit]\nmax-credits = {credits * 1.5:.4f}\n")
    configured = inkslop("batch", "submit", ".")
    assert configured.exit_code == 1 and "`[submit] max-credits` in" in configured.stderr
    assert sent(sandbox) == []
    fits = inkslop("submit", "a.inkslop", "--no-wait")
    assert fits.exit_code == 0, fits.stderr
    assert sent(sandbox) == ["a"]


def test_checks_hint_about_fixes_names_the_command_that_has_them(user, sandbox):
    (user / "typo.inkslop").write_text(ELEVEN["voice-typo"])
    result = inkslop("submit", "typo.inkslop")
    assert "[*] inkslop check: 1 more with --unsafe-fixes." in result.stderr
    assert "\n[*] 1 more" not in result.stderr  # not an option of submit
