"""Inlay hints: after each narrated block's opening tag, its estimated length and its
place on the timeline (`≈ 4.2 s · 0:09–0:13`); at the top, the script's total.
The figures are the library's estimate (inkslop.estimate.estimator)."""

from __future__ import annotations

from bisect import bisect_left
from typing import TYPE_CHECKING, Any

from lsprotocol import types

from inkslop.estimate.clock import clock

if TYPE_CHECKING:
    from inkslop_lsp.scripts import Script
    from inkslop_lsp.session import Session


def inlay_hints(session: Session, params: types.InlayHintParams) -> list[types.InlayHint] | None:
    script = session.scripts.get(params.text_document.uri)
    if script is None:
        return None
    estimate = script.estimate
    hints: list[types.InlayHint] = []
    if params.range.start.line == 0 and estimate.blocks:
        hints.append(types.InlayHint(
            position=types.Position(line=0, character=0),
            label=f"total ≈ {clock(estimate.seconds)} ({estimate.seconds:.1f} s, "
                  f"{estimate.credits:.2f} credits)",
            padding_right=True))
    placed = _narrated_blocks(script)
    first = script.offset(params.range.start)
    last = script.offset(params.range.end)
    for index in range(bisect_left(placed, (first,)), len(placed)):
        offset, entry = placed[index]
        if offset > last:
            break
        hints.append(types.InlayHint(
            position=script.position(offset),
            label=f"≈ {entry.seconds:.1f} s · {clock(entry.start)}–{clock(entry.end)}",
            padding_left=True,
            tooltip=f"{entry.words} words, about {entry.seconds:.1f} seconds, from "
                    f"{clock(entry.start)} to {clock(entry.end)} on the timeline"))
    return hints


def _narrated_blocks(script: Script) -> list[tuple[int, Any]]:
    """Each narrated block's estimate, by the offset where its opening tag ends (where its
    hint stands), in order; made once per version of the script."""
    if "inlay" not in script.cache:
        narrated = {n for n, spec in script.settings.schema.tags.items() if spec.narrated}
        ends = {b.span.start: b.open_span.end for b in script.document.blocks()
                if b.name in narrated}
        script.cache["inlay"] = sorted(
            ((ends[e.span.start], e) for e in script.estimate.blocks
             if e.tag in narrated and e.span.start in ends), key=lambda pair: pair[0])
    return script.cache["inlay"]
