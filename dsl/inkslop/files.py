"""Finding script files and reading and writing them, with errors that name the file.

Only regular files are read: a FIFO would block the run, a device such as `/dev/zero`
would never end, so both are refused (named explicitly) or reported and skipped (found
in a directory). A file larger than a limit (50 MB by default) is refused before it is
read. Every operating-system failure becomes a SourceError whose text says what was
tried, on which file, and why ("a.inkslop: cannot write: read-only file system"), so
that a command reports it for that file and goes on with the others.
"""

from __future__ import annotations

import errno
import os
import re
import stat
from pathlib import Path

SUFFIX = ".inkslop"
MAX_FILE_BYTES = 50 * 1024 * 1024  # larger than any script; stops a runaway read
_SKIPPED_DIRS = {"node_modules", "__pycache__"}


class SourceError(Exception):
    """A path that cannot be handled: missing, unreadable, not a file, too large, not UTF-8,
    or not writable. str() is `path: what: why`."""

    def __init__(self, path: str, message: str) -> None:
        self.path, self.message = path, message
        super().__init__(f"{path}: {message}")


def reason(error: OSError) -> str:
    """An operating-system error in words, lower case ("permission denied")."""
    words = error.strerror or errno.errorcode.get(error.errno or 0, "") or str(error)
    return words[:1].lower() + words[1:]


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a regular file"


def discover(paths: list[str]) -> tuple[list[Path], list[SourceError]]:
    """The script files named by `paths`: files as given, directories searched for
    `*.inkslop` (hidden directories skipped), in a stable order. What cannot be used (a
    missing path, a FIFO, an unreadable directory met while walking) is an error each."""
    found: list[Path] = []
    errors: list[SourceError] = []
    for name in paths:
        try:
            mode = os.stat(name).st_mode
        except OSError as error:
            errors.append(SourceError(name, _missing(name, error)))
            continue
        if stat.S_ISDIR(mode):
            found.extend(_scripts_below(Path(name), errors))
        elif stat.S_ISREG(mode):
            found.append(Path(name))
        else:
            errors.append(SourceError(name, f"not read: it is {_kind(mode)}; name files, "
                                      "directories or - (standard input)"))
    return list(dict.fromkeys(found)), errors


def _missing(name: str, error: OSError) -> str:
    if error.errno == errno.ENOENT:
        return "no such file or directory"
    return f"cannot be read: {reason(error)}"


def _scripts_below(directory: Path, errors: list[SourceError]) -> list[Path]:
    """The scripts below a directory, as os.walk would list them (sorted, each folder's
    files before its subfolders, hidden and tool folders and folder links skipped);
    a file the listing says is regular is not stat'ed again."""
    scripts: list[Path] = []

    def walk(folder: str) -> None:
        try:
            with os.scandir(folder) as listing:
                entries = sorted(listing, key=lambda entry: entry.name)
        except OSError as error:
            errors.append(SourceError(os.path.normpath(error.filename or folder),
                                      f"directory cannot be read: {reason(error)}"))
            return
        folders = []
        for entry in entries:
            if _is_dir(entry):
                if not entry.name.startswith(".") and entry.name not in _SKIPPED_DIRS:
                    folders.append(entry)
            elif entry.name.endswith(SUFFIX):
                path = Path(entry.path)
                problem = None if entry.is_file(follow_symlinks=False) else _not_regular(path)
                if problem:
                    errors.append(SourceError(str(path), problem))
                else:
                    scripts.append(path)
        for entry in folders:
            if not entry.is_symlink():
                walk(entry.path)

    walk(os.fspath(directory))
    return scripts


def _is_dir(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir()
    except OSError:  # as os.walk: what cannot be looked at is not a folder to enter
        return False


def _not_regular(path: Path) -> str | None:
    """Why a file found in a directory is skipped, or None when it can be read."""
    try:
        mode = path.stat().st_mode
    except OSError as error:  # a dangling link, a symlink loop
        return f"cannot be read: {reason(error)}"
    return None if stat.S_ISREG(mode) else f"skipped: it is {_kind(mode)}, not a regular file"


def read_source(path: Path, max_bytes: int = MAX_FILE_BYTES) -> str:
    """A script's text. Opened without blocking and checked to be a regular file of at
    most `max_bytes` before any byte is read (it may have changed since it was found)."""
    try:
        handle = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as error:
        raise SourceError(str(path), f"cannot be read: {reason(error)}") from None
    try:
        info = os.fstat(handle)
        if not stat.S_ISREG(info.st_mode):
            raise SourceError(str(path), f"not read: it is {_kind(info.st_mode)}, not a "
                              "regular file")
        if info.st_size > max_bytes:
            raise SourceError(str(path), too_large(info.st_size, max_bytes))
        with open(handle, "rb", closefd=False) as source:
            # As many bytes as fstat said, and one more: reading `max_bytes + 1` at once
            # would allocate that much (50 MB) for every small script.
            data = source.read(info.st_size + 1)
            if len(data) > info.st_size:  # it grew since fstat: up to the limit, and one more
                data += source.read(max_bytes + 1 - len(data))
    except OSError as error:
        raise SourceError(str(path), f"cannot be read: {reason(error)}") from None
    finally:
        os.close(handle)
    if len(data) > max_bytes:
        raise SourceError(str(path), too_large(len(data), max_bytes))
    return decode(data, str(path))


def too_large(size: int, limit: int) -> str:
    return (f"not read: it is larger ({_megabytes(size)}) than the limit of "
            f"{_megabytes(limit)} (raise it with --max-file-size)")


def _megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB" if size >= 1024 * 1024 else f"{size} bytes"


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
    return re.sub(r"[^\w.\-]+", "-", name).strip(".-") or fallback


def display_path(path: Path) -> str:
    """A path as the user should see it: relative to the working directory when inside it."""
    if not path.is_absolute() and ".." not in path.parts:
        return str(path)  # already relative to it (pathlib has removed any `.`)
    try:
        return str(path.absolute().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def write_new_file(path: Path, text: str) -> None:
    """Write a file all at once, whether it exists or not."""
    if not path.exists():
        path.touch(mode=0o666)  # the user's umask decides, as for any new file
    write_atomically(path, text)


def replace_source(path: Path, text: str) -> None:
    """Rewrite a script in place (fmt, check --fix), or a SourceError that says why not. A
    file without write permission is refused: the atomic rename would otherwise replace
    it (even for root, who may write anything), against what its mode says."""
    try:
        if not os.stat(path).st_mode & 0o222:
            raise SourceError(str(path), "cannot write: the file is read-only")
        # Opening it for writing (without truncating) gives the reason it cannot be
        # written (permission, read-only file system) before anything is replaced.
        os.close(os.open(path, os.O_WRONLY | os.O_NONBLOCK))
        write_atomically(path, text)
    except OSError as error:
        raise SourceError(str(path), f"cannot write: {reason(error)}") from None


def write_atomically(path: Path, text: str, mode: int | None = None) -> None:
    """Replace a file's content all at once: a temporary file beside it, flushed to disk,
    renamed over it. `mode` sets the permissions; by default the file's own are kept. For
    a symbolic link, the file it points to is replaced, not the link. On any failure the
    file is left as it was and the temporary file is removed."""
    import tempfile  # tempfile loads random and shutil: only to write

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
