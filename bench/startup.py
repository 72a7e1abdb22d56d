"""Start-up of `inkslop check` on one small file, as a whole process, against its peers.

What it measures
----------------
The wall time of complete, cold processes (a new process each time; the OS file cache
is warm and byte-code exists, as for someone who runs the command again and again,
e.g. from pre-commit), timed with `time.perf_counter()` around `subprocess.run`,
output discarded:

- `python -c pass`: the bare interpreter of the measured environment, the yardstick;
- `inkslop check small.inkslop`: a 6-line script without front matter;
- `inkslop check front.inkslop`: the same with 9 lines of TOML front matter;
- `ruff check --no-cache small.py`, `taplo lint small.toml`, `yamllint small.yaml`,
  `sqlfluff lint --dialect ansi small.sql`: the peers, each on a small clean file.

All commands run once per round, the order rotated from round to round (paired,
interleaved rounds): a change in the machine's load touches them all alike. For each
command the ratio to `python -c pass` *of the same round* is taken; the table gives
the median of those ratios and their spread over the rounds (interquartile range and
min–max). Every file passes its tool's check (exit status 0, checked first). The files
sit in a temporary directory with no configuration above them.

The Python peers (yamllint, sqlfluff) come from `pip install -r bench/requirements.txt`
into the project's venv, made from the same base interpreter as the measured one (the
report says whether it is); ruff and taplo are native programs.

Byte-code: this workplace sets PYTHONDONTWRITEBYTECODE=1. It is removed from the
environment of every measured process and PYTHONPYCACHEPREFIX points to bench/.cache,
so byte-code is written once (in the warm-up rounds) and then used, as on a user's
machine, without writing anything outside bench/.

Then, with `--importtime-runs N` (default 10; 0 to skip), `python -X importtime` of
both `inkslop check` variants, median own time of each module over N runs, grouped by
what caused the import, goes to `--importtime-file` (default
bench/results/importtime.md).

Run (from the repository root, with the project's venv)
-------------------------------------------------------
    .venv/bin/python bench/startup.py                # about 1.5 minutes
    .venv/bin/python bench/startup.py --rounds 100
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import (  # noqa: E402
    RESULTS,
    Figure,
    Spread,
    inkslop_command,
    load,
    machine_line,
    measured_env,
    paired_rounds,
    peer,
    peers_option,
    python,
    ratios,
    runner,
    shown_command,
    shown_path,
    write_figures,
)
from corpus import FRONT_MATTER, SMALL  # noqa: E402

TARGET = 6.0  # issue 14: `inkslop check` within 6 × `python -c pass`

FILES = {
    "small.inkslop": SMALL,
    "front.inkslop": FRONT_MATTER + SMALL,
    "small.py": ('"""A small module."""\n\nimport os\n\n\ndef main() -> str:\n'
                 "    return os.getcwd()\n"),
    "small.toml": ('title = "demo"\n\n[owner]\nname = "Tom"\nnumbers = [1, 2, 3]\n\n'
                   '[server]\nhost = "localhost"\nport = 8080\n'),
    "small.yaml": "---\nname: demo\nitems:\n  - one\n  - two\nnested:\n  key: value\n",
    "small.sql": "SELECT\n    a,\n    b\nFROM t\nWHERE a = 1\n",
}


def commands(peers: Path | None) -> tuple[dict[str, list[str]], list[str]]:
    """The measured commands by name, and the peers that are missing."""
    inkslop = inkslop_command()
    # The headline runs check the file for real each time (`--no-cache`, as for a file
    # that changed); the default runs, served from the result cache after the first, too.
    found = {
        "bare": [python(), "-c", "pass"],
        "inkslop": [*inkslop, "check", "--no-cache", "small.inkslop"],
        "inkslop, front matter": [*inkslop, "check", "--no-cache", "front.inkslop"],
        "inkslop, cached": [*inkslop, "check", "small.inkslop"],
        "inkslop, front matter, cached": [*inkslop, "check", "front.inkslop"],
    }
    missing = []
    wanted = {
        "ruff": ("ruff", ["check", "--no-cache", "small.py"]),
        "taplo": ("taplo", ["lint", "small.toml"]),
        "yamllint": ("yamllint", ["small.yaml"]),
        "sqlfluff": ("sqlfluff", ["lint", "--dialect", "ansi", "small.sql"]),
    }
    for name, (program, arguments) in wanted.items():
        command = peer(program, peers)
        if command is None:
            missing.append(name)
        else:
            found[name] = [command, *arguments]
    return found, missing


# ---- -X importtime ----------------------------------------------------------------------------

PYDANTIC = {"pydantic", "pydantic_core", "annotated_types", "typing_extensions",
            "typing_inspection"}

GROUPS = {
    "interpreter": "what `python -c pass` imports too (encodings, site, ...)",
    "typing": "the `typing` module alone, whoever imports it first",
    "click": "click and the standard-library modules it imports first",
    "Lark parser": "inkslop's generated Lark standalone parser (`*._lark_parser`) and what it "
                   "imports first",
    "inkslop": "inkslop's other modules and what they import first",
    "pydantic": "pydantic, pydantic_core, annotated_types, typing_extensions, typing_inspection "
                "and what they import first",
    "other third-party": "any other installed package (rich, platformdirs, ...) and what it "
                         "imports first",
    "script, run time": "imported by the console script itself or lazily at run time by the "
                        "standard library",
}


def importtime(command: list[str], cwd: Path) -> list[tuple[int, str, int]]:
    """One run under -X importtime: (nesting level, module, own µs), in Python's order
    (a module after the modules it imported)."""
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
    pending: list[tuple[int, int]] = []
    for index, (level, _, _) in enumerate(entries):
        while pending and pending[-1][0] > level:
            parent[pending.pop()[1]] = index
        pending.append((level, index))
    return parent


def stdlib_names() -> set[str]:
    return set(sys.stdlib_module_names) | {"_frozen_importlib", "_frozen_importlib_external"}


def group_of(index: int, entries: list[tuple[int, str, int]], parent: list[int | None],
             bare: set[str], stdlib: set[str]) -> str:
    module = entries[index][1]
    if module in bare:
        return "interpreter"
    if module == "typing":
        return "typing"
    current: int | None = index
    while current is not None:
        cause = entries[current][1]
        top = cause.split(".")[0]
        if top == "inkslop" and cause.rsplit(".", 1)[-1] == "_lark_parser":
            return "Lark parser"
        if top == "inkslop":
            return "inkslop"
        if top == "click":
            return "click"
        if top in PYDANTIC:
            return "pydantic"
        if top not in stdlib and not top.startswith("_"):
            return "other third-party"
        current = parent[current]
    return "script, run time"


def imported_by(index: int, entries: list[tuple[int, str, int]], parent: list[int | None]) -> str:
    """The first module outside the entry's own package on its chain of importers."""
    top = entries[index][1].split(".")[0]
    current = parent[index]
    while current is not None:
        if entries[current][1].split(".")[0] != top:
            return entries[current][1]
        current = parent[current]
    return "(the script)"


def import_profile(cases: dict[str, list[str]], cwd: Path, runs: int
                   ) -> tuple[dict[str, dict[str, float]], dict[str, dict[str, tuple[float, str]]]]:
    """Per case: the median own import time (ms) per group, and per module (with its
    group). The cases are interleaved, run by run."""
    bare = {module for _, module, _ in importtime([python(), "-X", "importtime", "-c", "pass"],
                                                  cwd)}
    stdlib = stdlib_names()
    groups: dict[str, list[dict[str, float]]] = {case: [] for case in cases}
    modules: dict[str, list[dict[str, tuple[float, str]]]] = {case: [] for case in cases}
    for _ in range(runs):
        for case, command in cases.items():
            entries = importtime(command, cwd)
            parent = importers(entries)
            run_groups: dict[str, float] = {}
            run_modules: dict[str, tuple[float, str]] = {}
            for index, (_, module, self_us) in enumerate(entries):
                group = group_of(index, entries, parent, bare, stdlib)
                run_groups[group] = run_groups.get(group, 0.0) + self_us / 1000
                cause = imported_by(index, entries, parent)
                run_modules[module] = (self_us / 1000, f"{group}; via `{cause}`")
            groups[case].append(run_groups)
            modules[case].append(run_modules)
    by_group, by_module = {}, {}
    for case in cases:
        names = {g for run in groups[case] for g in run}
        by_group[case] = {g: statistics.median(run.get(g, 0.0) for run in groups[case])
                          for g in names}
        names = {m for run in modules[case] for m in run}
        by_module[case] = {
            m: (statistics.median(run[m][0] if m in run else 0.0 for run in modules[case]),
                next(run[m][1] for run in modules[case] if m in run)) for m in names}
    return by_group, by_module


def importtime_report(cases: dict[str, list[str]], cwd: Path, runs: int, top: int) -> str:
    by_group, by_module = import_profile(cases, cwd, runs)
    names = list(cases)
    lines = [
        "# `-X importtime` of `inkslop check`", "",
        f"Written by `{runner()} bench/startup.py`. Median over {runs} runs of the own "
        "import time of each module (ms), charged to a group by what caused the import "
        "(a standard-library module counts for whoever imported it first). `-X importtime` "
        "adds overhead of its own: read shares, not wall times.", "",
        *(f"- `{case}`: `{shown_command(cases[case])}`" for case in names), "",
        "## By group", "",
        *(f"- {group}: {text}" for group, text in GROUPS.items()), "",
        "| group | " + " | ".join(names) + " |",
        "|---|" + "---:|" * len(names),
    ]
    everything = sorted({g for case in names for g in by_group[case]},
                        key=lambda g: -max(by_group[c].get(g, 0.0) for c in names))
    for group in everything:
        lines.append(f"| {group} | "
                     + " | ".join(f"{by_group[c].get(group, 0.0):.1f}" for c in names) + " |")
    lines.append("| **all imports** | "
                 + " | ".join(f"**{sum(by_group[c].values()):.1f}**" for c in names) + " |")
    lines += ["", f"## The {top} slowest modules, own time (ms)", "",
              "| module | charged to; first importer outside its package | "
              + " | ".join(names) + " |",
              "|---|---|" + "---:|" * len(names)]
    every_module = {m for case in names for m in by_module[case]}
    ranked = sorted(every_module,
                    key=lambda m: -max(by_module[c].get(m, (0.0, ""))[0] for c in names))
    for module in ranked[:top]:
        group = next(by_module[c][module][1] for c in names if module in by_module[c])
        lines.append(f"| {module} | {group} | "
                     + " | ".join(f"{by_module[c].get(module, (0.0, ''))[0]:.1f}"
                                  for c in names) + " |")
    for case in names:
        count = len(by_module[case])
        lines.append("")
        lines.append(f"`{case}` imports {count} modules in all.")
    return "\n".join(lines) + "\n"


BASE_PROBE = "import os, sys; print(sys.version.split()[0]); print(os.path.realpath(sys._base_executable))"


def same_interpreter(command: list[str]) -> str:
    """Whether a Python peer's console script runs on this benchmark's base interpreter."""
    try:
        first = Path(command[0]).read_text(encoding="utf-8", errors="replace").splitlines()[0]
    except (OSError, IndexError):
        return "unknown"
    if not first.startswith("#!"):
        return "not a Python script"
    interpreter = first[2:].strip().split()[0]
    probe = [[interpreter, "-c", BASE_PROBE], [python(), "-c", BASE_PROBE]]
    theirs, ours = (subprocess.run(c, capture_output=True, text=True, check=False,
                                   env=measured_env()).stdout.split() for c in probe)
    if theirs == ours:
        return f"the same base interpreter (Python {ours[0]})"
    return (f"a different interpreter (Python {theirs[0] if theirs else '?'} against "
            f"{ours[0] if ours else '?'}): ratios not comparable")


def with_importtime(command: list[str]) -> list[str]:
    """The same command under `python -X importtime` (a console script is a Python file)."""
    if command[0] == python():
        return [python(), "-X", "importtime", *command[1:]]
    return [python(), "-X", "importtime", *command]


# ---- main -------------------------------------------------------------------------------------

def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=40, help="measured rounds (40)")
    parser.add_argument("--warmup", type=int, default=2, help="unmeasured rounds first (2)")
    parser.add_argument("--budget", type=float, default=100,
                        help="no new round after this many seconds of rounds (100)")
    parser.add_argument("--importtime-runs", type=int, default=10,
                        help="-X importtime runs per variant (10; 0 to skip)")
    parser.add_argument("--importtime-file", default=str(RESULTS / "importtime.md"))
    parser.add_argument("--peers", type=Path, help="directory of the peers' commands "
                        "(default: next to this interpreter, then PATH)")
    parser.add_argument("--figures", help="write the summary figures (JSON) here")
    args = parser.parse_args()

    found, missing = commands(args.peers)
    with tempfile.TemporaryDirectory(prefix="inkslop-startup-") as temporary:
        work = Path(temporary)
        for name, text in FILES.items():
            (work / name).write_text(text, encoding="utf-8")
        for name, command in found.items():
            out = subprocess.run(command, cwd=work, env=measured_env(), capture_output=True,
                                 text=True, check=False)
            if out.returncode != 0:
                sys.exit(f"`{shown_command(command)}` is not clean (exit {out.returncode}):\n"
                         f"{out.stdout}{out.stderr}")
        load_before = load()
        times = paired_rounds(found, work, args.rounds, args.warmup, progress="startup",
                              budget=args.budget)
        rounds = len(times["bare"])
        load_after = load()

        bare = times["bare"]
        lines = [
            "## Start-up: one small file, whole processes", "",
            f"`{runner()} bench/startup.py --rounds {args.rounds}`: {rounds} paired rounds "
            f"after {args.warmup} warm-up rounds, every command once per round, the order "
            "rotated; each ratio is taken against `python -c pass` of the same round. "
            f"Load average {load_before} before, {load_after} after.", "",
            "| command | median ms | ratio to `python -c pass` (median) | IQR of the ratio "
            "| min–max of the ratio |",
            "|---|---:|---:|---:|---:|",
        ]
        figures: list[Figure] = []
        spreads: dict[str, Spread] = {}
        for name, command in found.items():
            spread = Spread.of(ratios(times[name], bare))
            spreads[name] = spread
            lines.append(f"| `{shown_command(command)}` | {statistics.median(times[name]) * 1000:.1f}"
                         f" | {spread.median:.2f}× | {spread.iqr()} | {spread.range()} |")
        if missing:
            lines += ["", "Not measured (not installed): " + ", ".join(missing) + "."]
        bases = {name: same_interpreter(found[name]) for name in ("yamllint", "sqlfluff")
                 if name in found}
        if bases:
            lines += ["", "; ".join(f"{name} runs on {base}" for name, base in bases.items())
                      + "."]
        lines.append("")
        for name in ("inkslop", "inkslop, front matter"):
            verdict = "meets" if spreads[name].median <= TARGET else "misses"
            lines.append(f"- `{shown_command(found[name])}`: {spreads[name].median:.2f}× "
                         f"{verdict} the goal of ≤ {TARGET:g}×.")
        peers_text = ", ".join(f"{name} {spreads[name].median:.2f}× ({spreads[name].iqr()})"
                               for name in ("ruff", "taplo", "yamllint", "sqlfluff")
                               if name in spreads)
        command = f"{runner()} bench/startup.py{peers_option(args.peers)}"
        figures.append(Figure("cold `check` of a 6-line script (× `python -c pass`)",
                              f"{spreads['inkslop'].median:.2f}×",
                              f"IQR {spreads['inkslop'].iqr()}, min–max "
                              f"{spreads['inkslop'].range()}, {rounds} rounds",
                              command, peers_text,
                              {"ratio": spreads["inkslop"].median,
                               "bare_ms": statistics.median(bare) * 1000}, "≤ 6×",
                              ["ratio", "<=", TARGET]))
        front = spreads["inkslop, front matter"]
        figures.append(Figure("the same script with TOML front matter (× `python -c pass`)",
                              f"{front.median:.2f}×",
                              f"IQR {front.iqr()}, min–max {front.range()}, "
                              f"{rounds} rounds", command, "", {"ratio": front.median},
                              "≤ 6×", ["ratio", "<=", TARGET]))
        lines.append(f"- `python -c pass` itself: median {statistics.median(bare) * 1000:.1f} ms "
                     f"(IQR {Spread.of([t * 1000 for t in bare]).iqr(1)} ms).")

        if args.importtime_runs:
            print("startup: -X importtime ...", file=sys.stderr, flush=True)
            cases = {"no front matter": with_importtime(found["inkslop"]),
                     "front matter": with_importtime(found["inkslop, front matter"])}
            report = importtime_report(cases, work, args.importtime_runs, top=25)
            target = Path(args.importtime_file)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(report, encoding="utf-8")
            lines += ["", f"`-X importtime` of both variants: `{shown_path(target)}`."]
    print("\n".join(lines))
    print(f"\n(measured on {machine_line()})", file=sys.stderr)
    write_figures(args.figures, figures)


if __name__ == "__main__":
    main()
