"""Where local narration keeps what it downloads and measures.

One root for both: an explicit argument, else the environment variable INKSLOP_CACHE_DIR,
else platformdirs' user cache directory for "inkslop". Engine files go in `kokoro/` below
it, measured durations in `durations/`. Stdlib and platformdirs only (a core dependency).
"""

from __future__ import annotations

import os
from pathlib import Path

ENV_CACHE_DIR = "INKSLOP_CACHE_DIR"
APP_NAME = "inkslop"


def cache_root(override: str | os.PathLike[str] | None = None) -> Path:
    if override is not None:
        return Path(override)
    env = os.environ.get(ENV_CACHE_DIR)
    if env:
        return Path(env)
    from platformdirs import user_cache_dir

    return Path(user_cache_dir(APP_NAME))


def engine_dir(root: str | os.PathLike[str] | None = None) -> Path:
    """The folder `install()` fills: kokoro-v1.0.int8.onnx and voices-v1.0.bin."""
    return cache_root(root) / "kokoro"


def durations_dir(root: str | os.PathLike[str] | None = None) -> Path:
    return cache_root(root) / "durations"
