"""The scripts a command was given, read, each with the settings that apply to it.

Written once for check, fmt, estimate and compile: the arguments (files, directories,
`-` for standard input) become Sources; reading one gives its text and its settings
(from `--config`, or the configuration found upward from the file, cached per
directory for the run), or an InputError that names the file and says why. A command
reports that error for that file and goes on with the others.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

from inkslop.cli import fail
from inkslop.config.loader import ConfigError, ConfigFinder, load_settings
from inkslop.config.settings import Settings
from inkslop.files import (
    MAX_FILE_BYTES,
    SourceError,
    decode,
    discover,
    display_path,
    read_source,
    too_large,
)

STDIN = "-"


class InputError(Exception):
    """A script that cannot be handled (unreadable, too large, not UTF-8, a broken
    configuration); str() is the one line to print after `error: `."""


@dataclass(frozen=True, slots=True)
class Source:
    """One script to handle: `name` as shown, `where` its configuration is searched from,
    `path` the file (None for standard input)."""

    name: str
    where: Path
    path: Path | None


@dataclass(frozen=True, slots=True)
class Script:
    source: Source
    text: str
    settings: Settings


def stdin_source(stdin_filename: str | None) -> Source:
    return Source(stdin_filename or STDIN, Path(stdin_filename or "stdin.inkslop").absolute(), None)


def one_source(path: str, stdin_filename: str | None = None) -> Source:
    """The one script a command takes: a file, or - for standard input."""
    return stdin_source(stdin_filename) if path == "-" else Source(path, Path(path), Path(path))


def sources_of(paths: tuple[str, ...] | list[str], stdin_filename: str | None = None
               ) -> tuple[list[Source], list[str]]:
    """The scripts named by the arguments (none: the current directory), standard input
    first when `-` is among them; and the problems met finding them, one line each."""
    names = list(paths) or ["."]
    files, errors = discover([name for name in names if name != STDIN])
    sources = [stdin_source(stdin_filename)] if STDIN in names else []
    sources += [Source(display_path(path), path, path) for path in files]
    return sources, [str(error) for error in errors]


class Reader:
    """Reads sources and finds their settings, for one run (picklable: a worker process
    gets its own copy)."""

    def __init__(self, config_path: str | None = None,
                 max_bytes: int = MAX_FILE_BYTES) -> None:
        self.config_path, self.max_bytes = config_path, max_bytes
        self._finder = ConfigFinder()
        self._explicit: Settings | None = None

    def explicit_settings(self) -> Settings | None:
        """The `--config` file's settings (ConfigError when it is broken), or None."""
        if self.config_path and self._explicit is None:
            self._explicit = load_settings(Path(self.config_path).absolute())
        return self._explicit

    def settings(self, source: Source) -> Settings:
        """The settings of a source; InputError when its configuration is broken."""
        try:
            # A source with a path is a file that discover() found regular.
            return self.explicit_settings() or self._finder.settings_for(
                source.where, is_file=source.path is not None)
        except ConfigError as error:
            raise InputError(str(error)) from None

    def text(self, source: Source) -> str:
        """The text of a source; InputError when it cannot be read."""
        try:
            if source.path is not None:
                return _read_file(source.path, source.name, self.max_bytes)
            data = sys.stdin.buffer.read(self.max_bytes + 1)
            if len(data) > self.max_bytes:
                raise SourceError(source.name, too_large(len(data), self.max_bytes))
            return decode(data, source.name)
        except SourceError as error:
            raise InputError(str(error)) from None

    def read(self, source: Source) -> Script:
        """A source's text and settings together (InputError for either)."""
        return Script(source, self.text(source), self.settings(source))


def _read_file(path: Path, name: str, max_bytes: int) -> str:
    try:
        return read_source(path, max_bytes)
    except SourceError as error:  # shown under the name the user knows
        raise SourceError(name, error.message) from None


def open_inputs(paths: tuple[str, ...], stdin_filename: str | None, config_path: str | None,
                max_file_mb: float) -> tuple[Reader, list[Source], list[str]]:
    """A command's reader and sources, and the problems met finding them (one line each).
    A broken `--config` file ends the run (exit 2) before any script is read."""
    reader = Reader(config_path, _megabytes(max_file_mb))
    try:
        reader.explicit_settings()
    except ConfigError as error:
        fail(str(error))
    sources, trouble = sources_of(paths, stdin_filename)
    return reader, sources, trouble


def _megabytes(value: float) -> int:
    return int(value * 1024 * 1024)
