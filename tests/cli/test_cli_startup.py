"""The start-up of `inkslop check` on one file: it loads no heavy library (issue 14).

Each case runs the command in a fresh interpreter and lists the modules loaded when it
exits; the user's cache folder is an empty temporary one, so no measured durations exist.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import platformdirs
import pytest

from inkslop.estimate.measured import cache_root

# click too: a plain `check FILES` parses its arguments without it (cli/plain_arguments.py).
HEAVY = ("pydantic", "httpx", "rich", "platformdirs", "sqlite3", "_sqlite3", "numpy",
         "hashlib", "lark", "click")

SCRIPT = """\
[tts engine="kokoro_tts" voice="bf_emma"]
Octopuses have three hearts and blue blood.
One heart stops beating when they swim, so they prefer to crawl.
[/tts]
"""

FRONT_MATTER = """\
+++
video_name = "octopus-hearts"
resolution = "16:9"

notify_on_complete = false
+++
"""

PROGRAM = textwrap.dedent("""
    import sys
    from inkslop.cli import main
    try:
        main([*sys.argv[3:], sys.argv[1]])  # as pre-commit's hooks run it
    finally:
        heavy = sorted(m for m in sys.argv[2].split(",") if m in sys.modules)
        print("loaded:", ",".join(heavy))
""")


def _isolated_env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in ("INKSLOP_CACHE_DIR", "XDG_CACHE_HOME", "NO_COLOR", "FORCE_COLOR")}
    env["HOME"] = str(home)
    return env


def _loaded(tmp_path: Path, text: str, *command: str) -> subprocess.CompletedProcess[str]:
    """Run `inkslop COMMAND s.inkslop` in a fresh interpreter; it prints the heavy
    libraries loaded last."""
    script = tmp_path / "s.inkslop"
    script.write_text(text, encoding="utf-8")
    home = tmp_path / "home"
    home.mkdir()
    return subprocess.run([sys.executable, "-c", PROGRAM, str(script), ",".join(HEAVY),
                           *command], capture_output=True, text=True,
                          env=_isolated_env(home), cwd=tmp_path, check=False)


@pytest.mark.parametrize("text", [SCRIPT, FRONT_MATTER + SCRIPT], ids=["plain", "front-matter"])
def test_checking_one_file_loads_no_heavy_library(tmp_path: Path, text: str) -> None:
    run = _loaded(tmp_path, text, "check", "--color", "never")
    assert run.returncode == 0, run.stderr
    lines = run.stdout.splitlines()
    assert lines[0] == "All checks passed (1 file)."
    assert lines[-1] == "loaded: "


def test_formatting_one_file_loads_no_heavy_library(tmp_path: Path) -> None:
    run = _loaded(tmp_path, SCRIPT, "fmt", "--check")
    assert run.returncode == 0, run.stderr
    assert run.stderr == "0 files would be reformatted, 1 left unchanged.\n"
    assert run.stdout == "loaded: \n"


@pytest.mark.parametrize("xdg", [None, "", "  ", "relative/cache", "/somewhere/cache/"])
def test_the_cache_folder_is_platformdirs_one(monkeypatch: pytest.MonkeyPatch,
                                              xdg: str | None) -> None:
    monkeypatch.delenv("INKSLOP_CACHE_DIR", raising=False)
    if xdg is None:
        monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    else:
        monkeypatch.setenv("XDG_CACHE_HOME", xdg)
    assert str(cache_root()) == platformdirs.user_cache_dir("inkslop")
