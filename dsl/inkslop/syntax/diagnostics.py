"""Diagnostics are values: a code, a severity, a message, a span, maybe a fix.

They are made in one place (the parser for syntax, the rules for the rest) and
rendered by the caller: the CLI's output formats, the language server.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from inkslop.syntax.spans import Span

ERROR = "error"
WARNING = "warning"
INFO = "info"
SEVERITIES = (ERROR, WARNING, INFO)
SEVERITY_RANK = {INFO: 0, WARNING: 1, ERROR: 2}


@dataclass(slots=True, frozen=True)
class Edit:
    """Replace the text in `span` by `new_text`."""

    span: Span
    new_text: str


@dataclass(slots=True, frozen=True)
class Fix:
    """A change that resolves a diagnostic. Safe fixes are applied by `check --fix`."""

    message: str
    edits: tuple[Edit, ...]
    safe: bool = True


@dataclass(slots=True)
class Diagnostic:
    code: str
    severity: str
    message: str
    span: Span
    fix: Fix | None = None
    # Other places that explain the finding (the opener of a mismatched tag...).
    related: tuple[tuple[str, Span], ...] = field(default=())

    @property
    def sort_key(self) -> tuple[int, int, str]:
        return (self.span.start, self.span.end, self.code)


def apply_edits(text: str, edits: list[Edit]) -> str:
    """Apply non-overlapping edits to text; later overlapping edits are dropped."""
    result: list[str] = []
    position = 0
    for edit in sorted(edits, key=lambda e: (e.span.start, e.span.end)):
        if edit.span.start < position:
            continue
        result.append(text[position:edit.span.start])
        result.append(edit.new_text)
        position = edit.span.end
    result.append(text[position:])
    return "".join(result)
