"""How `estimate` shows a script's timeline: JSON (one object per file) or a table."""

from __future__ import annotations

from typing import Any

from inkslop.estimate.clock import clock


def estimate_json(path: str, result: Any) -> dict[str, Any]:
    """An estimate as `estimate --output-format json` prints it (docs/architecture.md).
    `figure` says whether seconds were measured by the local engine or modelled; the
    total's is "measured", "modelled" or "mixed"."""
    return {
        "path": path,
        "seconds": round(result.seconds, 2),
        "figure": _total_figure(result.blocks),
        "estimated_duration": result.estimated_duration,
        "credits": round(result.credits, 2),
        "blocks": [{
            "tag": b.tag, "line": b.line, "end_line": b.end_line, "engine": b.engine,
            "voice": b.voice, "speed": b.speed, "words": b.words, "seconds": round(b.seconds, 2),
            "start": round(b.start, 2), "end": round(b.end, 2), "figure": _figure(b.measured),
        } for b in result.blocks],
        "warnings": list(result.warnings),
    }


def _figure(measured: bool) -> str:
    return "measured" if measured else "modelled"


def _total_figure(blocks: list[Any]) -> str:
    narrated = [b.measured for b in blocks if b.text]
    if narrated and all(narrated):
        return "measured"
    return "mixed" if any(narrated) else "modelled"


def _measured_note(figure: str) -> str:
    return {"measured": ", measured by the local engine",
            "mixed": ", partly measured by the local engine"}.get(figure, "")


def estimate_table(result: dict[str, Any]) -> str:
    """An estimate as a table: per block its voice, words, seconds and place; the total."""
    rows = [("block", "voice", "words", "seconds", "start–end")]
    for b in result["blocks"]:
        lines = f"{b['line']}" if b["line"] == b["end_line"] else f"{b['line']}-{b['end_line']}"
        voice = b["voice"] or "" if b["tag"] == "tts" or b["voice"] else ""
        if b["speed"] not in (None, 1.0) and voice:
            voice += f" ×{b['speed']:g}"
        rows.append((f"{b['tag']} (lines {lines})", voice, str(b["words"]), f"{b['seconds']:.1f}",
                     f"{clock(b['start'], 1)}–{clock(b['end'], 1)}"))
    widths = [max(len(row[i]) for row in rows) for i in range(5)]
    lines = [result["path"]]
    for index, row in enumerate(rows):
        cells = [row[0].ljust(widths[0]), row[1].ljust(widths[1]), row[2].rjust(widths[2]),
                 row[3].rjust(widths[3]), row[4]]
        lines.append("  " + "  ".join(cells).rstrip())
        if index == 0:
            lines.append("  " + "  ".join("-" * w for w in widths))
    lines.append(f"  total {result['seconds']:.1f} s, {result['credits']:.2f} credits "
                 f"(estimated_duration {result['estimated_duration']:.1f})"
                 + _measured_note(result["figure"]))
    return "\n".join(lines) + "\n"

