"""Content rules: what blocks hold and where they stand, and whether anything is narrated.

One pass down the tree (with an explicit stack that carries whether a node is
inside narration) and one pass up it (what each block holds), so that a
document of thousands of nested blocks is checked in linear time. One mistake
gets one finding: text that a syntax finding already explains (bracketed words,
a code fence) is not reported again as text outside `[tts]`; a block misplaced
inside narration gets only the nesting finding; and a script with nothing to
narrate gets C006 instead of a finding for each of its parts.

The passes run on one top-level node at a time (`check_node`): what they find in
a node depends on it alone, on the syntax findings around it and on whether the
script narrates anything, which `check_nothing_narrated` decides from each node's
`says_something` (inkslop.lint.checker reuses all three across versions).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from inkslop.lint.rules.registry import READ_AS_MEANT, CheckContext, Rule
from inkslop.schema.near_miss import character_name, invisible_runs, without_invisible
from inkslop.schema.spec import DOCUMENT
from inkslop.syntax.ast import Block, Document, Text, Variable, VoidTag, walk
from inkslop.syntax.diagnostics import ERROR, WARNING, Edit, Fix

_TTS = '[tts engine="kokoro_tts" voice="af_heart"]\nHello.\n[/tts]\n'


# Syntax findings that explain a piece of text: it is not reported again by C001.
_EXPLAINS_TEXT = frozenset({"S016", "S017", "S018"})
# Syntax errors that hide no narration: a script with them and nothing to narrate gets C006.
_READ_AS_MEANT = READ_AS_MEANT | {"S018", "S019"}


def claimed_spans(document: Document) -> list[tuple[int, int]]:
    """The text that syntax findings explain: C001 does not report it again."""
    return [(d.span.start, d.span.end) for d in document.diagnostics
            if d.code in _EXPLAINS_TEXT]


def check_node(ctx: CheckContext, top: Any, claimed: list[tuple[int, int]],
               nothing_narrated: bool) -> None:
    """The findings about one top-level node and what it holds: they depend on it alone,
    on the text that syntax findings explain, and on whether anything is narrated."""
    misplaced: set[int] = set()  # blocks inside narration: their C002 says all
    # (node, parent, inside a narrated block, inside a block the schema does not know)
    stack: list[tuple[Any, Any, bool, bool]] = [(top, ctx.document, False, False)]
    while stack:
        node, parent, narrated, unknown = stack.pop()
        if isinstance(node, Text):
            # Text inside a block the schema does not know is that block's business (T001).
            if not (narrated or unknown or nothing_narrated):
                _check_text(ctx, node, claimed)
            elif narrated and not node.value.isascii():
                _check_invisible(ctx, node)
        elif isinstance(node, VoidTag) or isinstance(node, Block) and node.close_span is not None:
            # A block never closed has no known place: S001 says so, nothing more.
            _check_placement(ctx, node, parent)
        if isinstance(node, Block):
            if narrated:
                misplaced.add(id(node))
            inner = (narrated or _narrated(ctx, node), unknown or node.name not in ctx.schema.tags)
            stack.extend((child, node, *inner) for child in reversed(node.children))
    if not nothing_narrated:  # C006 says what each block's finding would
        _check_blocks(ctx, top, misplaced)


def says_something(ctx: CheckContext, top: Any) -> bool:
    """Whether a top-level node holds words to narrate: in a narrated block, anywhere below
    it (a block misplaced in it, C002, holds them), or in a block the schema does not know
    (`[tss]` may be the narration, misspelt: its T001 says what is wrong)."""
    for node in walk(top):
        if not isinstance(node, Block):
            continue
        if _narrated(ctx, node) and _says_something(walk(node)):
            return True
        if node.name not in ctx.schema.tags and _says_something(node.children):
            return True
    return False


_FULL_WIDTH_TAG = re.compile(r"[\u3010\uff3b](/?[A-Za-z][^\u3010\u3011\uff3b\uff3d\n]*)[\u3011\uff3d]")


def check_nothing_narrated(ctx: CheckContext, says: bool) -> bool:
    """C006 when no narrated block holds a word (`says`: whether one does): the video would
    say nothing. Reported at what stands in the narration's place, and instead of the
    findings of each part."""
    if says:
        return False
    document = ctx.document
    if any(d.severity == ERROR and d.code not in _READ_AS_MEANT for d in document.diagnostics):
        return False  # a syntax error may be what hides the narration: it says so
    lines = document.lines
    narrated = [n for n in walk(document) if isinstance(n, Block) and _narrated(ctx, n)]
    full_width = _FULL_WIDTH_TAG.search(document.text)
    loose = next((n for n in document.children if isinstance(n, Text) and n.value.strip()), None)
    fix = None
    if not document.text.strip():
        message, span = "The script is empty: nothing would be narrated.", lines.span(0, 0)
    elif full_width:
        message = (f"Nothing would be narrated: `{full_width[0]}` is written with full-width "
                   "brackets, which are not read as a tag. Write tags with `[` and `]`.")
        span = lines.span(full_width.start(), full_width.end())
        edits = tuple(Edit(lines.span(m.start(), m.end()), f"[{m[1]}]")
                      for m in _FULL_WIDTH_TAG.finditer(document.text))
        fix = Fix("Write the tags with `[` and `]`", edits, safe=False)
    elif loose is not None:
        start = loose.span.start + len(loose.value) - len(loose.value.lstrip())
        end = loose.span.end - len(loose.value) + len(loose.value.rstrip())
        message = ("Nothing would be narrated: this text is outside every `[tts]` block. Put "
                   "it between `[tts ...]` and `[/tts]`.")
        span = lines.span(start, end)
    elif narrated:
        message = ("Nothing would be narrated: every `[tts]` block is empty. Write the "
                   "narration between its tags.")
        span = narrated[0].open_span
    else:
        message = ("Nothing would be narrated: the script holds no `[tts]` block. Write the "
                   "narration between `[tts ...]` and `[/tts]`.")
        first_line = document.text.find("\n")
        span = lines.span(0, len(document.text) if first_line == -1 else first_line)
    ctx.report(NOTHING_NARRATED, message, span, fix)
    return True


def _says_something(nodes: Iterable[Any]) -> bool:
    return any(isinstance(c, Variable) or isinstance(c, Text) and c.value.strip() for c in nodes)


def _narrated(ctx: CheckContext, node: Any) -> bool:
    spec = ctx.schema.tags.get(node.name) if isinstance(node, Block) else None
    return spec is not None and spec.narrated


def _check_text(ctx: CheckContext, node: Text, claimed: list[tuple[int, int]]) -> None:
    value = _unclaimed(node, claimed)
    if not value.strip():
        return
    start = node.span.start + (len(value) - len(value.lstrip()))
    end = node.span.end - (len(value) - len(value.rstrip()))
    ctx.report(TEXT_NOT_NARRATED, "This text is outside every `[tts]` block, so it is not "
               "narrated: put it inside `[tts ...]` ... `[/tts]`, or make it a comment `[# ... #]`.",
               ctx.document.lines.span(start, end))


# Left alone: tabs, and the joiners that emoji sequences and some scripts need.
_JOINERS = "\t\u200c\u200d"


def _check_invisible(ctx: CheckContext, node: Text) -> None:
    """C007 for each run of invisible characters in narration, named by code point."""
    value, start = node.value, node.span.start
    for run_start, run_end in invisible_runs(value, kept=_JOINERS):
        if _at_line_edge(value, run_start, run_end):
            continue
        run = value[run_start:run_end]
        meant = without_invisible(run)
        names = ", ".join(character_name(c) for c in dict.fromkeys(run))
        what, do = ("looks like a space but is not one", "Write a plain space") if meant \
            else ("is invisible", "Remove it")
        span = ctx.document.lines.span(start + run_start, start + run_end)
        ctx.report(INVISIBLE_IN_NARRATION, f"The narration holds {names}, which {what}: the "
                   f"narrator may read it aloud or drop it. {do}.", span,
                   Fix(do, (Edit(span, meant),), safe=False))


def _at_line_edge(value: str, start: int, end: int) -> bool:
    """Whether `value[start:end]` is white space at the start or end of its line, which
    separates no words and which `fmt` trims like any indentation."""
    if not value[start:end].isspace():
        return False
    before = value[value.rfind("\n", 0, start) + 1:start]
    line_end = value.find("\n", end)
    after = value[end:len(value) if line_end == -1 else line_end]
    return not before.strip() or not after.strip()


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
        # A tag in the middle of narration: almost surely a `[/tts]` forgotten before it, or
        # music meant around the block; an error whatever the content model rests on.
        ctx.report(MISPLACED_TAG, f"`[{parent.name}]` holds text only, so `[{node.name}]` cannot "
                   f"stand inside it: close `[/{parent.name}]` first.", node.name_span,
                   sure=True)
    elif node.name == parent.name == "music":
        ctx.report(NESTED_MUSIC, "`[music]` inside `[music]` plays two tracks at once: close the "
                   "outer `[/music]` first, unless the overlap is meant.", node.name_span)
    elif parent.name not in spec.parents:
        ctx.report(MISPLACED_TAG, f"`[{node.name}]` cannot stand inside `[{parent.name}]`.",
                   node.name_span, rests_on=spec.parents_mark)


def _unclaimed(node: Text, claimed: list[tuple[int, int]]) -> str:
    """The text of a node, with the parts that a syntax finding explains blanked out."""
    value = node.value
    for start, end in claimed:
        if start < node.span.end and end > node.span.start:
            a, b = max(start, node.span.start) - node.span.start, min(end, node.span.end) - \
                node.span.start
            value = value[:a] + " " * (b - a) + value[b:]
    return value


def _check_blocks(ctx: CheckContext, top: Any, misplaced: set[int]) -> None:
    """What each block holds, found children first: words, and narration below it."""
    words: dict[int, bool] = {}
    narration: dict[int, bool] = {}
    for node in reversed(list(walk(top))):
        if not isinstance(node, Block):
            continue
        words[id(node)] = any(
            isinstance(c, Variable) or isinstance(c, Text) and c.value.strip()
            or isinstance(c, Block) and words[id(c)] for c in node.children)
        narration[id(node)] = any(
            isinstance(c, Block) and (_narrated(ctx, c) or narration[id(c)])
            for c in node.children)
        # A block never closed has no known content: S001 says so, nothing more.
        if node.close_span is not None and not ctx.is_broken(node) and id(node) not in misplaced:
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
    "rendered.",
    bad='[tts engine="kokoro_tts" voice="af_heart"]\nHello.\n' + _TTS + "[/tts]\n",
    good=_TTS + _TTS, rests_on="assumed",
    severity_note="Error for a tag inside narration (a `[tts]` or `[music]` inside a `[tts]`): "
                  "the author almost surely forgot the `[/tts]` before it, or meant the music "
                  "around the block. Elsewhere (a tag under a parent the schema does not list) "
                  "a warning while the schema's list of parents is assumed: the script could be "
                  "right.")
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

NOTHING_NARRATED = Rule(
    "C006", "nothing-narrated", ERROR, "A script in which nothing would be narrated.",
    "Only the text inside `[tts]` blocks is spoken. An empty script, or one with only comments, "
    "front matter, music or empty `[tts]` blocks, or tags written with full-width brackets "
    "`【】`, would make a video that says nothing, and still cost credits.",
    bad='【tts engine="kokoro_tts" voice="af_heart"】\nHello.\n【/tts】\n', good=_TTS,
    fix="unsafe", rests_on="confirmed",
    severity_note="Error: the text inside `[tts]` is what InkSlop narrates (confirmed), so "
                  "without any the video says nothing; no reading of the script can be right.")

INVISIBLE_IN_NARRATION = Rule(
    "C007", "invisible-in-narration", WARNING,
    "An invisible character in narration: a zero-width space, a byte-order mark, a no-break "
    "space...",
    "Text copied from web pages, documents and chat models brings characters that show nothing "
    "or look like a space. The narrator may read them aloud, drop them, or run the words on "
    "either side together. The finding names each by its code point and name. The fix removes "
    "it (a no-break space becomes a plain space). It is unsafe: the estimate counts "
    "`zero\u200bwidth` as two words and the script sent holds the character, so removing it "
    "changes both. Joiners (U+200C, U+200D), which emoji and some scripts need, are left "
    "alone, and so is white space at the ends of a line, which `fmt` trims.",
    bad=_TTS.replace("Hello.", "Hello\u200b world.\u00a0Bye."),
    good=_TTS.replace("Hello.", "Hello world. Bye."), fix="unsafe",
    rests_on="assumed",
    severity_note="Warning: how InkSlop's narrator reads such characters is not documented; "
                  "it may ignore them, and the script could be right.")

RULES = [TEXT_NOT_NARRATED, MISPLACED_TAG, NESTED_MUSIC, NO_NARRATION, EMPTY_NARRATION,
         NOTHING_NARRATED, INVISIBLE_IN_NARRATION]
