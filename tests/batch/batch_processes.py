"""Running `inkslop` as its own process against a sandbox, as a user would, and reading the
sandbox's own record of the videos it created: the judge of duplicates and losses."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

from inkslop.sandbox import Sandbox

SCRIPT = ('+++\nvideo_name = "{name}"\n+++\n[tts engine="kokoro_tts" voice="af_heart"]\n'
          "Fact number {n}: octopuses have three hearts.\n[/tts]\n")


def write_scripts(directory: Path, count: int) -> None:
    for n in range(1, count + 1):
        (directory / f"video{n}.inkslop").write_text(SCRIPT.format(name=f"fact-{n}", n=n))


def environment(workdir: Path, sandbox: Sandbox | str, kill_at: str | None = None,
                key: str | None = None) -> dict[str, str]:
    base_url = sandbox if isinstance(sandbox, str) else sandbox.base_url
    env = {**os.environ, "INKSLOP_API_BASE": base_url,
           "INKSLOP_API_KEY": key or (sandbox.key if isinstance(sandbox, Sandbox) else ""),
           # the user's rate-limit log and key file are not touched by tests
           "XDG_STATE_HOME": str(workdir / "state"), "XDG_CONFIG_HOME": str(workdir / "config"),
           "INKSLOP_POLL_SECONDS": "0.3"}  # the sandbox renders in under a second
    env.pop("INKSLOP_TEST_KILL_AT", None)
    if kill_at:
        env["INKSLOP_TEST_KILL_AT"] = kill_at
    return env


def command(*args: str) -> list[str]:
    return [sys.executable, "-m", "inkslop", *args]


def run(workdir: Path, sandbox: Sandbox | str, *args: str, kill_at: str | None = None,
        key: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command(*args), cwd=workdir,
                          env=environment(workdir, sandbox, kill_at, key),
                          capture_output=True, text=True, timeout=120)


def start(workdir: Path, sandbox: Sandbox, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(command(*args), cwd=workdir, env=environment(workdir, sandbox),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def created(sandbox: Sandbox) -> Counter[str]:
    """How many videos of each name the sandbox created, from its own state."""
    return Counter(video["video_name"] for video in sandbox.state()["videos"])


def batch_state(workdir: Path, sandbox: Sandbox, *extra: str) -> list[dict]:
    result = run(workdir, sandbox, "batch", "status", "--output-format", "json", *extra)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)
