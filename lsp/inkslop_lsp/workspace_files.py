"""Files of the workspace that a script may name: music tracks for `file="..."`.

Completion offers the audio files found under the workspace folders, as paths
relative to the folder (`music/Carefree.opus`); document links resolve a
written path against the script's own folder, then each workspace folder. The
listing is bounded (hidden folders and virtual environments skipped, at most
`LIMIT` files) and kept for a few seconds, so that typing a value does not walk
the disk on each key.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

AUDIO = {".opus", ".mp3", ".wav", ".ogg", ".oga", ".m4a", ".aac", ".flac", ".webm"}
SKIPPED = {"node_modules", "__pycache__", "venv", "site-packages", "dist", "build"}
LIMIT = 5000
TTL = 5.0

_cache: dict[Path, tuple[float, list[str]]] = {}


def audio_files(folder: Path) -> list[str]:
    """The audio files under `folder`, as sorted POSIX paths relative to it."""
    now = time.monotonic()
    cached = _cache.get(folder)
    if cached and now - cached[0] < TTL:
        return cached[1]
    found: list[str] = []
    seen = 0
    for root, directories, files in os.walk(folder):
        directories[:] = [d for d in directories if not d.startswith(".") and d not in SKIPPED]
        for name in files:
            seen += 1
            if os.path.splitext(name)[1].lower() in AUDIO:
                found.append(Path(root, name).relative_to(folder).as_posix())
        if seen >= LIMIT:
            break
    found.sort()
    _cache[folder] = (now, found)
    return found


def resolve(value: str, script: Path | None, folders: tuple[Path, ...]) -> Path | None:
    """The existing file a written path names, or None."""
    if not value or "{{" in value:
        return None
    bases = ([script.parent] if script else []) + list(folders)
    for base in bases:
        try:
            candidate = (base / value).resolve()
            if candidate.is_file():
                return candidate
        except (OSError, ValueError):
            continue
    return None


def forget() -> None:
    _cache.clear()
