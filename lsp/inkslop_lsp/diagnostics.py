"""Diagnostics: exactly what `inkslop check` reports, pushed or pulled.

Pushed (textDocument/publishDiagnostics) to clients that do not pull them.
After a change, a script is checked once the client has sent no further
change for `delay` seconds: each change re-arms one timer per script, so
fast typing never queues work, and a check always reads the newest text.
Clients that pull (textDocument/diagnostic) get the same list when they ask,
and a workspace/diagnostic/refresh when the configuration changed.

A configuration that cannot be used is reported as one error at the top of
each script it governs, as `inkslop check` reports it instead of checking.
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING, Any

from lsprotocol import types

from inkslop.syntax.diagnostics import ERROR, INFO, WARNING, Diagnostic

if TYPE_CHECKING:
    from inkslop_lsp.scripts import Script
    from inkslop_lsp.session import Session

log = logging.getLogger(__name__)

SOURCE = "inkslop"
SEVERITIES = {ERROR: types.DiagnosticSeverity.Error, WARNING: types.DiagnosticSeverity.Warning,
              INFO: types.DiagnosticSeverity.Information}
UNNECESSARY = {"V002", "N001"}  # an unused variable, a suppression that suppresses nothing


def to_lsp(script: Script) -> list[types.Diagnostic]:
    """The script's diagnostics as LSP diagnostics, in the client's encoding."""
    if script.project.error:
        return [types.Diagnostic(
            range=script.range(0, 0), severity=types.DiagnosticSeverity.Error, source=SOURCE,
            code="config", message=f"The project's configuration cannot be used: "
                                   f"{script.project.error}")]
    return [lsp_diagnostic(script, d) for d in script.diagnostics]


def lsp_diagnostic(script: Script, diagnostic: Diagnostic) -> types.Diagnostic:
    related = [types.DiagnosticRelatedInformation(
        location=types.Location(uri=script.uri, range=script.span_range(span)), message=message)
        for message, span in diagnostic.related]
    return types.Diagnostic(
        range=script.span_range(diagnostic.span),
        severity=SEVERITIES.get(diagnostic.severity, types.DiagnosticSeverity.Error),
        code=diagnostic.code, source=SOURCE, message=diagnostic.message,
        related_information=related or None,
        tags=[types.DiagnosticTag.Unnecessary] if diagnostic.code in UNNECESSARY else None)


def pull(session: Session, params: types.DocumentDiagnosticParams) -> Any:
    script = session.scripts.get(params.text_document.uri)
    items = to_lsp(script) if script else []
    return types.RelatedFullDocumentDiagnosticReport(items=items)


class Publisher:
    """Pushes each open script's diagnostics once its text has settled."""

    def __init__(self, session: Session, delay: float) -> None:
        self.session = session
        self.delay = delay
        self.timers: dict[str, asyncio.TimerHandle] = {}

    def schedule(self, uri: str) -> None:
        """Check the script `delay` seconds from now, unless it changes again before."""
        if self.session.pull_diagnostics:
            return
        pending = self.timers.pop(uri, None)
        if pending is not None:
            pending.cancel()
        loop = asyncio.get_running_loop()
        self.timers[uri] = loop.call_later(self.delay, self.publish, uri)

    def publish(self, uri: str) -> None:
        """Push the diagnostics of the script's current version."""
        self.timers.pop(uri, None)
        script = self.session.scripts.get(uri)
        if script is None:
            return
        try:
            items = to_lsp(script)
        except Exception:  # a bug in a rule must not stop the server
            log.exception("Checking %s failed", uri)
            return
        self.session.send_diagnostics(
            types.PublishDiagnosticsParams(uri=uri, diagnostics=items, version=script.version))

    def clear(self, uri: str) -> None:
        """The script was closed: drop its pending check and its diagnostics."""
        pending = self.timers.pop(uri, None)
        if pending is not None:
            pending.cancel()
        if not self.session.pull_diagnostics:
            self.session.send_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=[]))

    def renew_all(self) -> None:
        """The configuration changed: every open script's diagnostics are renewed."""
        if self.session.pull_diagnostics:
            if self.session.can("workspace.diagnostics.refresh_support"):
                self.session.refresh_diagnostics()
            return
        for uri in list(self.session.scripts.open):
            self.schedule(uri)
