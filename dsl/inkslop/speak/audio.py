"""Putting clips on a timeline, mixing music under them, and writing audio files.

Why here and not in the engine: the engine makes one block's audio; a preview is many
blocks placed where the estimator's timeline puts them, with the script's music under
them. Mono float32 at the engine's 24 kHz throughout.

- music is decoded with soundfile (libsndfile: WAV, FLAC, OGG/Vorbis/Opus, MP3, ...),
  mixed down to mono, resampled by linear interpolation, looped for fit="loop", scaled by
  its volume, and cut to its block's span;
- WAV is written with the stdlib `wave` module (16-bit PCM); FLAC, OGG (Vorbis), Opus
  (in OGG) and MP3 through soundfile, where its libsndfile has the format.
"""

from __future__ import annotations

import wave
from dataclasses import dataclass
from pathlib import Path

from inkslop.speak.errors import SpeakError
from inkslop.speak.requirements import AUDIO, require

require(AUDIO)

import numpy as np

SAMPLE_RATE = 24_000

# suffix -> (soundfile format, subtype); ".wav" is written by `wave`.
FORMATS = {
    ".flac": ("FLAC", "PCM_16"),
    ".ogg": ("OGG", "VORBIS"),
    ".opus": ("OGG", "OPUS"),
    ".mp3": ("MP3", "MPEG_LAYER_III"),
}


class AudioError(SpeakError):
    """A music file that cannot be decoded, or an output format that cannot be written."""


@dataclass(frozen=True)
class Placed:
    start: float  # seconds on the timeline
    samples: np.ndarray


@dataclass(frozen=True)
class MusicBed:
    path: Path
    start: float  # seconds on the timeline
    end: float
    volume: float = 1.0
    fit: str | None = None  # "loop" repeats the file to fill [start, end)


def place(clips: list[Placed], total_seconds: float | None = None,
          sample_rate: int = SAMPLE_RATE) -> np.ndarray:
    """One track holding every clip at its start (overlaps are summed)."""
    ends = [round(c.start * sample_rate) + len(c.samples) for c in clips]
    length = max(ends, default=0)
    if total_seconds is not None:
        length = max(length, round(total_seconds * sample_rate))
    track = np.zeros(length, np.float32)
    for clip, end in zip(clips, ends):
        begin = round(clip.start * sample_rate)
        if begin < 0:
            raise AudioError(f"a clip starts before 0 s ({clip.start:.3f} s)")
        track[begin:end] += clip.samples.astype(np.float32, copy=False)
    return track


def resample(samples: np.ndarray, source_rate: int, target_rate: int) -> np.ndarray:
    """Linear interpolation; fine for a music bed under speech."""
    if source_rate == target_rate or len(samples) == 0:
        return samples.astype(np.float32, copy=False)
    n = max(1, round(len(samples) * target_rate / source_rate))
    t = np.arange(n, dtype=np.float64) * (source_rate / target_rate)
    return np.interp(t, np.arange(len(samples)), samples).astype(np.float32)


def load_music(path: Path, sample_rate: int = SAMPLE_RATE) -> np.ndarray:
    """The file as mono float32 at `sample_rate`."""
    import soundfile as sf  # the extra's library, loaded only when audio is written or read

    try:
        data, rate = sf.read(str(path), dtype="float32", always_2d=True)
    except (sf.LibsndfileError, RuntimeError, OSError) as error:
        raise AudioError(f"{path}: cannot decode the music file ({error})") from None
    return resample(data.mean(axis=1), int(rate), sample_rate)


def mix_music(track: np.ndarray, beds: list[MusicBed], sample_rate: int = SAMPLE_RATE) -> np.ndarray:
    """`track` with each bed mixed under it (the track is lengthened if a bed ends later)."""
    out = track.astype(np.float32, copy=True)
    for bed in beds:
        begin, end = round(bed.start * sample_rate), round(bed.end * sample_rate)
        if end <= begin:
            continue
        music = load_music(bed.path, sample_rate)
        if len(music) == 0:
            continue
        span = end - begin
        if bed.fit == "loop" and len(music) < span:
            music = np.tile(music, -(-span // len(music)))
        music = music[:span] * np.float32(bed.volume)
        if begin + len(music) > len(out):
            out = np.concatenate([out, np.zeros(begin + len(music) - len(out), np.float32)])
        out[begin:begin + len(music)] += music
    return out


def to_pcm16(samples: np.ndarray) -> bytes:
    return (np.clip(samples, -1.0, 1.0) * 32767).astype("<i2").tobytes()


def write_wav(path: Path, samples: np.ndarray, sample_rate: int = SAMPLE_RATE) -> None:
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(sample_rate)
        w.writeframes(to_pcm16(samples))


def writable_suffixes() -> list[str]:
    """File suffixes `write_audio` can write with the installed libsndfile."""
    import soundfile as sf  # the extra's library, loaded only when audio is written or read

    formats = sf.available_formats()
    out = [".wav"]
    for suffix, (fmt, subtype) in FORMATS.items():
        if fmt in formats and subtype in sf.available_subtypes(fmt):
            out.append(suffix)
    return out


def write_audio(path: Path, samples: np.ndarray, sample_rate: int = SAMPLE_RATE) -> Path:
    """Write by suffix: .wav (stdlib), .flac, .ogg, .opus, .mp3 (soundfile)."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".wav":
        write_wav(path, samples, sample_rate)
        return path
    if suffix not in FORMATS or suffix not in writable_suffixes():
        raise AudioError(f"{path}: cannot write {suffix or 'files without a suffix'}; "
                         f"use one of {', '.join(writable_suffixes())}")
    import soundfile as sf  # the extra's library, loaded only when audio is written or read

    fmt, subtype = FORMATS[suffix]
    data = np.clip(samples, -1.0, 1.0).astype(np.float32)
    try:
        sf.write(str(path), data, sample_rate, format=fmt, subtype=subtype)
    except (sf.LibsndfileError, RuntimeError) as error:
        raise AudioError(f"{path}: {error}") from None
    return path


def trimmed_seconds(audio: np.ndarray, sample_rate: int = SAMPLE_RATE,
                    thresh_dbfs: float = -40.0, frame_ms: int = 10) -> float:
    """Length without leading/trailing 10 ms frames below -40 dBFS (as the calibration set)."""
    n = int(sample_rate * frame_ms / 1000)
    if len(audio) == 0:
        return 0.0
    nfr = int(np.ceil(len(audio) / n))
    pad = np.zeros(nfr * n, np.float32)
    pad[:len(audio)] = audio
    rms = np.sqrt(np.mean(pad.reshape(nfr, n) ** 2, axis=1))
    db = 20 * np.log10(np.maximum(rms, 1e-10))
    loud = np.where(db >= thresh_dbfs)[0]
    if len(loud) == 0:
        return 0.0
    start = loud[0] * n
    end = min(len(audio), (loud[-1] + 1) * n)
    return (end - start) / sample_rate
