"""A project's resolved settings: plain values that every stage reads.

Where they come from (configuration files found upward from a script, validated)
is `inkslop.config.loader`; this module holds only the values and their
defaults, so the lower stages (estimate, lint, format) depend on no loading code.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import Any

from inkslop.schema.spec import Schema, default_schema

# D001's limit unless `[estimate] max-seconds` says otherwise: about what short-form video
# platforms take (a YouTube Short runs up to three minutes).
DEFAULT_MAX_SECONDS = 180.0


@dataclass(slots=True)
class Settings:
    """Resolved configuration, ready for the checker."""

    select: tuple[str, ...] = ("ALL",)
    ignore: tuple[str, ...] = ()
    severity: dict[str, str] = field(default_factory=dict)
    music_library: tuple[str, ...] = ()
    schema: Schema = field(default_factory=default_schema)
    format_indent: int = 0  # spaces per level of nesting
    line_ending: str = "auto"  # auto (the file's own), lf or crlf
    credit_rate: float | None = None  # None: the estimator's default
    max_seconds: float | None = DEFAULT_MAX_SECONDS  # longer gets a warning (D001); None: off
    # `[submit]`: warnings the preflight lets through (True: all; a tuple: these codes or
    # prefixes), and the most credits a submission may be estimated to spend.
    allow_warnings: bool | tuple[str, ...] = False
    max_credits: float | None = None
    # `[api] account`: whose rate limits the client counts against (None: one account per
    # API base URL, shared by every key on the machine).
    api_account: str | None = None
    duration_model: dict[str, Any] = field(default_factory=dict)  # overrides of the model
    estimate_engine: str = "model"  # "kokoro": `estimate` measures with the local engine
    # `[speak]`: "model" and "voices" paths (absolute) and the download "url", when set.
    speak: dict[str, str] = field(default_factory=dict)
    path: Path | None = None
    data: dict[str, Any] = field(default_factory=dict, repr=False)

    def enabled(self, code: str) -> bool:
        def matches(selector: str) -> bool:
            return selector == "ALL" or code.startswith(selector)

        return any(map(matches, self.select)) and not any(map(matches, self.ignore))

    def with_selection(self, select: tuple[str, ...] | None, ignore: tuple[str, ...]) -> Settings:
        """These settings with the command line's --select (replaces) and --ignore (adds)."""
        if not select and not ignore:
            return self  # the same object: what is derived from it once is reused
        return replace(self, select=select or self.select, ignore=self.ignore + ignore)


@cache
def default_settings() -> Settings:
    return Settings()
