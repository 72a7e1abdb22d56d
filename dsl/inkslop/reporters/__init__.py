"""Renderers of check results: text, json, github, sarif. Each returns a string."""

from __future__ import annotations

from inkslop.reporters.github import render_github
from inkslop.reporters.json_report import render_json
from inkslop.reporters.report import FileReport
from inkslop.reporters.sarif import render_sarif
from inkslop.reporters.text import render_text

__all__ = ["FORMATS", "FileReport", "render"]

FORMATS = ("text", "json", "github", "sarif")


def render(output_format: str, reports: list[FileReport], *, color: bool = False,
           max_findings: int | None = None) -> str:
    """The reports in one format. `max_findings` caps the findings shown per file in text
    output only: the machine formats (json, github, sarif) are always complete."""
    if output_format == "json":
        return render_json(reports)
    if output_format == "github":
        return render_github(reports)
    if output_format == "sarif":
        return render_sarif(reports)
    return render_text(reports, color=color, max_findings=max_findings)
