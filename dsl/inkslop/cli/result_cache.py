"""A cache of `check` results, as ruff keeps one: a script checked before with the same
content, the same effective settings and the same toolkit version is not checked again.

Entries are small JSON files named by a hash of those three things, under the cache
directory: INKSLOP_CACHE_DIR, else `.inkslop_cache` in the project's root (the
directory of the configuration found from the working directory, else the working
directory). The version counts the time the toolkit's own files last changed, so that a
checkout installed in editable mode, whose version number stays while its rules
change, never gets stale results. Each entry is written to a temporary file and renamed into place, so two
processes sharing the directory never see half an entry; an entry that cannot be read
or parsed is a miss. The cache only ever saves time: when it cannot be written, the run
goes on without it.

Beside the entries, `CleanFiles` remembers the files last found clean, by path, file
status (modification and change times, size, inode) and settings, in one index file: a
run over unchanged files stats them and reads none of them.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import fields
from pathlib import Path
from typing import Any

from inkslop.config.loader import ConfigFinder
from inkslop.config.settings import Settings
from inkslop.syntax.diagnostics import Diagnostic, Edit, Fix
from inkslop.syntax.spans import Span
from inkslop.version import toolkit_version

ENV = "INKSLOP_CACHE_DIR"
_FORMAT = 1  # bump when the entries' shape changes


def default_directory() -> Path:
    """Where the cache lives for a run started in the working directory."""
    if os.environ.get(ENV):
        return Path(os.environ[ENV])
    config = ConfigFinder().config_file(Path.cwd())
    root = config.parent if config is not None else Path.cwd()
    return root / ".inkslop_cache"


class ResultCache:
    """Diagnostics by (content, settings, version)."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self._fingerprints: dict[int, tuple[Settings, str]] = {}
        self._digests: dict[str, str] = {}
        self.usable = True
        self.code = _code_version()

    def settings_digest(self, settings: Settings) -> str:
        """A short name for every value of the settings (the same settings, the same name)."""
        described = self._fingerprint(settings)
        digest = self._digests.get(described)
        if digest is None:
            digest = hashlib.sha256(described.encode("utf-8")).hexdigest()[:20]
            self._digests[described] = digest
        return digest

    def key(self, text: str, settings: Settings, mode: str = "check") -> str:
        digest = hashlib.sha256()
        for part in (str(_FORMAT), self.code, mode, self._fingerprint(settings)):
            digest.update(part.encode("utf-8") + b"\0")
        digest.update(text.encode("utf-8", "surrogatepass"))
        return digest.hexdigest()

    def get(self, key: str) -> list[Diagnostic] | None:
        try:
            with open(self._entry(key), encoding="utf-8") as entry:
                return [_diagnostic(item) for item in json.load(entry)]
        except (OSError, ValueError, KeyError, TypeError):
            return None  # absent, or written by something else: check the script again

    def put(self, key: str, diagnostics: list[Diagnostic]) -> None:
        if not self.usable:
            return
        entry = self._entry(key)
        try:
            self.prepare(entry.parent)
            handle, temporary = tempfile.mkstemp(dir=entry.parent, suffix=".tmp")
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                json.dump([_data(d) for d in diagnostics], out, ensure_ascii=False)
            os.replace(temporary, entry)
        except OSError:
            self.usable = False  # a read-only or full disk: run on without the cache

    def _entry(self, key: str) -> Path:
        return self.directory / key[:2] / f"{key}.json"

    def prepare(self, folder: Path) -> None:
        """Make `folder` (the cache directory or one below it), marked as a cache."""
        if folder.is_dir():
            return
        if not self.directory.is_dir():
            self.directory.mkdir(parents=True, exist_ok=True)
            # Marks for backup tools and git, as other caches do.
            (self.directory / "CACHEDIR.TAG").write_text(
                "Signature: 8a477f597d28d172789f06886806bc55\n# inkslop's result cache\n")
            (self.directory / ".gitignore").write_text("*\n")
        if folder != self.directory:
            folder.mkdir(exist_ok=True)

    def _fingerprint(self, settings: Settings) -> str:
        known = self._fingerprints.get(id(settings))
        if known is None or known[0] is not settings:
            # Every value but the schema, which is built from `data`.
            described = {f.name: getattr(settings, f.name) for f in fields(settings)
                         if f.name != "schema"}
            known = (settings, json.dumps(described, sort_keys=True, default=str))
            self._fingerprints[id(settings)] = known
        return known[1]


class CleanFiles:
    """The files found clean (no finding) when last checked, in one index file of the
    cache directory: path -> (mtime_ns, ctime_ns, size, inode, settings digest).

    A file whose status and settings are those recorded is clean without being read. Any
    change to the file moves its change time, which no tool can set back. The index is
    read once and written once per run, to a temporary file renamed into place, merged
    with what is on disk then; when two runs write at once one's entries may be lost,
    which costs a check next time, never a wrong answer."""

    NAME = "clean-files.json"

    def __init__(self, cache: ResultCache) -> None:
        self.cache = cache
        self.path = cache.directory / self.NAME
        self.known = self._read()
        self.changes: dict[str, list[Any] | None] = {}
        self._folders: dict[str, str] = {}  # a folder as named -> its absolute path

    def signature(self, path: Path, settings: Settings) -> list[Any] | None:
        """What must be the same for `path` to be known clean; None when it cannot be had."""
        try:
            state = os.stat(path)
        except OSError:
            return None
        return [state.st_mtime_ns, state.st_ctime_ns, state.st_size, state.st_ino,
                self.cache.settings_digest(settings)]

    def is_clean(self, path: Path, signature: list[Any] | None) -> bool:
        return signature is not None and self.known.get(self._key(path)) == signature

    def record(self, path: Path, signature: list[Any] | None, clean: bool) -> None:
        """What a check of `path`, whose status was `signature` before it was read, found."""
        key = self._key(path)
        if clean and signature is not None:
            self.changes[key] = signature
        elif key in self.known:
            self.changes[key] = None

    def _key(self, path: Path) -> str:
        """The absolute path of a file, its folder's made absolute once per run."""
        folder, name = os.path.split(os.fspath(path))
        absolute = self._folders.get(folder)
        if absolute is None:
            absolute = self._folders[folder] = os.path.abspath(folder or ".")
        return os.path.join(absolute, name)

    def save(self) -> None:
        if not self.changes or not self.cache.usable:
            return
        merged = self._read()  # what other runs wrote meanwhile
        for key, signature in self.changes.items():
            if signature is None:
                merged.pop(key, None)
            else:
                merged[key] = signature
        try:
            self.cache.prepare(self.cache.directory)
            handle, temporary = tempfile.mkstemp(dir=self.cache.directory, suffix=".tmp")
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                json.dump([_FORMAT, self.cache.code, merged], out)
            os.replace(temporary, self.path)
        except OSError:
            pass  # the index only ever saves time

    def _read(self) -> dict[str, list[Any]]:
        try:
            with open(self.path, encoding="utf-8") as index:
                version, code, known = json.load(index)
        except (OSError, ValueError, TypeError):
            return {}
        if [version, code] != [_FORMAT, self.cache.code] or not isinstance(known, dict):
            return {}  # another toolkit's: all of it may be stale
        return known


def _code_version() -> str:
    """The toolkit's version and the time its newest file was written."""
    package = Path(__file__).resolve().parents[1]
    newest = max(os.stat(os.path.join(folder, name)).st_mtime_ns
                 for folder, _, names in os.walk(package) for name in names
                 if name.endswith((".py", ".json", ".toml", ".lark")))
    return f"{toolkit_version()}+{newest}"


def _span_data(span: Span) -> list[int]:
    return [span.start, span.end, span.line, span.column, span.end_line, span.end_column]


def _data(d: Diagnostic) -> dict[str, Any]:
    fix = None if d.fix is None else {
        "message": d.fix.message, "safe": d.fix.safe,
        "edits": [[_span_data(e.span), e.new_text] for e in d.fix.edits]}
    return {"code": d.code, "severity": d.severity, "message": d.message,
            "span": _span_data(d.span), "fix": fix,
            "related": [[text, _span_data(span)] for text, span in d.related]}


def _diagnostic(item: dict[str, Any]) -> Diagnostic:
    fix = item["fix"]
    if fix is not None:
        fix = Fix(fix["message"], tuple(Edit(Span(*s), new) for s, new in fix["edits"]),
                  fix["safe"])
    return Diagnostic(item["code"], item["severity"], item["message"], Span(*item["span"]), fix,
                      tuple((text, Span(*s)) for text, s in item["related"]))
