"""Throughput and memory of the library, in process, on documents of 1 and 10 MB.

What it measures
----------------
Documents: one script each of 1 and 10 MB (1 MB = 1,000,000 bytes of UTF-8),
generated with a fixed seed by bench/corpus.py: one front matter defining every
variable, then realistic bodies (comments, `[music]` blocks of two to five `[tts]`
blocks of two to five sentences, `{{ variables }}`).

Only the public API is used: `import inkslop; inkslop.parse(text)`,
`inkslop.check(document)`, `inkslop.estimate(document)`. A small script goes through
all three first (loading the schema, the Lark tables, the duration model).

Each round runs in a fresh process (this script, `--round`), for every size (the order
of the sizes rotated from round to round):

- `re`: a bare pass of Python's `re` over the same text: one compiled regex of the
  language's token shapes (front matter, comments, closing tags, tags with their
  attributes, variables, text runs, a lone bracket), `finditer`, counting the matches.
  It is the floor a Python tokenizer could reach, not a parser;
- `parse`, then `check` of that document: parse + check MB/s, and its ratio to the
  `re` pass of the same round;
- on the largest document only: `estimate` of the same document too, `check` and
  `estimate` in alternating order from round to round (each the first call on that
  round's document): estimate / check.

A full garbage collection runs before each timed step; the collector is otherwise
left as the library leaves it. The table gives medians over rounds and the spread.

Memory, in the same fresh processes: after the warm-up and the text's generation, the
kernel's peak-RSS mark is reset (/proc/self/clear_refs); the peak resident set size
above the level before the parse is read after the parse and at the end of the round
(check and estimate done), per MB of input. And in another process, on a 0.5 MB document
(`--tracemalloc MB`; tracemalloc slows the parse down several times): the peak of
Python's own allocations and what stays allocated once the check is done, per MB.

Run (from the repository root, with the project's venv)
-------------------------------------------------------
    python bench/throughput.py                 # about 3 minutes on a quiet machine
    python bench/throughput.py --sizes 0.5,1 --rounds 2   # quick
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


# ---- one round, in a fresh process ------------------------------------------------------------

def status_kib(field: str) -> int:
    for line in Path("/proc/self/status").read_text(encoding="utf-8").splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise RuntimeError(f"no {field} in /proc/self/status")


def reset_peak() -> bool:
    """Reset the kernel's peak-RSS mark (VmHWM) to the present RSS; False if refused."""
    try:
        Path("/proc/self/clear_refs").write_text("5", encoding="ascii")
    except OSError:
        return False
    return True


def warmed_api():
    """parse, check, estimate, once through a small script (schema, tables, model loaded)."""
    (parse, check, estimate), notes = api()
    small = parse(SMALL)
    check(small)
    estimate(small)
    return parse, check, estimate, notes


def one_round(size_mb: float, seed: int, estimate_too: bool, estimate_first: bool) -> dict:
    """The timings and the memory of one round on one new document."""
    parse, check, estimate, notes = warmed_api()
    text = one_document(size_mb, seed)
    found = {"mb": len(text.encode("utf-8")) / MB, "tokens": count_tokens(text),
             "re": timed(count_tokens, text)[0], "notes": notes}
    gc.collect()
    found["before_kib"] = status_kib("VmRSS")
    found["reset"] = reset_peak()
    found["parse"], document = timed(parse, text)
    found["parse_peak_kib"] = status_kib("VmHWM")
    # Each step the first call on the new document, the order alternating between rounds:
    # whichever runs second would find any lazily computed part of it already done.
    steps = [("check", check), ("estimate", estimate)][:2 if estimate_too else 1]
    for name, step in (steps[::-1] if estimate_first else steps):
        found[name], result = timed(step, document)
        if name == "check":
            found["diagnostics"] = len(result)
    found["peak_kib"] = status_kib("VmHWM")
    return found


def traced(size_mb: float, seed: int) -> dict:
    """Python's own allocations during check(parse(text)): peak and what stays allocated."""
    import tracemalloc

    parse, check, _, _ = warmed_api()
    text = one_document(size_mb, seed)
    tracemalloc.start()
    document = parse(text)
    diagnostics = check(document)
    retained, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    del document, diagnostics
    return {"mb": len(text.encode("utf-8")) / MB, "peak": peak, "retained": retained}


def in_fresh_process(*arguments: str) -> dict:
    command = [sys.executable, __file__, *arguments]
    out = subprocess.run(command, capture_output=True, text=True, env=measured_env(), check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


# ---- main -------------------------------------------------------------------------------------

def measure(sizes: list[float], rounds: int, budget: float, seed: int
            ) -> dict[float, list[dict]]:
    """Every round of every size, each in a fresh process; new text in each round (seed +
    round), so no cache of the library sees a text twice."""
    largest = max(sizes)
    found: dict[float, list[dict]] = {size: [] for size in sizes}
    start = time.perf_counter()
    for number in range(rounds):
        if number >= 2 and time.perf_counter() - start > budget:
            break  # a slow or loaded machine gets fewer rounds, not a longer run
        shift = number % len(sizes)
        for size in sizes[shift:] + sizes[:shift]:
            found[size].append(in_fresh_process(
                "--round", str(size), "--seed", str(seed + number),
                *(["--estimate-too"] if size == largest else []),
                *(["--estimate-first"] if number % 2 else [])))
            print(f"throughput: round {number + 1}/{rounds}, {size:g} MB", file=sys.stderr,
                  flush=True)
    return found


def speed_section(found: dict[float, list[dict]], command: str) -> tuple[list[str], Figure]:
    lines = [
        "| document | `re` tokens | `re` MB/s | parse s | check s | parse + check MB/s "
        "| IQR MB/s | min–max MB/s | (parse + check) / `re` | IQR | diagnostics |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for size, rows in found.items():
        mb = rows[0]["mb"]
        total = [r["parse"] + r["check"] for r in rows]
        speed = Spread.of([mb / t for t in total])
        over_re = Spread.of([t / r["re"] for t, r in zip(total, rows)])
        re_speed = Spread.of([mb / r["re"] for r in rows])
        lines.append(
            f"| {mb:.2f} MB | {rows[0]['tokens']:,} | {re_speed.median:.0f} | "
            f"{Spread.of([r['parse'] for r in rows]).median:.2f} | "
            f"{Spread.of([r['check'] for r in rows]).median:.2f} | {speed.median:.2f} | "
            f"{speed.iqr()} | {speed.range()} | {over_re.median:.0f}× | {over_re.iqr(0)} | "
            f"{rows[0]['diagnostics']} |")
    figure = Figure(
        f"parse + check throughput, in process, one {size:g} MB document",
        f"{speed.median:.2f} MB/s",
        f"IQR {speed.iqr()} MB/s, min–max {speed.range()}, {len(rows)} rounds", command,
        f"a bare `re` pass over the same bytes: {re_speed.median:.0f} MB/s "
        f"({over_re.median:.0f}× faster, IQR {over_re.iqr(0)})",
        {"mb_per_s": speed.median, "re_mb_per_s": re_speed.median}, "≥ 5 MB/s",
        ["mb_per_s", ">=", 5.0])
    return lines, figure  # the figure of the largest size, the last one


def estimate_section(rows: list[dict], command: str) -> tuple[list[str], Figure]:
    size = rows[0]["mb"]
    over_check = Spread.of([r["estimate"] / r["check"] for r in rows])
    with_parse = Spread.of([(r["parse"] + r["estimate"]) / (r["parse"] + r["check"])
                            for r in rows])
    lines = [
        "", f"### `estimate` against `check`, the same {size:.3g} MB document", "",
        "| step | median s | IQR s | min–max s |", "|---|---:|---:|---:|",
        *(f"| `inkslop.{name}({'text' if name == 'parse' else 'document'})` | "
          f"{Spread.of([r[name] for r in rows]).median:.2f} | "
          f"{Spread.of([r[name] for r in rows]).iqr()} | "
          f"{Spread.of([r[name] for r in rows]).range()} |"
          for name in ("parse", "check", "estimate")),
        "",
        f"- estimate / check, round by round (each the first call on the round's document, "
        f"the order alternating): {over_check.text(2, '×')}.",
        f"- with the parse each needs: (parse + estimate) / (parse + check) = "
        f"{with_parse.text(2, '×')}.",
    ]
    figure = Figure(f"`estimate` against `check` on the same {size:.3g} MB document",
                    f"{over_check.median:.2f}× the time of `check`",
                    f"IQR {over_check.iqr()}, min–max {over_check.range()}; with the parse: "
                    f"{with_parse.median:.2f}×", command, "", {"ratio": over_check.median},
                    "no slower than `check`", ["ratio", "<=", 1.0])
    return lines, figure


def memory_section(rows: list[dict], allocations: dict | None,
                   command: str) -> tuple[list[str], Figure]:
    size = rows[0]["mb"]

    def per_mb(key: str) -> Spread:  # MB (10^6 bytes) per MB of input, issue 14's unit
        return Spread.of([(r[key] - r["before_kib"]) * 1024 / MB / r["mb"] for r in rows])

    peak, parse_peak = per_mb("peak_kib"), per_mb("parse_peak_kib")
    lines = ["", f"### Memory for one {size:.3g} MB document", "",
             f"In the rounds' own processes ({len(rows)}): the peak resident set size above "
             "the level before the parse (the text itself excluded), per MB of input.", "",
             f"- peak during the parse: {parse_peak.median:.1f} MB per MB (min–max "
             f"{parse_peak.range(1)}); by the end of the round (check and estimate done): "
             f"{peak.median:.1f} MB per MB (min–max {peak.range(1)}), "
             f"{peak.median * size:.0f} MB for the document."]
    if not all(r["reset"] for r in rows):
        lines.append("- the peak mark could not be reset (/proc/self/clear_refs): the peak "
                     "includes the start-up, an over-estimate.")
    if allocations:
        lines.append(
            f"- Python's own allocations (tracemalloc, another process, a "
            f"{allocations['mb']:.1f} MB document, parse + check): peak "
            f"{allocations['peak'] / MB / allocations['mb']:.1f} MB per MB; still allocated "
            f"after the check, with the document and its diagnostics alive: "
            f"{allocations['retained'] / MB / allocations['mb']:.1f} MB per MB.")
    figure = Figure(f"memory for one {size:.3g} MB document (peak RSS above the text, per MB "
                    "of input; parse, check and estimate)", f"{peak.median:.1f} MB per MB",
                    f"min–max {peak.range(1)}, {len(rows)} processes; during the parse alone "
                    f"{parse_peak.median:.1f}", command, "", {"mb_per_mb": peak.median},
                    "≤ 10 MB per MB", ["mb_per_mb", "<=", 10.0])
    return lines, figure


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="1,10", help="document sizes in MB (1,10)")
    parser.add_argument("--rounds", type=int, default=3, help="measured rounds (3)")
    parser.add_argument("--budget", type=float, default=60,
                        help="no new round after this many seconds, once 2 are done (60)")
    parser.add_argument("--seed", type=int, default=20261121)
    parser.add_argument("--tracemalloc", type=float, default=0.5, metavar="MB",
                        help="also Python's own allocations (tracemalloc, slow) on a "
                        "document of this size (0.5 MB; 0 to skip)")
    parser.add_argument("--round", type=float, help=argparse.SUPPRESS)
    parser.add_argument("--estimate-too", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--estimate-first", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--traced", type=float, help=argparse.SUPPRESS)
    parser.add_argument("--figures", help="write the summary figures (JSON) here")
    args = parser.parse_args()
    if args.round is not None:
        print(json.dumps(one_round(args.round, args.seed, args.estimate_too,
                                   args.estimate_first)))
        return
    if args.traced is not None:
        print(json.dumps(traced(args.traced, args.seed)))
        return

    sizes = sorted(float(s) for s in args.sizes.split(","))
    load_before = load()
    found = measure(sizes, args.rounds, args.budget, args.seed)
    allocations = None
    if args.tracemalloc:
        print("throughput: tracemalloc ...", file=sys.stderr, flush=True)
        allocations = in_fresh_process("--traced", str(args.tracemalloc), "--seed",
                                       str(args.seed))
    load_after = load()
    largest = found[max(sizes)]
    command = f"{runner()} bench/throughput.py"
    lines = [
        "## Throughput: parse + check in process", "",
        f"`{command} --sizes {args.sizes} --rounds {args.rounds}`: one document per size "
        f"(seed {args.seed} + the round's number, so each round parses new text); "
        f"{len(largest)} rounds, each in a fresh process, the sizes' order rotated; median "
        f"over rounds, spread as IQR and min–max. Load average {load_before} before, "
        f"{load_after} after.", ""]
    speed_lines, speed = speed_section(found, command)
    estimate_lines, versus = estimate_section(largest, command)
    memory_lines, memory = memory_section(largest, allocations, command)
    lines += speed_lines + estimate_lines + memory_lines
    notes = largest[0]["notes"]
    if notes:
        lines += ["", "Note on the public API:", *(f"- {note}" for note in notes)]
    print("\n".join(lines))
    write_figures(args.figures, [speed, versus, memory])


if __name__ == "__main__":
    main()
