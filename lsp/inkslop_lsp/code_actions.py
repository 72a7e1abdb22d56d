"""Code actions: the fix each diagnostic carries, "did you mean" alternatives, closing an
unclosed block after its text (inkslop.editor.quickfix), and "fix all safe problems"
(source.fixAll), which is `inkslop check --fix` on the editor's text."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lsprotocol import types

from inkslop.editor import quickfix
from inkslop.lint.checker import fix as fix_text
from inkslop.syntax.ast import Block
from inkslop.syntax.diagnostics import Diagnostic, Fix
from inkslop_lsp import preview
from inkslop_lsp.diagnostics import lsp_diagnostic
from inkslop_lsp.formatting import minimal_edit

if TYPE_CHECKING:
    from inkslop_lsp.scripts import Script
    from inkslop_lsp.session import Session

KINDS = [types.CodeActionKind.QuickFix, types.CodeActionKind.SourceFixAll, preview.KIND]
FIX_ALL_TITLE = "Fix all safe problems (inkslop)"

Actions = list[types.CodeAction]


def code_actions(session: Session, params: types.CodeActionParams) -> Actions | None:
    script = session.scripts.get(params.text_document.uri)
    if script is None:
        return None
    only = params.context.only
    actions: Actions = []
    if _wanted(only, types.CodeActionKind.QuickFix):
        start = script.offset(params.range.start)
        end = script.offset(params.range.end)
        for diagnostic in script.diagnostics:
            if diagnostic.span.start <= end and start <= diagnostic.span.end:
                actions += _quick_fixes(script, diagnostic)
    if _wanted(only, types.CodeActionKind.SourceFixAll):
        fix_all = _fix_all(script)
        if fix_all is not None:
            actions.append(fix_all)
    if preview.asked(params.context):
        actions += preview.preview_actions(script, params.range.start)
    return actions


def _wanted(only: list[str] | None, kind: str) -> bool:
    """Whether a kind of action is asked for (`only` lists kinds or their parents)."""
    return only is None or any(kind == o or kind.startswith(o + ".") for o in only)


def _quick_fixes(script: Script, diagnostic: Diagnostic) -> Actions:
    lsp = lsp_diagnostic(script, diagnostic)
    fixes: list[Fix] = [diagnostic.fix] if diagnostic.fix else []
    fixes += quickfix.alternatives(script.document, diagnostic, script.settings)
    if diagnostic.code == "S001":
        block = _unclosed_block(script, diagnostic)
        closing = quickfix.close_after_text(script.document, block) if block else None
        if closing is not None:
            fixes.append(closing)
    actions: Actions = []
    seen: set[tuple[tuple[int, int, str], ...]] = set()
    for index, fix in enumerate(fixes):
        key = tuple((e.span.start, e.span.end, e.new_text) for e in fix.edits)
        if key in seen:
            continue
        seen.add(key)
        edits = [types.TextEdit(range=script.span_range(e.span), new_text=e.new_text)
                 for e in fix.edits]
        actions.append(types.CodeAction(
            title=fix.message, kind=types.CodeActionKind.QuickFix, diagnostics=[lsp],
            is_preferred=True if index == 0 and fix.safe else None,
            edit=types.WorkspaceEdit(changes={script.uri: edits})))
    return actions


def _unclosed_block(script: Script, diagnostic: Diagnostic) -> Block | None:
    for block in script.document.blocks():
        if block.open_span.start == diagnostic.span.start and block.close_span is None:
            return block
    return None


def _fix_all(script: Script) -> types.CodeAction | None:
    if script.project.error or not any(d.fix and d.fix.safe for d in script.diagnostics):
        return None
    if "fix_all" not in script.cache:  # once per version: clients ask on every cursor move
        script.cache["fix_all"] = minimal_edit(script, fix_text(script.source, script.settings).text)
    edits = script.cache["fix_all"]
    if not edits:
        return None
    return types.CodeAction(
        title=FIX_ALL_TITLE, kind=types.CodeActionKind.SourceFixAll,
        edit=types.WorkspaceEdit(changes={script.uri: edits}))
