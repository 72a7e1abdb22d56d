"""Many files: worker processes give the output of a serial run, in the same order; the
cache of results gives the output of a fresh check, and is invalidated by a changed
file, changed settings or another toolkit version; two runs may share it."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from cli_helpers import CLEAN, SYNTAX_ERROR, WARNING_ONLY, Run, inkslop, write

from inkslop.cli import check_run, result_cache, workers
from inkslop.config import loader
from inkslop.cli.inputs import Reader, Source, sources_of
from inkslop.cli.result_cache import ResultCache
from inkslop.config.settings import Settings
from inkslop.lint.checker import check
from inkslop.syntax.parser import parse

CORPUS = Path(__file__).resolve().parents[1] / "corpus" / "check"
MANY = workers.POOL_MIN_SOURCES * 2


def many_scripts(folder: Path) -> None:
    """More scripts than the pool's threshold, of every kind, some in subdirectories,
    and the corpus's scripts (every rule family)."""
    kinds = [CLEAN, WARNING_ONLY, SYNTAX_ERROR]
    for number in range(MANY):
        write(folder / f"part{number % 3}" / f"s{number:03}.inkslop", kinds[number % 3])
    for script in CORPUS.glob("*.inkslop"):
        shutil.copy(script, folder / script.name)


def _same(first: Run, second: Run) -> None:
    assert (first.code, first.stdout, first.stderr) == (second.code, second.stdout, second.stderr)


@pytest.mark.parametrize("args", [("check",), ("check", "--output-format", "json"),
                                  ("fmt", "--check"), ("fmt", "--diff")])
def test_worker_processes_give_the_serial_output(tmp_path: Path, args: tuple[str, ...]) -> None:
    many_scripts(tmp_path)
    extra = ("--no-cache",) if args[0] == "check" else ()
    serial = inkslop(tmp_path, *args, *extra, "--jobs", "1", ".")
    parallel = inkslop(tmp_path, *args, *extra, "--jobs", "2", ".")
    _same(serial, parallel)
    assert serial.code in (1, 2) and serial.stdout + serial.stderr


def _pid(source: Source, run: object) -> int:
    return os.getpid()


def test_many_sources_are_handled_in_other_processes_in_order() -> None:
    sources = [Source(f"s{n}", Path(f"s{n}"), Path(f"s{n}")) for n in range(MANY)]
    pids = workers.run_all(_pid, None, sources, jobs=2)
    assert len(pids) == MANY and os.getpid() not in pids
    assert workers.run_all(_pid, None, sources[:3], jobs=2) == [os.getpid()] * 3  # a few: here
    assert set(workers.run_all(_pid, None, sources, jobs=1)) == {os.getpid()}

    names = workers.run_all(_name, None, sources, jobs=2)
    assert names == [s.name for s in sources]


def _name(source: Source, run: object) -> str:
    return source.name


def test_cached_results_equal_a_fresh_check(tmp_path: Path) -> None:
    many_scripts(tmp_path)
    env = {"INKSLOP_CACHE_DIR": str(tmp_path / "cache")}
    for args in (("--output-format", "json"), ()):
        fresh = inkslop(tmp_path, "check", "--no-cache", *args, ".", env=env)
        first = inkslop(tmp_path, "check", *args, ".", env=env)
        again = inkslop(tmp_path, "check", *args, ".", env=env)
        _same(fresh, first)
        _same(fresh, again)
    entries = list((tmp_path / "cache").glob("*/*.json"))
    assert len(entries) >= 3  # one per distinct content and settings
    assert (tmp_path / "cache" / "CACHEDIR.TAG").is_file()


def _tamper(cache: Path) -> int:
    """Rewrite every cached message, so that a result taken from the cache shows."""
    count = 0
    for entry in cache.glob("*/*.json"):
        items = json.loads(entry.read_text(encoding="utf-8"))
        for item in items:
            item["message"] = "FROM THE CACHE"
            count += 1
        entry.write_text(json.dumps(items), encoding="utf-8")
    return count


def test_cache_is_used_and_invalidated_by_content_and_settings(tmp_path: Path) -> None:
    script = write(tmp_path / "w.inkslop", WARNING_ONLY)
    write(tmp_path / "c.inkslop", CLEAN)
    env = {"INKSLOP_CACHE_DIR": str(tmp_path / "cache")}
    assert inkslop(tmp_path, "check", ".", env=env).code == 0
    assert _tamper(tmp_path / "cache") == 1
    assert "FROM THE CACHE" in inkslop(tmp_path, "check", ".", env=env).stdout
    assert "FROM THE CACHE" not in inkslop(tmp_path, "check", "--no-cache", ".", env=env).stdout
    # Other settings: a selection, a configuration file.
    selected = inkslop(tmp_path, "check", "--select", "S", ".", env=env)
    assert "S012 warning: Write attribute values" in selected.stdout
    write(tmp_path / "inkslop.toml", 'ignore = ["S012"]\n')
    configured = inkslop(tmp_path, "check", ".", env=env)
    assert configured.stdout == "All checks passed (2 files).\n"
    (tmp_path / "inkslop.toml").unlink()
    # Other content.
    _tamper(tmp_path / "cache")
    script.write_text(WARNING_ONLY + "\n", encoding="utf-8")
    changed = inkslop(tmp_path, "check", ".", env=env)
    assert "FROM THE CACHE" not in changed.stdout and "S012 warning" in changed.stdout


def _checked_names(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The scripts that a cached run of `check .` in `tmp_path` reads and checks."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("INKSLOP_CACHE_DIR", str(tmp_path / "cache"))
    seen: list[str] = []
    real = check_run.check_source
    monkeypatch.setattr(check_run, "check_source",
                        lambda source, run: seen.append(source.name) or real(source, run))
    sources, _ = sources_of(["."])
    run = check_run.CheckRun(Reader(), use_cache=True)
    outcomes = check_run._outcomes(run, sources, jobs=1)
    assert [o.report.path for o in outcomes] == [s.name for s in sources]  # every file, in order
    return seen


def test_unchanged_clean_files_are_not_read_again(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path / "c1.inkslop", CLEAN)
    write(tmp_path / "sub" / "c2.inkslop", CLEAN)
    write(tmp_path / "w.inkslop", WARNING_ONLY)
    assert sorted(_checked_names(tmp_path, monkeypatch)) == ["c1.inkslop", "sub/c2.inkslop",
                                                            "w.inkslop"]
    # Files with findings are read again (their lines are shown), from the cache of results.
    assert _checked_names(tmp_path, monkeypatch) == ["w.inkslop"]


def test_a_file_changed_behind_the_cache_is_checked_again(tmp_path: Path) -> None:
    """An edit that keeps the size and puts the modification time back (as `rsync -t` or
    `touch -r` can) still changes the file's change time: the file is read again."""
    clean = write(tmp_path / "c.inkslop", CLEAN)
    write(tmp_path / "other.inkslop", CLEAN)
    env = {"INKSLOP_CACHE_DIR": str(tmp_path / "cache")}
    assert inkslop(tmp_path, "check", ".", env=env).code == 0
    assert "c.inkslop" in (tmp_path / "cache" / "clean-files.json").read_text(encoding="utf-8")
    times = clean.stat()
    broken = CLEAN.replace('af_heart"', 'af_heart "').replace("Hello", "Hell")
    assert len(broken) == len(CLEAN)
    clean.write_text(broken, encoding="utf-8")
    os.utime(clean, ns=(times.st_atime_ns, times.st_mtime_ns))
    again = inkslop(tmp_path, "check", ".", env=env)
    assert again.code == 0 and "T014" in again.stdout  # the space at the value's end


def test_a_broken_index_of_clean_files_is_ignored(tmp_path: Path) -> None:
    many_scripts(tmp_path)
    env = {"INKSLOP_CACHE_DIR": str(tmp_path / "cache")}
    fresh = inkslop(tmp_path, "check", "--no-cache", ".", env=env)
    _same(fresh, inkslop(tmp_path, "check", ".", env=env))
    for garbage in ("not json", '[1, "other version", {}]', '{"a": 1}', "[1, 2]"):
        write(tmp_path / "cache" / "clean-files.json", garbage)
        _same(fresh, inkslop(tmp_path, "check", ".", env=env))
    _same(fresh, inkslop(tmp_path, "check", ".", env=env))


def test_another_toolkit_version_misses(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache = ResultCache(tmp_path)
    settings = Settings()
    key = cache.key(CLEAN, settings)
    cache.put(key, check(parse(WARNING_ONLY)))
    assert [d.code for d in cache.get(key) or []] == ["S012"]
    assert cache.key(CLEAN, Settings(select=("T",))) != key
    assert cache.key(CLEAN + " ", settings) != key
    monkeypatch.setattr(result_cache, "toolkit_version", lambda: "999.0")
    assert ResultCache(tmp_path).key(CLEAN, settings) != key


def test_round_trip_keeps_every_field(tmp_path: Path) -> None:
    cache = ResultCache(tmp_path)
    for script in CORPUS.glob("*.inkslop"):
        found = check(parse(script.read_text(encoding="utf-8")))
        cache.put(script.name, found)
        assert cache.get(script.name) == found, script.name


def test_two_runs_share_the_cache(tmp_path: Path) -> None:
    many_scripts(tmp_path)
    env = {**os.environ, "INKSLOP_CACHE_DIR": str(tmp_path / "cache"), "PYTHONIOENCODING": "utf-8"}
    expected = inkslop(tmp_path, "check", "--no-cache", "--output-format", "json", ".")
    command = [sys.executable, "-m", "inkslop", "check", "--output-format", "json", "."]
    runs = [subprocess.Popen(command, cwd=tmp_path, env=env, stdout=subprocess.PIPE)
            for _ in range(2)]
    outputs = [run.communicate(timeout=120)[0].decode("utf-8") for run in runs]
    assert outputs == [expected.stdout] * 2
    assert not list((tmp_path / "cache").glob("**/*.tmp"))


def test_a_cache_that_cannot_be_written_changes_nothing(tmp_path: Path) -> None:
    write(tmp_path / "w.inkslop", WARNING_ONLY)
    write(tmp_path / "c.inkslop", CLEAN)
    write(tmp_path / "cache", "a file where the cache directory should be")
    run = inkslop(tmp_path, "check", "w.inkslop", "c.inkslop",
                  env={"INKSLOP_CACHE_DIR": str(tmp_path / "cache")})
    assert run.code == 0 and run.stderr == "" and "S012 warning" in run.stdout


def test_default_cache_is_in_the_project_root(tmp_path: Path) -> None:
    write(tmp_path / "inkslop.toml", "")
    write(tmp_path / "sub" / "w.inkslop", WARNING_ONLY)
    write(tmp_path / "sub" / "c.inkslop", CLEAN)
    env = {k: v for k, v in os.environ.items() if k != "INKSLOP_CACHE_DIR"}
    alone = subprocess.run([sys.executable, "-m", "inkslop", "check", "w.inkslop"],
                           cwd=tmp_path / "sub", env=env, capture_output=True)
    assert alone.returncode == 0
    assert not (tmp_path / ".inkslop_cache").exists()  # one file: checked without the cache
    done = subprocess.run([sys.executable, "-m", "inkslop", "check", "."],
                          cwd=tmp_path / "sub", env=env, capture_output=True)
    assert done.returncode == 0
    assert list((tmp_path / ".inkslop_cache").glob("*/*.json"))
    assert not (tmp_path / "sub" / ".inkslop_cache").exists()


def test_configuration_is_looked_for_once_per_directory(tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    root = Path(os.path.realpath(tmp_path))
    write(root / "inkslop.toml", 'ignore = ["S012"]\n')
    scripts = [write(root / "a" / "b" / f"s{n}.inkslop", WARNING_ONLY) for n in range(5)]
    scripts.append(write(root / "a" / "c.inkslop", WARNING_ONLY))
    looked: list[Path] = []
    real = loader._config_in
    monkeypatch.setattr(loader, "_config_in", lambda folder: looked.append(folder) or real(folder))
    finder = loader.ConfigFinder()
    assert [finder.config_file(script) for script in scripts] == [root / "inkslop.toml"] * 6
    assert sorted(looked) == [root, root / "a", root / "a" / "b"]  # each directory once
    assert finder.settings_for(scripts[0]).ignore == ("S012",)


def _imported(cwd: Path, *args: str) -> set[str]:
    """The modules a run of `inkslop ARGS` imports (from `python -X importtime`)."""
    done = subprocess.run([sys.executable, "-X", "importtime", "-m", "inkslop", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=300)
    return {line.rsplit("|", 1)[1].strip() for line in done.stderr.splitlines()
            if line.startswith("import time:") and "|" in line}


def test_a_few_files_start_no_pool_and_one_file_no_cache(tmp_path: Path) -> None:
    pool = {"concurrent.futures.process", "multiprocessing"}
    write(tmp_path / "one" / "c.inkslop", CLEAN)
    alone = _imported(tmp_path, "check", "one/c.inkslop")
    assert alone and not alone & pool and "inkslop.cli.result_cache" not in alone
    many_scripts(tmp_path / "many")
    assert pool <= _imported(tmp_path, "check", "--jobs", "2", "many")
