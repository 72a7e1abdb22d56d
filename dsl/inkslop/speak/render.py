"""A timeline of narrated segments to one audio track and its subtitle cues.

Why: this is the seam with the rest of the toolkit. The estimator says where each
narrated block starts; the engine says how long it really is. A segment starts at its
timeline time, or when the previous one ends if that is later (narration never overlaps:
the timeline is modelled, the audio is measured), or right after the previous one when
it has no time. Every chunk (one per text line, unless a line passes 510 phonemes) gets
a cue with its measured start and end; words get their own, from the duration predictor.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from inkslop.estimate.measured import DurationCache
from inkslop.speak import audio as audio_mod
from inkslop.speak.engine import SAMPLE_RATE, Clip, KokoroEngine
from inkslop.speak.subtitles import Cue

Progress = Callable[[int, int], None]  # (characters done, characters in all segments)


@dataclass(frozen=True)
class Segment:
    start: float | None  # seconds on the timeline; None: right after the previous segment
    text: str
    voice: str
    speed: float = 1.0
    lines: tuple[int, ...] = ()  # script line of each line of `text` (or of its first line)


@dataclass(frozen=True)
class TimedLine:
    """One chunk on the timeline: the script line it comes from, and its measured span."""

    line: int | None
    start: float
    end: float
    text: str
    speech_start: float  # first word's start (= start when no word timings)
    speech_end: float


@dataclass
class Placement:
    segment: Segment
    start: float
    clip: Clip

    @property
    def end(self) -> float:
        return self.start + self.clip.seconds


@dataclass
class Rendering:
    audio: np.ndarray
    sample_rate: int
    placements: list[Placement]
    lines: list[TimedLine] = field(default_factory=list)

    @property
    def seconds(self) -> float:
        return len(self.audio) / self.sample_rate

    def cues(self, timing: str = "chunk") -> list[Cue]:
        """Subtitle cues, one per line: "chunk" spans the whole chunk (cues tile the audio),
        "speech" spans its first word's start to its last word's end."""
        if timing == "speech":
            return [Cue(t.speech_start, t.speech_end, t.text) for t in self.lines]
        return [Cue(t.start, t.end, t.text) for t in self.lines]

    def word_cues(self) -> list[Cue]:
        return [Cue(p.start + w.start, p.start + w.end, w.text)
                for p in self.placements for c in p.clip.chunks for w in c.words]

    def write_audio(self, path: str | Path) -> Path:
        return audio_mod.write_audio(Path(path), self.audio, self.sample_rate)


def _script_line(segment: Segment, index: int) -> int | None:
    if not segment.lines:
        return None
    if index < len(segment.lines):
        return segment.lines[index]
    return segment.lines[0] + index  # only the first line given: count on from it


def speak_segments(segments: Sequence[Segment], engine: KokoroEngine,
                   progress: Progress | None = None, *,
                   music: Iterable[audio_mod.MusicBed] = (),
                   cache: DurationCache | None = None) -> Rendering:
    """Synthesise every segment, place it on the timeline, mix the music beds under it."""
    total = sum(len(s.text) for s in segments) or 1
    done, at = 0, 0.0
    placements: list[Placement] = []
    lines: list[TimedLine] = []
    if progress:
        progress(0, total)
    for segment in segments:
        clip = engine.synthesize(segment.text, segment.voice, segment.speed)
        start = at if segment.start is None else max(float(segment.start), at)
        start = round(start * SAMPLE_RATE) / SAMPLE_RATE  # on a sample
        placements.append(Placement(segment, start, clip))
        for chunk in clip.chunks:
            speech = (chunk.words[0].start, chunk.words[-1].end) if chunk.words else (chunk.start, chunk.end)
            lines.append(TimedLine(_script_line(segment, chunk.line), start + chunk.start,
                                   start + chunk.end, chunk.text, start + speech[0], start + speech[1]))
        if cache is not None:
            cache.record(engine.cache_key(segment.text, segment.voice, segment.speed),
                         clip.seconds, clip.chunk_samples, clip.sample_rate)
        at = start + clip.seconds
        done += len(segment.text)
        if progress:
            progress(done, total)
    track = audio_mod.place([audio_mod.Placed(p.start, p.clip.audio) for p in placements],
                            sample_rate=SAMPLE_RATE)
    beds = list(music)
    if beds:
        track = audio_mod.mix_music(track, beds, SAMPLE_RATE)
    return Rendering(track, SAMPLE_RATE, placements, lines)
