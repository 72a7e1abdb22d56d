"""The parser's speed options of issue 14, item 3, measured side by side in one process.

Prints, for one generated document (bench/corpus.py), the throughput of:

- a bare `re` scan of the same bytes (what a hand-written lexer could approach at best);
- Lark's items alone (the generated standalone tables: contextual lexer, LALR loop and
  the item transformer), then the whole `parse` (items and the tree builder), then
  `parse` + `check`;
- with `lark` and `lark-cython` importable (`pip install lark lark-cython`, not the
  project's dependencies): Lark's own parser built from the grammar, pure Python
  against the lark-cython plugin (LALR loop and tokens in Cython);

and, under cProfile, the share of `parse`'s own time spent in spans, in Lark's lexer
and token objects, in Lark as a whole and in the tree builder. Medians of `--runs`
alternating runs; read ratios, not absolute figures, on a busy machine.

Run (from the repository root): .venv/bin/python bench/parser_options.py --size 0.5
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import re
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import one_document

from inkslop.lint.checker import check
from inkslop.syntax import parser

ROOT = Path(__file__).resolve().parent.parent
_SCAN = re.compile(r"\[[^\]\n]*\]|\{\{[^}\n]*\}\}|[^\[{]+|[\[{]")
_LEXER = {"next_token", "lex", "match", "feed", "_future_new", "__new__", "new_borrow_pos"}


def lark_cython_steps(text: str) -> dict[str, Callable[[], object]]:
    """Lark's own parser, pure and with the lark-cython plugin; none when not installed."""
    try:
        import lark
        import lark_cython
    except ImportError:
        return {}
    grammar = (ROOT / "grammars" / "inkslop.lark").read_text(encoding="utf-8")
    pure = lark.Lark(grammar, parser="lalr", lexer="contextual")
    fast = lark.Lark(grammar, parser="lalr", lexer="contextual", _plugins=lark_cython.plugins)
    return {"lark (full package), pure Python": lambda: pure.parse(text),
            "lark (full package) + lark-cython": lambda: fast.parse(text)}


def shares(text: str) -> dict[str, float]:
    """Shares of `parse`'s own time, under cProfile."""
    profile = cProfile.Profile()
    profile.enable()
    parser.parse(text)
    profile.disable()
    stats = pstats.Stats(profile)

    def share(keep: Callable[[str, str], bool]) -> float:
        own = sum(row[2] for (file, _, name), row in stats.stats.items()  # type: ignore[attr-defined]
                  if keep(file, name))
        return own / stats.total_tt  # type: ignore[attr-defined]

    return {"spans (LineIndex)": share(lambda f, n: f.endswith("spans.py")),
            "Lark's lexer and tokens": share(lambda f, n: f.endswith("_lark_parser.py")
                                             and n in _LEXER),
            "Lark, all": share(lambda f, n: f.endswith("_lark_parser.py")),
            "tree builder (syntax/parser.py)": share(lambda f, n: f.endswith("parser.py")
                                                     and "_lark" not in f)}


def main() -> None:
    arguments = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    arguments.add_argument("--size", type=float, default=0.5, help="MB of script (0.5)")
    arguments.add_argument("--runs", type=int, default=3, help="alternating runs (3)")
    options = arguments.parse_args()
    text = one_document(options.size, 3)
    megabytes = len(text.encode()) / 1e6
    steps: dict[str, Callable[[], object]] = {
        "bare `re` scan": lambda: sum(1 for _ in _SCAN.finditer(text)),
        "Lark items (standalone tables)": lambda: parser._parse_items(text),
        "parse": lambda: parser.parse(text),
        "parse + check": lambda: check(parser.parse(text)),
        **lark_cython_steps(text)}
    times: dict[str, list[float]] = {name: [] for name in steps}
    for _ in range(options.runs):
        for name, step in steps.items():
            start = time.perf_counter()
            step()
            times[name].append(time.perf_counter() - start)
    print(f"{megabytes:.2f} MB, medians of {options.runs} runs")
    for name, found in times.items():
        print(f"- {name}: {megabytes / statistics.median(found):.2f} MB/s")
    for name, share in shares(text).items():
        print(f"- share of parse's own time, {name}: {share:.0%}")


if __name__ == "__main__":
    main()
