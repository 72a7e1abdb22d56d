"""Kokoro-82M on onnxruntime: text in, 24 kHz audio and exact timings out.

Why this shape: one ONNX session is costly to build (about a second) and is reused for
every block, so `KokoroEngine` holds it. Each chunk (see chunks.py) is one model call;
its style vector is row len(phonemes)-1 of the voice pack; the chunks' audio is joined
with no gap: kokoro 0.9.4's KPipeline, reproduced sample for sample.

Timings are exact, not interpolated: the session also returns the duration predictor's
frames per phoneme (onnx_graph.DURATIONS_TENSOR), each frame 600 samples, and a chunk's
audio is exactly sum(frames) x 600 samples. So every chunk (= every text line, unless a
line passes 510 phonemes) and every English word has a measured start and end.

`measure()` runs only the sub-graph that computes those frames: the same figure as
`synthesize()` for about a fortieth of the time, with no audio.
"""

from __future__ import annotations

import hashlib
import importlib.resources
import json
import math
import threading
from dataclasses import dataclass, field

from inkslop.estimate import measured
from inkslop.speak import files as files_mod
from inkslop.speak import onnx_graph
from inkslop.speak.errors import EngineFilesError, SpeakError
from inkslop.speak.requirements import ENGINE, require

require(ENGINE)

import numpy as np
import onnxruntime as ort

from inkslop.speak.chunks import Chunk, text_to_chunks

SAMPLE_RATE = 24_000
FRAME_SAMPLES = 600  # one duration-predictor frame: 25 ms
ENGINE_NAME = "kokoro-82m-v1.0-onnx-int8"


@dataclass(frozen=True)
class WordTiming:
    text: str
    start: float  # seconds from the start of the clip
    end: float


@dataclass(frozen=True)
class ChunkTiming:
    """One model call: its text line, phonemes, place in the clip and per-token frames."""

    text: str
    phonemes: str
    line: int
    start_sample: int
    samples: int
    frames: tuple[int, ...]  # per input token: lead pad, phonemes kept, end pad
    words: tuple[WordTiming, ...] = ()

    @property
    def start(self) -> float:
        return self.start_sample / SAMPLE_RATE

    @property
    def end(self) -> float:
        return (self.start_sample + self.samples) / SAMPLE_RATE


@dataclass
class Measurement:
    """What `measure()` returns: the durations without the audio."""

    text: str
    voice: str
    speed: float
    chunks: list[ChunkTiming]
    sample_rate: int = SAMPLE_RATE

    @property
    def samples(self) -> int:
        return sum(c.samples for c in self.chunks)

    @property
    def seconds(self) -> float:
        return self.samples / self.sample_rate

    @property
    def chunk_samples(self) -> list[int]:
        return [c.samples for c in self.chunks]

    @property
    def phonemes(self) -> list[str]:
        return [c.phonemes for c in self.chunks]


@dataclass
class Clip(Measurement):
    """`synthesize()`'s result: a Measurement plus the float32 samples."""

    audio: np.ndarray = field(default_factory=lambda: np.zeros(0, np.float32))


def load_vocab() -> dict[str, int]:
    text = importlib.resources.files("inkslop.speak").joinpath("vocab.json").read_text("utf-8")
    return json.loads(text)["vocab"]


class KokoroEngine:
    """Loads the model once; `synthesize()` and `measure()` any number of texts."""

    def __init__(self, files: files_mod.EngineFiles | None = None, *, config=None,
                 threads: int = 1, cache_dir=None, search_from=None) -> None:
        self.files = files or files_mod.locate(config, cache_dir=cache_dir, search_from=search_from)
        self.threads = max(1, int(threads))
        self.vocab = load_vocab()
        self._model_bytes = self.files.model.read()  # verified sha256; kept for measure()
        self.model_sha256 = self.files.model.sha256
        self._session = self._make_session(onnx_graph.add_output(self._model_bytes))
        self._durations_session = None
        self._packs: dict[str, np.ndarray] = {}
        self._pack_sha: dict[str, str] = {}

    # ------------------------------------------------------------- setup
    def _make_session(self, model: bytes):
        opts = ort.SessionOptions()
        opts.intra_op_num_threads = self.threads
        opts.inter_op_num_threads = 1
        opts.log_severity_level = 3  # a library does not print warnings
        try:
            return ort.InferenceSession(model, sess_options=opts, providers=["CPUExecutionProvider"])
        except Exception as error:  # noqa: BLE001 - onnxruntime raises its own types
            raise EngineFilesError(f"onnxruntime cannot load the model: {error}",
                                   path=self.files.model.description) from None

    def _durations_only(self):
        if self._durations_session is None:
            self._durations_session = self._make_session(onnx_graph.prune_to(self._model_bytes))
            self._model_bytes = b""  # both sessions built: the 92 MB copy is no longer needed
        return self._durations_session

    def pack(self, voice: str) -> np.ndarray:
        """The voice's (510, 256) style vectors, verified (VoiceError / EngineFilesError)."""
        if voice not in self._packs:
            data = self.files.voices.pack_bytes(voice)
            self._pack_sha[voice] = hashlib.sha256(data).hexdigest()
            self._packs[voice] = np.frombuffer(data, dtype="<f4").reshape(-1, 256).astype(np.float32)
        return self._packs[voice]

    def voice_sha256(self, voice: str) -> str:
        self.pack(voice)
        return self._pack_sha[voice]

    def cache_key(self, text: str, voice: str, speed: float) -> str:
        return measured.key(text, voice, speed, self.model_sha256, self.voice_sha256(voice))

    def voices(self) -> list[str]:
        return self.files.voices.names()

    # ------------------------------------------------------------- running
    def _feed(self, ps: str, voice: str, speed: float):
        pack = self.pack(voice)
        kept = [c for c in ps if c in self.vocab]
        ids = [self.vocab[c] for c in kept]
        style = pack[min(len(ps), len(pack)) - 1]  # KPipeline.infer: pack[len(ps)-1]
        return {
            "tokens": np.array([[0, *ids, 0]], dtype=np.int64),
            "style": style.reshape(1, 256).astype(np.float32),
            "speed": np.array([speed], dtype=np.float32),
        }

    @staticmethod
    def _check_speed(speed: float) -> float:
        speed = float(speed)
        if not math.isfinite(speed) or speed <= 0:
            raise SpeakError(f"speed must be a positive number, not {speed}")
        return speed

    def _timings(self, chunk: Chunk, frames: list[int], start_sample: int) -> ChunkTiming:
        samples = sum(frames) * FRAME_SAMPLES
        # frames per character of chunk.phonemes (characters not in the vocabulary: 0)
        per_char, k = [], 1
        for c in chunk.phonemes:
            if c in self.vocab:
                per_char.append(frames[k])
                k += 1
            else:
                per_char.append(0)
        offsets = [frames[0]]
        for n in per_char:
            offsets.append(offsets[-1] + n)
        words = tuple(
            WordTiming(w.text, (start_sample + offsets[w.start] * FRAME_SAMPLES) / SAMPLE_RATE,
                       (start_sample + offsets[w.end] * FRAME_SAMPLES) / SAMPLE_RATE)
            for w in chunk.words)
        return ChunkTiming(chunk.text, chunk.phonemes, chunk.line, start_sample, samples,
                           tuple(frames), words)

    def synthesize(self, text: str, voice: str, speed: float = 1.0) -> Clip:
        """Audio and timings of `text` in `voice` at `speed`, as KPipeline makes them."""
        speed = self._check_speed(speed)
        self.pack(voice)
        chunks = text_to_chunks(text, voice)
        audios, timings, at = [], [], 0
        for chunk in chunks:
            audio, frames = self._session.run(None, self._feed(chunk.phonemes, voice, speed))
            audio = np.asarray(audio, dtype=np.float32).ravel()
            timing = self._timings(chunk, [int(n) for n in np.ravel(frames)], at)
            if timing.samples != len(audio):  # never seen; keep the audio's own length
                timing = ChunkTiming(timing.text, timing.phonemes, timing.line, at, len(audio),
                                     timing.frames, timing.words)
            audios.append(audio)
            timings.append(timing)
            at += len(audio)
        audio = np.concatenate(audios) if audios else np.zeros(0, np.float32)
        return Clip(text, voice, speed, timings, SAMPLE_RATE, audio)

    def measure(self, text: str, voice: str, speed: float = 1.0) -> Measurement:
        """The exact duration and timings of `text`, without synthesising audio."""
        speed = self._check_speed(speed)
        self.pack(voice)
        session = self._durations_only()
        timings, at = [], 0
        for chunk in text_to_chunks(text, voice):
            (frames,) = session.run(None, self._feed(chunk.phonemes, voice, speed))
            timing = self._timings(chunk, [int(n) for n in np.ravel(frames)], at)
            timings.append(timing)
            at += timing.samples
        return Measurement(text, voice, speed, timings, SAMPLE_RATE)

    def measure_cached(self, text: str, voice: str, speed: float,
                       cache: measured.DurationCache) -> tuple[float, bool]:
        """(seconds, True if it came from the cache); a miss is measured and recorded."""
        k = self.cache_key(text, voice, speed)
        hit = cache.measured(k)
        if hit is not None:
            return hit, True
        m = self.measure(text, voice, speed)
        cache.record(k, m.seconds, m.chunk_samples, SAMPLE_RATE)
        return m.seconds, False


_SHARED: dict[str, KokoroEngine] = {}
_SHARED_LOCK = threading.Lock()


def shared_engine(config=None, *, search_from=None) -> KokoroEngine:
    """One engine per set of engine files for the whole process (the CLI over many scripts,
    the language server over many previews): the model loads once."""
    found = files_mod.locate(config, search_from=search_from)
    with _SHARED_LOCK:
        if found.describe() not in _SHARED:
            _SHARED[found.describe()] = KokoroEngine(found)
        return _SHARED[found.describe()]
