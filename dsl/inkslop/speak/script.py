"""A parsed script to what the local engine renders: segments on the estimator's timeline,
the music beds under them, and the measured estimate.

Why in two passes: the timeline must be the one `inkslop estimate` reports, and with the
engine at hand that timeline is measured. So every narrated block is first measured
(the durations sub-graph, about a fortieth of a synthesis, recorded in the cache), then
the script is estimated with those figures, and only then are segments and music beds
placed where that estimate puts them. A block that names no voice is spoken by
DEFAULT_VOICE; a block of another engine is previewed with Kokoro all the same.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from inkslop.config.settings import Settings
from inkslop.estimate.estimator import BlockEstimate, Estimate, estimate_document
from inkslop.estimate.measured import DurationCache, voice_or_default
from inkslop.speak.audio import MusicBed
from inkslop.speak.engine import KokoroEngine
from inkslop.speak.errors import SpeakError
from inkslop.speak.render import Rendering, Segment, speak_segments
from inkslop.syntax.ast import Block, Document, walk

Progress = Callable[[int, int], None]  # (done, in all)


@dataclass(frozen=True)
class Narration:
    estimate: Estimate  # measured wherever the engine could measure
    segments: list[Segment]
    music: list[MusicBed]
    missing_music: list[str]  # `file` of music blocks not found on this machine


def render(document: Document, settings: Settings, given: dict[str, Any] | None,
           engine: KokoroEngine, cache: DurationCache, base: Path, *,
           block: int | None = None, line: int | None = None,
           measuring: Progress | None = None, speaking: Progress | None = None
           ) -> tuple[Rendering, Narration]:
    """The audio of a script (or of one block: `block`, `line`) with the music found below
    `base`, every figure measured and recorded in `cache`."""
    result = measure_document(document, settings, given, engine, cache, measuring)
    plan = narration(document, result, select(result, block=block, line=line), base)
    return speak_segments(plan.segments, engine, speaking, music=plan.music, cache=cache), plan


def narrated(result: Estimate) -> list[BlockEstimate]:
    """The blocks that say something, in order (what --block counts)."""
    return [b for b in result.blocks if b.text]


def measure_document(document: Document, settings: Settings, given: dict[str, Any] | None,
                     engine: KokoroEngine, cache: DurationCache,
                     progress: Progress | None = None) -> Estimate:
    """The estimate with every narrated block measured by `engine` (through `cache`)."""

    def lookup(text: str, voice: str, speed: float) -> float | None:
        return cache.measured(engine.cache_key(text, voice, speed))

    modelled = estimate_document(document, settings, given, measured=lookup)
    blocks = narrated(modelled)
    for done, block in enumerate(blocks, 1):
        if not block.measured:
            engine.measure_cached(block.text, voice_or_default(block.voice), block.speed or 1.0,
                                  cache)
        if progress:
            progress(done, len(blocks))
    return estimate_document(document, settings, given, measured=lookup)


def select(result: Estimate, *, block: int | None = None, line: int | None = None
           ) -> list[BlockEstimate]:
    """Every narrated block, or the `block`-th (1-based), or the one holding script `line`."""
    blocks = narrated(result)
    if not blocks:
        raise SpeakError("the script narrates nothing: it has no block with text to say")
    if block is not None:
        if not 1 <= block <= len(blocks):
            raise SpeakError(f"--block {block}: the script has {len(blocks)} narrated "
                             f"block(s), numbered from 1")
        return [blocks[block - 1]]
    if line is not None:
        found = [b for b in blocks if b.line <= line <= b.end_line]
        if not found:
            raise SpeakError(f"--line {line}: no narrated block holds that line")
        return found[-1:]
    return blocks


def narration(document: Document, result: Estimate, chosen: list[BlockEstimate],
              base: Path) -> Narration:
    """Segments for `chosen` and the music under them, on `result`'s timeline; a single
    block starts at 0. Music files are looked for relative to `base` (the script's folder)."""
    offset = chosen[0].start if len(chosen) == 1 else 0.0
    segments = [Segment(b.start - offset, b.text, voice_or_default(b.voice), b.speed or 1.0,
                        (b.line,)) for b in chosen]
    start, end = chosen[0].start, chosen[-1].end
    beds, missing = [], []
    for block, timed in _music_blocks(document, result):
        if timed.end <= start or timed.start >= end:
            continue
        path = _music_path(block, base)
        if path is None:
            missing.append(_attribute(block, "file") or "(no file)")
            continue
        beds.append(MusicBed(path, max(timed.start, start) - offset,
                             min(timed.end, end) - offset, _volume(block),
                             _attribute(block, "fit")))
    return Narration(result, segments, beds, missing)


def _music_blocks(document: Document, result: Estimate) -> list[tuple[Block, BlockEstimate]]:
    timed = {(b.tag, b.span.start): b for b in result.blocks}
    return [(node, timed[("music", node.span.start)]) for node in walk(document)
            if isinstance(node, Block) and node.name == "music"
            and ("music", node.span.start) in timed]


def _attribute(block: Block, name: str) -> str | None:
    attribute = block.attribute(name)
    return attribute.value.strip() if attribute and attribute.value else None


def _music_path(block: Block, base: Path) -> Path | None:
    name = _attribute(block, "file")
    if not name:
        return None
    path = (base / name).expanduser()
    return path if path.is_file() else None


def _volume(block: Block) -> float:
    try:
        return float(_attribute(block, "volume") or 1.0)
    except ValueError:
        return 1.0
