"""`check_again`, after any sequence of edits each parsed incrementally, reports what `check`
reports on a whole parse of the same text: reusing the findings of the nodes the parse
kept never changes a diagnostic."""

from __future__ import annotations

from dataclasses import replace

from edits import apply, edit_sequences
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from inkslop.config.settings import Settings, default_settings
from inkslop.lint.checker import check, check_again
from inkslop.syntax.incremental import reparse
from inkslop.syntax.parser import parse

EDITS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

_TTS = '[tts engine="kokoro_tts" voice="af_heart"]\n'
# Top-level items, each on lines of its own, that the per-node rules and the rules of the
# whole document have something to say about.
_ITEMS = [
    ('[music file="music/Carefree.opus" volume="0.3" fit="loop"]\n'
     f'{_TTS}Hello {{{{ animal }}}}.\n[/tts]\n[/music]\n'),
    f"{_TTS}The mantis shrimp, $4.99.\n[/tts]\n",
    f"{_TTS}\n[/tts]\n",  # empty narration
    '[music file="music/Carefree.opus"]\n[pause duration="1" /]\n[/music]\n',
    f'{_TTS}Zero\u200bwidth and [pause duration="x" /] here.\n[/tts]\n',
    "[# a note\nover two lines #]\n",
    "[# inkslop: ignore-file C005 #]\n",
    "[# inkslop: ignore T001 #]\n[tss engine=\"kokoro_tts\"]\nOdd.\n[/tss]\n",
    "[tts engine=\"kokoro_tts\" voice=\"af_heart\"]\n[# inkslop: ignore-block #]\n[/tts]\n",
    "[# inkslop: ignore-bloc C004 #]\n",
    "Loose text {{ count }}\n",
    '[tts voice="af_heart" subtitles="yes"]\nNo engine.\n[/tts]\n',
    '[tts engine="kokoro_tts" voice=" af_heart" voice="x"]\nTwice.\n[/tts]\n',
    "[tts engine=\"nope\" voice='af_heart']\nOdd.\n[/tts]\n",
    f"{_TTS}{_TTS}Inside.\n[/tts]\n[/tts]\n",
]
_FRONT = '+++\nvideo_name = "mantis"\n[vars]\nanimal = "mantis"\nunused = "[x]"\n+++\n'

# What an edit types: the characters and words that change how the rest reads.
_TYPED = st.one_of(st.sampled_from([
    "", "[", "]", "/", "#", "[#", "#]", "{{", "}}", '"', "'", "=", "\n", " ", "x", "+++\n",
    "[tts]", "[/tts]", "[/music]", "[music]\n", _TTS, "{{ animal }}", "[pause /]", "\r\n",
    "é", "\u200b", "/]", " a=1", '"\n', "[# inkslop: ignore #]", "Words. " * 20,
]), st.text(max_size=3))

scripts = st.tuples(st.booleans(), st.lists(st.sampled_from(_ITEMS), min_size=1, max_size=12)
                    ).map(lambda t: (_FRONT if t[0] else "") + "".join(t[1]))

# The defaults; a limit the scripts cross (D001) with other severities and a selection.
SETTINGS = [default_settings(),
            replace(default_settings(), max_seconds=4.0, severity={"C005": "error"},
                    ignore=("T014",))]


EDIT_SEQUENCES = edit_sequences(scripts, _TYPED, max_removed=8)


def checked_after_edits(text: str, edits: list[tuple[float, int, str]],
                        chosen: Settings) -> None:
    document = parse(text, chosen.schema)
    memo = check_again(document, chosen, None).memo
    for where, removed, typed in edits:
        text, edit = apply(text, where, removed, typed)
        document = reparse(document, text, edit, chosen.schema)
        checked = check_again(document, chosen, memo)
        assert checked.diagnostics == check(parse(text, chosen.schema), chosen)
        memo = checked.memo


@EDITS
@given(EDIT_SEQUENCES, st.sampled_from(SETTINGS))
def test_a_check_after_edits_equals_a_whole_check(case, chosen) -> None:
    checked_after_edits(*case, chosen)


def test_the_findings_of_a_moved_node_move_with_it() -> None:
    item = '[tts engine="kokoro_tts" voice="nobody"]\nHi.\n[/tts]\n'
    text = item * 30
    checked_after_edits(text, [(0.0, 0, "\n\n"), (0.5, 0, "x"), (0.0, 3, "")], SETTINGS[0])


def test_other_settings_make_the_findings_again() -> None:
    text = _ITEMS[2] * 3
    document = parse(text)
    memo = check_again(document, SETTINGS[0], None).memo
    assert check_again(document, SETTINGS[1], memo).diagnostics == check(document, SETTINGS[1])


def test_a_new_value_of_a_variable_is_said_in_every_block_that_uses_it() -> None:
    text = _FRONT + f"{_TTS}The {{{{ animal }}}}.\n[/tts]\n" * 20
    start = text.index('animal = "mantis"') + len('animal = "')
    checked_after_edits(text, [(start / len(text), 6, "mantis shrimp " * 30)],
                        replace(SETTINGS[1], max_seconds=10.0))
