"""One checked file's findings, as every renderer receives them."""

from __future__ import annotations

from dataclasses import dataclass, field

from inkslop.syntax.diagnostics import Diagnostic
from inkslop.syntax.spans import LineIndex


@dataclass(slots=True)
class FileReport:
    """The diagnostics of one checked file, with what is needed to show them."""

    path: str
    lines: LineIndex
    diagnostics: list[Diagnostic]
    fixed: list[Diagnostic] = field(default_factory=list)
