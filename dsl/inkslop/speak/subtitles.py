"""SubRip (.srt) and WebVTT (.vtt) subtitles from timed lines.

Why separate and stdlib only: the cues come from measured timings (render.py), but
writing them is plain text that the CLI, the language server and tests use without the
engine. Times are rounded to the millisecond; a cue never ends before it starts, and text
lines inside a cue are kept (blank lines, which would end a cue, are removed).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Cue:
    start: float  # seconds
    end: float
    text: str


def _ms(seconds: float) -> int:
    return max(0, round(seconds * 1000))


def _stamp(seconds: float, sep: str) -> str:
    ms = _ms(seconds)
    h, rest = divmod(ms, 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, ms = divmod(rest, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}{sep}{ms:03d}"


def _clean(text: str) -> str:
    return "\n".join(line.strip() for line in text.strip().splitlines() if line.strip())


def _usable(cues: list[Cue]) -> list[Cue]:
    return [c for c in cues if _clean(c.text)]


def to_srt(cues: list[Cue]) -> str:
    blocks = []
    for n, cue in enumerate(_usable(cues), 1):
        end = max(cue.end, cue.start)
        blocks.append(f"{n}\n{_stamp(cue.start, ',')} --> {_stamp(end, ',')}\n{_clean(cue.text)}\n")
    return "\n".join(blocks)


def to_vtt(cues: list[Cue]) -> str:
    blocks = ["WEBVTT\n"]
    for cue in _usable(cues):
        end = max(cue.end, cue.start)
        text = _clean(cue.text).replace("-->", "→")  # "-->" may not appear in a cue's text
        blocks.append(f"{_stamp(cue.start, '.')} --> {_stamp(end, '.')}\n{text}\n")
    return "\n".join(blocks)


def write(path: str | Path, cues: list[Cue]) -> Path:
    """Write .srt or .vtt by the file's suffix (ValueError for any other)."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".srt":
        text = to_srt(cues)
    elif suffix == ".vtt":
        text = to_vtt(cues)
    else:
        raise ValueError(f"{path}: subtitles are written as .srt or .vtt, not {suffix or 'no suffix'}")
    path.write_text(text, encoding="utf-8")
    return path


def parse_end_times(text: str) -> list[float]:
    """The end time of every cue in SRT or VTT text (for tests and checks)."""
    ends = []
    for line in text.splitlines():
        if "-->" in line:
            stamp = line.split("-->")[1].strip().split()[0].replace(",", ".")
            h, m, s = stamp.split(":")
            ends.append(int(h) * 3600 + int(m) * 60 + float(s))
    return ends
