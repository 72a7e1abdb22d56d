"""The duration cache: content addressed, shared by processes, readable without the engine."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from inkslop.estimate import measured as cache
from inkslop.estimate.measured import DurationCache


def test_key_depends_on_everything_that_decides_the_duration():
    base = cache.key("Hi!", "af_heart", 1.0, "m" * 64, "v" * 64)
    assert base == cache.key("Hi!", "af_heart", 1, "m" * 64, "v" * 64)
    others = [cache.key("Hi.", "af_heart", 1.0, "m" * 64, "v" * 64),
              cache.key("Hi!", "af_bella", 1.0, "m" * 64, "v" * 64),
              cache.key("Hi!", "af_heart", 1.1, "m" * 64, "v" * 64),
              cache.key("Hi!", "af_heart", 1.0, "n" * 64, "v" * 64),
              cache.key("Hi!", "af_heart", 1.0, "m" * 64, "w" * 64),
              cache.key("Hi!", "af_heart", 1.0, "m" * 64, "v" * 64, "other-pipeline")]
    assert len({base, *others}) == 7


def test_record_and_read(tmp_path):
    c = DurationCache(tmp_path)
    k = cache.key("Hi!", "af_heart", 1.0, "m", "v")
    assert c.measured(k) is None and not (tmp_path / cache.DB_NAME).exists()  # reads create nothing
    c.record(k, 1.275, [30600])
    assert c.measured(k) == 1.275
    assert c.lookup(k).chunk_samples == (30600,)
    c.close()
    assert DurationCache(tmp_path).measured(k) == 1.275


def test_environment_variable_moves_the_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("INKSLOP_CACHE_DIR", str(tmp_path / "elsewhere"))
    assert DurationCache().directory == tmp_path / "elsewhere" / "durations"


def test_a_cache_hit_needs_no_synthesis(engine, tmp_path, monkeypatch):
    c = DurationCache(tmp_path)
    seconds, hit = engine.measure_cached("Game over.", "af_heart", 1.0, c)
    assert not hit and seconds == 1.55  # kokoro-dev.jsonl: short-11
    assert engine.synthesize("Game over.", "af_heart", 1.0).seconds == seconds

    def no_synthesis(*args, **kwargs):
        raise AssertionError("the engine ran on a cache hit")

    monkeypatch.setattr(engine, "measure", no_synthesis)
    monkeypatch.setattr(engine, "synthesize", no_synthesis)
    assert engine.measure_cached("Game over.", "af_heart", 1.0, c) == (seconds, True)
    # and `check` finds it under the stock files' key, without the engine
    assert DurationCache(tmp_path).measured(cache.stock_key("Game over.", "af_heart", 1.0)) == seconds


def test_readers_do_not_import_the_engine(tmp_path):
    code = textwrap.dedent(f"""
        import sys
        from inkslop.estimate import measured as cache
        from inkslop.speak import files, subtitles, paths
        import inkslop.speak
        c = cache.DurationCache({str(tmp_path)!r})
        c.record(cache.stock_key("Hi!", "af_heart", 1.0), 1.275, [30600])
        assert c.measured(cache.stock_key("Hi!", "af_heart", 1.0)) == 1.275
        heavy = [m for m in ("numpy", "onnxruntime", "misaki", "spacy", "soundfile") if m in sys.modules]
        assert not heavy, heavy
    """)
    subprocess.run([sys.executable, "-c", code], check=True)


def test_concurrent_writers(tmp_path):
    code = textwrap.dedent(f"""
        import sys
        from inkslop.estimate.measured import DurationCache
        c = DurationCache({str(tmp_path)!r})
        n = int(sys.argv[1])
        for i in range(50):
            c.record(f"k{{n}}-{{i}}", i / 10, [i])
            c.measured(f"k{{(n + 1) % 4}}-{{i}}")
    """)
    procs = [subprocess.Popen([sys.executable, "-c", code, str(n)]) for n in range(4)]
    assert [p.wait(timeout=120) for p in procs] == [0, 0, 0, 0]
    c = DurationCache(tmp_path)
    assert len(c) == 200 and c.measured("k3-49") == pytest.approx(4.9)


def test_an_unreadable_cache_is_a_miss(tmp_path):
    (tmp_path / cache.DB_NAME).write_bytes(b"this is not a database" * 100)
    assert DurationCache(tmp_path).measured("anything") is None
