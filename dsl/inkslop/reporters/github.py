"""`--output-format github`: workflow commands that GitHub Actions shows as annotations."""

from __future__ import annotations

from inkslop.reporters.report import FileReport

_LEVEL = {"error": "error", "warning": "warning", "info": "notice"}


def render_github(reports: list[FileReport]) -> str:
    lines = []
    for report in reports:
        for d in report.diagnostics:
            span = d.span
            properties = (f"file={_property(report.path)},line={span.line},col={span.column},"
                          f"endLine={span.end_line},endColumn={span.end_column},"
                          f"title={_property(f'inkslop ({d.code})')}")
            lines.append(f"::{_LEVEL[d.severity]} {properties}::{_data(f'{d.code} {d.message}')}")
    return "".join(line + "\n" for line in lines)


def _data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(value: str) -> str:
    return _data(value).replace(":", "%3A").replace(",", "%2C")
