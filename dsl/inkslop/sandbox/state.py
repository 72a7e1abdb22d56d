"""The sandbox's state: keys, videos, publish jobs and credits; in memory, or in a JSON file.

With a state file, every change is written atomically (a temporary file in the same
directory, flushed and renamed over the old one), so a restarted sandbox keeps its keys,
videos and credits, and a crash never leaves half a file. Keys are kept as SHA-256 hashes:
the file holds no secret (the key itself is shown once, when it is created, as InkSlop does).

A file is checked whole when it is loaded (every record's fields and types, and the ranges
below), and a state is checked before it is written: a value the sandbox could not run with
(a time beyond any calendar, a balance that is not a number) is refused at the door, never
saved, so a saved file always loads again.
"""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from inkslop.files import write_atomically

VERSION = 1
YEAR = 365.25 * 86400.0
MAX_CREDITS = 1e9
MAX_CLOCK_JUMP = 10 * YEAR  # one admin jump of the clock
MAX_CLOCK_OFFSET = 100 * YEAR  # in all: the sandbox's time stays a date every library shows


class StateFileError(Exception):
    """The state file cannot be read or is not a sandbox state; the message names the file
    and says what to do."""


def key_hash(api_key: str) -> str:
    return hashlib.sha256(api_key.encode("utf-8")).hexdigest()


@dataclass
class KeyRecord:
    key_id: str
    name: str
    hash: str
    created_at: str
    last_used_at: str | None = None
    revoked: bool = False


@dataclass
class VideoRecord:
    """A submitted video. Its status follows from the clock until it is settled (`outcome`)."""

    task_id: str
    seq: int  # creation order: lists are newest first
    script: str
    video_name: str | None
    resolution: str
    estimated_duration: float
    notify_on_complete: bool | None
    publish: dict[str, Any] | None
    created_at: float  # clock seconds
    render_seconds: float
    seconds: float  # the estimator's duration of the script: what completion charges
    reserved: float  # credits held from submission until the video is settled
    fails: bool = False  # an injected render error
    outcome: str | None = None  # "done" or "error" once settled
    message: str | None = None
    credits_used: float | None = None
    duration_seconds: float | None = None
    user_file_id: int | None = None
    file_id: str | None = None  # the token of its file URLs
    publish_job_ids: list[int] = field(default_factory=list)


@dataclass
class PublishJob:
    job_id: int
    task_id: str
    channel_id: int
    platform: str
    status: str
    settings: dict[str, Any]


@dataclass
class State:
    credits: float
    keys: list[KeyRecord] = field(default_factory=list)
    videos: list[VideoRecord] = field(default_factory=list)
    publish_jobs: list[PublishJob] = field(default_factory=list)
    next_seq: int = 1
    next_user_file_id: int = 41
    next_job_id: int = 17
    clock_offset: float = 0.0  # seconds the admin routes moved time forward: kept, so that
    # the sandbox's time never goes back across a restart

    def to_json(self) -> str:
        return json.dumps({"version": VERSION, **asdict(self)}, indent=1, ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> State:
        """The state in `text`, every field checked; ValueError says what is wrong."""
        # pydantic checks the records' fields; it is loaded only with a state file
        from pydantic import TypeAdapter, ValidationError

        data = json.loads(text)
        if not isinstance(data, dict) or data.pop("version", None) != VERSION:
            raise ValueError(f"not a sandbox state (version {VERSION})")
        try:
            state = TypeAdapter(cls).validate_python(data)
        except ValidationError as error:
            first = error.errors(include_url=False)[0]
            where = ".".join(str(part) for part in first["loc"])
            raise ValueError(f"{where}: {first['msg']}") from None
        problem = state_problem(state)
        if problem:
            raise ValueError(problem)
        return state


def state_problem(state: State) -> str | None:
    """What makes `state` unusable (a value out of range), or None."""
    if not (math.isfinite(state.credits) and 0 <= state.credits <= MAX_CREDITS):
        return f"credits: {state.credits} is not between 0 and {MAX_CREDITS:g}"
    offset = state.clock_offset
    if not (math.isfinite(offset) and 0 <= offset <= MAX_CLOCK_OFFSET):
        return (f"clock_offset: {offset} is not between 0 and {MAX_CLOCK_OFFSET:g} seconds "
                "(100 years)")
    for video in state.videos:
        for name in ("created_at", "render_seconds", "seconds", "reserved"):
            if not math.isfinite(getattr(video, name)):
                return f"videos: {video.task_id}: {name} is not a finite number"
    return None


def load(path: Path) -> State | None:
    """The state saved in `path`, or None when there is no such file."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except OSError as error:
        raise StateFileError(f"the sandbox state file {path} cannot be read: "
                             f"{error.strerror}") from None
    except UnicodeDecodeError:
        raise _unusable(path, "it is not UTF-8 text") from None
    try:
        return State.from_json(text)
    except (ValueError, KeyError, TypeError, RecursionError) as error:
        raise _unusable(path, str(error)) from None


def _unusable(path: Path, why: str) -> StateFileError:
    return StateFileError(f"the sandbox state file {path} cannot be loaded ({why}): delete it "
                          "to start afresh, or fix it, or give another --state file")


def save(state: State, path: Path) -> None:
    """Write `state` to `path` atomically, readable by its owner only. A state with a value
    out of range is a bug of the caller: ValueError, and the file keeps its last good state."""
    problem = state_problem(state)
    if problem:
        raise ValueError(f"the sandbox state is not saved: {problem}")
    write_atomically(path, state.to_json(), mode=0o600)
