"""Start-up time of `inkslop check` on one small file, as a whole process.

What it measures
----------------
The wall time of a complete, cold process (a new interpreter each time; the OS
file cache is warm and byte-code exists, as for someone who runs the command
repeatedly, e.g. from pre-commit) for:

- `python -c pass`, the bare interpreter, the yardstick;
- (a) `inkslop check small.inkslop`, a small script without front matter;
- (b) `inkslop check front.inkslop`, the same script with TOML front matter
  (this path imports tomllib and pydantic to validate the front matter);
- (c) `python -c "import click"`, for reference: the command-line library alone.

The four commands are interleaved (one of each per round, the order rotated
from round to round) so that a change in the machine's load affects them all
alike. Each is timed with `time.perf_counter()` around `subprocess.run`, output
discarded. The table gives the median and the 90th percentile in milliseconds
and each median (and p90) as a multiple of `python -c pass`'s.

What it runs
------------
By default an installed wheel, never the editable checkout: it builds the wheel
(`python -m build --wheel`) into a temporary directory, creates a fresh virtual
environment there, and installs the wheel with pip (which compiles .pyc files).
This machine sets PYTHONDONTWRITEBYTECODE=1; it is removed from the environment
of pip and of every measured process, so that byte-code is written and used as
on a user's machine. `--python PATH` measures an existing environment instead
(its `inkslop` command is the one next to PATH).

With `--profile-runs N` (default 15, 0 to skip) it then shows what the start-up
is made of, for (a) and (b), each figure the median of N fresh processes:

- the steps of the command timed inside one process (imports, settings, first
  parse, first check), by a probe that takes the command's steps in its order;
- `python -X importtime`: each module's own import time, charged to a group:
  the interpreter's start-up (what `python -c pass` imports too), typing, and
  otherwise the nearest third-party or inkslop module that caused the import
  (click, the Lark standalone parser, inkslop's own modules, pydantic), so that a
  standard-library module counts for whoever pulled it in.

Run
---
    /tmp/dev/bin/python bench/startup.py                 # build, install, measure
    /tmp/dev/bin/python bench/startup.py --runs 100
    /tmp/dev/bin/python bench/startup.py --python /path/to/venv/bin/python

The running interpreter needs `build` (and network access to PyPI for the
build's isolated environment and for installing click and pydantic).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent

SMALL = """\
[music file="music/Carefree.opus" volume="0.3" fit="loop"]
[tts engine="kokoro_tts" voice="af_heart" subtitles="true"]
Did you know the mantis shrimp can punch with the force of a bullet?
Their eyes can see 16 types of colour receptors. Humans have only 3.
[/tts]
[/music]
"""

FRONT_MATTER = """\
+++
video_name = "mantis-shrimp"
resolution = "9:16"
notify_on_complete = true

[publish]
channel_id = 3
privacy = "public"
ai_generate_meta = true
+++
"""

TARGET_RATIO = 6.0  # the project's target: `inkslop check` within 6 x `python -c pass`

PYDANTIC_STACK = {"pydantic", "pydantic_core", "annotated_types", "typing_extensions",
                  "typing_inspection"}


def measured_env() -> dict[str, str]:
    """The environment of pip and of the measured processes: this machine's,
    without PYTHONDONTWRITEBYTECODE, so that byte-code is written and used."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def run_checked(command: list[str], **kwargs: Any) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(command, check=False, capture_output=True, text=True, **kwargs)
    if result.returncode != 0:
        sys.exit(f"failed ({result.returncode}): {' '.join(map(str, command))}\n"
                 f"{result.stdout}{result.stderr}")
    return result


def build_environment(work: Path) -> tuple[Path, str]:
    """Build the wheel, create a fresh venv, install the wheel; return its python."""
    dist = work / "dist"
    print(f"building the wheel from {REPO} ...", file=sys.stderr)
    run_checked([sys.executable, "-m", "build", "--wheel", "--outdir", str(dist), str(REPO)])
    wheels = sorted(dist.glob("*.whl"))
    if len(wheels) != 1:
        sys.exit(f"expected one wheel in {dist}, found {wheels}")
    venv = work / "venv"
    print(f"creating {venv} and installing {wheels[0].name} ...", file=sys.stderr)
    run_checked([sys.executable, "-m", "venv", str(venv)])
    python = venv / "bin" / "python"
    run_checked([str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                 str(wheels[0])], env=measured_env())
    return python, wheels[0].name


BYTECODE_PROBE = """
import importlib.util, pathlib, sys
import click, inkslop
for package in (inkslop, click):
    root = pathlib.Path(package.__file__).parent
    sources = list(root.rglob("*.py"))
    compiled = [p for p in sources if pathlib.Path(importlib.util.cache_from_source(p)).exists()]
    print(f"{package.__name__}: {len(compiled)} of {len(sources)} modules have byte-code "
          f"({root})")
"""


def bytecode_report(python: Path) -> str:
    # -B: the probe itself must not write the byte-code it looks for.
    return run_checked([str(python), "-B", "-c", BYTECODE_PROBE]).stdout.strip()


def time_once(command: list[str], cwd: Path) -> float:
    """Wall time of one process, in milliseconds; it must exit with status 0."""
    start = time.perf_counter()
    result = subprocess.run(command, check=False, cwd=cwd, env=measured_env(),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    elapsed = (time.perf_counter() - start) * 1000
    if result.returncode != 0:
        sys.exit(f"exit status {result.returncode}: {' '.join(command)}")
    return elapsed


def percentile_90(values: list[float]) -> float:
    return statistics.quantiles(values, n=10)[8]


def importtime(command: list[str], cwd: Path) -> list[tuple[int, str, int]]:
    """One run under -X importtime: (nesting level, module, own time in us), in the
    order Python prints them (a module after the modules it imported)."""
    result = subprocess.run(command, check=False, cwd=cwd, env=measured_env(),
                            capture_output=True, text=True)
    entries = []
    for line in result.stderr.splitlines():
        if not line.startswith("import time:") or "self [us]" in line:
            continue
        self_us, _cumulative, name = line[len("import time:"):].split("|")
        level = (len(name) - len(name.lstrip(" ")) - 1) // 2
        entries.append((level, name.strip(), int(self_us)))
    return entries


def importers(entries: list[tuple[int, str, int]]) -> list[int | None]:
    """The index of the module that imported each entry (None: the script itself)."""
    parent: list[int | None] = [None] * len(entries)
    pending: list[tuple[int, int]] = []  # (level, index) of modules whose importer is not seen yet
    for index, (level, _, _) in enumerate(entries):
        while pending and pending[-1][0] > level:
            parent[pending.pop()[1]] = index
        pending.append((level, index))
    return parent


# The groups that import time is charged to, with what each holds.
GROUPS = {
    "interpreter": "what `python -c pass` imports too (encodings, site, ...)",
    "typing": "the `typing` module alone, whoever imports it first",
    "click": "click and the standard-library modules it imports first",
    "Lark parser": "`inkslop._lark_parser`, Lark's standalone parser, and what it imports first",
    "inkslop": "inkslop's other modules and what they import first",
    "pydantic": "pydantic, pydantic_core, annotated_types, typing_extensions, typing_inspection "
                "and what they import first",
    "script, run time": "imported by the console script itself (`re`, with the `enum`, "
                        "`functools` and `collections` it needs) or lazily at run time "
                        "(`pathlib`, `tomllib`)",
}


def group_of(index: int, entries: list[tuple[int, str, int]], parent: list[int | None],
             bare_modules: set[str]) -> str:
    """The group a module's own import time is charged to: the interpreter's own
    start-up, typing, or else the nearest inkslop or third-party module that
    caused the import (so a standard-library module is charged to its importer)."""
    module = entries[index][1]
    if module in bare_modules:
        return "interpreter"
    if module == "typing":
        return "typing"
    current: int | None = index
    while current is not None:
        cause = entries[current][1]
        top = cause.split(".")[0]
        if cause == "inkslop._lark_parser":
            return "Lark parser"
        if top == "inkslop":
            return "inkslop"
        if top == "click":
            return "click"
        if top in PYDANTIC_STACK:
            return "pydantic"
        current = parent[current]
    return "script, run time"


def import_profile(python: Path, inkslop: Path, cases: dict[str, str], cwd: Path,
                   bare: set[str], runs: int
                   ) -> dict[str, tuple[dict[str, float], dict[str, tuple[float, str]]]]:
    """For each case (a script to check): the median over runs of the own import
    time (ms) per group and per module. The cases are interleaved, run by run."""
    by_group: dict[str, list[dict[str, float]]] = {case: [] for case in cases}
    by_module: dict[str, list[dict[str, tuple[float, str]]]] = {case: [] for case in cases}
    for _ in range(runs):
        for case, script in cases.items():
            entries = importtime([str(python), "-X", "importtime", str(inkslop), "check", script],
                                 cwd)
            parent = importers(entries)
            groups: dict[str, float] = {}
            modules: dict[str, tuple[float, str]] = {}
            for index, (_, module, self_us) in enumerate(entries):
                group = group_of(index, entries, parent, bare)
                groups[group] = groups.get(group, 0.0) + self_us / 1000
                modules[module] = (self_us / 1000, group)
            by_group[case].append(groups)
            by_module[case].append(modules)
    result = {}
    for case in cases:
        group_runs, module_runs = by_group[case], by_module[case]
        group_names = {g for run in group_runs for g in run}
        module_names = {m for run in module_runs for m in run}
        result[case] = (
            {g: statistics.median(run.get(g, 0.0) for run in group_runs) for g in group_names},
            {m: (statistics.median(run[m][0] if m in run else 0.0 for run in module_runs),
                 next(run[m][1] for run in module_runs if m in run)) for m in module_names},
        )
    return result


# Times the steps of `inkslop check FILE` inside one fresh process, in the order the
# command takes them (see inkslop/cli/check_command.py). Prints one line per step.
PHASES_PROBE = """
import sys, time
clock = time.perf_counter
path = sys.argv[1]
t0 = clock()
import inkslop.cli
t1 = clock()
import inkslop.cli.check_command
from inkslop.checker import check
from inkslop.config import settings_for
from inkslop.parser import parse
from inkslop.sources import read_source
import pathlib
t2 = clock()
settings = settings_for(pathlib.Path(path).resolve())
text = read_source(pathlib.Path(path))
t3 = clock()
document = parse(text, settings.schema)
t4 = clock()
check(document, settings)
t5 = clock()
check(parse(text, settings.schema), settings)
t6 = clock()
for step, seconds in [
        ("import inkslop.cli (click, the command group)", t1 - t0),
        ("import the check command, checker, parser, config, sources", t2 - t1),
        ("find the settings (configuration search, built-in schema), read the file", t3 - t2),
        ("first parse (builds the Lark parser from its tables)", t4 - t3),
        ("first check (with front matter: imports pydantic, builds the models)", t5 - t4),
        ("for comparison: parse and check again, all warm", t6 - t5)]:
    print(f"{seconds * 1000:.3f}\t{step}")
"""


def phases(python: Path, cases: dict[str, str], cwd: Path, runs: int
           ) -> dict[str, dict[str, float]]:
    """For each case (a script to check): the median over runs of each step's time
    (ms), each run a fresh process. The cases are interleaved, run by run."""
    samples: dict[str, dict[str, list[float]]] = {case: {} for case in cases}
    for _ in range(runs):
        for case, script in cases.items():
            out = run_checked([str(python), "-c", PHASES_PROBE, script], cwd=cwd,
                              env=measured_env())
            for line in out.stdout.splitlines():
                ms, step = line.split("\t")
                samples[case].setdefault(step, []).append(float(ms))
    return {case: {step: statistics.median(values) for step, values in steps.items()}
            for case, steps in samples.items()}


def source_revision() -> str:
    try:
        head = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"],
                              capture_output=True, text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(REPO), "status", "--porcelain"],
                               capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return head + (" with uncommitted changes" if dirty else "")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--python", help="measure this environment's python and its `inkslop` "
                        "instead of building and installing the wheel")
    parser.add_argument("--runs", type=int, default=60, help="rounds (one run of each command)")
    parser.add_argument("--warmup", type=int, default=3, help="unmeasured rounds first")
    parser.add_argument("--profile-runs", type=int, default=15,
                        help="fresh processes per case for the step timings and for "
                        "-X importtime (0: skip both)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="inkslop-startup-") as temporary:
        work = Path(temporary)
        if args.python:
            python, installed = Path(os.path.abspath(args.python)), "an existing environment"
        else:
            python, wheel = build_environment(work)
            installed = f"{wheel}, installed by pip into a fresh venv"
        inkslop = python.parent / "inkslop"
        if not inkslop.exists():
            sys.exit(f"no `inkslop` command next to {python}")

        # The scripts live in the temporary directory: no configuration file is
        # found above them, so `check` uses the built-in settings.
        scripts = work / "scripts"
        scripts.mkdir()
        (scripts / "small.inkslop").write_text(SMALL, encoding="utf-8")
        (scripts / "front.inkslop").write_text(FRONT_MATTER + SMALL, encoding="utf-8")

        commands = {
            "`python -c pass`": [str(python), "-c", "pass"],
            "(a) `inkslop check small.inkslop`": [str(inkslop), "check", "small.inkslop"],
            "(b) `inkslop check front.inkslop` (front matter)":
                [str(inkslop), "check", "front.inkslop"],
            '(c) `python -c "import click"`': [str(python), "-c", "import click"],
        }
        for name in ("small.inkslop", "front.inkslop"):
            out = subprocess.run([str(inkslop), "check", name], check=False, cwd=scripts,
                                 env=measured_env(), capture_output=True, text=True)
            if out.returncode != 0 or "All checks passed" not in out.stdout:
                sys.exit(f"`inkslop check {name}` did not pass cleanly:\n{out.stdout}{out.stderr}")

        version = run_checked([str(python), "-c", "import sys; print(sys.version.split()[0])"])
        bytecode = bytecode_report(python)

        names = list(commands)
        for _ in range(args.warmup):
            for name in names:
                time_once(commands[name], scripts)
        load_before = os.getloadavg()[0]
        times: dict[str, list[float]] = {name: [] for name in names}
        for round_number in range(args.runs):
            shift = round_number % len(names)
            for name in names[shift:] + names[:shift]:
                times[name].append(time_once(commands[name], scripts))
        load_after = os.getloadavg()[0]

        print("## inkslop start-up\n")
        print(f"- measured: {installed}")
        if not args.python:
            print(f"- source: {REPO} at {source_revision()}")
        print(f"- interpreter: {python} (Python {version.stdout.strip()})")
        whose = "the measured processes" if args.python else "pip and of the measured processes"
        print(f"- PYTHONDONTWRITEBYTECODE (set on this machine) was removed from the environment "
              f"of {whose}, so byte-code exists and is used:")
        for line in bytecode.splitlines():
            print(f"  - {line}")
        print(f"- {args.runs} interleaved rounds after {args.warmup} warm-up rounds; "
              f"load average {load_before:.2f} before, {load_after:.2f} after\n")

        bare_median = statistics.median(times[names[0]])
        bare_p90 = percentile_90(times[names[0]])
        print("| command | median (ms) | p90 (ms) | median / bare | p90 / bare |")
        print("|---|---:|---:|---:|---:|")
        for name in names:
            median, p90 = statistics.median(times[name]), percentile_90(times[name])
            print(f"| {name} | {median:.1f} | {p90:.1f} | {median / bare_median:.2f} | "
                  f"{p90 / bare_p90:.2f} |")
        print()
        for name in names[1:3]:
            ratio = statistics.median(times[name]) / bare_median
            verdict = "meets" if ratio <= TARGET_RATIO else "misses"
            print(f"- {name.split(' ')[0]} median ratio {ratio:.2f}: {verdict} the target of "
                  f"{TARGET_RATIO:g} x the bare interpreter")

        if args.profile_runs:
            print(f"\n### Where the time goes, step by step (in one process, median of "
                  f"{args.profile_runs} fresh processes, ms)\n")
            cases = {"(a)": "small.inkslop", "(b)": "front.inkslop"}
            steps = phases(python, cases, scripts, args.profile_runs)
            print("| step | (a) no front matter | (b) front matter |")
            print("|---|---:|---:|")
            for step in steps["(a)"]:
                print(f"| {step} | {steps['(a)'][step]:.1f} | {steps['(b)'][step]:.1f} |")
            print("\n(The interpreter's own start-up, the console script and the report's "
                  "output are not in these steps.)")

            bare = {module for _, module, _ in
                    importtime([str(python), "-X", "importtime", "-c", "pass"], scripts)}
            profiles = import_profile(python, inkslop, cases, scripts, bare, args.profile_runs)
            print(f"\n### Import time by cause (`-X importtime`, own time of each module, "
                  f"median of {args.profile_runs} runs, ms)\n")
            for group, description in GROUPS.items():
                print(f"- {group}: {description}")
            print()
            print("| group | (a) no front matter | (b) front matter |")
            print("|---|---:|---:|")
            groups_a, groups_b = profiles["(a)"][0], profiles["(b)"][0]
            for group in sorted(set(groups_a) | set(groups_b),
                                key=lambda g: -groups_b.get(g, 0.0)):
                print(f"| {group} | {groups_a.get(group, 0.0):.1f} | "
                      f"{groups_b.get(group, 0.0):.1f} |")
            print(f"| **all imports** | **{sum(groups_a.values()):.1f}** | "
                  f"**{sum(groups_b.values()):.1f}** |")
            print("\n### The 20 slowest modules to import, own time (ms)\n")
            print("| module | charged to | (a) | (b) |")
            print("|---|---|---:|---:|")
            modules_a, modules_b = profiles["(a)"][1], profiles["(b)"][1]
            for module in sorted(modules_b, key=lambda m: -modules_b[m][0])[:20]:
                own_a = modules_a[module][0] if module in modules_a else 0.0
                print(f"| {module} | {modules_b[module][1]} | {own_a:.1f} | "
                      f"{modules_b[module][0]:.1f} |")
            print("\n(-X importtime adds overhead of its own: these figures show shares, "
                  "not the wall times above.)")

if __name__ == "__main__":
    main()
