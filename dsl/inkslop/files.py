"""Finding script files and reading them as text, with errors that name the file."""

from __future__ import annotations

import os
from pathlib import Path

SUFFIX = ".inkslop"
_SKIPPED_DIRS = {"node_modules", "__pycache__"}


class SourceError(Exception):
    """A path that cannot be checked: missing, unreadable, not UTF-8."""

    def __init__(self, path: str, message: str) -> None:
        self.path, self.message = path, message
        super().__init__(f"{path}: {message}")


def discover(paths: list[str]) -> tuple[list[Path], list[SourceError]]:
    """The script files named by `paths`: files as given, directories searched for
    `*.inkslop` (hidden directories skipped), in a stable order."""
    found: list[Path] = []
    errors: list[SourceError] = []
    for name in paths:
        path = Path(name)
        if path.is_dir():
            found.extend(_scripts_below(path))
        elif path.is_file():
            found.append(path)
        elif path.exists():
            errors.append(SourceError(name, "is not a file or directory"))
        else:
            errors.append(SourceError(name, "no such file or directory"))
    unique = list(dict.fromkeys(found))
    return unique, errors


def _scripts_below(directory: Path) -> list[Path]:
    scripts = []
    for root, dirs, files in os.walk(directory):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in _SKIPPED_DIRS)
        scripts.extend(Path(root, f) for f in sorted(files) if f.endswith(SUFFIX))
    return scripts


def read_source(path: Path) -> str:
    try:
        data = path.read_bytes()
    except OSError as error:
        raise SourceError(str(path), f"cannot be read: {error.strerror}") from None
    return decode(data, str(path))


def decode(data: bytes, name: str) -> str:
    """UTF-8 text (a byte-order mark is kept for the parser to drop), or a SourceError
    naming the byte offset of the first byte that is not UTF-8."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise SourceError(name, f"is not UTF-8: byte 0x{data[error.start]:02x} at byte offset "
                          f"{error.start} (line {line}) is not valid UTF-8; save the file as "
                          "UTF-8") from None


def safe_file_name(name: str, fallback: str) -> str:
    """`name` as a file name: runs of characters other than letters, digits, `.`, `-` and
    `_` become `-` (no separators, no hidden files); `fallback` when nothing is left."""
    import re

    return re.sub(r"[^\w.\-]+", "-", name).strip(".-") or fallback


def display_path(path: Path) -> str:
    """A path as the user should see it: relative to the working directory when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def write_new_file(path: Path, text: str) -> None:
    """Write a file all at once, whether it exists or not."""
    if not path.exists():
        path.touch(mode=0o666)  # the user's umask decides, as for any new file
    write_atomically(path, text)


def write_atomically(path: Path, text: str, mode: int | None = None) -> None:
    """Replace a file's content all at once: a temporary file beside it, flushed to disk,
    renamed over it. `mode` sets the permissions; by default the file's own are kept. For
    a symbolic link, the file it points to is replaced, not the link."""
    import tempfile

    path = Path(os.path.realpath(path))
    path.parent.mkdir(parents=True, exist_ok=True)
    if mode is None:
        mode = path.stat().st_mode & 0o7777
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.fchmod(handle, mode)
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
