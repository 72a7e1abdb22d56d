"""Exactly once under concurrency: several `inkslop batch resume` processes on one journal,
against a slow and faulty sandbox, never send a video twice and never lose one, and the
one that finds a video in another's hands says so instead of failing.

Duplicates and losses are counted from the sandbox's own record of the videos it created.
"""

from __future__ import annotations

import random
import shutil
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from batch_processes import batch_state, created, run, start, write_scripts

from inkslop.api.client import Client
from inkslop.batch.journal import Journal, JournalConflict, PlannedVideo
from inkslop.batch.runner import BatchRunner, Event
from inkslop.sandbox import Sandbox

TRIALS = 20  # the repro, in process: two runners, two journal connections
PROCESS_TRIALS = 4  # and as the user met it: two `inkslop batch resume` processes
AT_ONCE = 4  # process trials side by side: 8 processes at a time


@pytest.fixture(scope="module")
def killed_after_intent(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A workdir whose journal holds a batch of two videos, the first left in `sending` by
    a SIGKILL right after its intent: the state of the issue's repro."""
    workdir = tmp_path_factory.mktemp("killed")
    write_scripts(workdir, 2)
    with Sandbox(credits=100, render_seconds=0.2) as sandbox:
        killed = run(workdir, sandbox, "batch", "submit", ".", "--no-wait",
                     kill_at="after-intent:1")
        assert killed.returncode == -9, killed.stderr
        assert sandbox.state()["videos"] == []  # killed before its POST
    return workdir


def _process_trial(source: Path, trial: Path) -> dict:
    """The issue's repro once: a fresh sandbox with 0.5 s latency, two resumer processes
    started 0 to 500 ms apart on a copy of the killed journal."""
    shutil.copytree(source, trial)
    shutil.rmtree(trial / "state", ignore_errors=True)
    with Sandbox(credits=100, render_seconds=0.2, faults={"latency": 0.5}) as sandbox:
        first = start(trial, sandbox, "batch", "resume", "--no-wait")
        time.sleep(random.uniform(0.0, 0.5))
        second = start(trial, sandbox, "batch", "resume", "--no-wait")
        outputs = [process.communicate(timeout=120) for process in (first, second)]
        return {"codes": [first.returncode, second.returncode],
                "stderr": [err for _, err in outputs], "created": created(sandbox)}


def _runner_trial(source: Path, trial: Path) -> dict:
    """The same repro with the two resumers as two runners of this process, each with its
    own journal connection and owner identity: cheap enough to run many times."""
    shutil.copytree(source, trial)
    journal_path = trial / ".inkslop" / "batches.sqlite3"
    events: list[list[Event]] = [[], []]
    failures: list[BaseException] = []
    with Sandbox(credits=100, render_seconds=0.2, faults={"latency": 0.5}) as sandbox:
        def resume(number: int) -> None:
            try:
                with Journal(journal_path) as journal, Client(
                        sandbox.key, sandbox.base_url, rate_limiter=False) as client:
                    runner = BatchRunner(journal, client, report=events[number].append)
                    runner.run(journal.latest_batch(), wait=False)
            except BaseException as error:  # noqa: BLE001 - reported by the test
                failures.append(error)

        first = threading.Thread(target=resume, args=(0,))
        second = threading.Thread(target=resume, args=(1,))
        first.start()
        time.sleep(random.uniform(0.0, 0.5))
        second.start()
        first.join()
        second.join()
        with Journal(journal_path) as journal:
            states = [j.state for j in journal.jobs(journal.latest_batch())]
        return {"failures": failures, "events": events, "states": states,
                "created": created(sandbox)}


def test_two_resumers_started_together_send_each_video_once_20_times(killed_after_intent,
                                                                     tmp_path):
    with ThreadPoolExecutor(TRIALS) as pool:
        results = list(pool.map(lambda n: _runner_trial(killed_after_intent,
                                                        tmp_path / f"t{n}"), range(TRIALS)))
    for result in results:
        assert result["failures"] == []
        assert result["created"] == Counter({"fact-1": 1, "fact-2": 1}), result
        assert result["states"] == ["sent", "sent"]
    held = [e for result in results for side in result["events"] for e in side
            if e.kind == "held"]
    assert held and "is sending it; waiting for that process" in held[0].message


def test_two_resumer_processes_started_together_send_each_video_once(killed_after_intent,
                                                                    tmp_path):
    with ThreadPoolExecutor(AT_ONCE) as pool:
        results = list(pool.map(lambda n: _process_trial(killed_after_intent,
                                                         tmp_path / f"p{n}"),
                                range(PROCESS_TRIALS)))
    for result in results:
        assert result["created"] == Counter({"fact-1": 1, "fact-2": 1}), result
        assert result["codes"] == [0, 0], result["stderr"]
        assert not any("internal error" in err for err in result["stderr"])


@pytest.mark.sandbox(credits=500, render_seconds=0.2)
def test_three_resumers_under_latency_429s_and_lost_answers_lose_and_repeat_nothing(
        sandbox, tmp_path):
    write_scripts(tmp_path, 6)
    killed = run(tmp_path, sandbox, "batch", "submit", ".", "--download", "out",
                 "--publish-channel", "3", kill_at="after-intent:2")
    assert killed.returncode == -9, killed.stderr
    sandbox.set_faults(latency=0.3, fail_429=2, fail_429_route="POST /videos", retry_after=1,
                       drop_after_commit=2)
    resumers = [start(tmp_path, sandbox, "batch", "resume") for _ in range(3)]
    outputs = [process.communicate(timeout=240) for process in resumers]
    errors = [err for _, err in outputs]
    assert [p.returncode for p in resumers] == [0, 0, 0], errors
    assert created(sandbox) == Counter({f"fact-{n}": 1 for n in range(1, 7)})
    jobs = batch_state(tmp_path, sandbox)
    assert [j["state"] for j in jobs] == ["done"] * 6
    assert len({j["task_id"] for j in jobs}) == 6
    # each saved and published once, by whichever resumer held its lease
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == \
        [f"fact-{n}.mp4" for n in range(1, 7)]
    assert sorted(j["task_id"] for j in sandbox.state()["publish_jobs"]) == \
        sorted(j["task_id"] for j in jobs)
    said = "".join(errors)
    assert "answer to the request was lost" in said  # the faults did happen...
    assert "rate limited" in said and "it will be sent again at" in said
    assert "internal error" not in said  # ...and were handled


def test_a_lease_of_a_dead_process_is_taken_over_and_a_live_one_is_not(tmp_path):
    from inkslop.batch.journal import Owner

    path = tmp_path / "j.sqlite3"
    with Journal(path) as first:
        first.create_batch("b", [PlannedVideo("a", "a", {"script": "x"})], {})
        (job,) = first.jobs("b")
        assert first.take_lease(job) is None  # free: taken
        with Journal(path) as second:
            (same,) = second.jobs("b")
            assert second.take_lease(same) == first.owner  # alive (this very process)
        dead = Owner(first.owner.host, _dead_pid(), "gone")
        with Journal(path, owner=dead) as ghost:
            (mine,) = ghost.jobs("b")
            assert ghost.take_lease(mine) == first.owner  # still held by the live one
        first.release_lease(job)
        with Journal(path, owner=dead) as ghost:
            (mine,) = ghost.jobs("b")
            assert ghost.take_lease(mine) is None  # the ghost holds it now...
        with Journal(path) as third:
            (again,) = third.jobs("b")
            assert third.take_lease(again) is None  # ...and its pid is dead: taken over


def test_a_job_in_a_live_process_hands_cannot_be_settled_by_hand(tmp_path):
    path = tmp_path / "j.sqlite3"
    with Journal(path) as sender, Journal(path) as person:
        sender.create_batch("b", [PlannedVideo("a", "a", {"script": "x"})], {})
        (job,) = sender.jobs("b")
        assert sender.take_lease(job) is None
        sender.record_intent(job, time.time())  # sending it right now
        with pytest.raises(JournalConflict, match=f"in the hands of {sender.owner}"):
            person.settle(person.job(job.id), None)
        sender.release_lease(job)
        person.settle(person.job(job.id), "task-1")
        assert sender.job(job.id).state == "sent"
        with pytest.raises(JournalConflict, match="not unknown: there is nothing to settle"):
            person.settle(person.job(job.id), None)


def _dead_pid() -> int:
    import subprocess
    import sys

    process = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                             capture_output=True, text=True, check=True)
    return int(process.stdout)


@pytest.mark.sandbox(credits=100, render_seconds=0, faults={"latency": 0.3})
def test_two_runners_finishing_one_batch_save_and_publish_each_video_once(sandbox, tmp_path):
    path = tmp_path / "journal.sqlite3"
    script = '[tts engine="kokoro_tts" voice="af_heart"]\nFact number {}.\n[/tts]\n'
    videos = [PlannedVideo(f"v{n}", f"fact-{n}", {"script": script.format(n),
                                                  "video_name": f"fact-{n}"}) for n in (1, 2)]
    with Journal(path) as journal:
        journal.create_batch("b", videos, {"download_dir": str(tmp_path / "out"),
                                           "publish": {"channel_id": 3}})
    events: list[Event] = []

    def finish(_: int) -> None:
        with Journal(path) as journal, Client(sandbox.key, sandbox.base_url,
                                              rate_limiter=False) as client:
            BatchRunner(journal, client, report=events.append, poll_seconds=0.1).run("b")

    with ThreadPoolExecutor(2) as pool:
        list(pool.map(finish, range(2)))
    assert sorted(e.message for e in events if e.kind == "downloaded") == \
        [f"v{n}: saved {tmp_path / 'out' / f'fact-{n}.mp4'}" for n in (1, 2)]
    assert len(sandbox.state()["publish_jobs"]) == 2
    assert created(sandbox) == Counter({"fact-1": 1, "fact-2": 1})
