"""The real engine on short texts: exact durations, timings, and clear errors."""

from __future__ import annotations

import itertools
import shutil

import numpy as np
import pytest
from speak_helpers import VOICES_DIR

from inkslop.speak import files
from inkslop.speak.errors import EngineFilesError, SpeakError, VoiceError

# Rows of bench/calibration/kokoro-dev.jsonl (measured by the team's synth.py).
DEV_KEYS = ["short-02|af_heart|1.0", "short-01|af_heart|1.25", "plain-02|bf_emma|1.0",
            "linebreak-04|af_heart|1.0", "emoji-02|af_heart|1.0"]


@pytest.mark.parametrize("key", DEV_KEYS)
def test_reproduces_the_calibration_set(engine, dev_rows, key):
    row = dev_rows[key]
    clip = engine.synthesize(row["text"], row["voice"], row["speed"])
    assert clip.samples == row["engine_detail"]["samples"]
    assert clip.chunk_samples == row["engine_detail"]["chunk_samples"]
    assert clip.phonemes == row["engine_detail"]["phonemes"]
    assert round(clip.seconds, 4) == row["seconds"]
    assert len(clip.audio) == clip.samples and clip.audio.dtype == np.float32
    measured = engine.measure(row["text"], row["voice"], row["speed"])
    assert measured.chunk_samples == clip.chunk_samples  # the duration predictor alone agrees


def test_chunks_follow_the_lines_and_words_are_timed(engine):
    clip = engine.synthesize("Hello there.\n\nGood night, moon.", "af_heart", 1.0)
    assert [c.line for c in clip.chunks] == [0, 2]
    assert [c.text for c in clip.chunks] == ["Hello there.", "Good night, moon."]
    assert clip.chunks[1].start_sample == clip.chunks[0].samples
    words = [w for c in clip.chunks for w in c.words]
    assert [w.text for w in words] == ["Hello", "there", "Good", "night", "moon"]
    for chunk in clip.chunks:
        for w in chunk.words:
            assert chunk.start <= w.start < w.end <= chunk.end
    assert all(a.end <= b.start for a, b in itertools.pairwise(words))


def test_speed_must_be_positive(engine):
    with pytest.raises(SpeakError, match="speed"):
        engine.synthesize("Hi!", "af_heart", 0)


def test_unknown_voice_is_a_clear_error(engine):
    with pytest.raises(VoiceError, match="unknown voice 'af_nobody'"):
        engine.synthesize("Hi!", "af_nobody", 1.0)


def test_unsupported_language_is_a_clear_error(engine):
    with pytest.raises(VoiceError, match="Japanese"):
        engine.synthesize("こんにちは", "jf_alpha", 1.0)


def test_missing_and_corrupt_voice_packs(engine, tmp_path):
    voices = tmp_path / "voices"
    voices.mkdir()
    shutil.copy(VOICES_DIR / "af_heart.bin", voices / "af_heart.bin")
    data = bytearray((VOICES_DIR / "am_adam.bin").read_bytes())
    data[1000] ^= 0xFF
    (voices / "am_adam.bin").write_bytes(bytes(data))
    source = files.VoiceSource(voices, "dir")
    assert len(source.pack_bytes("af_heart")) == files.VOICE_PACK_BYTES
    with pytest.raises(EngineFilesError, match="af_bella.bin is missing") as missing:
        source.pack_bytes("af_bella")
    assert "npm install kokoro-js@1.2.1" in str(missing.value)
    with pytest.raises(EngineFilesError, match="am_adam.bin is corrupt"):
        source.pack_bytes("am_adam")


def test_corrupt_model_is_refused(tmp_path, empty_cache_root):
    from inkslop.speak.engine import KokoroEngine

    data = bytearray(files.ModelSource(None).read())
    data[len(data) // 2] ^= 0x01
    bad = tmp_path / files.MODEL_NAME
    bad.write_bytes(bytes(data))
    with pytest.raises(EngineFilesError, match="corrupt") as error:
        KokoroEngine(config={"model": str(bad), "voices": str(VOICES_DIR)}, cache_dir=empty_cache_root)
    assert str(bad) in str(error.value) and "--install" in str(error.value)


def test_missing_configured_files(tmp_path, empty_cache_root):
    with pytest.raises(EngineFilesError, match="does not exist"):
        files.locate({"model": str(tmp_path / "nope.onnx")}, cache_dir=empty_cache_root)
    with pytest.raises(EngineFilesError, match="does not exist"):
        files.locate({"voices": str(tmp_path / "nowhere")}, cache_dir=empty_cache_root)


def test_no_voices_anywhere(tmp_path, empty_cache_root):
    with pytest.raises(EngineFilesError, match="no Kokoro voice packs found") as error:
        files.locate_voices(cache_dir=empty_cache_root, search_from=tmp_path)
    assert "inkslop speak --install" in str(error.value)


def test_voices_archive_gives_the_same_packs(tmp_path, monkeypatch):
    """The release's voices-v1.0.bin is an .npz of (510, 1, 256) arrays; read it the same way."""
    arrays = {v: np.fromfile(VOICES_DIR / f"{v}.bin", dtype="<f4").reshape(510, 1, 256)
              for v in ("af_heart", "bf_emma")}
    archive = tmp_path / files.VOICES_ARCHIVE
    with open(archive, "wb") as f:
        np.savez(f, **arrays)
    monkeypatch.setattr(files, "VOICES_ARCHIVE_SHA256", files.sha256_file(archive))
    source = files.VoiceSource(archive, "archive")
    assert source.names() == ["af_heart", "bf_emma"]
    assert source.pack_bytes("bf_emma") == (VOICES_DIR / "bf_emma.bin").read_bytes()
    archive.write_bytes(archive.read_bytes() + b"x")
    with pytest.raises(EngineFilesError, match="corrupt"):
        source.pack_bytes("af_heart")


def test_the_model_exposes_its_duration_predictor(engine):
    """The audio session also returns the frames; the durations session has only the
    sub-graph that computes them."""
    from inkslop.speak.onnx_graph import DURATIONS_TENSOR

    assert [o.name for o in engine._session.get_outputs()] == ["audio", DURATIONS_TENSOR]
    durations = engine._durations_only()
    assert [o.name for o in durations.get_outputs()] == [DURATIONS_TENSOR]
    m = engine.measure("Hi!", "af_heart", 1.0)
    assert m.chunks[0].frames[0] > 1 and m.samples == sum(m.chunks[0].frames) * 600
