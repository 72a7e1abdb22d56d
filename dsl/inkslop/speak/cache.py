"""Measured durations, kept by content so that a block measured once is never synthesised again.

Why stdlib only: `check`'s duration rule and the estimator read cached figures on every
run and must stay fast, without numpy or onnxruntime. The key is everything that decides
the duration: the text, the voice, the speed, the model's sha256, the voice pack's
sha256 and the text pipeline's version (`key()`); `default_key()` builds it from the
identities of the stock files (kokoro-v1.0.int8.onnx and kokoro-js@1.2.1's packs), which
is what the engine records under unless it was configured with other files.

Storage: one SQLite database (`durations.sqlite3`) in WAL mode below
`paths.durations_dir()` (argument, else INKSLOP_CACHE_DIR, else the user cache folder):
many readers and one writer at a time across processes, with a busy timeout; an
unreadable or locked database reads as a miss and never fails a command.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path

from inkslop.speak import paths

# Bump when chunking, G2P or joining changes: old figures then stop matching.
PIPELINE_VERSION = "kokoro-0.9.4-kpipeline;misaki-0.9.4;concat-no-gap;v1"
DB_NAME = "durations.sqlite3"
_SCHEMA = """CREATE TABLE IF NOT EXISTS durations (
    key TEXT PRIMARY KEY, seconds REAL NOT NULL, chunk_samples TEXT NOT NULL,
    sample_rate INTEGER NOT NULL, created REAL NOT NULL)"""


def key(text: str, voice: str, speed: float, model_sha256: str, voice_sha256: str,
        pipeline_version: str = PIPELINE_VERSION) -> str:
    """The content address of one measurement (a sha256 hex digest)."""
    blob = json.dumps([pipeline_version, model_sha256, voice_sha256, voice,
                       repr(float(speed)), text], ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def default_key(text: str, voice: str, speed: float) -> str | None:
    """The key under which the engine with the stock files records; None for an unknown voice."""
    from inkslop.speak.files import MODEL_SHA256, voice_table

    entry = voice_table().get(voice)
    if entry is None:
        return None
    return key(text, voice, speed, MODEL_SHA256, entry["sha256"])


@dataclass(frozen=True)
class Entry:
    seconds: float
    chunk_samples: tuple[int, ...]
    sample_rate: int


class DurationCache:
    """`measured(key)` / `lookup(key)` to read, `record(key, ...)` to write."""

    def __init__(self, directory: str | os.PathLike[str] | None = None, *,
                 timeout: float = 5.0) -> None:
        self.directory = Path(directory) if directory is not None else paths.durations_dir()
        self.path = self.directory / DB_NAME
        self.timeout = timeout
        self._conn: sqlite3.Connection | None = None

    def _connect(self, create: bool) -> sqlite3.Connection | None:
        if self._conn is not None:
            return self._conn
        if not create and not self.path.exists():
            return None
        if create:
            self.directory.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(self.path, timeout=self.timeout, isolation_level=None)
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute(_SCHEMA)
        except sqlite3.Error:
            conn.close()
            raise
        self._conn = conn
        return conn

    def lookup(self, key: str) -> Entry | None:
        try:
            conn = self._connect(create=False)
            if conn is None:
                return None
            row = conn.execute("SELECT seconds, chunk_samples, sample_rate FROM durations "
                               "WHERE key = ?", (key,)).fetchone()
        except (sqlite3.Error, OSError):
            return None
        if row is None:
            return None
        return Entry(float(row[0]), tuple(json.loads(row[1])), int(row[2]))

    def measured(self, key: str) -> float | None:
        """Seconds measured for `key`, or None."""
        entry = self.lookup(key)
        return None if entry is None else entry.seconds

    def record(self, key: str, seconds: float, chunk_samples: list[int] | tuple[int, ...],
               sample_rate: int = 24000) -> None:
        conn = self._connect(create=True)
        assert conn is not None
        conn.execute("INSERT OR REPLACE INTO durations VALUES (?, ?, ?, ?, ?)",
                     (key, float(seconds), json.dumps([int(n) for n in chunk_samples]),
                      int(sample_rate), time.time()))

    def __len__(self) -> int:
        try:
            conn = self._connect(create=False)
            return 0 if conn is None else conn.execute("SELECT COUNT(*) FROM durations").fetchone()[0]
        except sqlite3.Error:
            return 0

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def __enter__(self) -> DurationCache:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
