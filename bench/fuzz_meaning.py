"""A long campaign for the meaning properties of `fmt` and the safe fixes (issue 11, item 2).

    python bench/fuzz_meaning.py --count 300000 --seed 1 --jobs 2

Generates and mutates scripts with a seeded random generator and runs each
through the same property functions as the tests (tests/meaning.py): `fmt` is
idempotent and keeps the meaning; the safe fixes keep it. Failures are
shortened (characters dropped while the failure stays) and printed with the
input's number, so that `--start N --count 1` replays one. Shares of inputs run
in `--jobs` processes; progress is printed after each share. Exit 1 on any failure.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from meaning import failures, random_input  # noqa: E402


def kind(problems: list[str]) -> str:
    return problems[0].split(":")[0] if problems else ""


def shortened(text: str, problems: list[str], budget: int = 300) -> str:
    """`text` with characters removed one by one while it still fails the same way
    (a cheap minimiser)."""
    wanted = kind(problems)
    index = 0
    while index < len(text) and budget > 0:
        candidate = text[:index] + text[index + 1:]
        budget -= 1
        if kind(failures(candidate)) == wanted:
            text = candidate
        else:
            index += 1
    return text


def run_share(seed: int, first: int, count: int) -> tuple[int, list[tuple[int, str, list[str]]]]:
    """Inputs first..first+count-1 through the properties: how many ran, and the failures."""
    failed = []
    for number in range(first, first + count):
        text = random_input(random.Random(f"{seed}:{number}"))
        problems = failures(text)
        if problems:
            failed.append((number, text, problems))
    return count, failed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=300_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--start", type=int, default=0, help="the first input's number")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--max-failures", type=int, default=20)
    parser.add_argument("--no-shorten", action="store_true", help="print failures as found")
    options = parser.parse_args()
    started = time.monotonic()
    shares = [(options.seed, first, min(_SHARE, options.start + options.count - first))
              for first in range(options.start, options.start + options.count, _SHARE)]
    done = failed = 0
    with multiprocessing.Pool(options.jobs) as pool:
        for count, found in pool.imap(_run_share, shares):
            done += count
            for number, text, problems in found:
                failed += 1
                short = text if options.no_shorten else shortened(text, problems)
                print(f"FAIL input {number}: {text!r}\n  shortened: {short!r}\n  "
                      + "\n  ".join(problems[:3]), flush=True)
            rate = done / (time.monotonic() - started)
            print(f"{done}/{options.count} inputs, {failed} failures, {rate:.0f}/s", flush=True)
            if failed >= options.max_failures:
                pool.terminate()
                break
    elapsed = time.monotonic() - started
    print(f"summary: seed {options.seed}, inputs {options.start}..{options.start + done - 1} "
          f"({done}), {failed} failures, {elapsed:.0f} s, {options.jobs} jobs")
    return 1 if failed else 0


_SHARE = 500  # inputs per task handed to a worker


def _run_share(share: tuple[int, int, int]) -> tuple[int, list[tuple[int, str, list[str]]]]:
    return run_share(*share)


if __name__ == "__main__":
    sys.exit(main())
