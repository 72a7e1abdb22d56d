"""`check`: a document's diagnostics, and `fix`: its safe fixes applied.

Syntax diagnostics come first, from the parser. The schema, content, front
matter and variable rules then run on the parts that parsed: a tag that a
syntax error touches, or a block never closed, is left to its syntax
diagnostic, so a half-typed tag never buries its author in noise. Then the
inline suppressions, the selection and the severity overrides of the project's
settings apply.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from inkslop.config.settings import Settings, default_settings
from inkslop.lint.rules import CHECKS, RULES, CheckContext, broken_tags
from inkslop.lint.suppression import apply_suppressions, find_suppressions, unused
from inkslop.syntax.ast import Block, Document, walk
from inkslop.syntax.bom import split_bom
from inkslop.syntax.diagnostics import ERROR, WARNING, Diagnostic, Fix, apply_edits
from inkslop.syntax.parser import collector_paused, parse


def check(document: Document, settings: Settings | None = None) -> list[Diagnostic]:
    """Every diagnostic of a parsed document, in source order."""
    with collector_paused():
        return _check(document, settings or default_settings())


def _check(document: Document, settings: Settings) -> list[Diagnostic]:
    context = CheckContext(document, settings.schema, settings.music_library, settings,
                           broken=broken_tags(document))
    for rule_check in CHECKS:
        rule_check(context)
    found = _guard_broken_tags([*document.diagnostics, *context.findings], document,
                               context.broken)
    suppressions, problems = find_suppressions(document, set(RULES), _SYNTAX_ERRORS)
    found = apply_suppressions(found, suppressions)
    found += [Diagnostic(p.code, WARNING, p.message, p.span, p.fix)
              for p in [*problems, *unused(document, suppressions)]]
    kept = [_with_severity(d, settings) for d in found if _selected(d, settings)]
    kept.sort(key=lambda d: d.sort_key)
    return kept


def _guard_broken_tags(found: list[Diagnostic], document: Document,
                       broken: set[int]) -> list[Diagnostic]:
    """A safe fix inside a tag that has another syntax error is offered as unsafe: how the
    parser reads a broken tag may change with the fix (found by bench/fuzz_meaning.py)."""
    if not broken:
        return found
    tags = [n.open_span if isinstance(n, Block) else n.span
            for n in walk(document) if id(n) in broken]
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
