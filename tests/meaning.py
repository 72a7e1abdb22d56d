"""What a script means, and the properties that `fmt` and the safe fixes keep it.

The meaning of a script is what InkSlop and the toolkit make of it:

- the narration of each narrated block: its lines of words in order, and which
  engine, voice and speed say them;
- every tag with every attribute value (in any order: ordering is the formatter's);
- every comment's body (line endings aside);
- every directive's effect: which findings the directives suppress;
- the front matter (its text, line endings aside);
- the compiled script (with VALUES) or, when it does not compile, that it does not;
- the estimate in seconds.

`fmt_failures(text)` and `fix_failures(text)` return what breaks (empty when the
properties hold), so the hypothesis tests (tests/format/test_meaning_properties.py)
and the long campaign (bench/fuzz_meaning.py) run the same checks. `random_script`
and `mutate` make inputs from a `random.Random`, for both.
"""

from __future__ import annotations

import random
import re
from collections import Counter
from dataclasses import dataclass, fields, replace
from functools import lru_cache
from typing import Any

from inkslop.compile.compiler import CompileError, compile_document
from inkslop.config.settings import default_settings
from inkslop.estimate.estimator import estimate_document
from inkslop.format.formatter import FormatError, format_text
from inkslop.lint.checker import check, fix
from inkslop.syntax.ast import Block, Comment, Document, Text, Variable, VoidTag, walk
from inkslop.syntax.bom import without_bom
from inkslop.syntax.parser import parse

VALUES = {"animal": "axolotl", "fact": "it regrows  limbs", "voice_name": "am_adam", "n": "3"}
# Findings about the way a value is written, which fmt rewrites away.
STYLE_CODES = frozenset({"S012", "S013"})
_VALUE_EDGES = re.compile(r'="[ \t]*((?:[^"\\]|\\.)*?)[ \t]*"')
_DIRECTIVE = re.compile(r"(\s*)inkslop(\s*:)", re.I)
# A Markdown code fence line pasted into narration is no narration its author meant: S018
# reports it, and its safe fix removes the line.
_FENCE_LINE = re.compile(r"[ \t]*(?:```|~~~)[ \t]*[A-Za-z0-9_+.-]*[ \t]*\r?")


@dataclass(frozen=True)
class Meaning:
    narration: tuple[Any, ...]
    tags: tuple[Any, ...]
    comments: tuple[str, ...]
    suppressed: tuple[Any, ...]
    front_matter: str | None
    compiled: str
    seconds: float
    findings: tuple[Any, ...]  # how many of each code (the style ones aside)


@lru_cache(maxsize=8)  # a script's meaning is asked for by both properties
def meaning(text: str) -> Meaning:
    document = parse(text)
    found = check(document)
    return Meaning(narration=narration(document), tags=tags(document),
                   comments=tuple(_lf(c.body) for c in walk(document) if isinstance(c, Comment)),
                   suppressed=suppressed(text, document, found),
                   front_matter=_front_matter(document), compiled=compiled(document),
                   seconds=round(estimate_document(document, given=VALUES).seconds, 6),
                   findings=tuple(sorted(Counter(
                       d.code for d in found if d.code not in STYLE_CODES).items())))


def narration(document: Document) -> tuple[Any, ...]:
    """Each narrated block: engine, voice, speed, and its lines of words. A tag inside the
    narration, opening or closing, ends a line (the compiler writes it on a line of its
    own); a comment is dropped where it stands."""
    narrated = {name for name, spec in default_settings().schema.tags.items() if spec.narrated}
    blocks = []
    for block in walk(document):
        if isinstance(block, Block) and block.name in narrated:
            lines = _lf("".join(_spoken_pieces(block)))
            blocks.append((_value(block, "engine"), _value(block, "voice"),
                           _value(block, "speed"),
                           tuple(" ".join(line.split()) for line in lines.split("\n")
                                 if line.strip() and not _FENCE_LINE.fullmatch(line))))
    return tuple(blocks)


def _spoken_pieces(node: Any) -> list[str]:
    """The text below `node`, variables as `{{ name }}`, a line break for each tag."""
    pieces = []
    for child in node.children:
        if isinstance(child, Text):
            pieces.append(child.value)
        elif isinstance(child, Variable):
            pieces.append("{{ " + child.name + " }}")
        elif isinstance(child, VoidTag):
            pieces.append("\n")
        elif isinstance(child, Block):
            pieces += ["\n", *_spoken_pieces(child), "\n"]
    return pieces


def tags(document: Document) -> tuple[Any, ...]:
    return tuple((node.name, type(node).__name__, tuple(sorted(
        (a.name, _spelt(a.value) or "") for a in node.attributes)))
        for node in walk(document) if isinstance(node, (Block, VoidTag)))


def suppressed(text: str, document: Document, found: list[Any]) -> tuple[Any, ...]:
    """The findings that the directives suppress: those found once every directive is made
    an ordinary comment of the same length, and not found with the directives."""
    if not _DIRECTIVE.search(text):
        return ()
    plain = without_bom(text)
    for comment in (c for c in walk(document) if isinstance(c, Comment)):
        start = comment.span.start + 2
        body = _DIRECTIVE.sub(lambda m: m[1] + "x" * 7 + m[2], comment.body, count=1)
        plain = plain[:start] + body + plain[start + len(comment.body):]
    without = Counter(_finding(d) for d in check(parse(plain)))
    return tuple(sorted((without - Counter(_finding(d) for d in found)).elements()))


def compiled(document: Document) -> str:
    try:
        return compile_document(document, VALUES)
    except CompileError as error:
        return "not compiled: " + " ".join(sorted({d.code for d in error.diagnostics}))


def _finding(diagnostic: Any) -> tuple[str, str]:
    return diagnostic.code, diagnostic.severity


def _front_matter(document: Document) -> str | None:
    front_matter = document.front_matter
    # Blank lines at the ends of TOML mean nothing (closing it may add a line break).
    return None if front_matter is None else _lf(front_matter.body).strip("\n")


def _value(block: Block, name: str) -> str | None:
    attribute = block.attribute(name)
    return None if attribute is None else _spelt(attribute.value)


def _spelt(value: str | None) -> str | None:
    # `{{v}}` and `{{ v }}` are the same variable; spaces at a value's ends are a slip that a
    # safe fix (T014) removes, not part of what it means.
    if value is None:
        return None
    return re.sub(r"\{\{[ \t]*(\w+)[ \t]*\}\}", r"{{ \1 }}", value).strip(" \t")


def _lf(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def differences(before: Meaning, after: Meaning, skip: tuple[str, ...] = ()) -> list[str]:
    return [f"{f.name}: {getattr(before, f.name)!r} != {getattr(after, f.name)!r}"
            for f in fields(Meaning)
            if f.name not in skip and getattr(before, f.name) != getattr(after, f.name)]


# ---- the properties -----------------------------------------------------------------------


def fmt_failures(text: str) -> list[str]:
    """`fmt` is idempotent, writes no syntax error, and keeps the meaning and the findings
    (but the style ones it rewrites away). A script with syntax errors is not formatted."""
    try:
        once = format_text(text)
    except FormatError:
        return []
    if once == text:
        return []
    if parse(once).has_syntax_errors:
        return [f"fmt wrote a syntax error: {once!r}"]
    problems = []
    if format_text(once) != once:
        problems.append(f"fmt is not idempotent: {once!r} -> {format_text(once)!r}")
    before, after = meaning(text), meaning(once)
    problems += ["fmt changed " + d for d in differences(before, after, ("suppressed", "findings"))]
    if _unstyled(before.suppressed) != _unstyled(after.suppressed):
        problems.append(f"fmt changed suppressed: {before.suppressed} -> {after.suppressed}")
    # A directive that suppressed only style findings suppresses nothing once fmt has
    # rewritten them away (N001).
    ignored = {"N001"} if _unstyled(before.suppressed) != before.suppressed else set()
    if _without(before.findings, ignored) != _without(after.findings, ignored):
        problems.append(f"fmt changed the findings: {before.findings} -> {after.findings}")
    return problems


def _unstyled(suppressed: tuple[Any, ...]) -> tuple[Any, ...]:
    return tuple(f for f in suppressed if f[0] not in STYLE_CODES)


def _without(counts: tuple[Any, ...], codes: set[str]) -> tuple[Any, ...]:
    return tuple((code, n) for code, n in counts if code not in codes)


def fix_failures(text: str) -> list[str]:
    """The safe fixes keep what the parser reads: narration, tags and their values, comments,
    directives' effect, front matter text, the estimate; and the compiled script when
    the script compiled before them."""
    result = fix(text)
    if result.text == text:
        return []
    before, after = meaning(text), meaning(result.text)
    skip: tuple[str, ...] = ("suppressed", "findings")  # fixes remove findings
    if before.compiled.startswith("not compiled"):
        skip += ("compiled",)  # a fix may well make it compile
    fixed = {d.code for d in result.applied}
    if "T014" in fixed:  # its fix removes the spaces at a value's ends: by design, sent
        before, after = (replace(m, compiled=_VALUE_EDGES.sub(r'="\1"', m.compiled))
                         for m in (before, after))
    problems = ["a safe fix changed " + d for d in differences(before, after, skip)]
    # What a directive suppressed, it still suppresses: no finding it hid shows after the
    # fix (a fix may bring a new finding that a directive covers: an invisible space made a
    # space is a space at a value's end; and one that ends a syntax error may make findings
    # go that a directive hid: C006 says what the parts' findings said).
    lost = Counter(before.suppressed) - Counter(after.suppressed)
    shown_before, shown_after = dict(before.findings), dict(after.findings)
    resurfaced = [code for code, _ in lost
                  if code not in fixed and shown_after.get(code, 0) > shown_before.get(code, 0)]
    # Nor when invisible characters are removed (S021): the names and values are then read
    # as they look, and findings about them change (a `{{ v\u200b }}` becomes a variable).
    if not fixed & (STYLE_CODES | {"S021"}) and resurfaced:
        problems.append(f"a safe fix changed the suppressed findings: {before.suppressed} -> "
                        f"{after.suppressed}")
    return [f"{p} (fixes {sorted(fixed)}: {result.text!r})" for p in problems]


def failures(text: str) -> list[str]:
    return fmt_failures(text) + fix_failures(text)


# ---- inputs ---------------------------------------------------------------------------------

VOICES = ["af_heart", "am_adam", "bf_emma", "af_hart", "{{ voice_name }}", "{{voice_name}}"]
WORDS = ["Hello", "world", "the", "axolotl", "$4.99", "1998", "NASA", "FAQ", "don't", "é",
         "🔥", "—", "#", "{", "}", "/", "=", "'", '"', "https://example.com/a", "+++", "---",
         "{{ animal }}", "{{fact}}", "{{ n }}", "{{ missing }}", "\u00a0", "\u200b", "a;b"]
COMMENTS = ["[# note #]", "[# TODO #]", "[#\nmulti\nline #]", "[# [tts] {{ x }} #]",
            "[# inkslop: ignore T008 #]", "[# inkslop: ignore #]", "[# inkslop: ignore C001 #]",
            "[# inkslop: ignore-block C005 #]", "[# inkslop: ignore-file N001 #]",
            "[# inkslop: ignore S012, T #]", "[# inkslop: ignroe T008 #]"]
INSERTS = ["[", "]", "[/tts]", "[tts]", "[/music]", '"', "'", "\n", "\r", "\r\n", "\ufeff",
           "[#", "#]", "[# c #]", "[# inkslop: ignore T008 #]", "[# inkslop: ignore #]",
           "{{ animal }}", "{{", "}}", "{", "}", "“", "”", "```", "```inkslop\n", "\n```\n", " ",
           "\t", "  ", "+++\n", "---\n", "[pause/]", "[pause /]", "\u200b", "\u00a0", "/", "=",
           "[tts engine=\"kokoro_tts\" voice=\"af_heart\"]", "\n\n\n", "#", "[laughs]"]


def random_script(rng: random.Random) -> str:
    """A script as people and generators write them: front matter, music and tts blocks,
    narration with variables and comments, directives, void tags, odd spacing."""
    parts = []
    if rng.random() < 0.3:
        parts.append("+++\nvideo_name = \"x\"\n\n[vars]\nanimal = \"axolotl\"\nfact = \"limbs\"\n"
                     "+++\n" + rng.choice(["", "\n", "\n\n"]))
    for _ in range(rng.randint(1, 3)):
        parts.append(_item(rng, 0) + rng.choice(["\n", "\n", "\n\n", "", " ", "\n\n\n"]))
    if rng.random() < 0.2:
        parts.append(rng.choice(COMMENTS))
    text = "".join(parts)
    if rng.random() < 0.1:
        text = text.replace("\n", "\r\n")
    return text


def _item(rng: random.Random, depth: int) -> str:
    roll = rng.random()
    if roll < 0.15 and depth < 2:
        music = '[music file="music/Carefree.opus"' + rng.choice(["", ' volume="0.3"', " fit=loop"])
        inside = rng.choice(["\n", "", " "]).join(_item(rng, depth + 1)
                                                  for _ in range(rng.randint(1, 2)))
        return music + "]" + rng.choice(["\n", ""]) + inside + rng.choice(["\n", ""]) + "[/music]"
    if roll < 0.22:
        return rng.choice(COMMENTS + ["[pause/]", "Loose text", "[laughs]"])
    return _tts(rng)


def _tts(rng: random.Random) -> str:
    quote = rng.choice(['"', '"', '"', "'", ""])
    voice = rng.choice(VOICES)
    quote = '"' if "{" in voice and not quote else quote
    attributes = [f"engine={quote}kokoro_tts{quote}", f"voice={quote}{voice}{quote}"]
    if rng.random() < 0.3:
        attributes.append(rng.choice(['speed="1.25"', 'subtitles="true"', "label='a b'",
                                      'speed="{{ n }}"', 'subtitles="TRUE"', 'speed="1,1"']))
    rng.shuffle(attributes)
    tag = "[" + rng.choice(["tts", "TTS", "Tts"]) + " " + rng.choice([" ", "  ", "\t"]).join(
        attributes) + rng.choice(["", " "]) + "]"
    if rng.random() < 0.2:
        tag += rng.choice(["", " "]) + rng.choice(COMMENTS)
    lines = []
    for _ in range(rng.randint(1, 3)):
        words = [rng.choice(WORDS + COMMENTS[:2] + ["[pause/]"]) for _ in range(rng.randint(0, 6))]
        lines.append(rng.choice(["", " ", "\t"]) + rng.choice([" ", " ", "", "  "]).join(words))
    if len(lines) == 1 and rng.random() < 0.4:
        body = lines[0]
    else:
        body = "".join(rng.choice(["\n", "\n", "\n\n", " \n"]) + line for line in lines) + "\n"
    tail = rng.choice(["", "", " " + rng.choice(COMMENTS)])
    return tag + body + "[/tts]" + tail


def mutate(rng: random.Random, text: str, count: int | None = None) -> str:
    """`text` with a few random edits: insertions of syntax and invisible characters,
    deletions, duplications."""
    for _ in range(count if count is not None else rng.randint(1, 3)):
        position = rng.randint(0, len(text))
        roll = rng.random()
        if roll < 0.6 or not text:
            text = text[:position] + rng.choice(INSERTS) + text[position:]
        elif roll < 0.85:
            text = text[:position] + text[position + rng.randint(1, 3):]
        else:
            end = min(len(text), position + rng.randint(1, 12))
            text = text[:end] + text[position:end] + text[end:]
    return text


def random_input(rng: random.Random) -> str:
    script = random_script(rng)
    return script if rng.random() < 0.25 else mutate(rng, script)
