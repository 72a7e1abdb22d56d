"""Downloading the engine files (against a local server), and the extra's absence."""

from __future__ import annotations

import hashlib
import subprocess
import sys
import textwrap

import pytest

from inkslop.speak import files, requirements
from inkslop.speak.errors import DownloadError, SpeakUnavailable


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_install_downloads_and_verifies(server, tmp_path):
    url, root = server
    wanted = {"model.onnx": sha((root / "model.onnx").read_bytes()),
              "voices.bin": sha((root / "voices.bin").read_bytes())}
    calls = []
    dest = tmp_path / "cache" / "kokoro"
    got = files.install(dest, base_url=url, files=wanted, progress=lambda *a: calls.append(a))
    assert [p.name for p in got] == ["model.onnx", "voices.bin"]
    assert (dest / "model.onnx").read_bytes() == (root / "model.onnx").read_bytes()
    assert calls[-1] == ("voices.bin", 1000, 1000)
    model_calls = [c for c in calls if c[0] == "model.onnx"]
    assert model_calls[0][1] == 0 and model_calls[-1][1:] == (300_000, 300_000) and len(model_calls) > 3
    assert sorted(p.name for p in dest.iterdir()) == ["model.onnx", "voices.bin"]  # no .part left
    # a second install keeps the verified files (no download: the server's copy may change)
    (root / "model.onnx").write_bytes(b"changed")
    files.install(dest, base_url=url, files=wanted)
    assert (dest / "model.onnx").read_bytes() == b"M" * 300_000


def test_install_refuses_a_wrong_sha256(server, tmp_path):
    url, _ = server
    dest = tmp_path / "kokoro"
    with pytest.raises(DownloadError, match="sha256") as error:
        files.install(dest, base_url=url, files={"model.onnx": "0" * 64})
    assert url + "model.onnx" in str(error.value)
    assert list(dest.iterdir()) == []


def test_install_reports_a_missing_file(server, tmp_path):
    url, _ = server
    with pytest.raises(DownloadError, match="HTTP 404"):
        files.install(tmp_path / "kokoro", base_url=url, files={"absent.bin": "0" * 64})


def test_install_reports_an_unreachable_source(tmp_path):
    with pytest.raises(DownloadError, match="download failed"):
        files.install(tmp_path / "kokoro", base_url="http://127.0.0.1:9/", files={"x": "0" * 64},
                      timeout=5)


def test_installed_files_are_found_first(server, tmp_path):
    """After install(), locate() takes the cache folder's files before the packages."""
    url, root = server
    cache_root = tmp_path / "root"
    (root / files.MODEL_NAME).write_bytes(b"fake model")
    files.install(files.paths.engine_dir(cache_root), base_url=url,
                  files={files.MODEL_NAME: sha(b"fake model")})
    found = files.locate_model(cache_dir=cache_root)
    assert found.path == cache_root / "kokoro" / files.MODEL_NAME
    with pytest.raises(files.EngineFilesError, match="corrupt"):
        found.read()  # not the real model: refused by its sha256


def test_default_source_is_the_official_release():
    assert files.DEFAULT_BASE_URL.endswith("/releases/download/model-files-v1.0/")
    assert set(files.RELEASE_FILES) == {"kokoro-v1.0.int8.onnx", "voices-v1.0.bin"}


def test_missing_extra_names_the_install_command():
    with pytest.raises(SpeakUnavailable) as error:
        requirements.require({"surely_not_installed_module": "surely-not-installed"})
    assert "pip install 'inkslop[speak]'" in str(error.value)
    assert error.value.missing == ["surely-not-installed"]


def test_engine_import_without_the_extra():
    code = textwrap.dedent("""
        import sys
        sys.modules["onnxruntime"] = None  # as if the extra were not installed
        try:
            import inkslop.speak.engine
        except Exception as error:
            print(type(error).__name__, error)
    """)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.startswith("SpeakUnavailable")
    assert "onnxruntime" in out and "pip install 'inkslop[speak]'" in out


def test_voice_table_matches_kokoro_js():
    table = files.voice_table()
    english = [v for v in table if v[:2] in ("af", "am", "bf", "bm")]
    assert len(table) == 54 and len(english) == 28
    assert all(e["bytes"] == files.VOICE_PACK_BYTES for e in table.values())
