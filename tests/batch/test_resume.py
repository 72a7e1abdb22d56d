"""The repros of issue 10 about sending, against the sandbox over real HTTP: reconciliation
that never claims another project's video, exit codes that mean what they say, and a resume
that keeps every promise of the first run. Each command runs as its own process."""

from __future__ import annotations

from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from batch_processes import batch_state, created, run, write_scripts

from inkslop.api.client import Client
from inkslop.batch.journal import Journal, PlannedVideo
from inkslop.sandbox import Sandbox

pytestmark = pytest.mark.sandbox(credits=500, render_seconds=0.3)

TTS = '[tts engine="kokoro_tts" voice="af_heart"]\nAnother project says hello.\n[/tts]\n'


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    write_scripts(tmp_path, 2)
    return tmp_path


def another_project_creates(sandbox: Sandbox, name: str) -> str:
    """A video of the same account made by someone else (another journal, another tool)."""
    with Client(sandbox.key, sandbox.base_url, rate_limiter=False) as client:
        return client.create_video({"script": TTS, "video_name": name}).task_id


def job_named(workdir: Path, sandbox: Sandbox, name: str) -> dict:
    return next(j for j in batch_state(workdir, sandbox) if j["video_name"] == name)


# ---- reconciliation ------------------------------------------------------------------------

def test_another_projects_video_of_the_same_name_made_before_the_intent_is_not_claimed(
        workdir, sandbox):
    theirs = another_project_creates(sandbox, "fact-1")
    # The server's clock now runs ten minutes ahead of ours: theirs was made ten minutes
    # before our intent in the server's time, a second before it in ours. Only a window
    # drawn in the server's time (its `Date` headers) leaves it alone.
    sandbox.advance(600)
    killed = run(workdir, sandbox, "batch", "submit", ".", kill_at="after-intent:1")
    assert killed.returncode == -9, killed.stderr
    resumed = run(workdir, sandbox, "batch", "resume")
    assert resumed.returncode == 0, resumed.stderr
    assert "not in InkSlop's list: it will be sent" in resumed.stderr
    assert created(sandbox) == Counter({"fact-1": 2, "fact-2": 1})  # theirs, and ours
    ours = job_named(workdir, sandbox, "fact-1")
    assert ours["state"] == "done" and ours["task_id"] != theirs


def test_two_candidates_leave_the_job_unknown_until_a_person_settles_it(workdir, sandbox):
    killed = run(workdir, sandbox, "batch", "submit", ".", "--no-wait",
                 kill_at="after-post:1")  # ours was created, its task id never recorded
    assert killed.returncode == -9, killed.stderr
    theirs = another_project_creates(sandbox, "fact-1")  # inside the same window
    resumed = run(workdir, sandbox, "batch", "resume", "--no-wait")
    assert resumed.returncode == 1, resumed.stderr
    job = job_named(workdir, sandbox, "fact-1")
    assert job["state"] == "unknown" and job["task_id"] is None
    assert "cannot tell whether it was sent: 2 videos named 'fact-1' could be it" in \
        resumed.stderr
    assert f"`inkslop batch settle {job['id']} --sent TASK_ID`" in resumed.stderr
    assert f"`inkslop batch settle {job['id']} --not-sent`" in resumed.stderr
    assert "Not finished: go on with `inkslop batch resume" in resumed.stderr
    assert created(sandbox) == Counter({"fact-1": 2, "fact-2": 1})  # nothing sent again

    ours = next(v["task_id"] for v in sandbox.state()["videos"]
                if v["video_name"] == "fact-1" and v["task_id"] != theirs)
    refused = run(workdir, sandbox, "batch", "settle", str(job["id"]), "--sent", "nonsense",
                  "--not-sent")
    assert refused.returncode == 2 and "--sent TASK_ID, or --not-sent" in refused.stderr
    settled = run(workdir, sandbox, "batch", "settle", str(job["id"]), "--sent", ours)
    assert settled.returncode == 0, settled.stderr
    finished = run(workdir, sandbox, "batch", "resume")
    assert finished.returncode == 0, finished.stderr
    assert job_named(workdir, sandbox, "fact-1")["task_id"] == ours
    assert [j["state"] for j in batch_state(workdir, sandbox)] == ["done", "done"]
    assert created(sandbox) == Counter({"fact-1": 2, "fact-2": 1})


def test_settled_as_not_sent_the_video_is_sent_again(workdir, sandbox):
    run(workdir, sandbox, "batch", "submit", ".", "--no-wait", kill_at="after-post:1")
    another_project_creates(sandbox, "fact-1")
    run(workdir, sandbox, "batch", "resume", "--no-wait")
    job = job_named(workdir, sandbox, "fact-1")
    assert job["state"] == "unknown"
    settled = run(workdir, sandbox, "batch", "settle", str(job["id"]), "--not-sent")
    assert settled.returncode == 0, settled.stderr
    finished = run(workdir, sandbox, "batch", "resume")
    assert finished.returncode == 0, finished.stderr
    assert job_named(workdir, sandbox, "fact-1")["state"] == "done"
    assert created(sandbox)["fact-1"] == 3  # ours, theirs, and ours again as the person said


# ---- exit codes ----------------------------------------------------------------------------

@pytest.mark.parametrize("fault", ["fail_429", "fail_502"])
def test_a_video_held_back_by_a_429_or_502_is_sent_later_in_the_same_run(workdir, sandbox,
                                                                         fault):
    sandbox.set_faults(**{fault: 1, f"{fault}_route": "POST /videos", "retry_after": 1})
    result = run(workdir, sandbox, "batch", "submit", ".")
    assert result.returncode == 0, result.stderr
    assert "it will be sent again at" in result.stderr
    assert created(sandbox) == Counter({"fact-1": 1, "fact-2": 1})
    assert [j["state"] for j in batch_state(workdir, sandbox)] == ["done", "done"]


def test_no_wait_leaves_a_held_back_video_open_exits_1_and_prints_the_resume_command(
        workdir, sandbox):
    sandbox.set_faults(fail_429=1, fail_429_route="POST /videos", retry_after=1)
    result = run(workdir, sandbox, "batch", "submit", ".", "--no-wait")
    assert result.returncode == 1, result.stderr
    batch_id = result.stderr.split("Batch ", 1)[1].split(":", 1)[0]
    assert f"Not finished: go on with `inkslop batch resume {batch_id}`" in result.stderr
    assert sum(created(sandbox).values()) == 1
    resumed = run(workdir, sandbox, "batch", "resume", batch_id)
    assert resumed.returncode == 0, resumed.stderr
    assert created(sandbox) == Counter({"fact-1": 1, "fact-2": 1})


def test_a_refused_connection_exits_2_as_documented(workdir):
    with Sandbox() as stopped:
        base_url, key = stopped.base_url, stopped.key
    commands = (("batch", "submit", "."), ("submit", "video1.inkslop"))
    with ThreadPoolExecutor(len(commands)) as pool:  # each waits out the client's retries
        results = list(pool.map(lambda command: run(workdir, base_url, *command, key=key),
                                commands))
    for result in results:
        assert result.returncode == 2, result.stderr
        assert "cannot reach InkSlop" in result.stderr
        assert "go on later with: inkslop batch resume" in result.stderr


# ---- resume keeps every promise ----------------------------------------------------------

def test_submit_download_interrupted_by_ctrl_c_is_written_by_batch_resume(workdir, sandbox):
    interrupted = run(workdir, sandbox, "submit", "video1.inkslop", "--download", "out.mp4",
                      kill_at="after-record:1:INT")
    assert interrupted.returncode == 130, interrupted.stderr
    assert "interrupted: `inkslop batch resume" in interrupted.stderr
    assert not (workdir / "out.mp4").exists()
    resumed = run(workdir, sandbox, "batch", "resume")
    assert resumed.returncode == 0, resumed.stderr
    assert (workdir / "out.mp4").stat().st_size > 0
    assert created(sandbox) == Counter({"fact-1": 1})


def test_resume_publishes_as_the_first_run_was_asked(workdir, sandbox):
    sent = run(workdir, sandbox, "batch", "submit", ".", "--publish-channel", "3",
               "--privacy", "unlisted", "--download", "videos", "--no-wait")
    assert sent.returncode == 0, sent.stderr
    resumed = run(workdir, sandbox, "batch", "resume")
    assert resumed.returncode == 0, resumed.stderr
    jobs = sandbox.state()["publish_jobs"]
    assert sorted((j["channel_id"], j["settings"].get("privacy")) for j in jobs) == \
        [(3, "unlisted"), (3, "unlisted")]
    assert sorted(p.name for p in (workdir / "videos").iterdir()) == ["fact-1.mp4",
                                                                      "fact-2.mp4"]


def test_resume_keeps_the_allowance_of_the_first_run(tmp_path, sandbox):
    (tmp_path / "far.inkslop").write_text(TTS.replace("af_heart", "narrator_zz"))
    refused = run(tmp_path, sandbox, "batch", "submit", ".")
    assert refused.returncode == 1 and "--allow-warnings" in refused.stderr
    killed = run(tmp_path, sandbox, "batch", "submit", ".", "--allow-warnings",
                 kill_at="after-intent:1")
    assert killed.returncode == -9, killed.stderr
    resumed = run(tmp_path, sandbox, "batch", "resume")
    assert resumed.returncode == 0, resumed.stderr
    assert created(sandbox) == Counter({"far": 1})


def test_resume_runs_the_preflight_on_what_is_left_to_send(tmp_path, sandbox):
    """A batch planned by other means (here the library) with a broken script: resume
    shows its findings and sends nothing."""
    broken = '[tts engine="kokoro_tts" voice="af_heart"]\nNever closed.\n'
    with Journal(tmp_path / ".inkslop" / "batches.sqlite3") as journal:
        journal.create_batch("b1", [PlannedVideo("broken.inkslop", "broken",
                                                 {"script": broken, "video_name": "broken"})],
                             {})
    result = run(tmp_path, sandbox, "batch", "resume")
    assert result.returncode == 1
    assert "broken.inkslop:1:1:" in result.stderr and "Refused, nothing was sent" in \
        result.stderr
    assert created(sandbox) == Counter()
