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
        self._usable = True
        self._code = _code_version()

    def key(self, text: str, settings: Settings, mode: str = "check") -> str:
        digest = hashlib.sha256()
        for part in (str(_FORMAT), self._code, mode, self._fingerprint(settings)):
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
        if not self._usable:
            return
        entry = self._entry(key)
        try:
            self._prepare(entry.parent)
            handle, temporary = tempfile.mkstemp(dir=entry.parent, suffix=".tmp")
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                json.dump([_data(d) for d in diagnostics], out, ensure_ascii=False)
            os.replace(temporary, entry)
        except OSError:
            self._usable = False  # a read-only or full disk: run on without the cache

    def _entry(self, key: str) -> Path:
        return self.directory / key[:2] / f"{key}.json"

    def _prepare(self, folder: Path) -> None:
        if folder.is_dir():
            return
        if not self.directory.is_dir():
            self.directory.mkdir(parents=True, exist_ok=True)
            # Marks for backup tools and git, as other caches do.
            (self.directory / "CACHEDIR.TAG").write_text(
                "Signature: 8a477f597d28d172789f06886806bc55\n# inkslop's result cache\n")
            (self.directory / ".gitignore").write_text("*\n")
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
