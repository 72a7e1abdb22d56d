"""Running the `inkslop` command as a user would, for the command-line tests.

`inkslop(cwd, *args)` runs `python -m inkslop ARGS` in a subprocess. With
`unprivileged=True`, a run as root gives up the capabilities that let root read and
write any file (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH), so that permission bits mean
for it what they mean for a user; `limits` sets resource limits (RLIMIT_FSIZE...) in
the child only.
"""

from __future__ import annotations

import ctypes
import os
import resource
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

CLEAN = '[tts engine="kokoro_tts" voice="af_heart"]\nHello world!\n[/tts]\n'
# A warning only: S012, single quotes (safe fix); fmt rewrites it.
WARNING_ONLY = "[tts engine='kokoro_tts' voice=\"af_heart\"]\nHello.\n[/tts]\n"
# An error: S009, the opening tag lacks its `]`.
SYNTAX_ERROR = '[tts engine="kokoro_tts" voice="af_heart"\nHello.\n[/tts]\n'

_PR_CAPBSET_DROP = 24
_CAP_DAC_OVERRIDE, _CAP_DAC_READ_SEARCH = 1, 2


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str


def _preexec(unprivileged: bool, limits: dict[int, int]):  # type: ignore[no-untyped-def]
    def prepare() -> None:
        for limit, value in limits.items():
            resource.setrlimit(limit, (value, value))
        if unprivileged and os.geteuid() == 0:
            libc = ctypes.CDLL(None, use_errno=True)
            for capability in (_CAP_DAC_OVERRIDE, _CAP_DAC_READ_SEARCH):
                if libc.prctl(_PR_CAPBSET_DROP, capability, 0, 0, 0) != 0:
                    raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")

    return prepare if unprivileged or limits else None


def inkslop(cwd: Path, *args: str, stdin: bytes | str | None = None, unprivileged: bool = False,
            limits: dict[int, int] | None = None, env: dict[str, str] | None = None,
            timeout: float = 120) -> Run:
    data = stdin.encode("utf-8") if isinstance(stdin, str) else stdin
    environment = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    environment.update({"PYTHONIOENCODING": "utf-8", **(env or {})})
    done = subprocess.run([sys.executable, "-m", "inkslop", *args], cwd=cwd, input=data,
                          capture_output=True, env=environment, timeout=timeout,
                          preexec_fn=_preexec(unprivileged, limits or {}))
    return Run(done.returncode, done.stdout.decode("utf-8"), done.stderr.decode("utf-8"))


def write(path: Path, text: str | bytes) -> Path:
    """Write a file byte for byte, making its directories."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return path


def no_crash(run: Run) -> None:
    assert "Traceback" not in run.stderr, run.stderr
    assert "internal error" not in run.stderr, run.stderr


def leftovers(directory: Path) -> list[str]:
    """Temporary files an interrupted write would leave behind."""
    return sorted(p.name for p in directory.iterdir() if p.name.endswith(".tmp"))
