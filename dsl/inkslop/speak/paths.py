"""Where local narration keeps what it downloads: `kokoro/` below the cache root that it
shares with the measured durations (inkslop.estimate.measured: argument, else
INKSLOP_CACHE_DIR, else the user cache folder)."""

from __future__ import annotations

import os
from pathlib import Path

from inkslop.estimate.measured import cache_root


def engine_dir(root: str | os.PathLike[str] | None = None) -> Path:
    """The folder `install()` fills: kokoro-v1.0.int8.onnx and voices-v1.0.bin."""
    return cache_root(root) / "kokoro"
