"""Inlay hints: after each narrated block's opening tag, its estimated length and its
place on the timeline (`≈ 4.2 s · 0:09–0:13`); at the top, the script's total.
The figures are the library's estimate (inkslop.estimator)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lsprotocol import types

from inkslop_lsp.hover import clock

if TYPE_CHECKING:
    from inkslop_lsp.server import InkslopServer


def inlay_hints(ls: InkslopServer, params: types.InlayHintParams) -> list[types.InlayHint] | None:
    script = ls.scripts.get(params.text_document.uri)
    if script is None:
        return None
    estimate = script.estimate
    narrated = {n for n, spec in script.settings.schema.tags.items() if spec.narrated}
    first, last = params.range.start.line, params.range.end.line
    hints: list[types.InlayHint] = []
    if first == 0 and estimate.blocks:
        hints.append(types.InlayHint(
            position=types.Position(line=0, character=0),
            label=f"total ≈ {clock(estimate.seconds)} ({estimate.seconds:.1f} s, "
                  f"{estimate.credits:.2f} credits)",
            padding_right=True))
    blocks = {b.span.start: b for b in script.document.blocks()}
    for entry in estimate.blocks:
        if entry.tag not in narrated:
            continue
        block = blocks.get(entry.span.start)
        if block is None:
            continue
        position = script.position(block.open_span.end)
        if position.line < first or position.line > last:
            continue
        hints.append(types.InlayHint(
            position=position,
            label=f"≈ {entry.seconds:.1f} s · {clock(entry.start)}–{clock(entry.end)}",
            padding_left=True,
            tooltip=f"{entry.words} words, about {entry.seconds:.1f} seconds, from "
                    f"{clock(entry.start)} to {clock(entry.end)} on the timeline"))
    return hints
