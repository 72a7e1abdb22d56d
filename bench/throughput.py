"""Throughput and memory of the library, in process, on documents of 1, 4 and 10 MB.

What it measures
----------------
Documents: one script each of 1, 4 and 10 MB (1 MB = 1,000,000 bytes of UTF-8),
generated with a fixed seed by bench/corpus.py: one front matter defining every
variable, then realistic bodies (comments, `[music]` blocks of two to five `[tts]`
blocks of two to five sentences, `{{ variables }}`).

Only the public API is used: `import inkslop; inkslop.parse(text)`,
`inkslop.check(document)`, `inkslop.estimate(document)`. A small script goes through
all three first (loading the schema, the Lark tables, the duration model).

In each round, for every size (the order of the sizes rotated from round to round):

- `re`: a bare pass of Python's `re` over the same text: one compiled regex of the
  language's token shapes (front matter, comments, closing tags, tags with their
  attributes, variables, text runs, a lone bracket), `finditer`, counting the matches.
  It is the floor a Python tokenizer could reach, not a parser;
- `parse`, then `check` of that document: parse + check MB/s, and its ratio to the
  `re` pass of the same round;
- on the largest document only: `estimate` of the same document, and `check` again,
  in alternating order from round to round: estimate / check.

A full garbage collection runs before each timed step; the collector is otherwise
left as the library leaves it. The table gives medians over rounds and the spread.

Memory: a fresh process (this script, `--memory-probe`) builds the largest document,
warms the library up on a small script, collects garbage, then resets the kernel's
peak-RSS mark (/proc/self/clear_refs) and runs `check(parse(text))`: the peak resident
set size above the level before the parse, per MB of input; and what stays resident
while the document is alive. `--memory-runs` processes (default 2), min–max reported.
With `--tracemalloc`, also the peak of Python's own allocations (tracemalloc; slow).

Run (from the repository root, with the project's venv)
-------------------------------------------------------
    .venv/bin/python bench/throughput.py                 # about 3 minutes
    .venv/bin/python bench/throughput.py --sizes 0.5,1 --rounds 2   # quick
"""

from __future__ import annotations

import argparse
import gc
import json
import re
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import Figure, Spread, load, measured_env, public, runner, write_figures  # noqa: E402
from corpus import MB, SMALL, one_document  # noqa: E402

TOKEN = re.compile(r"""
    \A\+\+\+[ \t]*\n.*?^\+\+\+[ \t]*$                       # front matter
  | \[\#.*?\#\]                                             # comment
  | \[/[A-Za-z][A-Za-z0-9_-]*[ \t]*\]                       # closing tag
  | \[[A-Za-z][A-Za-z0-9_-]*                                # tag: name,
      (?:[ \t]+[A-Za-z][A-Za-z0-9_-]*="(?:[^"\\\n]|\\.)*")* #   attributes,
      [ \t]*/?\]                                            #   end
  | \{\{[ \t]*[A-Za-z_][A-Za-z0-9_]*[ \t]*\}\}              # variable
  | [^\[{]+                                                 # text run
  | [\[{]                                                   # a lone bracket or brace
""", re.VERBOSE | re.DOTALL | re.MULTILINE)


def count_tokens(text: str) -> int:
    return sum(1 for _ in TOKEN.finditer(text))


def timed(step, *arguments):
    gc.collect()
    start = time.perf_counter()
    result = step(*arguments)
    return time.perf_counter() - start, result


def api():
    """parse, check, estimate from the public API, and any note about how they were found."""
    functions, notes = [], []
    for name in ("parse", "check", "estimate"):
        function, note = public(name)
        functions.append(function)
        if note:
            notes.append(note)
    return functions, notes


# ---- memory, in a fresh process ---------------------------------------------------------------

def status_kib(field: str) -> int:
    for line in Path("/proc/self/status").read_text(encoding="utf-8").splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise RuntimeError(f"no {field} in /proc/self/status")


def memory_probe(size_mb: float, seed: int, use_tracemalloc: bool) -> None:
    (parse, check, estimate), _ = api()
    text = one_document(size_mb, seed)
    small = parse(SMALL)
    check(small)
    estimate(small)
    del small
    gc.collect()
    before = status_kib("VmRSS")
    try:
        Path("/proc/self/clear_refs").write_text("5", encoding="ascii")  # reset VmHWM
        reset = True
    except OSError:
        reset = False
    if use_tracemalloc:
        import tracemalloc
        tracemalloc.start()
    document = parse(text)
    diagnostics = check(document)
    traced = 0
    if use_tracemalloc:
        import tracemalloc
        traced = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    peak = status_kib("VmHWM")
    retained = status_kib("VmRSS")
    print(json.dumps({"mb": len(text.encode("utf-8")) / MB, "before_kib": before,
                      "peak_kib": peak, "retained_kib": retained, "reset": reset,
                      "traced_peak_bytes": traced, "diagnostics": len(diagnostics)}))


def probe(size_mb: float, seed: int, use_tracemalloc: bool) -> dict:
    command = [sys.executable, __file__, "--memory-probe", str(size_mb), "--seed", str(seed)]
    if use_tracemalloc:
        command.append("--tracemalloc")
    out = subprocess.run(command, capture_output=True, text=True, env=measured_env(), check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def measure_memory(size_mb: float, seed: int, runs: int, use_tracemalloc: bool
                   ) -> tuple[list[dict], dict | None]:
    """RSS in `runs` processes; tracemalloc (which costs memory of its own) in another."""
    results = [probe(size_mb, seed, False) for _ in range(runs)]
    return results, (probe(size_mb, seed, True) if use_tracemalloc else None)


# ---- main -------------------------------------------------------------------------------------

def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="1,4,10", help="document sizes in MB (1,4,10)")
    parser.add_argument("--rounds", type=int, default=3, help="measured rounds (3)")
    parser.add_argument("--seed", type=int, default=20261121)
    parser.add_argument("--memory-runs", type=int, default=2,
                        help="fresh processes for the memory figure (2; 0 to skip)")
    parser.add_argument("--tracemalloc", action="store_true",
                        help="also the peak of Python's allocations (slow)")
    parser.add_argument("--memory-probe", type=float, help=argparse.SUPPRESS)
    parser.add_argument("--figures", help="write the summary figures (JSON) here")
    args = parser.parse_args()
    if args.memory_probe is not None:
        memory_probe(args.memory_probe, args.seed, args.tracemalloc)
        return

    (parse, check, estimate), notes = api()
    small = parse(SMALL)
    check(small)
    estimate(small)

    sizes = [float(s) for s in args.sizes.split(",")]
    largest = max(sizes)
    mbs: dict[float, float] = {}
    tokens: dict[float, int] = {}
    samples: dict[float, dict[str, list[float]]] = {
        size: {"re": [], "parse": [], "check": [], "estimate": [], "check again": []}
        for size in sizes}
    found: dict[float, int] = {}
    load_before = load()
    for number in range(args.rounds):
        shift = number % len(sizes)
        for size in sizes[shift:] + sizes[:shift]:
            # A new document each round (seed + round): the library's caches (e.g. the
            # estimator's per-block cache) never see the text of an earlier round.
            text = one_document(size, args.seed + number)
            mbs.setdefault(size, len(text.encode("utf-8")) / MB)
            tokens.setdefault(size, count_tokens(text))
            row = samples[size]
            row["re"].append(timed(count_tokens, text)[0])
            seconds, document = timed(parse, text)
            row["parse"].append(seconds)
            seconds, diagnostics = timed(check, document)
            row["check"].append(seconds)
            found[size] = len(diagnostics)
            if size == largest:
                steps = [("estimate", estimate), ("check again", check)]
                for name, step in (steps if number % 2 == 0 else steps[::-1]):
                    row[name].append(timed(step, document)[0])
            del document, diagnostics, text
            print(f"throughput: round {number + 1}/{args.rounds}, {size:g} MB", file=sys.stderr,
                  flush=True)
    load_after = load()

    command = f"{runner()} bench/throughput.py"
    lines = [
        "## Throughput: parse + check in process", "",
        f"`{command} --sizes {args.sizes} --rounds {args.rounds}`: one document per size "
        f"(seed {args.seed} + the round's number, so each round parses new text); {args.rounds} rounds, the sizes' order rotated; median over "
        f"rounds, spread as IQR and min–max. Load average {load_before} before, "
        f"{load_after} after.", "",
        "| document | `re` tokens | `re` MB/s | parse s | check s | parse + check MB/s "
        "| IQR MB/s | min–max MB/s | (parse + check) / `re` | IQR | diagnostics |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    figures = []
    for size in sizes:
        row = samples[size]
        mb = mbs[size]
        total = [p + c for p, c in zip(row["parse"], row["check"])]
        speed = Spread.of([mb / t for t in total])
        over_re = Spread.of([t / r for t, r in zip(total, row["re"])])
        re_speed = Spread.of([mb / r for r in row["re"]])
        lines.append(
            f"| {mb:.2f} MB | {tokens[size]:,} | {re_speed.median:.0f} | "
            f"{Spread.of(row['parse']).median:.2f} | {Spread.of(row['check']).median:.2f} | "
            f"{speed.median:.2f} | {speed.iqr()} | {speed.range()} | {over_re.median:.0f}× | "
            f"{over_re.iqr(0)} | {found[size]} |")
        if size == largest:
            figures.append(Figure(
                f"parse + check throughput, in process, one {largest:g} MB document",
                f"{speed.median:.2f} MB/s",
                f"IQR {speed.iqr()} MB/s, min–max {speed.range()}, {args.rounds} rounds", command,
                f"a bare `re` pass over the same bytes: {re_speed.median:.0f} MB/s "
                f"({over_re.median:.0f}× faster, IQR {over_re.iqr(0)})",
                {"mb_per_s": speed.median, "re_mb_per_s": re_speed.median}))
    row = samples[largest]
    mb = mbs[largest]
    estimate_over_check = Spread.of([e / c for e, c in zip(row["estimate"], row["check again"])])
    with_parse = Spread.of([(p + e) / (p + c) for p, e, c in
                            zip(row["parse"], row["estimate"], row["check again"])])
    lines += [
        "", f"### `estimate` against `check`, the same {largest:g} MB document", "",
        "| step | median s | IQR s | min–max s |", "|---|---:|---:|---:|",
        *(f"| `inkslop.{name.split()[0]}(document)`{' (again)' if name == 'check again' else ''}"
          f" | {Spread.of(row[name]).median:.2f} | {Spread.of(row[name]).iqr()} | "
          f"{Spread.of(row[name]).range()} |" for name in ("parse", "check", "check again",
                                                          "estimate")),
        "",
        f"- estimate / check, round by round (the two run back to back, order alternating): "
        f"{estimate_over_check.text(2, '×')}.",
        f"- with the parse each needs: (parse + estimate) / (parse + check) = "
        f"{with_parse.text(2, '×')}.",
    ]
    figures.append(Figure(f"`estimate` against `check` on the same {largest:g} MB document",
                          f"{estimate_over_check.median:.2f}× the time of `check`",
                          f"IQR {estimate_over_check.iqr()}, min–max "
                          f"{estimate_over_check.range()}; with the parse: "
                          f"{with_parse.median:.2f}×", command, "",
                          {"ratio": estimate_over_check.median}))

    if args.memory_runs:
        print("throughput: memory ...", file=sys.stderr, flush=True)
        results, traced = measure_memory(largest, args.seed, args.memory_runs,
                                         args.tracemalloc)
        peak = [(r["peak_kib"] - r["before_kib"]) / 1024 / r["mb"] for r in results]
        kept = [(r["retained_kib"] - r["before_kib"]) / 1024 / r["mb"] for r in results]
        lines += ["", f"### Memory for one {largest:g} MB document", "",
                  f"`{command} --memory-runs {args.memory_runs}`: {args.memory_runs} fresh "
                  "process(es), `check(parse(text))`; resident set size (MiB) per MB of input, "
                  "above the level before the parse (the text itself excluded).", "",
                  f"- peak during parse + check: {Spread.of(peak).median:.1f} MiB per MB "
                  f"(min–max {Spread.of(peak).range(1)}); "
                  f"{Spread.of(peak).median * mb:.0f} MiB for the document.",
                  f"- resident while the document and its diagnostics are alive: "
                  f"{Spread.of(kept).median:.1f} MiB per MB (min–max {Spread.of(kept).range(1)})."]
        if not all(r["reset"] for r in results):
            lines.append("- the peak mark could not be reset (/proc/self/clear_refs): the peak "
                         "includes the start-up, an over-estimate.")
        if traced:
            lines.append(f"- tracemalloc peak of Python's allocations (another process): "
                         f"{traced['traced_peak_bytes'] / MB / traced['mb']:.1f} MB per MB.")
        figures.append(Figure(f"memory for one {largest:g} MB document (peak RSS above the "
                              "text, per MB of input)", f"{Spread.of(peak).median:.1f} MiB/MB",
                              f"min–max {Spread.of(peak).range(1)}, {args.memory_runs} processes",
                              f"{command} --memory-runs {args.memory_runs}", "",
                              {"mib_per_mb": Spread.of(peak).median}))
    if notes:
        lines += ["", "Note on the public API:", *(f"- {note}" for note in notes)]
    print("\n".join(lines))
    write_figures(args.figures, figures)


if __name__ == "__main__":
    main()
