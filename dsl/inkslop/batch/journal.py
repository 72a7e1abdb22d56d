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
before anything is sent again (see runner.py); when the list cannot say for
sure, the job is left `unknown` for a person to settle (`inkslop batch settle`).
Publishing, which InkSlop cannot list, is recorded the same way; one
interrupted mid-request is left `publish-unknown`, never sent twice.

Each write is its own transaction (`BEGIN IMMEDIATE`), so a process killed at
any point leaves the journal consistent. Several processes may run one batch
at once: a job is sent (or reconciled, or published) only by the process that
holds its *lease*, taken in one transaction and recorded with the owner's host,
pid and a random token. The owner refreshes its leases' heartbeat; a lease whose
owner is dead (its pid gone, on this host) or silent (no heartbeat for
LEASE_TIMEOUT seconds) may be taken over.
"""

from __future__ import annotations

import json
import os
import secrets
import socket
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

DEFAULT_PATH = Path(".inkslop") / "batches.sqlite3"

# Job states, in the order a job moves through them. `unknown`: sent or not, InkSlop's list
# cannot say for sure; only a person settles it (`inkslop batch settle`).
PLANNED, SENDING, SENT, DONE, FAILED = "planned", "sending", "sent", "done", "failed"
UNKNOWN = "unknown"
OPEN_STATES = (PLANNED, SENDING, SENT, UNKNOWN)
UNSENT_STATES = (PLANNED, SENDING)

HEARTBEAT_SECONDS = 5.0  # how often an owner refreshes its leases
LEASE_TIMEOUT = 60.0  # a lease not refreshed for this long belongs to nobody

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

# Columns added since the first journals: added to an older journal when it is opened.
_ADDED_COLUMNS = {
    "path": "TEXT",                     # the script file (for its configuration)
    "download_to": "TEXT",              # the file `submit --download FILE` promised
    "lease_token": "TEXT",              # the owner's random token; NULL: nobody's
    "lease_host": "TEXT",
    "lease_pid": "INTEGER",
    "lease_heartbeat": "REAL",          # when the owner last said it is alive
}


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
    path: str | None = None
    download_to: str | None = None


@dataclass(slots=True)
class PlannedVideo:
    source: str
    video_name: str
    request: dict[str, Any]
    path: str | None = None  # the script file, when there is one
    download_to: str | None = None  # where the finished video must be saved


@dataclass(frozen=True, slots=True)
class Owner:
    """Who holds a lease: a process on a host, told apart by a random token."""

    host: str
    pid: int
    token: str

    @classmethod
    def this_process(cls) -> Owner:
        return cls(socket.gethostname(), os.getpid(), secrets.token_hex(8))

    def __str__(self) -> str:
        return f"process {self.pid} on {self.host}"


class JournalConflict(Exception):
    """Another process changed a job this one was working on (its lease was taken over)."""


class Journal:
    """A batch journal file; every method commits before it returns."""

    def __init__(self, path: Path = DEFAULT_PATH, owner: Owner | None = None) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.owner = owner or Owner.this_process()
        self.db = _connect(path)
        with self.transaction() as db:
            for statement in _SCHEMA.split(";"):
                if statement.strip():
                    db.execute(statement)
            present = {row["name"] for row in db.execute("PRAGMA table_info(jobs)")}
            for name, kind in _ADDED_COLUMNS.items():
                if name not in present:
                    db.execute(f"ALTER TABLE jobs ADD COLUMN {name} {kind}")

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
                "INSERT INTO jobs (batch_id, position, source, video_name, request, state, "
                "path, download_to) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [(batch_id, n, v.source, v.video_name, json.dumps(v.request), PLANNED, v.path,
                  v.download_to) for n, v in enumerate(videos, start=1)])

    def batches(self) -> list[dict[str, Any]]:
        rows = self.db.execute(
            "SELECT b.id, b.created_at, b.options, COUNT(j.id) AS jobs, "
            "SUM(j.state IN ('planned', 'sending', 'sent', 'unknown')) AS open FROM batches b "
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

    def job(self, job_id: int) -> Job:
        row = self.db.execute("SELECT * FROM jobs WHERE id = ?", (job_id,)).fetchone()
        if row is None:
            raise KeyError(job_id)
        return _job(row)

    def claimed_task_ids(self) -> set[str]:
        """Task ids already matched to a job, in any batch of this journal."""
        rows = self.db.execute("SELECT task_id FROM jobs WHERE task_id IS NOT NULL")
        return {row["task_id"] for row in rows}

    # -- leases: one process at a time sends (or reconciles, or publishes) a job --

    def take_lease(self, job: Job, now: float | None = None) -> Owner | None:
        """Take the job's lease, or leave it to the live process that holds it (returned).
        Either way `job` is refreshed from the journal, in the same transaction."""
        now = time.time() if now is None else now
        with self.transaction() as db:
            row = db.execute("SELECT * FROM jobs WHERE id = ?", (job.id,)).fetchone()
            holder = _holder(row)
            if holder and holder.token != self.owner.token and _alive(
                    holder, row["lease_heartbeat"], now):
                _refresh(job, row)
                return holder
            db.execute("UPDATE jobs SET lease_token = ?, lease_host = ?, lease_pid = ?, "
                       "lease_heartbeat = ? WHERE id = ?",
                       (self.owner.token, self.owner.host, self.owner.pid, now, job.id))
            _refresh(job, row)
        return None

    def release_lease(self, job: Job) -> None:
        with self.transaction() as db:
            db.execute("UPDATE jobs SET lease_token = NULL, lease_host = NULL, lease_pid = NULL, "
                       "lease_heartbeat = NULL WHERE id = ? AND lease_token = ?",
                       (job.id, self.owner.token))

    def holder(self, job: Job) -> Owner | None:
        """The live process other than this one that holds the job's lease, if any."""
        row = self.db.execute("SELECT * FROM jobs WHERE id = ?", (job.id,)).fetchone()
        holder = _holder(row)
        if holder and holder.token != self.owner.token and _alive(
                holder, row["lease_heartbeat"], time.time()):
            return holder
        return None

    # -- the two writes around POST /videos --

    def record_intent(self, job: Job, now: float) -> None:
        """The intent, only while this process holds the job's lease."""
        self._update(job, "state = ?, intent_at = ?", (SENDING, now), expect=PLANNED,
                     leased=True)

    def record_sent(self, job: Job, task_id: str) -> None:
        self._update(job, "state = ?, task_id = ?, error = NULL", (SENT, task_id), expect=SENDING)

    def record_not_sent(self, job: Job) -> None:
        """Reconciled: the POST never created a video, so the job may be sent again."""
        self._update(job, "state = ?, intent_at = NULL", (PLANNED,), expect=SENDING)

    def record_refused(self, job: Job, error: str) -> None:
        """InkSlop answered the POST with an error: nothing was created, nothing spent."""
        self._update(job, "state = ?, error = ?", (FAILED, error), expect=SENDING)

    def record_unknown(self, job: Job, reason: str) -> None:
        """Reconciliation could not tell whether the POST created a video: a person
        settles it (`settle`); nothing is sent for it meanwhile."""
        self._update(job, "state = ?, error = ?", (UNKNOWN, reason), expect=SENDING)

    def settle(self, job: Job, task_id: str | None) -> None:
        """A person's answer for a job in `unknown` (or `sending`): sent as `task_id`, or
        (None) not sent, so it may be sent again. Refused while a live process holds the
        job (it may be sending it right now)."""
        with self.transaction() as db:
            row = db.execute("SELECT * FROM jobs WHERE id = ?", (job.id,)).fetchone()
            holder = _holder(row)
            if holder and _alive(holder, row["lease_heartbeat"], time.time()):
                raise JournalConflict(f"job {job.id} is in the hands of {holder}: let it "
                                      "finish, then see `inkslop batch status`")
            if row["state"] not in (UNKNOWN, SENDING):
                raise JournalConflict(f"job {job.id} is {row['state']}, not unknown: there "
                                      "is nothing to settle")
            if task_id is not None and db.execute("SELECT 1 FROM jobs WHERE task_id = ?",
                                                  (task_id,)).fetchone():
                raise JournalConflict(f"task {task_id} already belongs to another job of "
                                      f"{self.path}")
            if task_id is None:
                query, values = ("state = ?, intent_at = NULL, error = NULL", (PLANNED,))
            else:
                query, values = ("state = ?, task_id = ?, error = NULL", (SENT, task_id))
            db.execute(f"UPDATE jobs SET {query} WHERE id = ?", (*values, job.id))
        _refresh(job, self.db.execute("SELECT * FROM jobs WHERE id = ?", (job.id,)).fetchone())

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
                expect: str | None = None, leased: bool = False) -> None:
        with self.transaction() as db:
            query = f"UPDATE jobs SET {assignments} WHERE id = ?"
            parameters: tuple[Any, ...] = (*values, job.id)
            if expect:
                query += " AND state = ?"
                parameters += (expect,)
            if leased:
                query += " AND lease_token = ?"
                parameters += (self.owner.token,)
            if db.execute(query, parameters).rowcount != 1:
                raise JournalConflict(f"{job.source}: another process took this video over "
                                      f"(it is no longer {expect or 'there'} for this one)")
        _refresh(job, self.db.execute("SELECT * FROM jobs WHERE id = ?", (job.id,)).fetchone())


class Heartbeat:
    """While in its `with` block, a thread refreshes every lease this journal's owner holds,
    on its own connection, so that no other process takes them over."""

    def __init__(self, journal: Journal, every: float = HEARTBEAT_SECONDS) -> None:
        self.path, self.owner, self.every = journal.path, journal.owner, every
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._beat, name="inkslop-lease-heartbeat",
                                        daemon=True)

    def __enter__(self) -> Heartbeat:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()

    def _beat(self) -> None:
        db = _connect(self.path)
        try:
            while not self._stop.wait(self.every):
                db.execute("UPDATE jobs SET lease_heartbeat = ? WHERE lease_token = ?",
                           (time.time(), self.owner.token))
        finally:
            db.close()


def _connect(path: Path) -> sqlite3.Connection:
    db = sqlite3.connect(path, timeout=30, isolation_level=None, check_same_thread=False)
    db.row_factory = sqlite3.Row
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=FULL")  # a committed intent survives power loss
    return db


def _holder(row: sqlite3.Row) -> Owner | None:
    if row["lease_token"] is None:
        return None
    return Owner(row["lease_host"], row["lease_pid"], row["lease_token"])


def _alive(owner: Owner, heartbeat: float | None, now: float) -> bool:
    """Whether a lease's owner may still be working: it beat recently and, on this host,
    its process exists."""
    if heartbeat is None or now - heartbeat > LEASE_TIMEOUT:
        return False
    return owner.host != socket.gethostname() or _process_alive(owner.pid)


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process: alive
    try:  # a killed process its parent has not reaped yet is a zombie: dead for us
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as stat:
            return stat.read().rpartition(")")[2].split()[0] != "Z"
    except (OSError, IndexError):
        return True


def _refresh(job: Job, row: sqlite3.Row) -> None:
    fresh = _job(row)
    for name in Job.__slots__:  # type: ignore[attr-defined]
        setattr(job, name, getattr(fresh, name))


def _job(row: sqlite3.Row) -> Job:
    loads = lambda value: json.loads(value) if value else None  # noqa: E731
    return Job(row["id"], row["batch_id"], row["position"], row["source"], row["video_name"],
               json.loads(row["request"]), row["state"], row["task_id"], row["intent_at"],
               loads(row["status"]), row["error"], row["download"], row["publish_state"],
               loads(row["publish_result"]), row["path"], row["download_to"])


def new_batch_id() -> str:
    """A batch's id: when it was made, and four hex digits so two runs in one second differ."""
    return f"{datetime.now():%Y%m%d-%H%M%S}-{secrets.token_hex(2)}"
