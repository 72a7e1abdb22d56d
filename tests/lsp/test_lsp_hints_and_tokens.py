"""Inlay hints (each `tts` block's length and place on the timeline, the total at the
top) and semantic tokens (tags, attributes, values, comments, variables, front matter)."""

from __future__ import annotations

import pytest
from lsp_helpers import at, doc, open_script, span
from lsprotocol import types

from inkslop.estimate.estimator import estimate_document
from inkslop.syntax.parser import parse
from inkslop_lsp.semantic_tokens import LEGEND

pytestmark = pytest.mark.asyncio(loop_scope="module")

LINE = "Octopuses have three hearts, blue blood and nine brains, and they taste with arms.\n"
SCRIPT = (
    '+++\n[vars]\nanimal = "octopus"\n+++\n'
    '[music file="music/Carefree.opus" volume="0.3"]\n'
    '[tts engine="kokoro_tts" voice="af_heart"]\n' + LINE * 2 + "[/tts]\n"
    "[# a comment #]\n"
    '[tts engine="kokoro_tts" voice="am_adam"]\nThe {{ animal }} waves.\n[/tts]\n'
    "[/music]\n"
)


def clock(seconds: float) -> str:
    minutes, rest = divmod(round(seconds), 60)
    return f"{minutes}:{rest:02d}"


async def test_inlay_hints_show_each_blocks_length_and_place_and_the_total(vscode, workspace):
    uri = open_script(vscode, workspace / "hints.inkslop", SCRIPT)
    hints = await vscode.text_document_inlay_hint_async(types.InlayHintParams(
        text_document=doc(uri), range=span((0, 0), (20, 0))))
    estimate = estimate_document(parse(SCRIPT))
    first, second = [b for b in estimate.blocks if b.tag == "tts"]
    assert [(h.position, h.label) for h in hints] == [
        (at(0, 0), (f"total ≈ {clock(estimate.seconds)} ({estimate.seconds:.1f} s, "
                    f"{estimate.credits:.2f} credits)")),
        (at(5, 42), f"≈ {first.seconds:.1f} s · 0:00–{clock(first.end)}"),
        (at(10, 41), f"≈ {second.seconds:.1f} s · {clock(second.start)}–{clock(second.end)}"),
    ]
    assert first.end > 9  # two long lines: the timeline moves on
    assert "words" in hints[1].tooltip


async def test_inlay_hints_only_in_the_range_asked(vscode, workspace):
    uri = open_script(vscode, workspace / "hints-range.inkslop", SCRIPT)
    hints = await vscode.text_document_inlay_hint_async(types.InlayHintParams(
        text_document=doc(uri), range=span((9, 0), (12, 0))))
    assert [h.position.line for h in hints] == [10]


def decode(data: list[int]) -> list[tuple[int, int, int, str]]:
    tokens, line, column = [], 0, 0
    for index in range(0, len(data), 5):
        delta_line, delta_start, length, kind, _ = data[index:index + 5]
        line += delta_line
        column = column + delta_start if delta_line == 0 else delta_start
        tokens.append((line, column, length, LEGEND.token_types[kind]))
    return tokens


async def test_semantic_tokens_colour_the_language(vscode, workspace):
    uri = open_script(vscode, workspace / "tokens.inkslop", SCRIPT)
    result = await vscode.text_document_semantic_tokens_full_async(
        types.SemanticTokensParams(text_document=doc(uri)))
    lines = SCRIPT.split("\n")
    tokens = [(lines[line][column:column + length], kind)
              for line, column, length, kind in decode(result.data)]
    assert tokens[:10] == [
        ("+++", "macro"), ("[vars]", "macro"), ("animal", "property"), ('"octopus"', "string"),
        ("+++", "macro"), ("[music", "keyword"), ("file", "property"),
        ('"music/Carefree.opus"', "string"), ("volume", "property"), ('"0.3"', "string")]
    assert ("[# a comment #]", "comment") in tokens
    assert ("{{ animal }}", "variable") in tokens
    assert tokens[-1] == ("[/music]", "keyword")


async def test_semantic_tokens_of_a_range_and_of_a_comment_over_lines(vscode, workspace):
    text = "[# one\ntwo #]\n" + SCRIPT.split("+++\n", 2)[2]
    uri = open_script(vscode, workspace / "tokens-range.inkslop", text)
    result = await vscode.text_document_semantic_tokens_range_async(
        types.SemanticTokensRangeParams(text_document=doc(uri), range=span((0, 0), (2, 0))))
    assert decode(result.data)[:2] == [(0, 0, 6, "comment"), (1, 0, 6, "comment")]
