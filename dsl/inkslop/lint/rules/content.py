"""Content rules: what blocks hold and where they stand.

One pass down the tree (with an explicit stack that carries whether a node is
inside narration) and one pass up it (what each block holds), so that a
document of thousands of nested blocks is checked in linear time.
"""

from __future__ import annotations

from typing import Any

from inkslop.lint.rules.registry import CheckContext, Rule
from inkslop.schema.spec import DOCUMENT
from inkslop.syntax.ast import Block, Document, Text, Variable, VoidTag, walk
from inkslop.syntax.diagnostics import ERROR, WARNING

_TTS = '[tts engine="kokoro_tts" voice="af_heart"]\nHello.\n[/tts]\n'


def check(ctx: CheckContext) -> None:
    # (node, parent, inside a narrated block, inside a block the schema does not know)
    stack: list[tuple[Any, Any, bool, bool]] = [
        (child, ctx.document, False, False) for child in reversed(ctx.document.children)]
    while stack:
        node, parent, narrated, unknown = stack.pop()
        if isinstance(node, Text):
            # Text inside a block the schema does not know is that block's business (T001).
            if not (narrated or unknown):
                _check_text(ctx, node)
        elif isinstance(node, VoidTag) or isinstance(node, Block) and node.close_span is not None:
            # A block never closed has no known place: S001 says so, nothing more.
            _check_placement(ctx, node, parent)
        if isinstance(node, Block):
            inner = (narrated or _narrated(ctx, node), unknown or node.name not in ctx.schema.tags)
            stack.extend((child, node, *inner) for child in reversed(node.children))
    _check_blocks(ctx)


def _narrated(ctx: CheckContext, node: Any) -> bool:
    spec = ctx.schema.tags.get(node.name) if isinstance(node, Block) else None
    return spec is not None and spec.narrated


def _check_text(ctx: CheckContext, node: Text) -> None:
    if not node.value.strip():
        return
    start = node.span.start + (len(node.value) - len(node.value.lstrip()))
    end = node.span.end - (len(node.value) - len(node.value.rstrip()))
    ctx.report(TEXT_NOT_NARRATED, "This text is outside every `[tts]` block, so it is not "
               "narrated: put it inside `[tts ...]` ... `[/tts]`, or make it a comment `[# ... #]`.",
               ctx.document.lines.span(start, end))


def _check_placement(ctx: CheckContext, node: Block | VoidTag, parent: Block | Document) -> None:
    spec = ctx.schema.tags.get(node.name)
    if spec is None:
        return
    if isinstance(parent, Document):
        if DOCUMENT not in spec.parents:
            ctx.report(MISPLACED_TAG, f"`[{node.name}]` cannot stand at the top level: put it "
                       "inside " + " or ".join(f"`[{p}]`" for p in spec.parents) + ".",
                       node.name_span, rests_on=spec.parents_mark)
        return
    parent_spec = ctx.schema.tags.get(parent.name)
    if parent_spec is None:
        return
    if parent_spec.content == "text":
        ctx.report(MISPLACED_TAG, f"`[{parent.name}]` holds text only, so `[{node.name}]` cannot "
                   f"stand inside it: close `[/{parent.name}]` first.", node.name_span,
                   rests_on=parent_spec.content_mark)
    elif node.name == parent.name == "music":
        ctx.report(NESTED_MUSIC, "`[music]` inside `[music]` plays two tracks at once: close the "
                   "outer `[/music]` first, unless the overlap is meant.", node.name_span)
    elif parent.name not in spec.parents:
        ctx.report(MISPLACED_TAG, f"`[{node.name}]` cannot stand inside `[{parent.name}]`.",
                   node.name_span, rests_on=spec.parents_mark)


def _check_blocks(ctx: CheckContext) -> None:
    """What each block holds, found children first: words, and narration below it."""
    words: dict[int, bool] = {}
    narration: dict[int, bool] = {}
    for node in reversed(list(walk(ctx.document))):
        if not isinstance(node, Block):
            continue
        words[id(node)] = any(
            isinstance(c, Variable) or isinstance(c, Text) and c.value.strip()
            or isinstance(c, Block) and words[id(c)] for c in node.children)
        narration[id(node)] = any(
            isinstance(c, Block) and (_narrated(ctx, c) or narration[id(c)])
            for c in node.children)
        # A block never closed has no known content: S001 says so, nothing more.
        if node.close_span is not None and not ctx.is_broken(node):
            _check_block(ctx, node, words[id(node)], narration[id(node)])


def _check_block(ctx: CheckContext, block: Block, has_words: bool, has_narration: bool) -> None:
    spec = ctx.schema.tags.get(block.name)
    if spec is None:
        return
    if spec.narrated and not has_words:
        ctx.report(EMPTY_NARRATION, f"This `[{block.name}]` block narrates nothing: write the text "
                   "to speak between its tags, or remove it.", block.open_span)
    elif spec.content == "blocks" and not has_narration:
        ctx.report(NO_NARRATION, f"This `[{block.name}]` block holds no narration, so its length "
                   "is unknown (the estimate counts it as 0 s): put a `[tts]` block inside it.",
                   block.open_span)


TEXT_NOT_NARRATED = Rule(
    "C001", "text-not-narrated", WARNING, "Text outside every `tts` block.",
    "Only text inside `[tts]` is spoken. Text elsewhere is most often narration left outside its "
    "block; what InkSlop does with it is not documented.",
    bad='Hello.\n' + _TTS, good='[# Hello. #]\n' + _TTS, rests_on="assumed")
MISPLACED_TAG = Rule(
    "C002", "misplaced-tag", ERROR, "A tag where it cannot stand, such as a `tts` inside a `tts`.",
    "A `[tts]` block holds the text it narrates, nothing else: a block inside it cannot be "
    "rendered. Where tags may stand is assumed, so this is a warning unless the schema confirms "
    "it.",
    bad='[tts engine="kokoro_tts" voice="af_heart"]\nHello.\n' + _TTS + "[/tts]\n",
    good=_TTS + _TTS, rests_on="assumed")
NESTED_MUSIC = Rule(
    "C003", "nested-music", WARNING, "A `music` block inside another.",
    "Two tracks would play at once under the narration.",
    bad='[music file="music/Carefree.opus"]\n[music file="music/Calm.opus"]\n' + _TTS
        + "[/music]\n[/music]\n",
    good='[music file="music/Carefree.opus"]\n' + _TTS + '[/music]\n[music file="music/Calm.opus"]\n'
         + _TTS + "[/music]\n", rests_on="assumed")
NO_NARRATION = Rule(
    "C004", "music-without-narration", WARNING, "A `music` block that holds no narration.",
    "A music block lasts as long as what it holds; with no narration inside, its length is "
    "unknown and the estimate counts it as 0 s.",
    bad='[music file="music/Carefree.opus"]\n[/music]\n' + _TTS,
    good='[music file="music/Carefree.opus"]\n' + _TTS + "[/music]\n", rests_on="assumed")
EMPTY_NARRATION = Rule(
    "C005", "empty-narration", WARNING, "A `tts` block with nothing to say.",
    "An empty block is most often narration not yet written, or left behind by an edit; at best "
    "it adds a moment of silence to the video.",
    bad='[tts engine="kokoro_tts" voice="af_heart"]\n[/tts]\n' + _TTS, good=_TTS,
    rests_on="assumed")

RULES = [TEXT_NOT_NARRATED, MISPLACED_TAG, NESTED_MUSIC, NO_NARRATION, EMPTY_NARRATION]
