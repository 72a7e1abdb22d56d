"""What a rule is, and the context a rule's check runs in.

Every rule has a stable code, a kebab-case name, a group, a default severity,
a one-line summary, documentation with a bad and a good example (the tests run
both), and says whether its fix is safe. Syntax rules are found by the parser;
the others have a `check` over the parsed document.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from inkslop.schema.spec import ASSUMED, Schema
from inkslop.syntax.ast import Block, Document, VoidTag, walk
from inkslop.syntax.diagnostics import ERROR, SEVERITY_RANK, WARNING, Diagnostic, Fix
from inkslop.syntax.spans import Span

GROUPS = {
    "S": "syntax",
    "T": "schema",
    "C": "content",
    "F": "front matter",
    "V": "variables",
    "D": "duration",
    "N": "suppression",
}


@dataclass(slots=True, frozen=True)
class Rule:
    code: str
    name: str
    severity: str
    summary: str
    why: str
    bad: str
    good: str
    fix: str = "none"  # "safe", "unsafe", "sometimes safe" or "none"
    rests_on: str = "confirmed"  # what the finding rests on: confirmed, assumed, toolkit
    # An inkslop.toml that the examples need (a declared tag, a music library...).
    example_config: str = ""
    # Whether the rule reports names: a near miss of a known name (inkslop.schema.near_miss)
    # is then an error, whatever the fact rests on; a name far from every known one keeps
    # the rule's severity, capped at warning when it rests on an assumption.
    near_miss: bool = False
    # What the severity rests on, when the generic sentence of the docs does not say it.
    severity_note: str = ""

    @property
    def group(self) -> str:
        return GROUPS[self.code[0]]


@dataclass(slots=True)
class CheckContext:
    """What a rule sees: the document, the schema, the project settings, and a sink."""

    document: Document
    schema: Schema
    music_library: tuple[str, ...] = ()
    settings: Any = None  # the project's Settings, for rules that need more than the schema
    findings: list[Diagnostic] = field(default_factory=list)
    broken: set[int] = field(default_factory=set)
    # What the estimate of an earlier version worked out per block (estimator.Narrations).
    narrations: Any = None

    def report(self, rule: Rule, message: str, span: Span, fix: Fix | None = None,
               rests_on: str | None = None, sure: bool = False) -> None:
        """Record a finding. One that is `sure` (a near miss of a known name, a tag inside
        narration) is an error: the script is almost surely not what its author meant.
        Otherwise one that rests on an assumed fact could be right: a warning at most."""
        severity = rule.severity
        if sure:
            severity = ERROR
        elif (rests_on or rule.rests_on) == ASSUMED and \
                SEVERITY_RANK[severity] > SEVERITY_RANK[WARNING]:
            severity = WARNING
        self.findings.append(Diagnostic(rule.code, severity, message, span, fix))

    def is_broken(self, node: Block | VoidTag) -> bool:
        """Whether a syntax error touches this tag: rules leave it alone."""
        return id(node) in self.broken


# Syntax errors after which the parser reads the tag as its author meant it (curly
# quotes as quotes, a tag cut across lines as one tag, a name without its invisible
# character, `name: "value"` as `name="value"`, `[ tts` as `[tts`): the tag is still
# checked, so that a bad voice behind them is reported.
READ_AS_MEANT = frozenset({"S015", "S020", "S021", "S022", "S023"})


def broken_tags(document: Document, tops: Iterable[Any] | None = None) -> set[int]:
    """The tags (by id) whose opening tag a syntax error touches; `tops`: the top-level
    nodes to look in (all by default)."""
    errors = sorted(d.span.start for d in document.diagnostics
                    if d.severity == ERROR and d.code not in READ_AS_MEANT)
    if not errors:
        return set()
    broken: set[int] = set()
    for node in (n for top in (document.children if tops is None else tops) for n in walk(top)):
        if isinstance(node, (Block, VoidTag)):
            tag = node.open_span if isinstance(node, Block) else node.span
            first = bisect_left(errors, tag.start)
            if first < len(errors) and errors[first] <= tag.end:
                broken.add(id(node))
    return broken


def rules_by_code(modules: Iterable[Any]) -> dict[str, Rule]:
    found: dict[str, Rule] = {}
    for module in modules:
        for rule in module.RULES:
            if rule.code in found:
                raise ValueError(f"rule code {rule.code} is defined twice")
            found[rule.code] = rule
    return dict(sorted(found.items()))
