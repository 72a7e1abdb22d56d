"""Paths shared by the local narration tests (a module of its own: `conftest` names clash)."""

from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).resolve().parent
ENGINE_FILES = HERE / "engine-files"
VOICES_DIR = ENGINE_FILES / "node_modules" / "kokoro-js" / "voices"
DEV_SET = HERE.parents[1] / "bench" / "calibration" / "kokoro-dev.jsonl"
