"""Durations measured by the local engine (`inkslop speak`), kept by content.

Why here, below `lint` and `compile`, and stdlib only: `estimate`, `compile`, `submit` and
`check`'s duration rule read measured figures in place of modelled ones, on every run,
without numpy or onnxruntime; `inkslop.speak` (above) measures and records them.

The key is everything that decides a duration: the text, the voice, the speed, the
model's sha256, the voice pack's sha256 and the text pipeline's version (`key()`);
`stock_key()` builds it from the identities of the stock files (kokoro-v1.0.int8.onnx and
kokoro-js@1.2.1's packs), which the engine uses unless it was configured with other files.

Storage: one SQLite database (`durations.sqlite3`) in WAL mode below `durations_dir()`
(argument, else INKSLOP_CACHE_DIR, else the user cache folder): many readers and one
writer at a time across processes, with a busy timeout; an unreadable or locked database
reads as a miss and never fails a command.
"""

from __future__ import annotations

import json
import os
import sys
import time
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Self

if TYPE_CHECKING:
    import sqlite3

ENV_CACHE_DIR = "INKSLOP_CACHE_DIR"
APP_NAME = "inkslop"
# Bump when chunking, G2P or joining changes: old figures then stop matching.
PIPELINE_VERSION = "kokoro-0.9.4-kpipeline;misaki-0.9.4;concat-no-gap;v1"
DB_NAME = "durations.sqlite3"
# The stock model: kokoro-onnx's release kokoro-v1.0.int8.onnx.
MODEL_SHA256 = "6e742170d309016e5891a994e1ce1559c702a2ccd0075e67ef7157974f6406cb"
KOKORO_ENGINE = "kokoro_tts"  # the engine whose blocks the local engine measures
DEFAULT_VOICE = "af_heart"  # Kokoro's own default, for a block that names no voice
_SCHEMA = """CREATE TABLE IF NOT EXISTS durations (
    key TEXT PRIMARY KEY, seconds REAL NOT NULL, chunk_samples TEXT NOT NULL,
    sample_rate INTEGER NOT NULL, created REAL NOT NULL)"""


def cache_root(override: str | os.PathLike[str] | None = None) -> Path:
    """An explicit folder, else INKSLOP_CACHE_DIR, else the user cache folder."""
    if override is not None:
        return Path(override)
    env = os.environ.get(ENV_CACHE_DIR)
    if env:
        return Path(env)
    if sys.platform == "linux":
        # platformdirs' rule on Linux, for its usual case: importing platformdirs (tempfile,
        # shutil, random) would cost `check` more than checking a small script.
        for base in (os.environ.get("XDG_CACHE_HOME", ""),
                     os.path.join(os.environ.get("HOME", ""), ".cache")):
            if os.path.isabs(base):
                return Path(base) / APP_NAME
    from platformdirs import user_cache_dir  # only where the rule above does not apply

    return Path(user_cache_dir(APP_NAME))


def durations_dir(root: str | os.PathLike[str] | None = None) -> Path:
    return cache_root(root) / "durations"


@lru_cache(maxsize=1)
def voice_table() -> dict[str, dict]:
    """sha256 and size of every voice pack of kokoro-js@1.2.1 (shipped: kokoro_voices.json)."""
    # Beside this file, as inkslop.schema.resources finds its data: importlib.resources
    # would bring tempfile, shutil and random into the start-up of `check`.
    text = Path(__file__).with_name("kokoro_voices.json").read_text("utf-8")
    return json.loads(text)["voices"]


def speech_text(text: str) -> str:
    """What the engine says for a block's narration: each line stripped, blank lines
    dropped (the engine splits on line breaks; indentation says nothing). Measured and
    looked up by this text, so a script and its formatted form share their figures."""
    return "\n".join(line.strip() for line in text.splitlines() if line.strip())


def voice_or_default(voice: str | None) -> str:
    return voice or DEFAULT_VOICE


def key(text: str, voice: str, speed: float, model_sha256: str, voice_sha256: str,
        pipeline_version: str = PIPELINE_VERSION) -> str:
    """The content address of one measurement (a sha256 hex digest)."""
    import hashlib  # loads OpenSSL: only when a database exists to look in

    blob = json.dumps([pipeline_version, model_sha256, voice_sha256, voice,
                       repr(float(speed)), text], ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def stock_key(text: str, voice: str, speed: float) -> str | None:
    """The key under which the engine with the stock files records; None for an unknown voice."""
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
        self.directory = Path(directory) if directory is not None else durations_dir()
        self.path = self.directory / DB_NAME
        self.timeout = timeout
        self._conn: sqlite3.Connection | None = None

    def _connect(self, create: bool) -> sqlite3.Connection | None:
        if self._conn is not None:
            return self._conn
        if not create and not self.path.exists():
            return None  # the usual case for `check`: no SQLite loaded at all
        import sqlite3  # only when a database of measurements exists

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
        if self._conn is None and not self.path.exists():
            return None
        import sqlite3  # only when a database of measurements exists

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

    def may_hold_measurements(self) -> bool:
        """Whether a database of measurements is open or exists."""
        return self._conn is not None or self.path.exists()

    def stock_seconds(self, text: str, voice: str, speed: float) -> float | None:
        """Seconds measured with the stock engine files, or None (what the estimator asks)."""
        if not self.may_hold_measurements():
            return None  # nothing measured yet: no key to compute
        found = stock_key(text, voice, speed)
        return None if found is None else self.measured(found)

    def record(self, key: str, seconds: float, chunk_samples: list[int] | tuple[int, ...],
               sample_rate: int = 24000) -> None:
        conn = self._connect(create=True)
        assert conn is not None
        conn.execute("INSERT OR REPLACE INTO durations VALUES (?, ?, ?, ?, ?)",
                     (key, float(seconds), json.dumps([int(n) for n in chunk_samples]),
                      int(sample_rate), time.time()))

    def __len__(self) -> int:
        import sqlite3  # only when a database of measurements exists

        try:
            conn = self._connect(create=False)
            return 0 if conn is None else conn.execute("SELECT COUNT(*) FROM durations").fetchone()[0]
        except sqlite3.Error:
            return 0

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
