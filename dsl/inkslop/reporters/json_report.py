"""`--output-format json`: one JSON array, one object per diagnostic (see docs/cli.md)."""

from __future__ import annotations

import json
from typing import Any

from inkslop.reporters.report import FileReport
from inkslop.syntax.diagnostics import Diagnostic, Fix
from inkslop.syntax.spans import Span


def render_json(reports: list[FileReport]) -> str:
    items = [diagnostic_json(r.path, d) for r in reports for d in r.diagnostics]
    return json.dumps(items, indent=2, ensure_ascii=False) + "\n"


def diagnostic_json(path: str, diagnostic: Diagnostic) -> dict[str, Any]:
    return {
        "path": path,
        "code": diagnostic.code,
        "severity": diagnostic.severity,
        "message": diagnostic.message,
        **_position(diagnostic.span),
        "fix": _fix(diagnostic.fix),
    }


def _position(span: Span) -> dict[str, int]:
    return {"line": span.line, "column": span.column, "end_line": span.end_line,
            "end_column": span.end_column}


def _fix(fix: Fix | None) -> dict[str, Any] | None:
    if fix is None:
        return None
    return {
        "message": fix.message,
        "applicability": "safe" if fix.safe else "unsafe",
        "edits": [{"content": e.new_text, **_position(e.span)} for e in fix.edits],
    }
