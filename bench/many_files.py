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

- `inkslop check scripts` cold: if `inkslop check --help` offers `--no-cache`, with it;
  otherwise the plain command (there is no result cache to be cold about);
- `inkslop check scripts` again, the default: once a cache exists, this is the cached
  run of unchanged files (the warm-up round has filled the cache). Without a cache it
  does the same work as the cold run, and the report says so;
- `ruff check --no-cache python` (cold) and `ruff check python` (cached: ruff's default
  cache, filled in the warm-up round).

The ratios inkslop / ruff are taken round by round (cold / cold, cached / cached);
the report gives their median and spread.

Run (from the repository root, with the project's venv)
-------------------------------------------------------
    .venv/bin/python bench/many_files.py              # about 1.5 minutes
    .venv/bin/python bench/many_files.py --rounds 7 --files 5000
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
    Figure,
    Spread,
    inkslop_command,
    load,
    measured_env,
    paired_rounds,
    peer,
    ratios,
    runner,
    shown_command,
    write_figures,
)
from corpus import python_files, small_scripts  # noqa: E402

PER_FOLDER = 100


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


def has_option(command: list[str], option: str) -> bool:
    out = subprocess.run([*command, "--help"], capture_output=True, text=True,
                         env=measured_env(), check=False)
    return option in out.stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--files", type=int, default=5000, help="files of each kind (5000)")
    parser.add_argument("--rounds", type=int, default=5, help="measured rounds (5)")
    parser.add_argument("--warmup", type=int, default=1, help="unmeasured rounds first (1)")
    parser.add_argument("--seed", type=int, default=20261121)
    parser.add_argument("--peers", type=Path, help="directory of ruff (default "
                        "bench/.venv-peers/bin, then PATH)")
    parser.add_argument("--figures", help="write the summary figures (JSON) here")
    args = parser.parse_args()

    ruff = peer("ruff", args.peers)
    inkslop = [*inkslop_command(), "check"]
    cache = has_option(inkslop, "--no-cache")
    with tempfile.TemporaryDirectory(prefix="inkslop-many-") as temporary:
        work = Path(temporary)
        script_bytes = lay_out(work / "scripts", small_scripts(args.files, args.seed),
                               "short", ".inkslop")
        python_bytes = lay_out(work / "python", python_files(args.files, args.seed),
                               "fact", ".py")
        commands = {
            "inkslop cold": [*inkslop, *(["--no-cache"] if cache else []), "scripts"],
            "inkslop again": [*inkslop, "scripts"],
        }
        if ruff:
            commands["ruff cold"] = [ruff, "check", "--no-cache", "python"]
            commands["ruff cached"] = [ruff, "check", "python"]
        # exit 1 (problems found) is allowed for inkslop: a later rule may flag a script;
        # the count is printed below.
        first = subprocess.run(commands["inkslop again"], cwd=work, env=measured_env(),
                               capture_output=True, text=True, check=False)
        if first.returncode not in (0, 1):
            sys.exit(f"`{shown_command(commands['inkslop again'])}` failed:\n{first.stderr}")
        summary = (first.stdout.strip().splitlines() or ["(no output)"])[-1]
        load_before = load()
        times = paired_rounds(commands, work, args.rounds, args.warmup,
                              allowed={"inkslop cold": (0, 1), "inkslop again": (0, 1)},
                              progress="many_files")
        load_after = load()

    mb = script_bytes / 1e6
    lines = [
        f"## Many files: {args.files:,} small scripts", "",
        f"`{runner()} bench/many_files.py --rounds {args.rounds}`: {args.files:,} scripts "
        f"({mb:.2f} MB) in {args.files // PER_FOLDER} folders, against {args.files:,} Python "
        f"files ({python_bytes / 1e6:.2f} MB) for ruff; {args.rounds} paired rounds after "
        f"{args.warmup} warm-up round(s). Load average {load_before} before, {load_after} after. "
        f"inkslop's last line of output: “{summary}”.", "",
        "| command | median s | IQR s | min–max s | files/s |",
        "|---|---:|---:|---:|---:|",
    ]
    for name, command in commands.items():
        spread = Spread.of(times[name])
        lines.append(f"| `{shown_command(command)}` ({name}) | {spread.median:.3f} | "
                     f"{spread.iqr(3)} | {spread.range(3)} | "
                     f"{args.files / spread.median:,.0f} |")
    if not cache:
        lines += ["", "`inkslop check --help` offers no `--no-cache`: this version has no "
                  "result cache, so the second run does the same work as the first."]
    figures = []
    command = f"{runner()} bench/many_files.py"
    cold = Spread.of(times["inkslop cold"])
    again = Spread.of(times["inkslop again"])
    if ruff:
        cold_ratio = Spread.of(ratios(times["inkslop cold"], times["ruff cold"]))
        cached_ratio = Spread.of(ratios(times["inkslop again"], times["ruff cached"]))
        ruff_cold = Spread.of(times["ruff cold"])
        ruff_cached = Spread.of(times["ruff cached"])
        lines += ["", "| ratio, round by round | median | IQR | min–max |", "|---|---:|---:|---:|",
                  f"| inkslop cold / ruff cold | {cold_ratio.median:.1f}× | "
                  f"{cold_ratio.iqr(1)} | {cold_ratio.range(1)} |",
                  f"| inkslop second run / ruff cached | {cached_ratio.median:.1f}× | "
                  f"{cached_ratio.iqr(1)} | {cached_ratio.range(1)} |"]
        peers_text = (f"ruff on {args.files:,} small Python files: {ruff_cold.median:.3f} s cold "
                      f"({ruff_cold.iqr(3)}), {ruff_cached.median:.3f} s cached "
                      f"({ruff_cached.iqr(3)}); inkslop / ruff cold {cold_ratio.median:.1f}× "
                      f"(IQR {cold_ratio.iqr(1)})")
    else:
        lines += ["", "ruff is not installed: no ratios."]
        peers_text = ""
    figures.append(Figure(f"`check` on {args.files:,} small scripts ({mb:.1f} MB), cold",
                          f"{cold.median:.2f} s",
                          f"IQR {cold.iqr(2)} s, min–max {cold.range(2)} s, "
                          f"{args.rounds} rounds", command, peers_text,
                          {"seconds": cold.median}))
    figures.append(Figure(f"`check` on the same {args.files:,} scripts, second run "
                          + ("(cached)" if cache else "(no cache in this version)"),
                          f"{again.median:.2f} s",
                          f"IQR {again.iqr(2)} s, min–max {again.range(2)} s", command,
                          (f"inkslop second run / ruff cached: "
                           f"{cached_ratio.median:.1f}× (IQR {cached_ratio.iqr(1)})"
                           if ruff else ""), {"seconds": again.median}))
    lines += ["", f"- inkslop cold: {statistics.median(times['inkslop cold']):.2f} s, "
              f"{mb / cold.median:.2f} MB/s of scripts, one process."]
    print("\n".join(lines))
    write_figures(args.figures, figures)


if __name__ == "__main__":
    main()
