"""A timeline to audio and subtitles: lengths agree with the measured durations."""

from __future__ import annotations

import wave

import numpy as np
import pytest
import soundfile as sf

from inkslop.speak import audio, subtitles
from inkslop.speak.render import Segment, speak_segments


@pytest.fixture(scope="module")
def rendering(engine, tmp_path_factory):
    music = tmp_path_factory.mktemp("music") / "bed.wav"
    t = np.arange(int(0.5 * 44_100)) / 44_100  # half a second at another rate: resampled, looped
    sf.write(str(music), 0.5 * np.sin(2 * np.pi * 220 * t), 44_100)
    segments = [
        Segment(None, "Wait for it.", "af_heart", 1.0, (3,)),
        Segment(10.0, "Step one.\nStep two.", "bm_george", 1.25, (7, 8)),
    ]
    seen = []
    beds = [audio.MusicBed(music, 0.0, 12.0, volume=0.3, fit="loop")]
    result = speak_segments(segments, engine, progress=lambda d, n: seen.append((d, n)), music=beds)
    return result, seen, engine


def test_audio_length_is_the_measured_duration(rendering):
    result, _, engine = rendering
    first, second = result.placements
    assert first.start == 0.0 and second.start == 10.0
    assert first.clip.seconds == engine.measure("Wait for it.", "af_heart", 1.0).seconds
    assert second.clip.seconds == engine.measure("Step one.\nStep two.", "bm_george", 1.25).seconds
    assert result.seconds == pytest.approx(max(second.end, 12.0), abs=1 / 24_000)
    assert len(result.lines) == 3 and [t.line for t in result.lines] == [3, 7, 8]


def test_progress_reaches_the_total(rendering):
    _, seen, _ = rendering
    assert seen[0][0] == 0 and seen[-1][0] == seen[-1][1]


def test_subtitles_end_where_the_narration_ends(rendering, tmp_path):
    result, _, _ = rendering
    narration_end = result.placements[-1].end
    for name in ("out.srt", "out.vtt"):
        path = subtitles.write(tmp_path / name, result.cues())
        ends = subtitles.parse_end_times(path.read_text(encoding="utf-8"))
        assert len(ends) == 3
        assert ends[-1] == pytest.approx(narration_end, abs=0.0015)
    srt = (tmp_path / "out.srt").read_text(encoding="utf-8")
    assert srt.startswith("1\n00:00:00,000 --> 00:00:0") and "Step two." in srt
    assert (tmp_path / "out.vtt").read_text(encoding="utf-8").startswith("WEBVTT\n")
    speech = result.cues("speech")
    assert all(s.start >= c.start and s.end <= c.end for s, c in zip(speech, result.cues()))
    assert [c.text for c in result.word_cues()] == ["Wait", "for", "it", "Step", "one", "Step", "two"]


def test_narration_alone_matches_its_subtitles(engine, tmp_path):
    result = speak_segments([Segment(None, "Hi!\nThanks for watching.", "af_heart", 1.0)], engine)
    ends = subtitles.parse_end_times(subtitles.to_srt(result.cues()))
    assert ends[-1] == pytest.approx(result.seconds, abs=0.0015)
    path = result.write_audio(tmp_path / "narration.wav")
    with wave.open(str(path)) as w:
        assert w.getframerate() == 24_000 and w.getsampwidth() == 2
        assert w.getnframes() / 24_000 == result.seconds


def test_music_is_mixed_under_and_looped(rendering):
    result, _, _ = rendering
    gap = result.audio[int(6.0 * 24_000):int(9.0 * 24_000)]  # no narration: only the music
    assert 0.05 < np.abs(gap).max() <= 0.151


@pytest.mark.parametrize("suffix", [".flac", ".ogg", ".mp3"])
def test_compressed_formats(rendering, tmp_path, suffix):
    result, _, _ = rendering
    assert suffix in audio.writable_suffixes()
    path = result.write_audio(tmp_path / f"out{suffix}")
    info = sf.info(str(path))
    assert info.samplerate == 24_000
    assert info.duration == pytest.approx(result.seconds, abs=0.1)


def test_unknown_output_format(rendering, tmp_path):
    result, _, _ = rendering
    with pytest.raises(audio.AudioError, match="cannot write .xyz"):
        result.write_audio(tmp_path / "out.xyz")


def test_undecodable_music(engine, tmp_path):
    bad = tmp_path / "bad.mp3"
    bad.write_bytes(b"not music")
    with pytest.raises(audio.AudioError, match="cannot decode"):
        speak_segments([Segment(None, "Hi!", "af_heart")], engine,
                       music=[audio.MusicBed(bad, 0.0, 1.0)])
