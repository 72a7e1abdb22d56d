"""The sandbox's state: keys, videos, publish jobs and credits; in memory, or in a JSON file.

With a state file, every change is written atomically (a temporary file in the same
directory, flushed and renamed over the old one), so a restarted sandbox keeps its keys,
videos and credits, and a crash never leaves half a file. Keys are kept as SHA-256 hashes:
the file holds no secret (the key itself is shown once, when it is created, as InkSlop does).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from inkslop.files import write_atomically

VERSION = 1


class StateFileError(Exception):
    """The state file cannot be read or is not a sandbox state."""


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
        data = json.loads(text)
        if not isinstance(data, dict) or data.pop("version", None) != VERSION:
            raise ValueError(f"not a sandbox state (version {VERSION})")
        return cls(
            credits=float(data["credits"]),
            keys=[KeyRecord(**k) for k in data["keys"]],
            videos=[VideoRecord(**v) for v in data["videos"]],
            publish_jobs=[PublishJob(**j) for j in data["publish_jobs"]],
            next_seq=data["next_seq"], next_user_file_id=data["next_user_file_id"],
            next_job_id=data["next_job_id"], clock_offset=data.get("clock_offset", 0.0))


def load(path: Path) -> State | None:
    """The state saved in `path`, or None when there is no such file."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except OSError as error:
        raise StateFileError(f"{path}: cannot be read: {error.strerror}") from None
    try:
        return State.from_json(text)
    except (ValueError, KeyError, TypeError) as error:
        raise StateFileError(f"{path}: not a sandbox state file ({error})") from None


def save(state: State, path: Path) -> None:
    """Write `state` to `path` atomically, readable by its owner only."""
    write_atomically(path, state.to_json(), mode=0o600)
