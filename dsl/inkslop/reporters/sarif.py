"""`--output-format sarif`: SARIF 2.1.0, for code-scanning dashboards."""

from __future__ import annotations

import json
from typing import Any

from inkslop.lint.rules import RULES
from inkslop.reporters.report import FileReport
from inkslop.version import toolkit_version

_LEVEL = {"error": "error", "warning": "warning", "info": "note"}
SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


def render_sarif(reports: list[FileReport]) -> str:
    codes = sorted({d.code for r in reports for d in r.diagnostics})
    rules = [_rule(RULES[c]) for c in codes if c in RULES]
    index = {rule["id"]: i for i, rule in enumerate(rules)}
    results = [
        {
            "ruleId": d.code,
            "ruleIndex": index.get(d.code, -1),
            "level": _LEVEL[d.severity],
            "message": {"text": d.message},
            "locations": [{"physicalLocation": {
                "artifactLocation": {"uri": r.path.replace("\\", "/")},
                "region": {"startLine": d.span.line, "startColumn": d.span.column,
                           "endLine": d.span.end_line, "endColumn": d.span.end_column},
            }}],
        }
        for r in reports for d in r.diagnostics
    ]
    log = {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "inkslop", "informationUri":
                                "https://inkslop.com", "version": toolkit_version(), "rules": rules}},
            "results": results,
        }],
    }
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"


def _rule(rule: Any) -> dict[str, Any]:
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": rule.why},
        "defaultConfiguration": {"level": _LEVEL[rule.severity]},
        "help": {"text": f"inkslop rule {rule.code}"},
    }
