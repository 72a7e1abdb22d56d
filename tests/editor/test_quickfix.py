"""inkslop.editor.quickfix: did-you-mean alternatives and closing a block after its text."""

from __future__ import annotations

from pathlib import Path

from inkslop.config.loader import settings_for
from inkslop.editor.quickfix import alternatives, close_after_text
from inkslop.lint.checker import check
from inkslop.syntax.diagnostics import apply_edits
from inkslop.syntax.parser import parse


def fixed(text: str, code: str, settings=None) -> list[str]:
    document = parse(text)
    (diagnostic,) = [d for d in check(document, settings) if d.code == code]
    return [apply_edits(text, list(f.edits)) for f in alternatives(document, diagnostic,
                                                                   settings)]


def test_a_misspelt_tag_and_its_closing_tag():
    assert fixed("[tss engine=\"kokoro_tts\" voice=\"af_heart\"]\nHi\n[/tss]\n", "T001") == [
        "[tts engine=\"kokoro_tts\" voice=\"af_heart\"]\nHi\n[/tts]\n"]


def test_a_misspelt_attribute_among_those_not_written():
    assert fixed('[music file="a" volme="0.3"]\n[/music]\n', "T002") == [
        '[music file="a" volume="0.3"]\n[/music]\n']


def test_voices_of_the_tags_engine_closest_first():
    found = fixed('[tts engine="kokoro_tts" voice="am_adan"]\nHi\n[/tts]\n', "T008")
    assert found[0] == '[tts engine="kokoro_tts" voice="am_adam"]\nHi\n[/tts]\n'
    assert 1 < len(found) <= 3


def test_engines_and_enum_values():
    assert fixed('[tts engine="kokoro" voice="af_heart"]\nHi\n[/tts]\n', "T007") == [
        '[tts engine="kokoro_tts" voice="af_heart"]\nHi\n[/tts]\n']
    assert fixed('[music file="a" fit="lop"]\n[/music]\n', "T005") == [
        '[music file="a" fit="loop"]\n[/music]\n']


def test_tracks_of_the_music_library(tmp_path: Path):
    (tmp_path / "inkslop.toml").write_text('music-library = ["music/Carefree.opus", '
                                           '"music/Careless.opus", "music/Calm.opus"]\n')
    settings = settings_for(tmp_path / "x.inkslop")
    found = fixed('[music file="music/Carefre.opus"]\n[/music]\n', "T013", settings)
    assert found[0] == '[music file="music/Carefree.opus"]\n[/music]\n'
    assert len(found) >= 2


def test_nothing_for_other_diagnostics():
    document = parse("[tts]\n")
    assert all(alternatives(document, d) == [] for d in check(document))


def test_close_a_block_after_its_text():
    text = '[tts engine="kokoro_tts" voice="af_heart"]\nHi {{ x }} [# c #]\n\n[music file="a"]\n'
    document = parse(text)
    block = next(document.blocks("tts"))
    fix = close_after_text(document, block)
    assert apply_edits(text, list(fix.edits)) == text.replace("[# c #]\n", "[# c #]\n[/tts]\n")
    assert not fix.safe


def test_close_at_the_end_of_the_file_and_nothing_for_closed_or_empty_blocks():
    text = "[tts]\nHi"
    document = parse(text)
    assert apply_edits(text, list(close_after_text(document, next(document.blocks())).edits)) \
        == "[tts]\nHi\n[/tts]"
    closed = parse("[tts]\nHi\n[/tts]\n")
    assert close_after_text(closed, next(closed.blocks())) is None
    empty = parse("[tts]\n\n")
    assert close_after_text(empty, next(empty.blocks())) is None
