"""The batch journal: what each video of a batch is, and how far it got, in SQLite.

Exactly once rests on two writes around each `POST /videos`, each committed
before the next step:

    planned ──record intent──▶ sending ──POST, then record task id──▶ sent
                                   │
                 (crash, timeout)  └──▶ reconcile: the video in InkSlop's list
                                        that carries this job's unique name and
                                        was created after the intent ──▶ sent,
                                        or none ──▶ planned (safe to send again)

A job found in `sending` on resume was interrupted between the two writes: its
outcome is unknown, so it is reconciled against the API's list of videos
before anything is sent again. Publishing, which InkSlop cannot list, is
recorded the same way; one interrupted mid-request is left `publish-unknown`
for a person to check, never sent twice.

Each write is its own transaction (`BEGIN IMMEDIATE`), so a process killed at
any point leaves the journal consistent, and a second process on the same
journal waits rather than interleaves.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

DEFAULT_PATH = Path(".inkslop") / "batches.sqlite3"

# Job states, in the order a job moves through them.
PLANNED, SENDING, SENT, DONE, FAILED = "planned", "sending", "sent", "done", "failed"
OPEN_STATES = (PLANNED, SENDING, SENT)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS batches (
    id TEXT PRIMARY KEY,
    created_at REAL NOT NULL,
    options TEXT NOT NULL               -- JSON: download dir, publish settings, wait...
);
CREATE TABLE IF NOT EXISTS jobs (
    id INTEGER PRIMARY KEY,
    batch_id TEXT NOT NULL REFERENCES batches(id),
    position INTEGER NOT NULL,
    source TEXT NOT NULL,               -- the file, or the template and its data row
    video_name TEXT NOT NULL,           -- unique in the batch: how a lost POST is found again
    request TEXT NOT NULL,              -- JSON body of POST /videos, fixed when planned
    state TEXT NOT NULL,
    task_id TEXT,
    intent_at REAL,                     -- when the POST was about to be sent
    status TEXT,                        -- JSON of the last GET /videos/{id}
    error TEXT,
    download TEXT,                      -- where the MP4 was saved
    publish_state TEXT,                 -- NULL, sending, sent, unknown
    publish_result TEXT,
    UNIQUE (batch_id, position),
    UNIQUE (batch_id, video_name)
);
"""


@dataclass(slots=True)
class Job:
    id: int
    batch_id: str
    position: int
    source: str
    video_name: str
    request: dict[str, Any]
    state: str
    task_id: str | None
    intent_at: float | None
    status: dict[str, Any] | None
    error: str | None
    download: str | None
    publish_state: str | None
    publish_result: dict[str, Any] | None


@dataclass(slots=True)
class PlannedVideo:
    source: str
    video_name: str
    request: dict[str, Any]


class Journal:
    """A batch journal file; every method commits before it returns."""

    def __init__(self, path: Path = DEFAULT_PATH) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.db = sqlite3.connect(path, timeout=30, isolation_level=None)
        self.db.row_factory = sqlite3.Row
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=FULL")  # a committed intent survives power loss
        self.db.executescript(_SCHEMA)

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Journal:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield self.db
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    # -- batches --

    def create_batch(self, batch_id: str, videos: list[PlannedVideo],
                     options: dict[str, Any]) -> None:
        """Record a whole batch at once: all its jobs planned, or nothing."""
        with self.transaction() as db:
            db.execute("INSERT INTO batches (id, created_at, options) VALUES (?, ?, ?)",
                       (batch_id, time.time(), json.dumps(options)))
            db.executemany(
                "INSERT INTO jobs (batch_id, position, source, video_name, request, state) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                [(batch_id, n, v.source, v.video_name, json.dumps(v.request), PLANNED)
                 for n, v in enumerate(videos, start=1)])

    def batches(self) -> list[dict[str, Any]]:
        rows = self.db.execute(
            "SELECT b.id, b.created_at, b.options, COUNT(j.id) AS jobs, "
            "SUM(j.state IN ('planned', 'sending', 'sent')) AS open FROM batches b "
            "LEFT JOIN jobs j ON j.batch_id = b.id GROUP BY b.id ORDER BY b.created_at").fetchall()
        return [{**dict(r), "options": json.loads(r["options"])} for r in rows]

    def latest_batch(self) -> str | None:
        row = self.db.execute("SELECT id FROM batches ORDER BY created_at DESC LIMIT 1").fetchone()
        return row["id"] if row else None

    def options(self, batch_id: str) -> dict[str, Any]:
        row = self.db.execute("SELECT options FROM batches WHERE id = ?", (batch_id,)).fetchone()
        if row is None:
            raise KeyError(batch_id)
        return json.loads(row["options"])

    def jobs(self, batch_id: str, states: tuple[str, ...] | None = None) -> list[Job]:
        query = "SELECT * FROM jobs WHERE batch_id = ?"
        parameters: list[Any] = [batch_id]
        if states:
            query += f" AND state IN ({', '.join('?' * len(states))})"
            parameters += states
        return [_job(row) for row in self.db.execute(query + " ORDER BY position", parameters)]

    def claimed_task_ids(self) -> set[str]:
        """Task ids already matched to a job, in any batch of this journal."""
        rows = self.db.execute("SELECT task_id FROM jobs WHERE task_id IS NOT NULL")
        return {row["task_id"] for row in rows}

    # -- the two writes around POST /videos --

    def record_intent(self, job: Job, now: float) -> None:
        self._update(job, "state = ?, intent_at = ?", (SENDING, now), expect=PLANNED)

    def record_sent(self, job: Job, task_id: str) -> None:
        self._update(job, "state = ?, task_id = ?, error = NULL", (SENT, task_id), expect=SENDING)

    def record_not_sent(self, job: Job) -> None:
        """Reconciled: the POST never created a video, so the job may be sent again."""
        self._update(job, "state = ?, intent_at = NULL", (PLANNED,), expect=SENDING)

    def record_refused(self, job: Job, error: str) -> None:
        """InkSlop answered the POST with an error: nothing was created, nothing spent."""
        self._update(job, "state = ?, error = ?", (FAILED, error), expect=SENDING)

    # -- after sending --

    def record_status(self, job: Job, status: dict[str, Any]) -> None:
        state = {"done": DONE, "error": FAILED}.get(status.get("status", ""), SENT)
        error = status.get("message") if state == FAILED else None
        self._update(job, "state = ?, status = ?, error = ?", (state, json.dumps(status), error))

    def record_download(self, job: Job, path: str) -> None:
        self._update(job, "download = ?", (path,))

    def record_publish_intent(self, job: Job) -> None:
        self._update(job, "publish_state = 'sending'", ())

    def record_published(self, job: Job, result: dict[str, Any]) -> None:
        self._update(job, "publish_state = 'sent', publish_result = ?", (json.dumps(result),))

    def record_publish_unknown(self, job: Job) -> None:
        self._update(job, "publish_state = 'unknown'", ())

    def record_publish_failed(self, job: Job, error: str) -> None:
        self._update(job, "publish_state = 'failed', publish_result = ?",
                     (json.dumps({"error": error}),))

    def _update(self, job: Job, assignments: str, values: tuple[Any, ...],
                expect: str | None = None) -> None:
        with self.transaction() as db:
            query = f"UPDATE jobs SET {assignments} WHERE id = ?"
            parameters: tuple[Any, ...] = (*values, job.id)
            if expect:
                query += " AND state = ?"
                parameters += (expect,)
            if db.execute(query, parameters).rowcount != 1:
                raise RuntimeError(f"job {job.position} of batch {job.batch_id} is no longer "
                                   f"{expect or 'there'}: another process is running this batch?")
        fresh = _job(self.db.execute("SELECT * FROM jobs WHERE id = ?", (job.id,)).fetchone())
        for name in Job.__slots__:  # type: ignore[attr-defined]
            setattr(job, name, getattr(fresh, name))


def _job(row: sqlite3.Row) -> Job:
    loads = lambda value: json.loads(value) if value else None  # noqa: E731
    return Job(row["id"], row["batch_id"], row["position"], row["source"], row["video_name"],
               json.loads(row["request"]), row["state"], row["task_id"], row["intent_at"],
               loads(row["status"]), row["error"], row["download"], row["publish_state"],
               loads(row["publish_result"]))


def new_batch_id() -> str:
    """A batch's id: when it was made, and four hex digits so two runs in one second differ."""
    import secrets
    from datetime import datetime

    return f"{datetime.now():%Y%m%d-%H%M%S}-{secrets.token_hex(2)}"
