"""`--output-format text`: each diagnostic with its source line underlined, then a summary.

    script.inkslop:2:32: T008 warning: "af_hert" is not a voice of `kokoro_tts`. ...
      |
    2 | [tts engine="kokoro_tts" voice="af_hert"]
      |                                ^^^^^^^^^ T008
      = fix (unsafe): Write "af_heart"
"""

from __future__ import annotations

from unicodedata import combining, east_asian_width

from inkslop.reporters import FileReport
from inkslop.syntax.diagnostics import Diagnostic

_RESET = "\033[0m"
_STYLE = {"error": "\033[1;31m", "warning": "\033[1;33m", "info": "\033[1;34m",
          "path": "\033[1m", "code": "\033[1;36m", "gutter": "\033[34m", "fix": "\033[32m"}


def render_text(reports: list[FileReport], *, color: bool = False) -> str:
    paint = _painter(color)
    out: list[str] = []
    for report in reports:
        for diagnostic in report.diagnostics:
            out.append(_diagnostic(report, diagnostic, paint))
    out.append(summary(reports, paint))
    return "\n".join(out) + "\n"


def _painter(color: bool):  # type: ignore[no-untyped-def]
    def paint(style: str, text: str) -> str:
        return f"{_STYLE[style]}{text}{_RESET}" if color else text

    return paint


def _diagnostic(report: FileReport, d: Diagnostic, paint) -> str:  # type: ignore[no-untyped-def]
    span = d.span
    head = (f"{paint('path', f'{report.path}:{span.line}:{span.column}:')} "
            f"{paint('code', d.code)} {paint(d.severity, d.severity)}: {d.message}")
    lines = [head, *_excerpt(report, d, paint)]
    if d.fix is not None:
        kind = "fix" if d.fix.safe else "fix (unsafe)"
        lines.append(paint("gutter", "   = ") + paint("fix", f"{kind}: {d.fix.message}"))
    return "\n".join(lines) + "\n"


def _excerpt(report: FileReport, d: Diagnostic, paint) -> list[str]:  # type: ignore[no-untyped-def]
    span = d.span
    if span.line > report.lines.line_count:
        return []
    source = report.lines.line_text(span.line)
    number = str(span.line)
    gutter = " " * len(number)
    start = span.column - 1
    end = span.end_column - 1 if span.end_line == span.line else len(source)
    end = max(end, start + 1)
    pad = _width(source[:start])
    marks = "^" * max(1, _width(source[start:end]))
    more = " …" if span.end_line > span.line else ""
    return [
        paint("gutter", f"{gutter} |"),
        paint("gutter", f"{number} | ") + source.expandtabs(4) if "\t" in source
        else paint("gutter", f"{number} | ") + source,
        paint("gutter", f"{gutter} | ") + " " * pad + paint(d.severity, marks + more) + " "
        + paint("code", d.code),
    ]


def _width(text: str) -> int:
    """Columns a terminal gives the text: wide characters take two, combining ones none."""
    width = 0
    for char in text:
        if char == "\t":
            width += 4 - width % 4
        elif combining(char):
            continue
        else:
            width += 2 if east_asian_width(char) in "WF" else 1
    return width


def summary(reports: list[FileReport], paint=None) -> str:  # type: ignore[no-untyped-def]
    paint = paint or _painter(False)
    counts = {"error": 0, "warning": 0, "info": 0}
    fixable = unsafe = fixed = 0
    for report in reports:
        fixed += len(report.fixed)
        for d in report.diagnostics:
            counts[d.severity] += 1
            if d.fix is not None:
                fixable += d.fix.safe
                unsafe += not d.fix.safe
    files = _plural(len(reports), "file")
    parts = []
    if fixed:
        parts.append(f"Fixed {_plural(fixed, 'problem')}.")
    if not reports:
        parts.append("No scripts were checked.")
    elif not any(counts.values()):
        parts.append(paint("fix", f"All checks passed ({files})."))
    else:
        found = ", ".join(_plural(n, name) for name, n in counts.items() if n)
        parts.append(f"Found {found} in {files}.")
        if fixable or unsafe:
            hint = f"{fixable} fixable with --fix" if fixable else ""
            if unsafe:
                hint += ("; " if hint else "") + f"{unsafe} more with --unsafe-fixes"
            parts.append(f"[*] {hint}.")
    return "\n".join(parts)


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"
