"""Throughput of the parser and the checker, in process, on a large generated corpus.

What it measures
----------------
1. Corpus. A deterministic (seeded) corpus of realistic scripts, at least
   `--size` MB of UTF-8 in all (1 MB = 1,000,000 bytes; default 10): each script
   has TOML front matter (video name, resolution, sometimes publish settings, and
   the `[vars]` its text uses), a comment, one to three `[music]` blocks each
   holding two to five `[tts]` blocks of two to five sentences, `{{ variables }}`
   and a few more comments. Every script is checked once first: the corpus is
   meant to be clean, and the number of diagnostics is printed.

   Over the whole corpus, one script at a time, as `inkslop check` reads files:
   - `parse`: `inkslop.parser.parse(text)`;
   - `parse + check`: the same, then `inkslop.checker.check(document)`;
   - `re` tokenizer: a bare pass of Python's `re` over the same texts, one
     compiled regex of the language's token shapes (front matter, comments,
     closing tags, tags with their attributes, variables, text runs, a lone
     bracket or brace) applied with `finditer`, counting the matches. It is the
     floor a Python tokenizer could reach, not a parser.
   Each is the best (shortest) of `--repeat` passes; the table gives seconds,
   MB/s and the ratio to the `re` pass.

2. Growth with size. One document of 1, 2, 5 and 10 MB (script bodies, front
   matter removed, concatenated under one front matter that defines every
   variable): parse and parse + check, seconds and MB/s, to show whether time
   grows linearly with the size of one document; and parse again with the cyclic
   garbage collector off (`gc.disable()`), to tell the parser's own growth from
   the collector's, which traverses every live object of the document.

3. Deep nesting. One document of `--depth` (10,000) nested `[music]` blocks with
   a `[tts]` block innermost, and smaller depths for the trend: parse, parse with
   the garbage collector off, and parse + check, one pass each. A check expected to run longer than
   `--deep-budget` seconds (60), from the growth between the two depths measured
   before it, is not run; its estimate is printed instead.

In every pass a script is parsed (and checked) exactly as the library's public
functions do it; the built-in schema and the Lark parser are loaded once before
timing starts. Garbage collection is left on, as in real use, and a full
collection runs before each pass.

Run
---
    /tmp/dev/bin/python bench/throughput.py                  # about 10 minutes
    /tmp/dev/bin/python bench/throughput.py --size 2 --repeat 2 --sizes 0.5,1,2

The library is imported from the running interpreter's environment (in /tmp/dev,
the editable checkout at /work/main).
"""

from __future__ import annotations

import argparse
import gc
import math
import os
import platform
import random
import re
import time
from collections.abc import Callable

from inkslop.checker import check
from inkslop.parser import parse

MB = 1_000_000

# ---- the corpus ---------------------------------------------------------------------------

ANIMALS = ["axolotl", "mantis shrimp", "octopus", "narwhal", "pangolin", "tardigrade",
           "platypus", "cuttlefish", "okapi", "capybara", "snow leopard", "honey badger",
           "hummingbird", "blue whale", "arctic fox", "sea otter", "chameleon", "kiwi"]
PLACES = ["the Amazon", "Lake Xochimilco", "the Great Barrier Reef", "Patagonia", "Borneo",
          "the Sahara", "Svalbard", "Madagascar", "the Mariana Trench", "São Paulo", "Kyoto"]
ABILITIES = ["regrow its heart", "see ultraviolet light", "sleep with one eye open",
             "survive in outer space", "change colour in a fraction of a second",
             "hold its breath for an hour", "taste with its feet", "navigate by magnetism",
             "recognise faces", "walk on water", "punch with the force of a bullet"]
OPENERS = ["Here is something strange:", "Scientists were surprised to learn that",
           "Believe it or not,", "Fun fact:", "Here's the wild part:", "Researchers found that"]
CLOSERS = ["Follow for more strange facts!", "Which one surprised you most?",
           "Share this with someone who loves animals.", "See you tomorrow — same time.",
           "Nature is stranger than fiction.", "Comment your favourite below."]
NUMBERS = ["3", "16", "48", "100", "1,000", "2.5", "40 °C", "90%", "12 million"]
COMMENTS = ["fact-check before recording", "source: field guide, p. 112", "keep this under 20 s",
            "alternative take below", "music swell here", "second voice for contrast"]
VOICES = ["af_heart", "af_bella", "af_nicole", "af_sarah", "am_adam", "am_michael",
          "am_eric", "bf_emma", "bf_isabella", "bm_george", "bm_lewis"]
TRACKS = ["music/Carefree.opus", "music/Calm.opus", "music/Upbeat.opus", "music/Ambient.opus"]
VARIABLES = ("animal", "place", "number")


def sentence(rng: random.Random, variables: list[str]) -> str:
    animal = "{{ animal }}" if "animal" in variables and rng.random() < 0.3 else rng.choice(ANIMALS)
    place = "{{ place }}" if "place" in variables and rng.random() < 0.3 else rng.choice(PLACES)
    number = "{{ number }}" if "number" in variables and rng.random() < 0.3 else rng.choice(NUMBERS)
    shapes = [
        f"Did you know the {animal} can {rng.choice(ABILITIES)}?",
        f"{rng.choice(OPENERS)} the {animal} can {rng.choice(ABILITIES)}.",
        f"The {animal} lives in {place}, where few people ever see it.",
        f"A single {animal} can {rng.choice(ABILITIES)}, and it does so {number} times a day.",
        f"In {place}, the {animal} has about {number} close relatives.",
        f"That's right: the {animal} can {rng.choice(ABILITIES)}.",
        rng.choice(CLOSERS),
    ]
    return rng.choice(shapes)


def tts_block(rng: random.Random, variables: list[str], first: str = "") -> str:
    attributes = f'engine="kokoro_tts" voice="{rng.choice(VOICES)}"'
    if rng.random() < 0.7:
        attributes += ' subtitles="true"'
    if rng.random() < 0.2:
        attributes += f' speed="{rng.choice(["0.9", "1.1", "1.2"])}"'
    lines = ([first] if first else []) + [sentence(rng, variables)
                                          for _ in range(rng.randint(2, 5))]
    return f"[tts {attributes}]\n" + "\n".join(lines) + "\n[/tts]\n"


def script_body(rng: random.Random, variables: list[str]) -> str:
    """Music blocks of tts blocks, with comments; every variable is used once at least."""
    first = " ".join(f"Today: {{{{ {name} }}}}." for name in variables)
    parts = [f"[# {rng.choice(COMMENTS)} #]\n"]
    for _ in range(rng.randint(1, 3)):
        volume = rng.choice(["0.2", "0.25", "0.3", "0.4"])
        parts.append(f'[music file="{rng.choice(TRACKS)}" volume="{volume}" fit="loop"]\n')
        for _ in range(rng.randint(2, 5)):
            if rng.random() < 0.2:
                parts.append(f"[# {rng.choice(COMMENTS)} #]\n")
            parts.append(tts_block(rng, variables, first))
            first = ""
        parts.append("[/music]\n")
    return "".join(parts)


def front_matter(rng: random.Random, number: int, variables: list[str]) -> str:
    lines = ["+++", f'video_name = "fact-{number:05d}"',
             f'resolution = "{rng.choice(["9:16", "16:9"])}"']
    if rng.random() < 0.5:
        lines.append("notify_on_complete = true")
    if rng.random() < 0.5:
        lines += ["", "[publish]", f"channel_id = {rng.randint(1, 20)}",
                  f'privacy = "{rng.choice(["public", "private", "unlisted"])}"']
        if rng.random() < 0.5:
            lines.append("ai_generate_meta = true")
        else:
            lines += [f'title = "Facts about the {rng.choice(ANIMALS)}"',
                      'tags = ["animals", "facts", "shorts"]']
    if variables:
        lines += ["", "[vars]"]
        values = {"animal": rng.choice(ANIMALS), "place": rng.choice(PLACES),
                  "number": rng.choice(NUMBERS)}
        lines += [f'{name} = "{values[name]}"' for name in variables]
    return "\n".join(lines + ["+++", ""])


def corpus(size_mb: float, seed: int) -> list[str]:
    """Scripts until their UTF-8 size reaches size_mb."""
    rng = random.Random(seed)
    scripts, total, number = [], 0, 0
    while total < size_mb * MB:
        variables = [name for name in VARIABLES if rng.random() < 0.5]
        text = front_matter(rng, number, variables) + script_body(rng, variables)
        scripts.append(text)
        total += len(text.encode("utf-8"))
        number += 1
    return scripts


def one_document(size_mb: float, seed: int) -> str:
    """One document: a front matter defining every variable, then bodies to size_mb."""
    rng = random.Random(seed)
    parts = [('+++\nvideo_name = "long"\n\n[vars]\nanimal = "axolotl"\nplace = "Kyoto"\n'
              'number = "3"\n+++\n')]
    total = len(parts[0])
    while total < size_mb * MB:
        body = script_body(rng, list(VARIABLES))
        parts.append(body)
        total += len(body.encode("utf-8"))
    return "".join(parts)


def nested(depth: int) -> str:
    return ('[music file="music/Carefree.opus" volume="0.3" fit="loop"]\n' * depth
            + '[tts engine="kokoro_tts" voice="af_heart"]\nHello from the bottom.\n[/tts]\n'
            + "[/music]\n" * depth)


# ---- the re baseline ------------------------------------------------------------------------

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


# ---- timing -------------------------------------------------------------------------------

def best_of(repeat: int, run: Callable[[list[str]], tuple[float, ...]],
            texts: list[str]) -> tuple[float, ...]:
    """The smallest of each figure run(texts) returns, over repeat runs."""
    results = []
    for _ in range(repeat):
        gc.collect()
        results.append(run(texts))
    return tuple(min(column) for column in zip(*results))


def time_parse_and_check(texts: list[str]) -> tuple[float, float]:
    """Seconds spent in parse, and in parse + check, over texts (one document each)."""
    clock = time.perf_counter
    parsing = total = 0.0
    for text in texts:
        start = clock()
        document = parse(text)
        parsed = clock()
        check(document)
        done = clock()
        parsing += parsed - start
        total += done - start
    return parsing, total


def time_parse_gc_off(texts: list[str]) -> tuple[float]:
    """Seconds spent in parse over texts with the cyclic garbage collector off."""
    gc.disable()
    try:
        start = time.perf_counter()
        for text in texts:
            parse(text)
        return (time.perf_counter() - start,)
    finally:
        gc.enable()


def time_tokens(texts: list[str]) -> tuple[float]:
    start = time.perf_counter()
    for text in texts:
        count_tokens(text)
    return (time.perf_counter() - start,)


def growth(d1: float, t1: float, d2: float, t2: float) -> float:
    """The exponent k of time ~ size^k through two points."""
    return math.log(t2 / t1) / math.log(d2 / d1)


def estimated(points: list[tuple[int, float]], depth: int) -> tuple[float, float]:
    """Expected seconds at depth from the last two measured points (0 if unknown)."""
    if len(points) < 2:
        return 0.0, 0.0
    (d1, t1), (d2, t2) = points[-2:]
    exponent = growth(d1, t1, d2, t2)
    return t2 * (depth / d2) ** exponent, exponent


def utf8_mb(texts: list[str]) -> float:
    return sum(len(t.encode("utf-8")) for t in texts) / MB


def cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            for line in info:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size", type=float, default=10, help="corpus size in MB (default 10)")
    parser.add_argument("--repeat", type=int, default=3, help="passes; the best counts (3)")
    parser.add_argument("--sizes", default="1,2,5,10",
                        help="document sizes in MB for the growth table (1,2,5,10)")
    parser.add_argument("--depth", type=int, default=10_000, help="nesting depth (10000)")
    parser.add_argument("--deep-budget", type=float, default=60,
                        help="do not run a check expected to take longer than this (s, 60)")
    parser.add_argument("--seed", type=int, default=20261121)
    args = parser.parse_args()

    print(f"## inkslop throughput\n\n- Python {platform.python_version()} on {cpu_model()}")
    texts = corpus(args.size, args.seed)
    size = utf8_mb(texts)
    parse(texts[0]), check(parse(texts[0]))  # load the schema and build the Lark parser
    found = sum(len(check(parse(text))) for text in texts)
    tokens = sum(count_tokens(text) for text in texts)
    print(f"- corpus: {len(texts)} scripts, {size:.2f} MB (seed {args.seed}), "
          f"{size * MB / len(texts) / 1000:.1f} kB a script on average, {tokens} `re` tokens; "
          f"diagnostics found: {found}")
    print(f"- best of {args.repeat} passes; 1 MB = 1,000,000 bytes of UTF-8; load average "
          f"{os.getloadavg()[0]:.2f} at the start ({os.cpu_count()} CPUs)\n")

    (re_seconds,) = best_of(args.repeat, time_tokens, texts)
    parse_seconds, check_seconds = best_of(args.repeat, time_parse_and_check, texts)
    print("| pass over the corpus | seconds | MB/s | time / `re` tokenizer |")
    print("|---|---:|---:|---:|")
    for name, seconds in [("`re` tokenizer (finditer, counting)", re_seconds),
                          ("parse", parse_seconds), ("parse + check", check_seconds)]:
        print(f"| {name} | {seconds:.3f} | {size / seconds:.2f} | {seconds / re_seconds:.1f} |")

    print("\n### Growth with the size of one document\n")
    print("| document | parse (s) | parse MB/s | parse + check (s) | parse + check MB/s "
          "| parse, gc off (s) | parse, gc off MB/s |")
    print("|---:|---:|---:|---:|---:|---:|---:|")
    for size_mb in [float(s) for s in args.sizes.split(",")]:
        document = one_document(size_mb, args.seed)
        mb = utf8_mb([document])
        parse_seconds, check_seconds = best_of(args.repeat, time_parse_and_check, [document])
        (no_gc_seconds,) = best_of(args.repeat, time_parse_gc_off, [document])
        print(f"| {mb:.2f} MB | {parse_seconds:.2f} | {mb / parse_seconds:.2f} | "
              f"{check_seconds:.2f} | {mb / check_seconds:.2f} | {no_gc_seconds:.2f} | "
              f"{mb / no_gc_seconds:.2f} |")
        del document

    print(f"\n### Deep nesting: `[music]` blocks nested {args.depth} deep, one pass each\n")
    print("| depth | document | parse (s) | parse, gc off (s) | parse + check (s) | diagnostics |")
    print("|---:|---:|---:|---:|---:|---:|")
    depths = sorted({d for d in (args.depth // 10, args.depth // 5, args.depth // 2, args.depth)
                     if d > 0})
    parses: list[tuple[int, float]] = []  # (depth, parse seconds)
    parses_no_gc: list[tuple[int, float]] = []  # (depth, parse seconds with gc off)
    checks: list[tuple[int, float]] = []  # (depth, parse + check seconds)
    for depth in depths:
        text = nested(depth)
        kb = len(text.encode("utf-8")) / 1000
        gc.collect()
        (no_gc_seconds,) = time_parse_gc_off([text])
        parses_no_gc.append((depth, no_gc_seconds))
        gc.collect()
        start = time.perf_counter()
        document = parse(text)
        parse_seconds = time.perf_counter() - start
        parses.append((depth, parse_seconds))
        row = f"| {depth} | {kb:.0f} kB | {parse_seconds:.2f} | {no_gc_seconds:.2f} |"
        estimate, exponent = estimated(checks, depth)
        if estimate > args.deep_budget:
            print(f"{row} not run: about {estimate:,.0f} s expected "
                  f"(time ~ depth^{exponent:.1f}) | |")
            continue
        start = time.perf_counter()
        diagnostics = check(document)
        total = parse_seconds + time.perf_counter() - start
        checks.append((depth, total))
        codes = sorted({d.code for d in diagnostics})
        print(f"{row} {total:.2f} | {len(diagnostics)} ({', '.join(codes)}) |")
    print()
    for name, points in (("parse", parses), ("parse, gc off", parses_no_gc),
                         ("parse + check", checks)):
        if len(points) >= 2:
            (d1, t1), (d2, t2) = points[-2:]
            print(f"- {name}: time grows as depth^{growth(d1, t1, d2, t2):.1f} between depths "
                  f"{d1} and {d2} (1.0 would be linear).")
    print(f"\nLoad average at the end: {os.getloadavg()[0]:.2f}.")


if __name__ == "__main__":
    main()
