"""`--output-format text`: each diagnostic with its source line underlined, then a summary.

A long line is shown as a window of at most MAX_COLUMNS characters around the finding,
cut with `…`; a file's findings beyond a cap are counted, not printed.

    script.inkslop:2:32: T008 warning: "af_hert" is not a voice of `kokoro_tts`. ...
      |
    2 | [tts engine="kokoro_tts" voice="af_hert"]
      |                                ^^^^^^^^^ T008
      = fix (unsafe): Write "af_heart"
"""

from __future__ import annotations

from unicodedata import combining, east_asian_width

from inkslop.reporters.report import FileReport
from inkslop.syntax.diagnostics import Diagnostic
from inkslop.syntax.spans import LineIndex

_RESET = "\033[0m"
_STYLE = {"error": "\033[1;31m", "warning": "\033[1;33m", "info": "\033[1;34m",
          "path": "\033[1m", "code": "\033[1;36m", "gutter": "\033[34m", "fix": "\033[32m"}


MAX_COLUMNS = 120  # the widest excerpt of a source line, as ruff shows
MAX_FINDINGS = 100  # findings shown per file unless told otherwise (check --max-findings)
_CONTEXT = 40  # characters kept before a finding when its line is cut
_CUT = "…"


def render_text(reports: list[FileReport], *, color: bool = False,
                max_findings: int | None = None) -> str:
    """Each finding with an excerpt of its line, at most `max_findings` per file (None:
    all), then a summary. The output grows with the findings, never with line length."""
    paint = _painter(color)
    out: list[str] = []
    for report in reports:
        shown = report.diagnostics if max_findings is None else report.diagnostics[:max_findings]
        for diagnostic in shown:
            out.append(_diagnostic(report, diagnostic, paint))
        hidden = len(report.diagnostics) - len(shown)
        if hidden:
            out.append(f"{report.path}: {_plural(hidden, 'more finding')} not shown "
                       "(`inkslop check --max-findings 0` shows them all).\n")
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
    length = _line_length(report.lines, span.line)
    start = min(span.column - 1, length)
    end = span.end_column - 1 if span.end_line == span.line else length
    end = max(min(end, length), start + 1)
    first, last = _window(length, start)
    source = _line_slice(report.lines, span.line, first, last)
    shown = (_CUT if first else "") + source.expandtabs(4) + (_CUT if last < length else "")
    lead = (_CUT if first else "") + source[:start - first]
    pad = _width(lead)
    marks = "^" * max(1, _width(source[start - first:end - first]))
    # `…`: the finding goes on past what is shown (a later line, or beyond the window's
    # cut); a mark at the end of a line, or on an empty one, goes on nowhere.
    more = " …" if span.end_line > span.line or (end > last and last < length) else ""
    number = str(span.line)
    gutter = " " * len(number)
    return [
        paint("gutter", f"{gutter} |"),
        paint("gutter", f"{number} | ") + shown,
        paint("gutter", f"{gutter} | ") + " " * pad + paint(d.severity, marks + more) + " "
        + paint("code", d.code),
    ]


def _window(length: int, start: int) -> tuple[int, int]:
    """The characters [first, last) of a line to show: all of a short line, else at most
    MAX_COLUMNS of them around `start`."""
    if length <= MAX_COLUMNS:
        return 0, length
    first = max(0, start - _CONTEXT)
    last = min(length, first + MAX_COLUMNS)
    return max(0, last - MAX_COLUMNS), last


def _line_length(lines: LineIndex, line: int) -> int:
    begin = lines.line_starts[line - 1]
    end = lines.line_starts[line] - 1 if line < lines.line_count else len(lines.text)
    if end > begin and lines.text[end - 1] == "\r":
        end -= 1
    return end - begin


def _line_slice(lines: LineIndex, line: int, first: int, last: int) -> str:
    """Characters [first, last) of a line, copied alone (never the whole line)."""
    begin = lines.line_starts[line - 1]
    return lines.text[begin + first:begin + last]


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
            if unsafe:  # --unsafe-fixes implies --fix
                hint += ("; " if hint else "") + f"{unsafe} more with --unsafe-fixes"
            parts.append(f"[*] {hint}.")
    return "\n".join(parts)


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"
