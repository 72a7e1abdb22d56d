"""`inkslop speak`, `estimate --engine kokoro` and what reads measured durations, run as a
user runs them (in process, so that the engine loads once for the module)."""

from __future__ import annotations

import json
import math
import stat

import numpy as np
import pytest
import soundfile as sf
from click.testing import CliRunner
from speak_helpers import VOICES_DIR

from inkslop.cli import cli
from inkslop.estimate.estimator import estimate_document
from inkslop.speak import subtitles
from inkslop.syntax.parser import parse

SCRIPT = """[music file="bed.wav" volume="0.5" fit="loop"]
[tts engine="kokoro_tts" voice="af_heart"]
Hi there!
[/tts]
[tts engine="kokoro_tts" voice="bm_george" speed="1.25"]
Step one.
Step two.
[/tts]
[/music]
"""


@pytest.fixture
def project(tmp_path, monkeypatch):
    """A script, its configuration naming the test voice packs, a music bed, its own cache."""
    monkeypatch.setenv("INKSLOP_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.chdir(tmp_path)
    (tmp_path / "inkslop.toml").write_text(f'[speak]\nvoices = "{VOICES_DIR.as_posix()}"\n')
    (tmp_path / "a.inkslop").write_text(SCRIPT)
    t = np.arange(int(0.3 * 22_050)) / 22_050
    sf.write(str(tmp_path / "bed.wav"), 0.4 * np.sin(2 * np.pi * 330 * t), 22_050)
    return tmp_path


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def seconds_of(path) -> float:
    info = sf.info(str(path))
    return info.frames / info.samplerate


def measured_estimate(*args: str) -> dict:
    result = run("estimate", "--output-format", "json", "--engine", "kokoro", "a.inkslop", *args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)[0]


def test_audio_subtitles_and_estimate_agree(project):
    result = run("speak", "a.inkslop", "-o", "out.wav", "--subtitles", "out.srt")
    assert result.exit_code == 0, result.output
    assert "out.wav" in result.stdout
    estimate = measured_estimate()
    assert estimate["figure"] == "measured"
    assert [b["figure"] for b in estimate["blocks"]] == ["measured"] * 3
    audio = seconds_of(project / "out.wav")
    assert audio == pytest.approx(estimate["seconds"], abs=0.005)
    srt = (project / "out.srt").read_text(encoding="utf-8")
    ends = subtitles.parse_end_times(srt)
    assert len(ends) == 3 and ends[-1] == pytest.approx(audio, abs=0.0015)
    assert "Step two." in srt
    # the first line ends where the estimate ends the first block
    assert ends[0] == pytest.approx(estimate["blocks"][1]["end"], abs=0.01)


def test_one_block_by_number_or_line(project):
    estimate = measured_estimate()
    second = estimate["blocks"][2]
    for option in (["--block", "2"], ["--line", "7"]):
        result = run("speak", "a.inkslop", "-o", "one.flac", *option)
        assert result.exit_code == 0, result.output
        assert seconds_of(project / "one.flac") == pytest.approx(second["seconds"], abs=0.01)
    result = run("speak", "a.inkslop", "--block", "3")
    assert result.exit_code == 2 and "2 narrated block(s)" in result.stderr


def test_music_is_mixed_under_the_narration(project):
    run("speak", "a.inkslop", "--block", "1", "-o", "with.wav")
    (project / "bed.wav").rename(project / "gone.wav")
    result = run("speak", "a.inkslop", "--block", "1", "-o", "without.wav")
    assert "music file bed.wav is not on this machine" in result.stderr
    with_music, _ = sf.read(str(project / "with.wav"))
    without, _ = sf.read(str(project / "without.wav"))
    assert len(with_music) == len(without)
    music = with_music - without
    # the looped bed (0.4 amplitude x volume 0.5) runs the whole way through
    for part in np.array_split(music, 4):
        assert np.sqrt(np.mean(part ** 2)) == pytest.approx(0.2 / math.sqrt(2), rel=0.1)


def test_a_second_estimate_is_read_from_the_cache(project, monkeypatch):
    first = measured_estimate()
    from inkslop.speak.engine import KokoroEngine

    def no_synthesis(*args, **kwargs):
        raise AssertionError("the engine ran on a cached block")

    monkeypatch.setattr(KokoroEngine, "measure", no_synthesis)
    monkeypatch.setattr(KokoroEngine, "synthesize", no_synthesis)
    assert measured_estimate() == first
    # with the stock files, not even the engine loads: it could not be found here
    (project / "inkslop.toml").write_text("")
    monkeypatch.setattr(KokoroEngine, "__init__", no_synthesis)
    assert measured_estimate() == first


def test_configured_engine_and_what_compile_and_check_read(project):
    document = parse(SCRIPT)
    modelled = estimate_document(document, measured=None)
    (project / "inkslop.toml").write_text(
        f'[speak]\nvoices = "{VOICES_DIR.as_posix()}"\n[estimate]\nengine = "kokoro"\n')
    result = run("estimate", "--output-format", "json", "a.inkslop")
    measured = json.loads(result.stdout)[0]
    assert measured["figure"] == "measured" and measured["seconds"] != round(modelled.seconds, 2)
    body = json.loads(run("compile", "--output-format", "request", "a.inkslop").stdout)
    assert body["estimated_duration"] == measured["estimated_duration"]
    dry_run = run("submit", "--dry-run", "--allow-warnings", "a.inkslop")  # nothing is sent
    assert dry_run.exit_code == 0, dry_run.stderr
    sent = json.loads(dry_run.stdout)
    assert sent["estimated_duration"] == measured["estimated_duration"]
    assert measured["estimated_duration"] != modelled.estimated_duration
    # D001 judges the measured figure: a limit between the two figures decides it
    limit = (measured["seconds"] + modelled.seconds) / 2
    (project / "inkslop.toml").write_text(f"[estimate]\nmax-seconds = {limit}\n")
    check = run("check", "--output-format", "json", "a.inkslop")
    codes = [d["code"] for d in json.loads(check.stdout)]
    assert ("D001" in codes) == (measured["seconds"] > limit)


def test_without_the_extra_it_says_what_to_install(project, monkeypatch):
    from inkslop.speak import requirements

    monkeypatch.setattr(requirements, "missing", lambda modules: ["onnxruntime"])
    for args in (["speak", "a.inkslop"], ["estimate", "--engine", "kokoro", "a.inkslop"]):
        result = run(*args)
        assert result.exit_code == 2
        assert "pip install 'inkslop[speak]'" in result.stderr and "onnxruntime" in result.stderr
        assert "Traceback" not in result.output


def test_missing_engine_files_are_a_clear_error(project):
    (project / "inkslop.toml").write_text('[speak]\nvoices = "no-such-folder"\n')
    result = run("speak", "a.inkslop")
    assert result.exit_code == 2
    assert "no-such-folder" in result.stderr and "Traceback" not in result.output


def test_usage_errors(project):
    assert "write a .wav, .flac, .ogg file" in run("speak", "a.inkslop", "-o", "a.mp4").stderr
    assert "write a .srt, .vtt file" in run("speak", "a.inkslop", "--subtitles", "a.txt").stderr
    assert "the folder no-such does not exist" in run("speak", "a.inkslop", "-o",
                                                      "no-such/a.wav").stderr
    (project / "bad.inkslop").write_text('[tts engine="kokoro_tts"\nHi.\n[/tts]\n')
    result = run("speak", "bad.inkslop")
    assert result.exit_code == 1 and "syntax error" in result.stderr
    (project / "silent.inkslop").write_text("[# nothing to say #]\n")
    result = run("speak", "silent.inkslop")
    assert result.exit_code == 2 and "narrates nothing" in result.stderr


def test_play_uses_a_player_or_says_there_is_none(project, monkeypatch, tmp_path):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    monkeypatch.setenv("PATH", str(bin_dir))
    result = run("speak", "a.inkslop", "--block", "1", "--play")
    assert result.exit_code == 2 and "no audio player found" in result.stderr
    assert (project / "a.wav").is_file()
    player = bin_dir / "aplay"
    player.write_text(f'#!/bin/sh\necho "$@" > "{tmp_path / "played"}"\n')
    player.chmod(player.stat().st_mode | stat.S_IEXEC)
    assert run("speak", "a.inkslop", "--block", "1", "--play").exit_code == 0
    assert (tmp_path / "played").read_text().split() == ["-q", "a.wav"]


def test_install_uses_the_configured_source_and_verifies(project, server):
    url, root = server
    (root / "kokoro-v1.0.int8.onnx").write_bytes(b"not the model")
    (project / "inkslop.toml").write_text(f'[speak]\nurl = "{url}"\n')
    result = run("speak", "--install")
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert f"{url}kokoro-v1.0.int8.onnx" in result.stderr and "sha256" in result.stderr
    assert not (project / "cache" / "kokoro" / "kokoro-v1.0.int8.onnx").exists()
