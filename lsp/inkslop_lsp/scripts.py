"""The open scripts: their text, kept in step with the client, and what the
library makes of each version of it.

A `Script` is one version of one open document: its text, the settings that
apply to its file, and, computed once when first asked for, its parsed
Document, its diagnostics (exactly what `inkslop check` reports), its estimate
and its positions in the client's encoding. Every feature of the server reads
the same `Script`, so a version is parsed and checked at most once.

`Scripts` holds the current `Script` of each open document and applies the
client's changes to the text (incremental synchronisation: each change
replaces a range, given in the client's encoding, by new text). A changed
version remembers the last parsed one and what changed since, so that its
parse re-reads only the region the change can affect
(inkslop.syntax.incremental), and the last check's findings, so that its check
runs the per-node rules only on the nodes that parse made anew
(inkslop.lint.incremental); its line starts are the earlier ones, moved.
"""

from __future__ import annotations

import gc
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from lsprotocol import types
from pygls.uris import to_fs_path
from pygls.workspace.position_codec import PositionCodec

from inkslop.config.loader import ConfigError, settings_for
from inkslop.config.settings import Settings, default_settings
from inkslop.estimate.estimator import estimate_document
from inkslop.lint.checker import check_again
from inkslop.lint.incremental import CheckMemo
from inkslop.syntax.ast import Document
from inkslop.syntax.bom import BOM
from inkslop.syntax.diagnostics import Diagnostic
from inkslop.syntax.incremental import TextEdit, reparse
from inkslop.syntax.parser import parse
from inkslop_lsp.positions import Positions

log = logging.getLogger(__name__)


@dataclass(slots=True)
class ProjectSettings:
    """The settings for a file, or why its project's configuration cannot be used."""

    settings: Settings
    error: str | None = None


def settings_for_file(path: Path | None, fallback_folder: Path | None = None) -> ProjectSettings:
    """The settings that `inkslop check` would use for this file (read afresh each time:
    the library re-reads a configuration file whenever it changed)."""
    where = path or (fallback_folder / "untitled.inkslop" if fallback_folder else None)
    if where is None:
        return ProjectSettings(default_settings())
    try:
        return ProjectSettings(settings_for(where))
    except ConfigError as error:
        return ProjectSettings(default_settings(), str(error))


@dataclass
class Script:
    """One version of one open script, and what the library makes of it."""

    uri: str
    version: int | None
    text: str  # as the client has it, byte-order mark included
    path: Path | None
    project: ProjectSettings
    codec: PositionCodec
    folders: tuple[Path, ...] = ()
    generation: int = 0  # the store's count of versions when this one was made
    cache: dict[str, Any] = field(default_factory=dict)
    # An earlier version of the same script and the edit from its text to this one: this
    # version's parse starts from that one's (which it consumes). None: parsed whole.
    earlier: tuple[Script, TextEdit] | None = None
    # What the last check of an earlier version found in each top-level node: this
    # version's check reuses it for the nodes its parse kept. Then this version's own.
    memo: CheckMemo | None = None

    @property
    def settings(self) -> Settings:
        return self.project.settings

    @property
    def base(self) -> int:
        """Where the library's offsets start in `text`: after a byte-order mark."""
        return 1 if self.text.startswith(BOM) else 0

    @property
    def source(self) -> str:
        """The text the library reads (without a byte-order mark)."""
        return self.text[self.base:]

    @property
    def parsed(self) -> bool:
        """Whether this version has been parsed already (asking for `document` is cheap)."""
        return "document" in self.__dict__

    @cached_property
    def positions(self) -> Positions:
        return Positions(self.text, self.codec)

    @cached_property
    def document(self) -> Document:
        earlier, self.earlier = self.earlier, None  # consumed: it is never parsed twice
        with collector_paused():
            if earlier is None or not _reusable(earlier[0], self):
                return parse(self.text, self.settings.schema)
            return reparse(earlier[0].__dict__.pop("document"), self.text, earlier[1],
                           self.settings.schema)

    @cached_property
    def diagnostics(self) -> list[Diagnostic]:
        """What `inkslop check` reports for this text with this file's settings."""
        checked = check_again(self.document, self.settings, self.memo)
        self.memo = checked.memo
        return checked.diagnostics

    @cached_property
    def estimate(self) -> Any:
        return estimate_document(self.document, self.settings)

    # -- between library offsets and LSP positions --

    def range(self, start: int, end: int) -> types.Range:
        """The LSP range of library offsets `start`..`end`."""
        return self.positions.range(start + self.base, end + self.base)

    def span_range(self, span: Any) -> types.Range:
        return self.range(span.start, span.end)

    def position(self, offset: int) -> types.Position:
        return self.positions.position(offset + self.base)

    def offset(self, position: types.Position) -> int:
        """The library offset of an LSP position."""
        return max(0, self.positions.offset(position) - self.base)


def _followed(earlier: tuple[Script, TextEdit | None] | None,
              step: TextEdit | None) -> tuple[Script, TextEdit | None] | None:
    """The parsed version a text is an edit of, and that edit, after one more step (None:
    the text was replaced whole, there is nothing to start from)."""
    if earlier is None or step is None:
        return None
    script, edit = earlier
    return script, step if edit is None else edit.then(step)


def _reusable(earlier: Script, later: Script) -> bool:
    """Whether a later version's parse may start from an earlier one's: parsed with the same
    schema, with no byte-order mark in either (the library's offsets are the client's)."""
    return (earlier.parsed and not earlier.base and not later.base
            and earlier.settings.schema == later.settings.schema)


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector off while a script is parsed or checked.

    A parse makes hundreds of thousands of small objects, none in a cycle (they are
    freed by reference counting all the same), and the collector would traverse them
    again and again: a fifth to a third of the time of a 2,000-block parse."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


class Scripts:
    """The current version of every open script."""

    def __init__(self) -> None:
        self.open: dict[str, Script] = {}
        self.codec = PositionCodec()
        self.folders: tuple[Path, ...] = ()
        self.generation = 0  # counts every version of every script: what "newer" means

    def get(self, uri: str) -> Script | None:
        return self.open.get(uri)

    def put(self, uri: str, text: str, version: int | None,
            earlier: tuple[Script, TextEdit] | None = None,
            memo: CheckMemo | None = None, positions: Positions | None = None) -> Script:
        """Record a new version of a script; its settings are looked up again. `positions`:
        those of `text`, when known already."""
        path = _path_of(uri)
        fallback = self.folders[0] if self.folders else None
        self.generation += 1
        script = Script(uri, version, text, path, settings_for_file(path, fallback), self.codec,
                        self.folders, self.generation, earlier=earlier, memo=memo)
        if positions is not None and positions.codec is self.codec:
            script.__dict__["positions"] = positions  # what `Script.positions` would compute
        self.open[uri] = script
        return script

    def change(self, uri: str, version: int | None,
               changes: list[types.TextDocumentContentChangeEvent]) -> Script | None:
        """Apply the client's changes, in order, to a script's text."""
        script = self.open.get(uri)
        if script is None:
            log.warning("A change to %s, which is not open, was ignored.", uri)
            return None
        text, positions = script.text, script.positions
        earlier = (script, None) if script.parsed else script.earlier
        for change in changes:
            text, step = apply_change(text, change, positions)
            earlier = _followed(earlier, step)
            positions = Positions(text, self.codec) if step is None else \
                positions.edited(text, step.start, step.old_end, step.new_end)
        return self.put(uri, text, version, earlier if earlier and earlier[1] else None,
                        script.memo, positions)

    def refresh(self, uri: str) -> Script | None:
        """The same text again, with settings looked up afresh (the configuration changed)."""
        script = self.open.get(uri)
        return self.put(uri, script.text, script.version) if script else None

    def close(self, uri: str) -> None:
        self.open.pop(uri, None)


def apply_change(text: str, change: types.TextDocumentContentChangeEvent,
                 positions: Positions) -> tuple[str, TextEdit | None]:
    """The text with one change applied, a range replaced or the whole text, and the edit
    made (None for a whole text). `positions` are those of `text`."""
    if isinstance(change, types.TextDocumentContentChangePartial):
        start = positions.offset(change.range.start)
        end = max(start, positions.offset(change.range.end))
        return text[:start] + change.text + text[end:], \
            TextEdit(start, end, start + len(change.text))
    return change.text, None


def _path_of(uri: str) -> Path | None:
    if not uri.startswith("file:"):
        return None
    path = to_fs_path(uri)
    return Path(path) if path else None
