"""Inline suppression through comment directives.

    [# inkslop: ignore T008 #]         the line the comment stands on; a comment
                                       alone on its line covers the next line
    [# inkslop: ignore-block C001 #]   the innermost block that holds the comment
    [# inkslop: ignore-file T001,C001 #]  the whole file

Codes are separated by commas or spaces; a prefix (`T`, `T00`) covers every code
it begins, and no code at all covers every code. Syntax errors cannot be
suppressed. A directive that suppresses nothing is reported (N001), and so is
one that names no rule or is misspelt (N002).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from inkslop.syntax.ast import Block, Comment, Document, walk_with_parent
from inkslop.syntax.diagnostics import ERROR, Diagnostic, Edit, Fix
from inkslop.syntax.spans import Span

_DIRECTIVE = re.compile(r"\s*inkslop\s*:\s*([A-Za-z-]*)(.*)", re.S)
KINDS = ("ignore", "ignore-block", "ignore-file")


@dataclass(slots=True)
class Suppression:
    kind: str
    codes: tuple[str, ...]  # empty: every code
    comment: Comment
    start: int  # what it covers: offsets for blocks and files, lines for `ignore`
    end: int
    used: set[str] = field(default_factory=set)

    def covers(self, diagnostic: Diagnostic) -> bool:
        if diagnostic.code.startswith("S") and diagnostic.severity == ERROR:
            return False
        if self.codes and not any(diagnostic.code.startswith(c) for c in self.codes):
            return False
        where = diagnostic.span.line if self.kind == "ignore" else diagnostic.span.start
        if self.kind == "ignore-block":  # a block that starts just where this one ends is not in it
            return self.start <= where < self.end
        return self.start <= where <= self.end


@dataclass(slots=True)
class Problem:
    code: str
    message: str
    span: Span
    fix: Fix | None = None


def find_suppressions(document: Document, known_codes: set[str],
                      syntax_errors: frozenset[str] = frozenset(),
                      comments: Iterable[tuple[Comment, object]] | None = None
                      ) -> tuple[list[Suppression], list[Problem]]:
    """The directives of a document; `syntax_errors` are the codes that cannot be suppressed;
    `comments`: the document's comments with their parents, when already collected."""
    suppressions: list[Suppression] = []
    problems: list[Problem] = []
    for node, parent in comments_in(document) if comments is None else comments:
        directive = _DIRECTIVE.fullmatch(node.body)
        if directive is None:
            continue
        kind, codes = directive[1].lower(), tuple(c for c in re.split(r"[,\s]+", directive[2]) if c)
        if kind not in KINDS:
            problems.append(Problem("N002", f"Unknown directive `inkslop: {directive[1]}`: write "
                                    "`ignore`, `ignore-block` or `ignore-file`.", node.span))
            continue
        unknown = [c for c in codes if not any(k.startswith(c.upper()) for k in known_codes)]
        if unknown:
            problems.append(Problem("N002", "No rule has the code "
                                    + ", ".join(f"`{c}`" for c in unknown)
                                    + ": `inkslop rule` lists them.", node.span))
            continue
        codes = tuple(c.upper() for c in codes)
        syntax = [c for c in codes if c in syntax_errors]
        if syntax:
            problems.append(Problem("N002", "Syntax errors cannot be suppressed ("
                                    + ", ".join(f"`{c}`" for c in syntax) + "): fix them instead.",
                                    node.span))
            continue
        scope = _scope(document, node, kind, parent)
        if scope is None:
            problems.append(Problem("N002", "`ignore-block` must stand inside the block it "
                                    "covers.", node.span))
            continue
        suppressions.append(Suppression(kind, codes, node, *scope))
    return suppressions, problems


def comments_in(node: object, parent: object = None) -> list[tuple[Comment, object]]:
    """The comments below `node` (whose own parent is `parent`), each with its parent."""
    found = []
    for current, holder in walk_with_parent(node):
        if isinstance(current, Comment):
            found.append((current, parent if current is node else holder))
    return found


def _scope(document: Document, comment: Comment, kind: str,
           parent: object) -> tuple[int, int] | None:
    if kind == "ignore-file":
        return 0, len(document.text)
    if kind == "ignore-block":
        # A comment's parent is the innermost block that holds it, or the document.
        return (parent.span.start, parent.span.end) if isinstance(parent, Block) else None
    lines = document.lines
    first, last = comment.span.line, comment.span.end_line
    before = lines.line_text(first)[:comment.span.column - 1]
    after = lines.line_text(last)[comment.span.end_column - 1:]
    if before.strip() or after.strip():
        return first, last
    following = last + 1
    while following <= lines.line_count and not lines.line_text(following).strip():
        following += 1
    return following, following


def apply_suppressions(diagnostics: list[Diagnostic], suppressions: list[Suppression]
                       ) -> list[Diagnostic]:
    """The diagnostics that no directive covers; records which directives were used.
    The directives are indexed (by line, by code), so that the time grows with the
    diagnostics plus the directives, not with their product."""
    index = _SuppressionIndex(suppressions)
    around = _blocks_around(diagnostics, index.blocks)
    return [d for d, blocks in zip(diagnostics, around) if not index.cover(d, blocks)]


def _blocks_around(diagnostics: list[Diagnostic], blocks: list[Suppression]
                   ) -> list[tuple[Suppression, ...]]:
    """For each diagnostic, the `ignore-block` directives whose block holds its start. One
    sweep over both in offset order: blocks nest, so the ones open at a point are a stack."""
    around: list[tuple[Suppression, ...]] = [()] * len(diagnostics)
    # Last to open first, so that the next to open is pending[-1].
    pending = sorted(blocks, key=lambda block: (block.start, -block.end), reverse=True)
    opened: list[Suppression] = []
    for i in sorted(range(len(diagnostics)), key=lambda i: diagnostics[i].span.start):
        where = diagnostics[i].span.start
        while pending and pending[-1].start <= where:
            block = pending.pop()
            while opened and opened[-1].end <= block.start:
                opened.pop()
            opened.append(block)
        while opened and opened[-1].end <= where:
            opened.pop()
        around[i] = tuple(opened)
    return around


class _SuppressionIndex:
    """`ignore` directives by the lines they cover, `ignore-file` ones by their codes
    (any code a prefix of the diagnostic's covers it), `ignore-block` ones in a list."""

    def __init__(self, suppressions: list[Suppression]) -> None:
        self.by_line: dict[int, list[Suppression]] = {}
        self.whole_file: dict[str, list[Suppression]] = {}  # "" when no code is named
        self.blocks: list[Suppression] = []
        self.recorded: set[tuple[str, str]] = set()  # (bucket, code) already marked used
        for suppression in suppressions:
            if suppression.kind == "ignore":
                for line in range(suppression.start, suppression.end + 1):
                    self.by_line.setdefault(line, []).append(suppression)
            elif suppression.kind == "ignore-file":
                for code in suppression.codes or ("",):
                    self.whole_file.setdefault(code, []).append(suppression)
            else:
                self.blocks.append(suppression)

    def cover(self, diagnostic: Diagnostic, blocks: tuple[Suppression, ...]) -> bool:
        """Whether a directive covers the diagnostic (`blocks`: the `ignore-block` ones
        around it), marking each such directive used."""
        if diagnostic.code.startswith("S") and diagnostic.severity == ERROR:
            return False
        covered = False
        for suppression in (*self.by_line.get(diagnostic.span.line, ()), *blocks):
            if suppression.covers(diagnostic):
                suppression.used.add(diagnostic.code)
                covered = True
        code = diagnostic.code
        for prefix in {code[:length] for length in range(len(code) + 1)}:
            bucket = self.whole_file.get(prefix)
            if bucket:
                covered = True
                if (prefix, code) not in self.recorded:  # each bucket marked once per code
                    self.recorded.add((prefix, code))
                    for suppression in bucket:
                        suppression.used.add(code)
        return covered


def unused(document: Document, suppressions: list[Suppression]) -> list[Problem]:
    problems = []
    for suppression in suppressions:
        idle = [c for c in suppression.codes if not any(u.startswith(c) for u in suppression.used)]
        if suppression.codes and not idle or not suppression.codes and suppression.used:
            continue
        what = ", ".join(f"`{c}`" for c in idle) if suppression.codes else "anything"
        span = suppression.comment.span
        problems.append(Problem("N001", f"This directive suppresses nothing ({what}): remove it.",
                                span, Fix("Remove the directive", (Edit(span, ""),), safe=False)))
    return problems
