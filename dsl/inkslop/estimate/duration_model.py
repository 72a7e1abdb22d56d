"""How long a text-to-speech engine takes to say a text: the per-engine duration model.

The coefficients are data, in `duration_model.json` next to this file, fitted
by `bench/calibration/tools/refit_large.py` (with `bench/calibrate.py`'s method) on real
Kokoro-82M clips measured by the local engine (bench/calibration/). For an
engine, the seconds of a text are

    speed_ratio(speed) * (silence * chunk_seconds * chunks
                          + speech * sum over chunks of seconds_per[feature] * feature)

where the text is first rewritten as it is spoken (`inkslop.estimate.spoken`), then cut
where the engine synthesizes separately (every line, and lines longer than
`max_chunk_characters` at sentence ends), since every chunk carries its own
lead-in and lead-out silence. The features of a chunk are its phonemes (estimated
from the spelling), its
syllables (vowel groups), its pauses (sentence ends inside the chunk, clause
marks), and how far it falls short of `short_chunk_phonemes` (very short lines
are said slowly). `silence` and `speech` are the voice's factors (1.0 for a
voice that was not measured); `speed_ratio` interpolates the measured ratios
of durations at a speed against speed 1.0, in log(speed).

An engine the file does not know gets the "default" model, with a warning. A
project's configuration can override any part (`with_overrides`, same shape as
the file). Nothing heavy is imported here: an editor estimates on every keystroke.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from functools import cache, lru_cache
from itertools import pairwise
from pathlib import Path
from typing import Any

from inkslop.estimate.spoken import chunks as split_lines
from inkslop.estimate.spoken import spoken_text
from inkslop.schema.spec import merge_tables

MODEL_PATH = Path(__file__).with_name("duration_model.json")
FEATURES = ("phoneme", "syllable", "sentence_pause", "clause_pause", "short_chunk_phoneme")
VOICE_FACTORS = ("speech", "silence")

_SENTENCE_END = re.compile(r"[.!?…]+")
_SENTENCE_SPLIT = re.compile(r"(?<=[.!?…])[ \t]+|(?<=[.!?…][\"”’)\]])[ \t]+")
_CLAUSE_MARK = re.compile(r"[,;:—–()]")
_NOT_LETTER = re.compile(r"[\W\d_]+")
# Spellings of one sound: consonant and vowel digraphs, doubled consonants, the "-ed" of
# "looked". Letters less these come within about 4% of the phonemes misaki writes (the
# letters alone within about 7%); "x" is two sounds.
_ONE_SOUND = re.compile(r"th|sh|ch|ph|wh|ng|ck|gh|ee|oo|ea|ai|ay|oa|ou|ow|ie|ey|oy|oi|au|aw|ew"
                        r"|ei|ue|([bcdfgklmnprstvz])\1|(?<=[^aeiouytd\W])ed\b")
_VOWEL_GROUP = re.compile(r"[aeiouyàáâäæãåèéêëìíîïòóôöœõùúûüÿ]+")
_SPOKEN_MARK = re.compile(r"[^\W_]|[.!?…,;:—–()]")  # a chunk with none of these says nothing
_CLOSERS = "\"”’)]"


class DurationModelError(ValueError):
    """A duration model (the file, or a project's overrides) of the wrong shape."""


@dataclass(frozen=True, slots=True)
class Analysis:
    """A text as the engine will say it: the spoken form, the chunks, the feature totals."""

    spoken: str
    chunks: int
    phoneme: int
    syllable: int
    sentence_pause: int
    clause_pause: int
    short_chunk_phoneme: int

    def feature(self, name: str) -> int:
        return int(getattr(self, name))


@lru_cache(maxsize=4096)  # an editor re-estimates every block, but changed only one
def analyse(text: str, short_chunk_phonemes: int = 15, max_chunk_characters: int = 510,
            normalise: bool = True, split: bool = True) -> Analysis:
    """The features of `text`. `normalise=False` counts the text as written, `split=False`
    takes it as one chunk (both only to measure what each part of the model is worth)."""
    spoken = spoken_text(text) if normalise else text
    lines = split_lines(spoken) if split else [" ".join(split_lines(spoken))]
    pieces = [piece for line in lines if line
              for piece in (_pack(line, max_chunk_characters) if split else [line])]
    totals = [0, 0, 0, 0, 0, 0]
    for piece in pieces:
        if not _SPOKEN_MARK.search(piece):
            continue  # Kokoro drops a chunk without phonemes
        lower = piece.lower()
        phonemes = phoneme_count(lower)
        ends = len(_SENTENCE_END.findall(piece))
        if _SENTENCE_END.search(piece.rstrip(_CLOSERS)[-1:]):
            ends -= 1  # the last one is part of the chunk's lead-out
        counts = (1, phonemes, len(_VOWEL_GROUP.findall(lower)), ends,
                  len(_CLAUSE_MARK.findall(piece)), max(0, short_chunk_phonemes - phonemes))
        totals = [t + c for t, c in zip(totals, counts)]
    return Analysis(spoken, *totals)


def phoneme_count(lower: str) -> int:
    """About how many phonemes a lower-case English text has: its letters, less the
    spellings of one sound, plus one for each "x"."""
    letters = len(_NOT_LETTER.sub("", lower))
    return letters - len(_ONE_SOUND.findall(lower)) + lower.count("x")


def _pack(line: str, limit: int) -> list[str]:
    """A line cut as Kokoro cuts one longer than `limit` phonemes: whole sentences while
    they fit (a spoken character is about one phoneme), a longer sentence cut anywhere."""
    if len(line) <= limit:
        return [line]
    pieces: list[str] = []
    current = ""
    for sentence in _SENTENCE_SPLIT.split(line):
        joined = f"{current} {sentence}" if current else sentence
        if current and len(joined) > limit:
            pieces.append(current)
            joined = sentence
        while len(joined) > limit:
            pieces.append(joined[:limit])
            joined = joined[limit:]
        current = joined
    return pieces + ([current] if current else [])


@dataclass(frozen=True, slots=True)
class Voice:
    """A voice's factors on the speech and on the per-chunk silence (1.0: like the reference)."""

    speech: float = 1.0
    silence: float = 1.0


@dataclass(frozen=True, slots=True)
class EngineModel:
    """The model of one engine (see the module's docstring for the formula)."""

    name: str
    chunk_seconds: float
    seconds_per: dict[str, float]
    short_chunk_phonemes: int
    max_chunk_characters: int
    voices: dict[str, Voice]
    default_voice: Voice
    speed_curve: tuple[tuple[float, float], ...]  # (speed, ratio to 1.0), ascending

    def voice(self, name: str | None) -> Voice:
        return self.voices.get(name or "", self.default_voice)

    def speed_ratio(self, speed: float) -> float:
        """Duration at `speed` over duration at 1.0: interpolated in log(speed) between the
        measured points; beyond them (or with no points) it scales as 1/speed."""
        curve = self.speed_curve
        if not curve:
            return 1.0 / speed
        if speed <= curve[0][0]:
            return curve[0][1] * curve[0][0] / speed
        if speed >= curve[-1][0]:
            return curve[-1][1] * curve[-1][0] / speed
        for (low, low_ratio), (high, high_ratio) in pairwise(curve):
            if speed <= high:
                share = math.log(speed / low) / math.log(high / low)
                return low_ratio + share * (high_ratio - low_ratio)
        return 1.0 / speed  # unreachable: the curve is ascending

    def analyse(self, text: str) -> Analysis:
        return analyse(text, self.short_chunk_phonemes, self.max_chunk_characters)

    def seconds(self, analysis: Analysis, voice: str | None = None, speed: float = 1.0) -> float:
        factors = self.voice(voice)
        speech = sum(self.seconds_per.get(name, 0.0) * analysis.feature(name) for name in FEATURES)
        silence = self.chunk_seconds * analysis.chunks
        return self.speed_ratio(speed) * (factors.silence * silence + factors.speech * speech)


@dataclass(frozen=True, slots=True)
class Speech:
    """What `DurationModel.speech` finds for one text."""

    seconds: float
    analysis: Analysis
    engine: str
    warnings: tuple[str, ...] = ()


class DurationModel:
    """The duration models of the engines, from data shaped like duration_model.json."""

    __slots__ = ("data", "engines", "default")

    def __init__(self, data: dict[str, Any]) -> None:
        check_data(data)
        self.data = data
        self.engines = {name: _engine(name, spec) for name, spec in data["engines"].items()}
        self.default = _engine("default", data["default"])

    @classmethod
    def load(cls, path: Path | None = None) -> DurationModel:
        """The model in `path`, by default the one shipped next to this module."""
        return _load(str(path or MODEL_PATH))

    def with_overrides(self, overrides: dict[str, Any]) -> DurationModel:
        """This model with a project's tables merged over it (tables merge, values replace).
        An engine new to the model starts from the default engine's table."""
        if not isinstance(overrides, dict):
            raise DurationModelError("the overrides must be a table")
        data = merge_tables(self.data, overrides)
        new = overrides.get("engines")
        if isinstance(new, dict):
            for name, spec in new.items():
                if name not in self.data["engines"] and isinstance(spec, dict):
                    data["engines"][name] = merge_tables(data["default"], spec)
        return DurationModel(data)

    def engine(self, name: str | None) -> tuple[EngineModel, tuple[str, ...]]:
        """The model of engine `name`, or the default one and why."""
        if name in self.engines:
            return self.engines[name], ()
        if not name:
            return self.default, ("a block names no engine: the default model was used",)
        return self.default, (f"unknown engine {name}: the default model was used",)

    def speech(self, text: str, engine: str | None, voice: str | None = None,
               speed: float = 1.0) -> Speech:
        """How long `engine` with `voice` at `speed` takes to say `text`, and what it says."""
        model, warnings = self.engine(engine)
        if not (isinstance(speed, (int, float)) and math.isfinite(speed) and speed > 0):
            warnings += (f"speed {speed!r} is not a positive number: 1.0 was used",)
            speed = 1.0
        analysis = model.analyse(text)
        return Speech(model.seconds(analysis, voice, speed), analysis, model.name, warnings)

    def seconds(self, text: str, engine: str | None, voice: str | None = None,
                speed: float = 1.0) -> tuple[float, list[str]]:
        """The seconds `engine` takes to say `text`, and warnings (such as an unknown engine)."""
        found = self.speech(text, engine, voice, speed)
        return found.seconds, list(found.warnings)


@cache
def _load(path: str) -> DurationModel:
    with open(path, encoding="utf-8") as source:
        return DurationModel(json.load(source))


def _engine(name: str, spec: dict[str, Any]) -> EngineModel:
    return EngineModel(
        name=name,
        chunk_seconds=float(spec["chunk_seconds"]),
        seconds_per={k: float(v) for k, v in spec["seconds_per"].items()},
        short_chunk_phonemes=int(spec.get("short_chunk_phonemes", 0)),
        max_chunk_characters=int(spec.get("max_chunk_characters", 510)),
        voices={v: _voice(f) for v, f in spec.get("voices", {}).items()},
        default_voice=_voice(spec.get("default_voice", 1.0)),
        speed_curve=tuple((float(s), float(r)) for s, r in spec.get("speed_curve", ())),
    )


def _voice(factors: float | dict[str, float]) -> Voice:
    """A voice's factors; a bare number is both factors."""
    if isinstance(factors, (int, float)):
        return Voice(float(factors), float(factors))
    return Voice(**{k: float(v) for k, v in factors.items() if k in VOICE_FACTORS})


# ---------------------------------------------------------------- shape check

_TOP_KEYS = frozenset(["about", "version", "fitted_on", "default", "engines"])
_ENGINE_KEYS = frozenset(["about", "chunk_seconds", "seconds_per", "short_chunk_phonemes",
                          "max_chunk_characters", "voices", "default_voice", "speed_curve"])


def check_data(data: Any) -> None:
    """Raise DurationModelError, naming the key, unless `data` is shaped like the file."""
    if not isinstance(data, dict):
        raise DurationModelError("the model must be a table")
    _check_keys("", data, _TOP_KEYS)
    engines = data.get("engines")
    if not isinstance(engines, dict):
        raise DurationModelError("`engines` must be a table of engines")
    if not isinstance(data.get("default"), dict):
        raise DurationModelError("`default` must be an engine table")
    for name, spec in [("default", data["default"]),
                       *((f"engines.{k}", v) for k, v in engines.items())]:
        _check_engine(name, spec)


def _check_keys(where: str, table: dict[str, Any], known: frozenset[str]) -> None:
    # A misspelt key would otherwise be ignored without a word.
    for key in table:
        if key not in known:
            raise DurationModelError(f"`{where}{key}`: unknown key (known: "
                                     f"{', '.join(sorted(known))})")


def _check_engine(where: str, spec: Any) -> None:
    if not isinstance(spec, dict):
        raise DurationModelError(f"`{where}` must be a table")
    _check_keys(f"{where}.", spec, _ENGINE_KEYS)
    _check_number(f"{where}.chunk_seconds", spec.get("chunk_seconds"), minimum=0)
    seconds_per = spec.get("seconds_per")
    if not isinstance(seconds_per, dict) or not seconds_per:
        raise DurationModelError(f"`{where}.seconds_per` must be a table of {', '.join(FEATURES)}")
    for feature, value in seconds_per.items():
        if feature not in FEATURES:
            raise DurationModelError(f"`{where}.seconds_per.{feature}`: unknown feature "
                                     f"(known: {', '.join(FEATURES)})")
        _check_number(f"{where}.seconds_per.{feature}", value)
    for key in ("short_chunk_phonemes", "max_chunk_characters"):
        if key in spec:
            _check_number(f"{where}.{key}", spec[key], minimum=1 if key[0] == "m" else 0)
    voices = spec.get("voices", {})
    if not isinstance(voices, dict):
        raise DurationModelError(f"`{where}.voices` must be a table of voices")
    for voice, factors in [*voices.items(), *([("default_voice", spec["default_voice"])]
                                              if "default_voice" in spec else [])]:
        _check_voice(f"{where}.voices.{voice}" if voice != "default_voice"
                     else f"{where}.default_voice", factors)
    _check_curve(f"{where}.speed_curve", spec.get("speed_curve", []))


def _check_voice(where: str, factors: Any) -> None:
    if isinstance(factors, dict):
        for key, value in factors.items():
            if key not in VOICE_FACTORS:
                raise DurationModelError(f"`{where}.{key}`: unknown factor (known: speech, "
                                         "silence)")
            _check_number(f"{where}.{key}", value, minimum=0, strict=True)
    else:
        _check_number(where, factors, minimum=0, strict=True)


def _check_curve(where: str, curve: Any) -> None:
    if not isinstance(curve, list):
        raise DurationModelError(f"`{where}` must be a list of [speed, ratio] pairs")
    previous = 0.0
    for point in curve:
        if not (isinstance(point, list) and len(point) == 2):
            raise DurationModelError(f"`{where}` must be a list of [speed, ratio] pairs")
        _check_number(where, point[0], minimum=0, strict=True)
        _check_number(where, point[1], minimum=0, strict=True)
        if point[0] <= previous:
            raise DurationModelError(f"`{where}`: speeds must increase")
        previous = point[0]


def _check_number(where: str, value: Any, minimum: float | None = None,
                  strict: bool = False) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, float)) \
            or not math.isfinite(value):
        raise DurationModelError(f"`{where}` must be a number")
    if minimum is not None and (value <= minimum if strict else value < minimum):
        raise DurationModelError(f"`{where}` must be {'over' if strict else 'at least'} "
                                 f"{minimum:g}")
