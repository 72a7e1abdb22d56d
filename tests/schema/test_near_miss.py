"""The near-miss rule: which written names count as typos of a known one.

A near miss is an error with a "did you mean" fix; a name far from every known one stays a
warning (the language design's "Severity" paragraph). The distances are counted on the
folded forms (lower case, no invisible characters, no `_ - .` or spaces): at most 1 edit
from a known name of up to 4 characters, 2 up to 8, 3 beyond; a whole leading or trailing
part of at least 4 characters is near too.
"""

from __future__ import annotations

import pytest

from inkslop.config.settings import Settings
from inkslop.lint.checker import check, fix
from inkslop.schema.near_miss import allowed_distance, closeness, distance, near_misses
from inkslop.syntax.parser import parse

TTS = '[tts engine="kokoro_tts" voice="af_heart"]\nHello.\n[/tts]\n'


@pytest.mark.parametrize(("length", "edits"), [(1, 1), (4, 1), (5, 2), (8, 2), (9, 3), (30, 3)])
def test_the_edits_allowed_grow_with_the_known_name(length, edits):
    assert allowed_distance(length) == edits


@pytest.mark.parametrize(("a", "b", "edits"), [
    ("tts", "tts", 0), ("tss", "tts", 1), ("tst", "tts", 1),  # a swap of neighbours is 1
    ("afhart", "afheart", 1), ("afhaert", "afheart", 1), ("afhrt", "afheart", 2),
    ("kokorotts", "kokorotts", 0), ("kkrtts", "kokorotts", 3), ("", "abc", 3),
])
def test_distance_counts_insertions_deletions_substitutions_and_swaps(a, b, edits):
    assert distance(a, b) == edits == distance(b, a)


# (kind of name, written, known, how near: edits, or None when far)
CASES = [
    # tags: `tts` folds to 3 characters, so one edit
    ("tag", "tss", "tts", 1), ("tag", "ts", "tts", 1), ("tag", "sfx", "tts", None),
    ("tag", "musik", "music", 1), ("tag", "mzk", "music", None),
    # attributes
    ("attribute", "voise", "voice", 1), ("attribute", "vice", "voice", 1),
    ("attribute", "subtitle", "subtitles", 1), ("attribute", "vo", "voice", None),
    # engines: `kokoro_tts` folds to 9 characters, so three edits; a leading or trailing part of a
# known name is near however many edits it is from the whole
    ("engine", "kokoro_ttss", "kokoro_tts", 1), ("engine", "kokor_ts", "kokoro_tts", 2),
    ("engine", "kkr_tts", "kokoro_tts", 3), ("engine", "kokoro", "kokoro_tts", 3),
    ("engine", "mantis", "mantis_voice_pro", 0), ("engine", "voice_pro", "mantis_voice_pro", 0),
    ("engine", "pro", "mantis_voice_pro", None),  # a part shorter than 4 says too little
    ("engine", "elevenlabs", "kokoro_tts", None), ("engine", "tts", "kokoro_tts", None),
    # voices: `af_heart` folds to 7 characters, so two edits, and `heart` is its last part
    ("voice", "af_hart", "af_heart", 1), ("voice", "af_haert", "af_heart", 1),
    ("voice", "af_hrt", "af_heart", 2), ("voice", "AF-HEART", "af_heart", 0),
    ("voice", "af\u200bheart", "af_heart", 0), ("voice", "af_hxxxt", "af_heart", None),
    ("voice", "narrator_zz", "af_heart", None),
    # front-matter keys
    ("front-matter key", "video_nmae", "video_name", 1), ("front-matter key", "vid",
                                                          "video_name", None),
    ("front-matter key", "chanel_id", "channel_id", 1),
    # values of an attribute with known values
    ("value", "lop", "loop", 1), ("value", "lp", "loop", None),
]


@pytest.mark.parametrize(("kind", "written", "known", "edits"), CASES,
                         ids=[f"{c[0]}:{c[1]}" for c in CASES])
def test_near_misses_of_each_kind_of_name(kind, written, known, edits):
    assert closeness(written, known) == edits
    assert near_misses(written, [known, "zzzzzzzzzzzzzzzz"]) == ([] if edits is None else [known])


def test_a_known_name_is_never_a_near_miss_of_another():
    assert near_misses("af_nova", ["af_nova", "af_nora"]) == []
    assert near_misses("af_nora", ["af_nova"]) == ["af_nova"]


def test_the_nearest_known_name_comes_first():
    assert near_misses("af_bela", ["af_bella", "af_nicole", "af_sky"])[0] == "af_bella"


def findings(text: str, settings: Settings | None = None) -> list[tuple[str, str, bool]]:
    """(code, severity, has a fix) of each finding."""
    return [(d.code, d.severity, d.fix is not None)
            for d in check(parse(text), settings or Settings())]


# Each kind of name in a whole script: the near miss is an error with a fix, the far one a
# warning without (a front-matter key is an error either way: the toolkit knows every field).
SCRIPTS = [
    ("tag", TTS.replace("tts", "tss"), TTS + "[blurb/]\n", "T001"),
    ("attribute", TTS.replace("voice", "voise"),
     TTS.replace('"]', '" colour="red"]', 1), "T002"),
    ("engine", TTS.replace("kokoro_tts", "kokoro_ttss"), TTS.replace("kokoro_tts", "elevenlabs"),
     "T007"),
    ("voice", TTS.replace("af_heart", "af_hart"), TTS.replace("af_heart", "narrator_zz"), "T008"),
    ("value", '[music file="music/Carefree.opus" fit="lop"]\n' + TTS + "[/music]\n",
     '[music file="music/Carefree.opus" fit="stretch"]\n' + TTS + "[/music]\n", "T005"),
]


@pytest.mark.parametrize(("kind", "near", "far", "code"), SCRIPTS, ids=[s[0] for s in SCRIPTS])
def test_a_near_miss_is_an_error_with_a_fix_and_a_far_name_a_warning(kind, near, far, code):
    assert (code, "error", True) in findings(near)
    assert "Did you mean" in next(d.message for d in check(parse(near)) if d.code == code)
    assert findings(far) == [(code, "warning", False)]
    fixed = fix(near, unsafe=True)
    assert fixed.remaining == [] and fixed.text == (
        '[music file="music/Carefree.opus" fit="loop"]\n' + TTS + "[/music]\n"
        if kind == "value" else TTS)


def test_a_front_matter_key_near_miss_is_an_error_with_a_fix_and_a_far_one_without():
    near = '+++\nvideo_nmae = "octopus"\n+++\n' + TTS
    far = '+++\nflavour = "octopus"\n+++\n' + TTS
    assert findings(near) == [("F002", "error", True)]
    assert findings(far) == [("F002", "error", False)]
    assert fix(near, unsafe=True).text == '+++\nvideo_name = "octopus"\n+++\n' + TTS


def test_a_required_key_written_as_a_near_miss_is_not_also_missing():
    near = '+++\n[publish]\nchanel_id = 3\n+++\n' + TTS
    assert findings(near) == [("F002", "error", True)]


def test_a_track_near_one_of_the_configured_library_is_an_error():
    settings = Settings(music_library=("music/Carefree.opus",))
    near = '[music file="music/Carefre.opus"]\n' + TTS + "[/music]\n"
    far = '[music file="music/Night Drive.opus"]\n' + TTS + "[/music]\n"
    assert findings(near, settings) == [("T013", "error", True)]
    assert findings(far, settings) == [("T013", "warning", False)]
