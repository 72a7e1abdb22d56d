"""How the preflight of a paid request is shown: every finding of every script, rendered as
`check` renders them (grouped per script), the estimate per video and in all, then the
verdict: passed, or each reason for refusing.

    video1.inkslop:4:1: C001 warning: Text outside every `tts` block is not narrated...
    ...
    Found 1 warning in 2 files.

    Estimate                       seconds  credits
      video1.inkslop (fact-1)          5.6     0.45
      video2.inkslop (fact-2)          5.6     0.45
      total: 2 videos                 11.2     0.91

    Refused, nothing was sent:
      - 1 warning not allowed (video1.inkslop:4:1 C001). To send anyway: --allow-warnings...
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from inkslop.reporters import FileReport, render

if TYPE_CHECKING:
    from inkslop.compile.preflight import Preflight


def render_preflight(verdict: Preflight, *, color: bool = False) -> str:
    """The whole preflight as text (for standard error)."""
    reports = [FileReport(s.source, s.lines, s.findings) for s in verdict.scripts
               if s.lines is not None]
    parts = []
    if reports:  # check's hint ("[*] 1 fixable with --fix") names check's options
        parts.append(render("text", reports, color=color).replace("\n[*] ",
                                                                  "\n[*] inkslop check: "))
    parts.append(estimate_table(verdict))
    parts.append(verdict_lines(verdict))
    return "\n".join(parts)


def estimate_table(verdict: Preflight) -> str:
    """Seconds and credits of each video, and the total of those that compiled (a script
    that did not has a dash: its findings say why)."""
    rows = [(_label(s.source, s.request.get("video_name")), f"{s.seconds:.1f}",
             f"{s.credits:.2f}") if s.request is not None else (s.source, "-", "-")
            for s in verdict.scripts]
    count = sum(s.request is not None for s in verdict.scripts)
    rows.append((f"total: {count} video{'' if count == 1 else 's'}", f"{verdict.seconds:.1f}",
                 f"{verdict.credits:.2f}"))
    width = max(len(r[0]) for r in rows)
    lines = [f"{'Estimate'.ljust(width + 2)}  seconds  credits"]
    lines += [f"  {name.ljust(width)}  {seconds:>7}  {credits:>7}"
              for name, seconds, credits in rows]
    if verdict.budget is not None:
        lines.append(f"  budget: {verdict.budget:g} credits ({verdict.budget_source})")
    return "\n".join(lines) + "\n"


def verdict_lines(verdict: Preflight) -> str:
    if verdict.passed:
        return "Preflight passed.\n"
    return "Refused, nothing was sent:\n" + \
        "".join(f"  - {reason}\n" for reason in verdict.refusals)


def _label(source: str, name: str | None) -> str:
    return f"{source} ({name})" if name and name not in source else source
