"""Helpers shared by the benchmark scripts: the measured environment, timing of whole
processes in paired rounds, spread statistics, the machine described in words, and
Markdown output that names no path of the machine.

Not a benchmark itself; the scripts next to it import it (`bench/` is put on
`sys.path` by running a script from it).
"""

from __future__ import annotations

import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent  # the repository
BENCH = ROOT / "bench"
RESULTS = BENCH / "results"
# Byte-code of every measured process goes here, not next to the sources (see measured_env).
PYCACHE = BENCH / ".cache" / "pycache"


# ---- the measured processes -------------------------------------------------------------------

def python() -> str:
    """The interpreter that runs the benchmark: its environment is the one measured (its
    `inkslop` command sits next to it). Not resolved: a venv's python is a symlink."""
    return sys.executable


def inkslop_command() -> list[str]:
    """The `inkslop` console script of the running environment, as a user types it; if the
    environment has none, `python -m inkslop`."""
    script = Path(python()).parent / "inkslop"
    return [str(script)] if script.exists() else [python(), "-m", "inkslop"]


def measured_env() -> dict[str, str]:
    """The environment of every measured process: this machine's, except that byte-code
    is written and read, as on a user's machine after the first run.

    This workplace sets PYTHONDONTWRITEBYTECODE=1, which would make every run compile
    every module of an editable checkout; it is removed. PYTHONPYCACHEPREFIX sends the
    byte-code to bench/.cache/pycache, so that nothing is written outside bench/ (the
    interpreter then reads byte-code only from there, for the bare `python -c pass` and
    the Python peers alike, so the comparison stays fair)."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(PYCACHE)
    env.setdefault("NO_COLOR", "1")
    env.pop("INKSLOP_CACHE_DIR", None)  # the result cache where a user's would be
    return env


def peer(name: str, peers: Path | None = None) -> str | None:
    """A peer's command: in `peers` (run_all.py passes the directory of its own interpreter,
    where `pip install -r bench/requirements.txt` put them), next to the running
    interpreter, else on PATH; None if absent."""
    for directory in (peers, Path(python()).parent):
        if directory is not None and (directory / name).exists():
            return str((directory / name).absolute())  # the commands run in other folders
    return shutil.which(name)


def version_of(command: list[str]) -> str:
    try:
        out = subprocess.run(command, capture_output=True, text=True, timeout=60,
                             env=measured_env(), check=False)
    except (OSError, subprocess.TimeoutExpired):
        return "unknown"
    text = (out.stdout or out.stderr).strip().splitlines()
    return text[0].strip() if text else "unknown"


class CommandFailed(RuntimeError):
    pass


def time_once(command: Sequence[str], cwd: Path, allowed: Sequence[int] = (0,)) -> float:
    """Wall time of one whole process in seconds (perf_counter around subprocess.run,
    output discarded); its exit status must be one of `allowed`."""
    start = time.perf_counter()
    result = subprocess.run(list(command), cwd=cwd, env=measured_env(),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    elapsed = time.perf_counter() - start
    if result.returncode not in allowed:
        raise CommandFailed(f"exit status {result.returncode}: {shown_command(command)}")
    return elapsed


def paired_rounds(commands: dict[str, list[str]], cwd: Path, rounds: int, warmup: int,
                  allowed: dict[str, Sequence[int]] | None = None,
                  progress: str = "", budget: float = float("inf"),
                  least: int = 5) -> dict[str, list[float]]:
    """Interleaved rounds: every command once per round, the order rotated from round to
    round, so that a change in the machine's load touches all of them alike. Returns the
    seconds of each command, one entry per round (index i of each list = round i).

    After `budget` seconds of measured rounds no new round starts (once `least` rounds
    are done): a loaded machine gets fewer rounds, not a longer run."""
    names = list(commands)
    allowed = allowed or {}
    for _ in range(warmup):
        for name in names:
            time_once(commands[name], cwd, allowed.get(name, (0,)))
    times: dict[str, list[float]] = {name: [] for name in names}
    start = time.perf_counter()
    for number in range(rounds):
        if number >= least and time.perf_counter() - start > budget:
            break
        shift = number % len(names)
        for name in names[shift:] + names[:shift]:
            times[name].append(time_once(commands[name], cwd, allowed.get(name, (0,))))
        if progress:
            print(f"{progress}: round {number + 1}/{rounds}", file=sys.stderr, flush=True)
    return times


# ---- statistics -----------------------------------------------------------------------------

@dataclass
class Spread:
    """A figure over rounds: the median, the interquartile range and the extremes."""
    median: float
    q1: float
    q3: float
    low: float
    high: float
    n: int

    @classmethod
    def of(cls, values: Sequence[float]) -> Spread:
        ordered = sorted(values)
        if len(ordered) >= 2:
            q1, _, q3 = statistics.quantiles(ordered, n=4, method="inclusive")
        else:
            q1 = q3 = ordered[0]
        return cls(statistics.median(ordered), q1, q3, ordered[0], ordered[-1], len(ordered))

    def text(self, digits: int = 2, unit: str = "") -> str:
        """'8.21× (IQR 8.10–8.35, min–max 7.9–8.6, 40 rounds)'"""
        f = f"{{:.{digits}f}}"
        return (f"{f.format(self.median)}{unit} (IQR {f.format(self.q1)}–{f.format(self.q3)}, "
                f"min–max {f.format(self.low)}–{f.format(self.high)}, n={self.n})")

    def iqr(self, digits: int = 2) -> str:
        f = f"{{:.{digits}f}}"
        return f"{f.format(self.q1)}–{f.format(self.q3)}"

    def range(self, digits: int = 2) -> str:
        f = f"{{:.{digits}f}}"
        return f"{f.format(self.low)}–{f.format(self.high)}"


def ratios(numerator: Sequence[float], denominator: Sequence[float]) -> list[float]:
    """Round by round: the ratio of two commands timed in the same round."""
    return [a / b for a, b in zip(numerator, denominator, strict=True)]


def percentile(values: Sequence[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


# ---- the machine, in words ------------------------------------------------------------------

def cpu_model() -> str:
    """'AMD EPYC (family 25, model 1, 2445 MHz)': the model name, and the family, model and
    clock that tell apart CPUs a virtual machine names alike."""
    fields: dict[str, str] = {}
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            key, _, value = line.partition(":")
            fields.setdefault(key.strip(), value.strip())
    except OSError:
        pass
    name = fields.get("model name") or platform.processor() or platform.machine() or "unknown CPU"
    details = [f"{label} {fields[key]}" for key, label in (("cpu family", "family"),
                                                          ("model", "model")) if key in fields]
    if "cpu MHz" in fields:
        details.append(f"{float(fields['cpu MHz']):.0f} MHz")
    return f"{name} ({', '.join(details)})" if details else name


def memory_gib() -> float | None:
    try:
        for line in Path("/proc/meminfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) / 1024 / 1024
    except OSError:
        pass
    return None


def os_name() -> str:
    pretty = ""
    try:
        for line in Path("/etc/os-release").read_text(encoding="utf-8").splitlines():
            if line.startswith("PRETTY_NAME="):
                pretty = line.split("=", 1)[1].strip().strip('"')
    except OSError:
        pass
    kernel = f"{platform.system()} {platform.release()}"
    return f"{pretty}, kernel {kernel}" if pretty else kernel


def virtualised() -> str:
    try:
        if "hypervisor" in Path("/proc/cpuinfo").read_text(encoding="utf-8"):
            return ", a virtual machine"
    except OSError:
        pass
    return ""


def machine() -> dict[str, str]:
    memory = memory_gib()
    return {
        "CPU": cpu_model() + virtualised(),
        "cores": f"{os.cpu_count()} logical CPUs",
        "memory": f"{memory:.0f} GiB" if memory else "unknown",
        "OS": os_name(),
        "Python": f"{platform.python_implementation()} {platform.python_version()}",
    }


def machine_line() -> str:
    m = machine()
    return (f"{m['CPU']}, {m['cores']}, {m['memory']} of memory, {m['OS']}, "
            f"{m['Python']}")


def load() -> str:
    one, five, _ = os.getloadavg()
    return f"{one:.2f} (1 min), {five:.2f} (5 min)"


def source_revision() -> str:
    """The commit measured, read-only git; 'with uncommitted changes' if the tree is dirty."""
    try:
        head = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
                              capture_output=True, text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(ROOT), "status", "--porcelain",
                                "--untracked-files=no"],
                               capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return head + (" with uncommitted changes" if dirty else "")


def inkslop_version() -> str:
    try:
        from importlib.metadata import version
        return version("inkslop")
    except Exception:  # noqa: BLE001 - a report line, never a failure
        return "unknown"


# ---- naming things without machine paths ----------------------------------------------------

def shown_path(path: str | Path) -> str:
    """A path for a report: relative to the repository if inside it, else its last part."""
    path = Path(path)
    try:
        return str(path.absolute().relative_to(ROOT))
    except ValueError:
        pass
    return path.name


def shown_command(command: Sequence[str]) -> str:
    """A command for a report: programs by their name (`inkslop`, `ruff`, `python`),
    files inside the repository relative to it, other files by their name."""
    words = []
    for index, word in enumerate(command):
        if os.sep in word:
            if index == 0:
                name = Path(word).name
                words.append("python" if name.startswith("python") else name)
            else:
                words.append(shown_path(word))
        else:
            words.append(word if word and " " not in word else repr(word))
    return " ".join(words)


def peers_option(peers: Path | None) -> str:
    """` --peers DIR` for a command to reproduce a figure, if the peers were looked up there."""
    return f" --peers {shown_path(peers)}" if peers else ""


def runner() -> str:
    """How this interpreter is named in a command to reproduce a figure."""
    shown = shown_path(python())
    return shown if shown != Path(python()).name else "python3"


# ---- figures handed to bench/run_all.py -----------------------------------------------------

@dataclass
class Figure:
    """One figure of the summary: what, the value, its spread, the command that reproduces it."""
    measure: str
    value: str
    spread: str
    command: str
    peers: str = ""
    extra: dict[str, float] = field(default_factory=dict)
    goal: str = ""  # issue 14's goal for this figure, in words
    target: list = field(default_factory=list)  # the goal as [key of extra, "<=" or ">=", limit]
    measured: str = ""  # what the goal is about, when it is not `value` (e.g. a ratio to ruff)

    def verdict(self) -> str:
        """'met', or how far the figure is from its goal, as a factor."""
        if not self.target:
            return "—"
        key, operator, limit = self.target
        value = self.extra[key]
        if (value <= limit) if operator == "<=" else (value >= limit):
            return "met"
        factor = value / limit if operator == "<=" else limit / value
        return f"not met: {factor:.1f}× from the goal"


def write_figures(path: str | None, figures: list[Figure]) -> None:
    if path:
        Path(path).write_text(json.dumps([asdict(f) for f in figures], indent=1,
                                         ensure_ascii=False), encoding="utf-8")


def read_figures(path: Path) -> list[Figure]:
    if not path.exists():
        return []
    return [Figure(**item) for item in json.loads(path.read_text(encoding="utf-8"))]


# ---- the library's public API ---------------------------------------------------------------

def public(name: str):
    """`inkslop.<name>`, the public function, and a note if it had to be looked up another
    way. Only the public names are used (`import inkslop; inkslop.parse(...)`): internal
    module paths may move.

    A stage's name is also its subpackage's (`inkslop.estimate`); the subpackage is
    callable as the function (inkslop.callable_stage). Should a name ever be a module that
    cannot be called, the function is taken from the package's own table of lazy exports
    (`inkslop.__getattr__`), and the note says so in the report."""
    import inkslop

    getattr(inkslop, name)  # the first access may import the same-named subpackage
    again = getattr(inkslop, name)
    if callable(again):
        return again, ""
    return inkslop.__getattr__(name), (
        f"`inkslop.{name}` is a module that cannot be called in this tree; the benchmark "
        f"took the function from `inkslop.__getattr__`.")
