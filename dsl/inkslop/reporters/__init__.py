"""Renderers of check results: text, json, github, sarif. Each returns a string."""

from __future__ import annotations

from dataclasses import dataclass, field

from inkslop.syntax.diagnostics import Diagnostic
from inkslop.syntax.spans import LineIndex

FORMATS = ("text", "json", "github", "sarif")


@dataclass(slots=True)
class FileReport:
    """The diagnostics of one checked file, with what is needed to show them."""

    path: str
    lines: LineIndex
    diagnostics: list[Diagnostic]
    fixed: list[Diagnostic] = field(default_factory=list)


def render(output_format: str, reports: list[FileReport], *, color: bool = False,
           max_findings: int | None = None) -> str:
    """The reports in one format. `max_findings` caps the findings shown per file in text
    output only: the machine formats (json, github, sarif) are always complete."""
    if output_format == "json":
        from inkslop.reporters.json_report import render_json

        return render_json(reports)
    if output_format == "github":
        from inkslop.reporters.github import render_github

        return render_github(reports)
    if output_format == "sarif":
        from inkslop.reporters.sarif import render_sarif

        return render_sarif(reports)
    from inkslop.reporters.text import render_text

    return render_text(reports, color=color, max_findings=max_findings)
