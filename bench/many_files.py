"""`inkslop check` on 5,000 small scripts, against `ruff check` on 5,000 small Python files.

What it measures
----------------
A temporary directory gets 5,000 small InkSlop scripts (about 2 MB in all, generated
with a fixed seed by bench/corpus.py: one or two narrations, most under music, a third
with front matter) in 50 folders of 100, and 5,000 small lint-clean Python modules of
about the same total size, laid out alike. No configuration file lies above them.

Whole processes, started in that directory, output discarded, timed with
`time.perf_counter()` around `subprocess.run`, in paired rounds (each command once
per round, the order rotated):

- `inkslop check --no-cache -j 1 scripts`: cold, one process;
- `inkslop check --no-cache -j 0 scripts`: cold, every core (the default `--jobs`);
- `inkslop check scripts`: the default, cached: a first run has filled the cache, so
  this is a run over unchanged files;
- `ruff check --no-cache python` (cold; ruff uses every core) and `ruff check python`
  (cached: ruff's default cache, filled by a first run).

The result cache is where a user's would be: `.inkslop/cache` in the project, here the
temporary directory (INKSLOP_CACHE_DIR is removed from the environment); ruff's is
`.ruff_cache` there too.

The ratios inkslop / ruff are taken round by round (cold on every core / ruff cold,
cached / ruff cached); the report gives their median and spread.

Run (from the repository root)
------------------------------
    python bench/many_files.py              # about 2 minutes
    python bench/many_files.py --rounds 7 --files 5000
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import (  # noqa: E402
    Figure,
    Spread,
    inkslop_command,
    load,
    measured_env,
    paired_rounds,
    peer,
    peers_option,
    ratios,
    runner,
    shown_command,
    time_once,
    write_figures,
)
from corpus import python_files, small_scripts  # noqa: E402

PER_FOLDER = 100
ONE_CORE = "cold, one process"
ALL_CORES = "cold, every core"
CACHED = "cached, unchanged files"


def lay_out(root: Path, texts: list[str], stem: str, suffix: str) -> int:
    """Write texts as root/NN/stem-NNNNN.suffix; return the bytes written."""
    total = 0
    for number, text in enumerate(texts):
        folder = root / f"{number // PER_FOLDER:02d}"
        folder.mkdir(parents=True, exist_ok=True)
        data = text.encode("utf-8")
        (folder / f"{stem}_{number:05d}{suffix}").write_bytes(data)
        total += len(data)
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--files", type=int, default=5000, help="files of each kind (5000)")
    parser.add_argument("--rounds", type=int, default=5, help="measured rounds (5)")
    parser.add_argument("--warmup", type=int, default=0,
                        help="unmeasured rounds first (0: the first runs below fill the caches)")
    parser.add_argument("--budget", type=float, default=60,
                        help="no new round after this many seconds of rounds, once 2 are "
                        "done (60)")
    parser.add_argument("--seed", type=int, default=20261121)
    parser.add_argument("--peers", type=Path, help="directory of ruff (default: next to "
                        "this interpreter, then PATH)")
    parser.add_argument("--figures", help="write the summary figures (JSON) here")
    args = parser.parse_args()

    ruff = peer("ruff", args.peers)
    inkslop = [*inkslop_command(), "check"]
    with tempfile.TemporaryDirectory(prefix="inkslop-many-") as temporary:
        work = Path(temporary)
        script_bytes = lay_out(work / "scripts", small_scripts(args.files, args.seed),
                               "short", ".inkslop")
        python_bytes = lay_out(work / "python", python_files(args.files, args.seed),
                               "fact", ".py")
        commands = {
            ONE_CORE: [*inkslop, "--no-cache", "-j", "1", "scripts"],
            ALL_CORES: [*inkslop, "--no-cache", "-j", "0", "scripts"],
            CACHED: [*inkslop, "scripts"],
        }
        if ruff:
            commands["ruff cold"] = [ruff, "check", "--no-cache", "python"]
            commands["ruff cached"] = [ruff, "check", "python"]
        summary = last_line(commands[CACHED], work)  # and fills inkslop's cache
        if ruff:
            time_once(commands["ruff cached"], work)  # fills ruff's cache
        load_before = load()
        # exit 1 (problems found) is allowed for inkslop: a later rule may flag a script;
        # the summary line above says how many.
        times = paired_rounds(commands, work, args.rounds, args.warmup,
                              allowed=dict.fromkeys((ONE_CORE, ALL_CORES, CACHED), (0, 1)),
                              progress="many_files", budget=args.budget, least=2)
        rounds = len(times[CACHED])
        load_after = load()

    mb = script_bytes / 1e6
    lines = [
        f"## Many files: {args.files:,} small scripts", "",
        f"`{runner()} bench/many_files.py --rounds {args.rounds}`: {args.files:,} scripts "
        f"({mb:.2f} MB) in {args.files // PER_FOLDER} folders, against {args.files:,} Python "
        f"files ({python_bytes / 1e6:.2f} MB) for ruff; {rounds} paired rounds after "
        f"{args.warmup} warm-up round(s) and one run of each cached command, on "
        f"{os.cpu_count()} logical CPUs. Load average "
        f"{load_before} before, {load_after} after. inkslop's last line of output: "
        f"“{summary}”.", "",
        "| command | median s | IQR s | min–max s | files/s |",
        "|---|---:|---:|---:|---:|",
    ]
    for name, command in commands.items():
        spread = Spread.of(times[name])
        lines.append(f"| `{shown_command(command)}` ({name}) | {spread.median:.3f} | "
                     f"{spread.iqr(3)} | {spread.range(3)} | "
                     f"{args.files / spread.median:,.0f} |")
    speedup = Spread.of(ratios(times[ONE_CORE], times[ALL_CORES]))
    lines += ["", f"- speed-up of every core over one process, round by round: "
              f"{speedup.text(2, '×')}.",
              f"- one process: {mb / Spread.of(times[ONE_CORE]).median:.2f} MB/s of scripts."]
    lines += ruff_ratios(times) if ruff else ["", "ruff is not installed: no ratios."]
    print("\n".join(lines))
    write_figures(args.figures, figures(times, args.files, mb, rounds, ruff,
                                               peers_option(args.peers)))


def last_line(command: list[str], cwd: Path) -> str:
    """inkslop's summary line on the scripts (it must run: exit status 0 or 1)."""
    first = subprocess.run(command, cwd=cwd, env=measured_env(), capture_output=True,
                           text=True, check=False)
    if first.returncode not in (0, 1):
        sys.exit(f"`{shown_command(command)}` failed:\n{first.stderr}")
    return (first.stdout.strip().splitlines() or ["(no output)"])[-1]


def ruff_ratios(times: dict[str, list[float]]) -> list[str]:
    cold = Spread.of(ratios(times[ALL_CORES], times["ruff cold"]))
    cached = Spread.of(ratios(times[CACHED], times["ruff cached"]))
    return ["", "| ratio, round by round | median | IQR | min–max |", "|---|---:|---:|---:|",
            f"| inkslop cold, every core / ruff cold | {cold.median:.1f}× | {cold.iqr(1)} | "
            f"{cold.range(1)} |",
            f"| inkslop cached / ruff cached | {cached.median:.1f}× | {cached.iqr(1)} | "
            f"{cached.range(1)} |"]


def figures(times: dict[str, list[float]], files: int, mb: float, rounds: int,
            ruff: str | None, option: str) -> list[Figure]:
    command = f"{runner()} bench/many_files.py{option}"

    def seconds(name: str) -> tuple[str, str, dict[str, float]]:
        spread = Spread.of(times[name])
        return (f"{spread.median:.2f} s", f"IQR {spread.iqr(2)} s, min–max {spread.range(2)} s, "
                f"{rounds} rounds", {"seconds": spread.median})

    peers = {ONE_CORE: "", ALL_CORES: "", CACHED: ""}
    if ruff:
        cold, cached = Spread.of(times["ruff cold"]), Spread.of(times["ruff cached"])
        over_cold = Spread.of(ratios(times[ALL_CORES], times["ruff cold"]))
        peers[ALL_CORES] = (f"ruff on {files:,} small Python files, cold: {cold.median:.3f} s "
                            f"(IQR {cold.iqr(3)}); inkslop / ruff {over_cold.median:.1f}× "
                            f"(IQR {over_cold.iqr(1)})")
        peers[CACHED] = f"ruff cached: {cached.median:.3f} s (IQR {cached.iqr(3)})"
    goals = {ONE_CORE: ("", []), CACHED: ("≤ 0.2 s", ["seconds", "<=", 0.2]),
             ALL_CORES: ("within 5× of ruff cold", ["over_ruff", "<=", 5.0] if ruff else [])}
    found = []
    for name in (ONE_CORE, ALL_CORES, CACHED):
        value, spread, extra = seconds(name)
        measured = ""
        if name == ALL_CORES and ruff:
            extra["over_ruff"] = over_cold.median
            measured = f"{over_cold.median:.1f}× ruff cold ({value} against {cold.median:.3f} s)"
        found.append(Figure(f"`check` on {files:,} small scripts ({mb:.1f} MB), {name}", value,
                            spread, command, peers[name], extra, *goals[name], measured))
    return found


if __name__ == "__main__":
    main()
