"""`reparse` after any sequence of edits gives what `parse` gives for the same text: the
same tree with the same spans, the same syntax diagnostics, and so the same `check`."""

from __future__ import annotations

from edits import apply, edit_sequences
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from inkslop.lint.checker import check
from inkslop.syntax.ast import Block, dump
from inkslop.syntax.incremental import TextEdit, reparse
from inkslop.syntax.parser import parse
from inkslop.syntax.spans import LineIndex

EDITS = settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Top-level items, each on lines of its own, so that the scripts have many boundaries.
_ITEMS = [
    '[music file="music/Carefree.opus" volume="0.3" fit="loop"]\n'
    '[tts engine="kokoro_tts" voice="af_heart"]\nHello {{ animal }}.\n[/tts]\n[/music]\n',
    '[tts engine="kokoro_tts" voice="af_heart"]\nThe mantis shrimp, $4.99.\n[/tts]\n',
    "[# a note\nover two lines #]\n",
    '[pause duration="1" /]\n',
    "Loose text {{ count }}\n",
    '[tts voice="af_heart"]\nNo engine.\n[/tts]\n',
    "[# noqa: T001 #]\n[tts engine=\"nope\" voice='af_heart']\nOdd.\n[/tts]\n",
]
_FRONT = '+++\nvideo_name = "mantis"\n[vars]\nanimal = "mantis"\n+++\n'

# What an edit types: the characters and words that change how the rest reads.
_TYPED = st.one_of(st.sampled_from([
    "", "[", "]", "/", "#", "[#", "#]", "{{", "}}", '"', "'", "=", "\n", " ", "x", "+++\n",
    "[tts]", "[/tts]", "[/music]", "[music]\n", '[tts engine="kokoro_tts" voice="af_heart"]\n',
    "{{ animal }}", "[pause /]", "\r\n", "é", "😀", "/]", " a=1", '"\n',
]), st.text(max_size=3))

scripts = st.tuples(st.booleans(), st.lists(st.sampled_from(_ITEMS), min_size=1, max_size=12)
                    ).map(lambda t: (_FRONT if t[0] else "") + "".join(t[1]))


EDIT_SEQUENCES = edit_sequences(scripts, _TYPED, max_removed=6)


def same_parse(incremental, whole) -> None:  # noqa: ANN001 - two Documents
    assert dump(incremental) == dump(whole)
    assert incremental.diagnostics == whole.diagnostics
    assert incremental.text == whole.text
    assert incremental.lines.line_starts == whole.lines.line_starts


@EDITS
@given(EDIT_SEQUENCES)
def test_reparse_after_edits_equals_a_whole_parse(case) -> None:  # noqa: ANN001
    text, edits = case
    document = parse(text)
    for where, removed, typed in edits:
        text, edit = apply(text, where, removed, typed)
        document = reparse(document, text, edit)
        whole = parse(text)
        same_parse(document, whole)
    assert check(document) == check(parse(text))


def test_an_edit_in_the_middle_keeps_the_blocks_around_it() -> None:
    text = "".join(_ITEMS[1] for _ in range(50))
    document = parse(text)
    blocks = [node for node in document.children if isinstance(node, Block)]
    first, last = blocks[0], blocks[-1]
    middle = text.index("mantis", len(text) // 2)
    new_text, edit = apply(text, middle / len(text), 6, "octopus")
    updated = reparse(document, new_text, edit)
    same_parse(updated, parse(new_text))
    assert updated.children[0] is first  # before the edit: kept as it was
    assert updated.children[-2] is last  # after it: moved, not parsed again
    assert last.span.start == len(new_text) - len(_ITEMS[1])


def test_a_comment_opened_by_an_edit_swallows_the_rest_as_a_whole_parse_does() -> None:
    text = "".join(_ITEMS[1] for _ in range(5))
    document = parse(text)
    new_text, edit = apply(text, 0.3, 0, "[# ")
    same_parse(reparse(document, new_text, edit), parse(new_text))


def test_a_closing_fence_removed_from_the_front_matter() -> None:
    text = _FRONT + _ITEMS[1] * 3
    document = parse(text)
    fence = text.index("+++", 3)
    new_text, edit = apply(text, fence / len(text), 3, "")
    same_parse(reparse(document, new_text, edit), parse(new_text))


@EDITS
@given(EDIT_SEQUENCES)
def test_edits_made_one_after_another_reparse_at_once(case) -> None:  # noqa: ANN001
    # An editor may send several changes before the server parses again.
    text, edits = case
    document = parse(text)
    combined: TextEdit | None = None
    for where, removed, typed in edits:
        text, edit = apply(text, where, removed, typed)
        combined = edit if combined is None else combined.then(edit)
    assert combined is not None
    same_parse(reparse(document, text, combined), parse(text))


def test_a_tag_turned_into_a_closing_tag_without_opener_is_dropped_between_two_texts() -> None:
    # `[tts ...]` becomes `[/tts ...]`, which closes nothing and is dropped: the text before
    # it and the text after it stay two Text nodes, as in a whole parse.
    text = "[# note #]\n" + _ITEMS[6].split("\n", 1)[1] + _ITEMS[3] * 3
    document = parse(text)
    new_text, edit = apply(text, (text.index("[tts") + 1) / len(text), 0, "/")
    same_parse(reparse(document, new_text, edit), parse(new_text))


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="ab\n\r", max_size=30), st.data())
def test_line_starts_after_an_edit_equal_a_fresh_index(text: str, data) -> None:  # noqa: ANN001
    start = data.draw(st.integers(0, len(text)))
    old_end = data.draw(st.integers(start, len(text)))
    typed = data.draw(st.text(alphabet="ab\n\r", max_size=6))
    new_text = text[:start] + typed + text[old_end:]
    edited = LineIndex(text).edited(new_text, start, old_end, start + len(typed))
    assert edited.line_starts == LineIndex(new_text).line_starts
    assert edited.text == new_text
