"""What the per-node rules found in each top-level node, kept for the next version.

Most rules look at one top-level node at a time (its tags, its text, its blocks): what
they find in a node depends on the node, on the syntax diagnostics that touch it, on the
settings, and on whether the script narrates anything at all (inkslop.lint.checker says
which rules these are). An incremental parse (inkslop.syntax.incremental) keeps the nodes
outside the edit as they were, or moves them; so a node of the next version that is the
same object, with the same text and the same syntax diagnostics around it, has the same
findings, moved as the node moved. The rules of the whole document run again every time,
from facts gathered once per node; the estimate (D001) reuses what it worked out for each
narrated block that was kept (inkslop.estimate.estimator.Narrations).
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from typing import Any

from inkslop.syntax.ast import Comment, Document, Variable
from inkslop.syntax.diagnostics import Diagnostic
from inkslop.syntax.incremental import shifted_diagnostic

# What a syntax diagnostic looks like to a node's rules: code, severity, and where it
# starts and ends, from the node's start.
Touching = tuple[tuple[str, str, int, int], ...]


@dataclass(slots=True)
class NodeFindings:
    """One top-level node, what the per-node rules found in it, and the facts the rules
    of the whole document gather from it."""

    node: Any  # held, so that its id is not reused while it is remembered
    text: str
    start: int
    line: int
    column: int
    touching: Touching
    variables: list[Variable]
    comments: list[tuple[Comment, object]]
    says_something: bool  # whether it holds words to narrate
    nothing_narrated: bool = False  # what `findings` assumed of the whole script
    findings: list[Diagnostic] | None = None  # None: not found yet

    def same(self, node: Any, text: str, touching: Touching) -> bool:
        """Whether `node` of a later version is this one, unchanged but maybe moved."""
        span = node.span
        return (self.node is node and self.column == span.column
                and self.touching == touching and self.text == text[span.start:span.end])

    def moved_findings(self) -> list[Diagnostic]:
        """The findings, where the node now stands (its columns stay: only whole lines
        before it changed)."""
        assert self.findings is not None
        span = self.node.span
        offset, lines = span.start - self.start, span.line - self.line
        if offset or lines:
            self.findings = [shifted_diagnostic(d, offset, lines) for d in self.findings]
            self.start, self.line = span.start, span.line
        return self.findings


@dataclass(slots=True)
class CheckMemo:
    """The findings of each top-level node of one checked version (by the node's id), and
    the settings they were found with."""

    settings: Any
    nodes: dict[int, NodeFindings] = field(default_factory=dict)
    narrations: Any = None  # what the estimate (D001) worked out per block: Narrations

    def fits(self, settings: Any) -> bool:
        """Whether the findings were made with these settings."""
        return settings is self.settings or settings == self.settings

    def get(self, node: Any, text: str, touching: Touching) -> NodeFindings | None:
        """What was found in `node`, if it is unchanged."""
        found = self.nodes.get(id(node))
        return found if found is not None and found.same(node, text, touching) else None


def touching_by_node(document: Document) -> list[Touching]:
    """For each top-level node, the syntax diagnostics that touch it (ends included, as a
    tag counts as broken by an error just at its end)."""
    tops = document.children
    starts = [node.span.start for node in tops]
    found: list[list[tuple[str, str, int, int]]] = [[] for _ in tops]
    for diagnostic in document.diagnostics:
        span = diagnostic.span
        index = bisect_right(starts, span.end) - 1  # the last node starting at or before its end
        while index >= 0 and tops[index].span.end >= span.start:
            start = tops[index].span.start
            found[index].append((diagnostic.code, diagnostic.severity, span.start - start,
                                 span.end - start))
            index -= 1
    return [tuple(touching) for touching in found]
