"""`check`: a document's diagnostics, and `fix`: its safe fixes applied.

Syntax diagnostics come first, from the parser. The schema, content, front
matter and variable rules then run on the parts that parsed: a tag that a
syntax error touches, or a block never closed, is left to its syntax
diagnostic, so a half-typed tag never buries its author in noise. Then the
inline suppressions, the selection and the severity overrides of the project's
settings apply.

Most rules look at one top-level node at a time (`tags.check_node`,
`content.check_node`); the others look at the whole document (whether anything is
narrated, the front matter, the variables, the estimate, the suppressions), from
facts gathered once per node. `check_again` reuses what an earlier version's
check found in the nodes an incremental parse kept (inkslop.lint.incremental).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from inkslop.config.settings import Settings, default_settings
from inkslop.lint.incremental import CheckMemo, NodeFindings, Touching, touching_by_node
from inkslop.lint.rules import (
    RULES,
    CheckContext,
    broken_tags,
    content,
    duration,
    front_matter,
    tags,
    variables,
)
from inkslop.lint.suppression import apply_suppressions, comments_in, find_suppressions, unused
from inkslop.syntax.ast import Block, Document, variables_in, walk
from inkslop.syntax.bom import split_bom
from inkslop.syntax.diagnostics import ERROR, WARNING, Diagnostic, Fix, apply_edits
from inkslop.syntax.parser import collector_paused, parse


def check(document: Document, settings: Settings | None = None) -> list[Diagnostic]:
    """Every diagnostic of a parsed document, in source order."""
    return check_again(document, settings, None).diagnostics


@dataclass(slots=True)
class Checked:
    diagnostics: list[Diagnostic]
    memo: CheckMemo  # what the next version's check may reuse


def check_again(document: Document, settings: Settings | None,
                memo: CheckMemo | None) -> Checked:
    """`check` of a document, reusing what `memo` (an earlier version's) found in the
    top-level nodes it shares with this one (inkslop.lint.incremental): the same
    diagnostics as `check`, and the memo for the next version."""
    with collector_paused():
        return _check(document, settings or default_settings(), memo)


def _check(document: Document, settings: Settings, earlier: CheckMemo | None) -> Checked:
    context = CheckContext(document, settings.schema, settings.music_library, settings)
    if earlier is not None and not earlier.fits(settings):
        earlier = None
    memo = CheckMemo(settings, narrations=earlier.narrations if earlier else None)
    if memo.narrations is None and settings.max_seconds is not None:
        from inkslop.estimate.estimator import Narrations  # off the import path of check

        memo.narrations = Narrations()
    context.narrations = memo.narrations
    for node, touching in zip(document.children, touching_by_node(document)):
        found = earlier.get(node, document.text, touching) if earlier else None
        memo.nodes[id(node)] = found or _facts(context, node, touching)
    nodes = [memo.nodes[id(node)] for node in document.children]
    # The rules of the whole document, from the facts of each node.
    says_something = any(node.says_something for node in nodes)
    nothing_narrated = content.check_nothing_narrated(context, says_something)
    context.broken = broken_tags(document, [n.node for n in nodes if n.touching])
    front_matter.check(context)
    variables.check(context, (v for n in nodes for v in n.variables))
    duration.check(context)
    found = [*document.diagnostics, *context.findings]
    # The rules of each node: run again where the node is new or what they assumed changed.
    claimed = content.claimed_spans(document)
    for node in nodes:
        if node.findings is None or node.nothing_narrated != nothing_narrated:
            _find(context, node, claimed, nothing_narrated)
        found += node.moved_findings()
    found = _guard_broken_tags(found, [n.node for n in nodes if n.touching], context.broken)
    suppressions, problems = find_suppressions(document, set(RULES), _SYNTAX_ERRORS,
                                               (c for n in nodes for c in n.comments))
    found = apply_suppressions(found, suppressions)
    found += [Diagnostic(p.code, WARNING, p.message, p.span, p.fix)
              for p in [*problems, *unused(document, suppressions)]]
    kept = [_with_severity(d, settings) for d in found if _selected(d, settings)]
    kept.sort(key=lambda d: d.sort_key)
    return Checked(kept, memo)


def _facts(context: CheckContext, node: Any, touching: Touching) -> NodeFindings:
    """What the rules of the whole document gather from a new top-level node."""
    span = node.span
    return NodeFindings(node, context.document.text[span.start:span.end], span.start,
                        span.line, span.column, touching, list(variables_in(node)),
                        comments_in(node, context.document),
                        content.says_something(context, node), findings=None)


def _find(context: CheckContext, node: NodeFindings, claimed: list[tuple[int, int]],
          nothing_narrated: bool) -> None:
    """Run the rules of each node on one top-level node."""
    context.findings = []
    tags.check_node(context, node.node)
    content.check_node(context, node.node, claimed, nothing_narrated)
    node.findings, node.nothing_narrated = context.findings, nothing_narrated
    node.start, node.line = node.node.span.start, node.node.span.line


def _guard_broken_tags(found: list[Diagnostic], tops: list[Any],
                       broken: set[int]) -> list[Diagnostic]:
    """A safe fix inside a tag that has another syntax error is offered as unsafe: how the
    parser reads a broken tag may change with the fix (found by bench/fuzz_meaning.py).
    `tops`: the top-level nodes that hold the `broken` tags."""
    if not broken:
        return found
    tags = [n.open_span if isinstance(n, Block) else n.span
            for top in tops for n in walk(top) if id(n) in broken]
    errors = [d for d in found if d.severity == ERROR]
    for index, diagnostic in enumerate(found):
        fix = diagnostic.fix
        if fix is None or not fix.safe:
            continue
        inside = [t for t in tags if t.start <= diagnostic.span.start <= t.end]
        if any(e is not diagnostic and t.start <= e.span.start <= t.end
               for t in inside for e in errors):
            # A copy: the parser's own diagnostic stays as parsed (an incremental parse
            # keeps it for the next version).
            found[index] = replace(diagnostic, fix=Fix(fix.message, fix.edits, safe=False))
    return found


_SYNTAX_ERRORS = frozenset(c for c, r in RULES.items() if c.startswith("S") and r.severity == ERROR)


def _selected(diagnostic: Diagnostic, settings: Settings) -> bool:
    # Syntax errors always show: a script that does not parse is never fine.
    if diagnostic.code.startswith("S") and diagnostic.severity == ERROR:
        return True
    return settings.enabled(diagnostic.code)


def _with_severity(diagnostic: Diagnostic, settings: Settings) -> Diagnostic:
    override = settings.severity.get(diagnostic.code)
    if override and not diagnostic.code.startswith("S"):
        return replace(diagnostic, severity=override)  # the document's own stays as parsed
    return diagnostic


@dataclass(slots=True)
class FixResult:
    text: str
    applied: list[Diagnostic]  # the diagnostics whose fixes were applied, over all passes
    remaining: list[Diagnostic]  # what check finds in the fixed text


def fix(text: str, settings: Settings | None = None, *, unsafe: bool = False,
        max_passes: int = 10) -> FixResult:
    """Apply fixes (the safe ones, unless `unsafe`) until none is left or none applies."""
    # Spans count from after a byte-order mark (the parser drops it): set it aside.
    bom, text = split_bom(text)
    applied: list[Diagnostic] = []
    diagnostics = check(parse(text, (settings or default_settings()).schema), settings)
    for _ in range(max_passes):
        fixable = [d for d in diagnostics if d.fix and (d.fix.safe or unsafe)]
        if not fixable:
            break
        edits, taken, claimed = [], [], []
        for diagnostic in fixable:
            spans = [(e.span.start, e.span.end) for e in diagnostic.fix.edits]  # type: ignore[union-attr]
            if any(s < ce and cs < e or s == e == cs == ce for s, e in spans for cs, ce in claimed):
                continue  # overlaps a fix taken in this pass: next pass
            claimed += spans
            edits += diagnostic.fix.edits  # type: ignore[union-attr]
            taken.append(diagnostic)
        new_text = apply_edits(text, edits)
        if new_text == text:
            break
        text = new_text
        applied += taken
        diagnostics = check(parse(text, (settings or default_settings()).schema), settings)
    return FixResult(bom + text, applied, diagnostics)
