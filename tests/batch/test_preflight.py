"""The preflight as a library (inkslop.compile.preflight): what refuses, what may be allowed,
the budget, and the scripts with nothing to narrate. The command line's use of it is
tested in tests/cli/test_submit_preflight.py."""

from __future__ import annotations

from pathlib import Path

import pytest
from fatal_scripts import ELEVEN, TTS

from inkslop.compile.preflight import (
    NOTHING_TO_NARRATE,
    SILENT_RULE,
    Allowance,
    check_script,
    preflight,
)
from inkslop.config.loader import settings_for

SILENT = {
    "empty": "",
    "only-comments": "[# a plan for later #]\n",
    "only-front-matter": '+++\nvideo_name = "nothing"\n+++\n',
    "only-empty-tts": '[tts engine="kokoro_tts" voice="af_heart"]\n[/tts]\n',
}


@pytest.mark.parametrize("name", sorted(ELEVEN))
def test_each_likely_fatal_script_of_the_issue_is_refused_by_default(name):
    checked = check_script(ELEVEN[name], f"{name}.inkslop")
    verdict = preflight([checked])
    assert not verdict.passed
    assert checked.findings, "the refusal rests on findings the author can see"
    first = checked.findings[0]
    # the refusal names the finding by place and code
    assert f"{name}.inkslop:{first.span.line}:{first.span.column} {first.code}" in \
        " ".join(verdict.refusals)


@pytest.mark.parametrize("name", sorted(SILENT))
def test_a_script_with_nothing_to_narrate_is_refused_even_with_warnings_allowed(name):
    checked = check_script(SILENT[name], f"{name}.inkslop")
    verdict = preflight([checked], Allowance(warnings=True))
    assert not verdict.passed
    assert [d.code for d in checked.errors] == [SILENT_RULE]  # check says so, as an error
    assert f"{name}.inkslop:1:1 {SILENT_RULE}" in verdict.refusals[0]
    assert checked.request is None  # nothing that could be sent was made


@pytest.mark.parametrize("setting", ['ignore = ["C006"]', '[severity]\nC006 = "warning"'])
@pytest.mark.parametrize("name", sorted(SILENT))
def test_a_silent_script_is_refused_when_the_project_ignores_or_lowers_c006(tmp_path, name,
                                                                            setting):
    (tmp_path / "inkslop.toml").write_text(setting + "\n")
    script = tmp_path / f"{name}.inkslop"
    checked = check_script(SILENT[name], str(script), settings_for(script))
    verdict = preflight([checked], Allowance(warnings=True))
    assert f"{script}: {NOTHING_TO_NARRATE}." in verdict.refusals


def test_a_clean_script_passes_with_its_request_and_estimate():
    checked = check_script(TTS, "clean.inkslop")
    verdict = preflight([checked])
    assert verdict.passed and verdict.refusals == []
    assert checked.request["script"].startswith('[tts engine="kokoro_tts"')
    assert checked.seconds == checked.request["estimated_duration"] > 0
    assert checked.credits > 0 and verdict.credits == checked.credits


def test_a_warning_refuses_and_says_how_to_allow_it():
    far_voice = TTS.replace("af_heart", "narrator_zz")  # far from every known voice
    checked = check_script(far_voice, "far.inkslop")
    assert [d.severity for d in checked.findings] == ["warning"]
    code = checked.findings[0].code
    (refusal,) = preflight([checked]).refusals
    assert "1 warning not allowed" in refusal and "--allow-warnings" in refusal
    assert f'allow-warnings = ["{code}"]' in refusal
    assert preflight([checked], Allowance(warnings=True)).passed
    assert preflight([checked], Allowance(warnings=(code,))).passed
    assert not preflight([checked], Allowance(warnings=("X999",))).passed


def test_errors_refuse_whatever_is_allowed():
    broken = TTS.replace("[/tts]\n", "")  # never closed: a syntax error
    checked = check_script(broken, "broken.inkslop")
    assert checked.errors
    verdict = preflight([checked], Allowance(warnings=True, max_credits=1000))
    assert any("a script with an error is never sent" in r for r in verdict.refusals)


def test_the_configuration_allows_warnings_by_code(tmp_path: Path):
    far_voice = TTS.replace("af_heart", "narrator_zz")
    code = check_script(far_voice, "x").findings[0].code
    (tmp_path / "inkslop.toml").write_text(f'[submit]\nallow-warnings = ["{code}"]\n')
    script = tmp_path / "far.inkslop"
    checked = check_script(far_voice, str(script), settings_for(script))
    assert preflight([checked]).passed
    (tmp_path / "inkslop.toml").write_text("[submit]\nallow-warnings = true\n")
    assert preflight([check_script(far_voice, str(script), settings_for(script))]).passed


def test_the_budget_refuses_a_video_and_a_whole_batch(tmp_path: Path):
    one = check_script(TTS, "one.inkslop")
    assert not preflight([one], Allowance(max_credits=one.credits / 2)).passed
    assert preflight([one], Allowance(max_credits=one.credits * 1.5)).passed
    # each video is under the budget, the batch is not
    two = [check_script(TTS, "a.inkslop"), check_script(TTS, "b.inkslop")]
    verdict = preflight(two, Allowance(max_credits=one.credits * 1.5))
    (refusal,) = verdict.refusals
    assert refusal.startswith("over budget: the 2 videos are estimated at")
    assert "--max-credits" in refusal
    # from the configuration, named in the refusal
    (tmp_path / "inkslop.toml").write_text(f"[submit]\nmax-credits = {one.credits / 2}\n")
    script = tmp_path / "a.inkslop"
    (refusal,) = preflight([check_script(TTS, str(script), settings_for(script))]).refusals
    assert "`[submit] max-credits` in " in refusal and "inkslop.toml" in refusal


def test_d001_warns_by_default_over_three_minutes_and_can_be_turned_off(tmp_path: Path):
    long = '[tts engine="kokoro_tts" voice="af_heart"]\n' + \
        "Octopuses have three hearts, blue blood and nine brains.\n" * 60 + "[/tts]\n"
    checked = check_script(long, "long.inkslop")
    assert checked.seconds > 180
    assert [d.code for d in checked.findings] == ["D001"]
    assert not preflight([checked]).passed
    (tmp_path / "inkslop.toml").write_text("[estimate]\nmax-seconds = false\n")
    script = tmp_path / "long.inkslop"
    assert check_script(long, str(script), settings_for(script)).findings == []


@pytest.mark.parametrize("setting", ["", 'ignore = ["V"]', '[severity]\nV001 = "info"'])
def test_a_variable_without_a_value_refuses_whatever_check_calls_it(tmp_path, setting):
    (tmp_path / "inkslop.toml").write_text(setting + "\n")
    script = tmp_path / "typo.inkslop"
    text = ('+++\n[vars]\nanimal = "cat"\n+++\n'
            '[tts engine="kokoro_tts" voice="af_heart"]\nThe {{ anmial }} is here.\n[/tts]\n')
    checked = check_script(text, str(script), settings_for(script))
    assert [(d.code, d.severity, d.span.line) for d in checked.errors] == [("V001", "error", 6)]
    assert checked.request is None
    verdict = preflight([checked], Allowance(warnings=True))
    assert not verdict.passed and f"{script}:6:5 V001" in verdict.refusals[0]
