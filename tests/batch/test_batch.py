"""Batches against the sandbox over real HTTP: exactly once through crashes, pacing, follow-up.

The batch runs as its own process (`python -m inkslop batch submit`), killed with SIGKILL
at the points where a crash hurts most (inkslop.batch.crash_points), then resumed; the
sandbox's own list of videos is the judge: every video of the batch there exactly once.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
from batch_processes import batch_state, created, run, write_scripts

from inkslop.sandbox import Sandbox

pytestmark = pytest.mark.sandbox(credits=500, render_seconds=0.5)


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    write_scripts(tmp_path, 4)
    return tmp_path


def names_in_sandbox(sandbox: Sandbox) -> Counter[str]:
    return created(sandbox)


@pytest.mark.parametrize("kill_at", ["after-intent:1", "after-intent:3", "after-post:2",
                                     "after-post:4", "after-record:3"])
def test_a_batch_killed_anywhere_resumes_without_duplicates_or_losses(workdir, sandbox,
                                                                      kill_at):
    killed = run(workdir, sandbox, "batch", "submit", ".", kill_at=kill_at)
    assert killed.returncode == -9, killed.stderr  # SIGKILL: no cleanup of any kind ran
    resumed = run(workdir, sandbox, "batch", "resume")
    assert resumed.returncode == 0, resumed.stderr
    assert names_in_sandbox(sandbox) == Counter({f"fact-{n}": 1 for n in range(1, 5)})
    jobs = batch_state(workdir, sandbox)
    assert [j["state"] for j in jobs] == ["done"] * 4
    assert len({j["task_id"] for j in jobs}) == 4
    if kill_at.startswith("after-post"):
        assert "found in InkSlop's list" in resumed.stderr  # reconciled, not sent again


def test_a_lost_answer_is_reconciled_not_sent_twice(workdir, sandbox):
    sandbox.set_faults(drop_after_commit=2)  # the server creates the video, then hangs up
    result = run(workdir, sandbox, "batch", "submit", ".")
    assert result.returncode == 0, result.stderr
    assert result.stderr.count("answer to the request was lost") == 2
    assert names_in_sandbox(sandbox) == Counter({f"fact-{n}": 1 for n in range(1, 5)})


def test_a_broken_script_stops_the_batch_before_anything_is_sent(workdir, sandbox):
    (workdir / "video9.inkslop").write_text('[tts engine="kokoro_tts" voice="af_heart"]\nHi\n')
    result = run(workdir, sandbox, "batch", "submit", ".")
    assert result.returncode == 1
    assert "video9.inkslop:1:1: S001" in result.stderr
    assert "Refused, nothing was sent" in result.stderr
    assert names_in_sandbox(sandbox) == Counter()


def test_a_template_with_rows_makes_one_video_per_row(tmp_path, sandbox):
    (tmp_path / "animal.inkslop").write_text(
        '+++\nvideo_name = "{{ animal }}-fact"\n+++\n[tts engine="kokoro_tts" '
        'voice="af_heart"]\nThe {{ animal }} is remarkable.\n[/tts]\n')
    (tmp_path / "rows.csv").write_text("animal\nnarwhal\nquokka\naxolotl\n")
    result = run(tmp_path, sandbox, "batch", "submit", "animal.inkslop", "--data", "rows.csv",
                 "--download", "videos")
    assert result.returncode == 0, result.stderr
    assert names_in_sandbox(sandbox) == Counter(
        {"narwhal-fact": 1, "quokka-fact": 1, "axolotl-fact": 1})
    assert sorted(p.name for p in (tmp_path / "videos").iterdir()) == [
        "axolotl-fact.mp4", "narwhal-fact.mp4", "quokka-fact.mp4"]


def test_submit_waits_reports_and_downloads(workdir, sandbox):
    result = run(workdir, sandbox, "submit", "video1.inkslop", "--download", "one.mp4")
    assert result.returncode == 0, result.stderr
    assert "state: done" in result.stdout and "credits used:" in result.stdout
    assert (workdir / "one.mp4").stat().st_size > 0
    assert sandbox.key not in result.stdout + result.stderr


def test_submit_dry_run_prints_the_request_and_sends_nothing(workdir, sandbox):
    result = run(workdir, sandbox, "submit", "video2.inkslop", "--dry-run")
    assert result.returncode == 0, result.stderr
    body = json.loads(result.stdout)
    assert body["video_name"] == "fact-2" and body["estimated_duration"] > 0
    assert names_in_sandbox(sandbox) == Counter()


def test_the_batch_paces_itself_to_the_per_minute_limit(tmp_path):
    """Twelve videos against 10 a minute: the runner waits for the limiter's slot instead
    of meeting a 429 (time is simulated: the sandbox's and the limiter's clocks advance
    when the runner sleeps)."""
    from inkslop.api.client import Client
    from inkslop.api.ratelimit import RateLimiter
    from inkslop.batch.journal import Journal, PlannedVideo
    from inkslop.batch.runner import BatchRunner

    now = [1_800_000_000.0]
    with Sandbox(credits=500, render_seconds=1, clock=lambda: now[0]) as sandbox:
        def sleep(seconds: float) -> None:
            now[0] += seconds

        limiter = RateLimiter(tmp_path / "limits.sqlite3", "test", clock=lambda: now[0])
        events = []
        with Client(sandbox.key, sandbox.base_url, rate_limiter=limiter, sleep=sleep,
                    clock=lambda: now[0]) as client, Journal(tmp_path / "j.sqlite3") as journal:
            videos = [PlannedVideo(f"v{n}", f"v{n}", {"script": '[tts engine="kokoro_tts" '
                                   'voice="af_heart"]\nHi.\n[/tts]\n', "video_name": f"v{n}"})
                      for n in range(12)]
            journal.create_batch("b", videos, {})
            runner = BatchRunner(journal, client, sleep=sleep, clock=lambda: now[0],
                                 report=events.append)
            jobs = runner.run("b")
        assert [j.state for j in jobs] == ["done"] * 12
        waits = [e for e in events if e.kind == "waiting"]
        assert waits and "all be sent by" in waits[0].message
        assert not [e for e in events if e.kind in ("refused", "unknown")]
