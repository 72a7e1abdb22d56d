"""Where the time of `check` goes: cProfile of the two heavy cases, top functions.

What it profiles
----------------
1. In process, through the public API: `inkslop.check(inkslop.parse(text))` on one
   generated document of `--size` MB (10 by default; bench/corpus.py, the same
   document as bench/throughput.py's largest).
2. The command line on many files, as a user runs it: `python -m cProfile -m inkslop
   check --no-cache -j 1 scripts` on `--files` (5,000) generated small scripts
   (bench/corpus.py, as bench/many_files.py lays them out); then `check -j 1 scripts`
   again over the cache a first run filled (unchanged files).

For each, the top `--top` (10) functions by cumulative time and by own time
(cProfile's tottime). cProfile slows pure-Python code down by about 1.5 to 2 times and
charges its overhead to the functions with the most calls: read shares, not times.
File locations are shown relative to the repository, to site-packages, or to the
standard library.

Run (from the repository root, with the project's venv)
-------------------------------------------------------
    .venv/bin/python bench/profile_check.py                      # about 1.5 minutes
    .venv/bin/python bench/profile_check.py --size 2 --files 1000
    .venv/bin/python bench/profile_check.py --output bench/results/profile.md
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import re
import subprocess
import sys
import sysconfig
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import ROOT, inkslop_command, measured_env, public, python, runner  # noqa: E402
from corpus import MB, SMALL, one_document, small_scripts  # noqa: E402
from many_files import lay_out  # noqa: E402


def short(filename: str) -> str:
    """A code location without the machine's paths."""
    if filename.startswith("<") or filename == "~":
        return filename
    path = Path(filename)
    text = str(path)
    for marker in ("site-packages/", "dist-packages/"):
        if marker in text:
            return text.split(marker, 1)[1]
    try:
        return str(path.resolve().relative_to(ROOT))
    except (ValueError, OSError):
        pass
    stdlib = sysconfig.get_paths()["stdlib"]
    if text.startswith(stdlib):
        return "stdlib/" + text[len(stdlib):].lstrip("/")
    return path.name


def describe(key: tuple[str, int, str]) -> str:
    filename, line, function = key
    if filename == "~":
        return f"`{function}` (built-in)"
    return f"`{function}` ({short(filename)}:{line})"


def top_table(stats: pstats.Stats, top: int, sort: str) -> list[str]:
    total = max(stats.total_tt, 1e-9)
    rows = []
    for key, (calls, primitive, own, cumulative, _) in stats.stats.items():  # type: ignore[attr-defined]
        rows.append((cumulative if sort == "cumulative" else own, key, calls, primitive, own,
                     cumulative))
    rows.sort(key=lambda row: -row[0])
    if sort == "cumulative":
        # Leave out the frames around everything (the script, click, the command), and
        # collapse a chain of wrappers (same calls, the same cumulative time within 2 %)
        # into its innermost function.
        rows = [row for row in rows if row[5] < 0.97 * total]
        collapsed: list[tuple] = []
        wrappers: list[int] = []
        for row in rows:
            if (collapsed and collapsed[-1][2] == row[2]
                    and abs(collapsed[-1][5] - row[5]) <= 0.02 * max(collapsed[-1][5], 1e-9)):
                collapsed[-1] = row
                wrappers[-1] += 1
            else:
                collapsed.append(row)
                wrappers.append(0)
        rows = collapsed
    else:
        wrappers = [0] * len(rows)
    lines = ["| function | calls | own s | cumulative s | cumulative % |",
             "|---|---:|---:|---:|---:|"]
    for (_, key, calls, primitive, own, cumulative), outer in zip(rows[:top], wrappers):
        count = f"{calls:,}" if calls == primitive else f"{calls:,}/{primitive:,}"
        note = f" (and {outer} wrapper{'s' if outer > 1 else ''} around it)" if outer else ""
        lines.append(f"| {describe(key)}{note} | {count} | {own:.2f} | {cumulative:.2f} | "
                     f"{100 * cumulative / total:.0f} |")
    return lines


def section(title: str, how: str, stats: pstats.Stats, top: int) -> list[str]:
    return ["", f"## {title}", "", how, "",
            f"Total under the profiler: {stats.total_tt:.2f} s.", "",
            f"### Top {top} by cumulative time", "",
            "(Frames above 97 % of the total left out; a chain of wrappers with the same "
            "calls and time is shown as its innermost function.)", "",
            *top_table(stats, top, "cumulative"), "",
            f"### Top {top} by own time", "", *top_table(stats, top, "own")]


def in_process(size: float, seed: int, top: int) -> list[str]:
    parse, _ = public("parse")
    check, _ = public("check")
    check(parse(SMALL))  # load the schema and the Lark tables outside the profile
    text = one_document(size, seed)
    mb = len(text.encode("utf-8")) / MB
    profiler = cProfile.Profile()
    profiler.enable()
    check(parse(text))
    profiler.disable()
    stats = pstats.Stats(profiler)
    return section(f"`inkslop.check(inkslop.parse(text))`, one {size:g} MB document, in process",
                   f"`{runner()} bench/profile_check.py --size {size:g}`: a {mb:.2f} MB "
                   f"document (seed {seed}), public API.", stats, top)


def many_files(files: int, seed: int, top: int) -> list[str]:
    """The command on many scripts, cold (`--no-cache`), then again over the cache that a
    plain run filled: one process each (the workers of `-j 0` would escape the profile)."""
    with tempfile.TemporaryDirectory(prefix="inkslop-profile-") as temporary:
        work = Path(temporary)
        size = lay_out(work / "scripts", small_scripts(files, seed), "short", ".inkslop")
        where = (f"{files:,} scripts ({size / MB:.2f} MB, seed {seed}) in {files // 100} "
                 "folders")
        lines = profiled_command(["check", "--no-cache", "-j", "1", "scripts"], work,
                                 f"`inkslop check` on {files:,} small scripts, cold", where,
                                 files, top)
        subprocess.run([*inkslop_command(), "check", "scripts"], cwd=work, env=measured_env(),
                       capture_output=True, check=False)  # fills the cache
        lines += profiled_command(["check", "-j", "1", "scripts"], work,
                                  f"`inkslop check` on the same {files:,} scripts, cached "
                                  "(unchanged since a first run)", where, files, top)
    return lines


def profiled_command(arguments: list[str], work: Path, title: str, where: str, files: int,
                     top: int) -> list[str]:
    output = work / "check.prof"
    inkslop = inkslop_command()
    if inkslop[0] == python():  # no console script: `python -m inkslop`
        command = [python(), "-m", "cProfile", "-o", str(output), "-m", "inkslop", *arguments]
    else:  # the console script is a Python file
        command = [python(), "-m", "cProfile", "-o", str(output), inkslop[0], *arguments]
    result = subprocess.run(command, cwd=work, env=measured_env(), capture_output=True,
                            text=True, check=False)
    if result.returncode not in (0, 1) or not output.exists():
        sys.exit(f"profiling the command failed (exit {result.returncode}):\n{result.stderr}")
    stats = pstats.Stats(str(output))
    output.unlink()
    shown = ("python -m cProfile -o check.prof "
             + ("-m inkslop" if inkslop[0] == python() else "$(which inkslop)") + " "
             + " ".join(arguments))
    return section(title, f"`{runner()} bench/profile_check.py --files {files}`: `{shown}` on "
                   f"{where}.", stats, top)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size", type=float, default=10, help="document size in MB (10)")
    parser.add_argument("--files", type=int, default=5000, help="small scripts (5000)")
    parser.add_argument("--top", type=int, default=10)
    parser.add_argument("--seed", type=int, default=20261121)
    parser.add_argument("--output", help="also write the Markdown here")
    args = parser.parse_args()
    lines = ["# Where the time of `check` goes (cProfile)", "",
             "cProfile's overhead inflates functions with many calls: read shares, not times."]
    print("profile: in process ...", file=sys.stderr, flush=True)
    lines += in_process(args.size, args.seed, args.top)
    print("profile: many files ...", file=sys.stderr, flush=True)
    lines += many_files(args.files, args.seed, args.top)
    text = "\n".join(lines) + "\n"
    text = re.sub(r"\n{3,}", "\n\n", text)
    print(text)
    if args.output:
        Path(args.output).parent.mkdir(parents=True, exist_ok=True)
        Path(args.output).write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
