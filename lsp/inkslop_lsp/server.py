"""The `inkslop lsp` language server: pygls wiring, one module per feature.

The server keeps the open scripts (inkslop_lsp.scripts), asks the library
about them, and maps the answers to LSP types. Each feature lives in its own
module as plain functions taking the session (inkslop_lsp.session: the scripts,
the client's capabilities, and how to send it things) and the request's
parameters; `create_server` makes the session, plugs pygls into it, and
registers every feature bound to it, each behind `guarded`, so that a bug or a
malformed request is logged and answered with an empty result: the server never
stops over one request.

Work follows the newest text only. A version of a script is parsed and checked
at most once, when something first needs it, and every feature reads that one
result. Diagnostics wait for the typing to pause (inkslop_lsp.diagnostics);
requests run behind `on_newest`, so that a burst of keys, each followed by a
completion request, costs one parse of the last version rather than one per key.

Nothing is ever printed: stdout carries the protocol. Logs go to stderr and,
once a client is connected, to its log (window/logMessage).
"""

from __future__ import annotations

import asyncio
import functools
import gc
import inspect
import logging
import sys
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any, ClassVar

from lsprotocol import types
from pygls.exceptions import JsonRpcContentModified, JsonRpcException
from pygls.lsp.server import LanguageServer
from pygls.protocol import LanguageServerProtocol

from inkslop.version import toolkit_version
from inkslop_lsp import (
    code_actions,
    completion,
    diagnostics,
    formatting,
    hover,
    inlay_hints,
    lifecycle,
    navigation,
    preview,
    semantic_tokens,
    structure,
)
from inkslop_lsp.session import Session

log = logging.getLogger("inkslop_lsp")

SETTLE = 0.005  # seconds a request waits for changes already sent, before a parse


class ServerCancelled(JsonRpcException):
    """LSP's ServerCancelled: the server gave up a request, which the client may retry."""

    CODE = -32802
    MESSAGE = "Server cancelled"


ROUTINE = (JsonRpcContentModified, ServerCancelled)  # answers, not errors: never logged

# The scripts' generation when the message being handled arrived (see `on_newest`).
RECEIVED_AT: ContextVar[int] = ContextVar("RECEIVED_AT", default=0)


class InkslopProtocol(LanguageServerProtocol):
    """pygls's protocol, which also notes when each message arrived, and answers a request
    whose parameters it cannot read (pygls logs such a request and drops it, and the
    client would wait for an answer forever)."""

    def handle_message(self, message: Any) -> None:
        RECEIVED_AT.set(self._server.session.scripts.generation)  # type: ignore[attr-defined]
        super().handle_message(message)

    def structure_message(self, data: dict[str, Any]) -> Any:
        try:
            return super().structure_message(data)
        except JsonRpcException as error:
            request_id = data.get("id") if isinstance(data, dict) else None
            if "method" in data and isinstance(request_id, (int, str)):
                self._send_response(request_id, error=error.to_response_error())
            raise


class InkslopServer(LanguageServer):
    """pygls's server, and the session its features work with."""

    def __init__(self) -> None:
        own_version = toolkit_version()
        super().__init__("inkslop", own_version,
                         text_document_sync_kind=types.TextDocumentSyncKind.Incremental,
                         protocol_cls=InkslopProtocol)
        self.session = Session(
            version=own_version,
            send_diagnostics=self.text_document_publish_diagnostics,
            refresh_diagnostics=lambda: self.workspace_diagnostic_refresh(None),
            show_message=self.window_show_message,
            register_capability=self.client_register_capability_async)

    def initialized_session(self) -> Session:
        """The session, with the position encoding pygls chose in `initialize`."""
        self.session.scripts.codec = self.workspace.position_codec
        self.session.position_encoding = str(self.workspace.position_encoding)
        return self.session

    def report_server_error(self, error: Exception, source: Any) -> None:
        """A message that could not be read or handled: logged (pygls would show every one
        of them to the user in a pop-up). A request answered ContentModified is no error."""
        if not isinstance(error, ROUTINE):
            log.error("%s: %s", getattr(source, "__name__", source), error)


def guarded(function: Callable[..., Any], default: Any = None) -> Callable[..., Any]:
    """`function`, with any exception logged and answered by `default`."""
    if inspect.iscoroutinefunction(function):

        @functools.wraps(function)
        async def call_async(*args: Any, **kwargs: Any) -> Any:
            try:
                return await function(*args, **kwargs)
            except JsonRpcException:
                raise  # an answer of the protocol's own (ContentModified...)
            except Exception:  # one failed request must not stop the server
                log.exception("%s failed", function.__name__)
                return default() if callable(default) else default

        return call_async

    @functools.wraps(function)
    def call(*args: Any, **kwargs: Any) -> Any:
        try:
            return function(*args, **kwargs)
        except Exception:  # one failed request must not stop the server
            log.exception("%s failed", function.__name__)
            return default() if callable(default) else default

    return call


def on_newest(function: Callable[..., Any]) -> Callable[..., Any]:
    """A request handler that reads the newest text, however fast the client types.

    A request about a version not yet parsed first waits `SETTLE` seconds, so that the
    changes the client has already sent are read (pygls reads stdin one message at a time,
    between tasks). If the script then changed after the request arrived, the request is
    answered ContentModified, as LSP provides (the client asks again about the new text),
    instead of parsing each intermediate version: a burst of keys costs one parse, not one
    per key. A request on a parsed version is answered at once; one the client cancelled
    while it waited never runs."""

    @functools.wraps(function)
    async def call(session: Session, params: Any) -> Any:
        uri = getattr(getattr(params, "text_document", None), "uri", "")
        received = RECEIVED_AT.get()
        script = session.scripts.get(uri)
        if script is not None and not script.parsed:
            await asyncio.sleep(SETTLE)
            script = session.scripts.get(uri)
        if script is not None and script.generation > received:
            if isinstance(params, types.DocumentDiagnosticParams):
                # LSP's way for pulled diagnostics: cancelled, and to be asked again.
                raise ServerCancelled(data={"retriggerRequest": True})
            raise JsonRpcContentModified()
        return function(session, params)

    return call


def bound(function: Callable[..., Any], session: Callable[[], Session]) -> Callable[..., Any]:
    """A handler of the request's parameters alone (as pygls calls it), that calls a
    feature with the session."""
    if inspect.iscoroutinefunction(function):

        async def call_async(params: Any) -> Any:
            return await function(session(), params)

        call_async.__name__ = function.__name__
        return call_async

    def call(params: Any) -> Any:
        return function(session(), params)

    call.__name__ = function.__name__
    return call


def create_server() -> InkslopServer:
    """A server with every feature registered."""
    server = InkslopServer()
    features: list[tuple[str, Callable[..., Any], Any, Any]] = [
        (types.INITIALIZE, lifecycle.initialize, None, None),
        (types.INITIALIZED, lifecycle.initialized, None, None),
        (types.TEXT_DOCUMENT_DID_OPEN, lifecycle.did_open, None, None),
        (types.TEXT_DOCUMENT_DID_CHANGE, lifecycle.did_change, None, None),
        (types.TEXT_DOCUMENT_DID_CLOSE, lifecycle.did_close, None, None),
        (types.WORKSPACE_DID_CHANGE_WATCHED_FILES, lifecycle.did_change_watched_files, None,
         None),
        (types.WORKSPACE_DID_CHANGE_WORKSPACE_FOLDERS, lifecycle.did_change_folders, None, None),
        (types.TEXT_DOCUMENT_DIAGNOSTIC, diagnostics.pull,
         types.DiagnosticOptions(inter_file_dependencies=False, workspace_diagnostics=False,
                                 identifier="inkslop"),
         lambda: types.RelatedFullDocumentDiagnosticReport(items=[])),
        (types.TEXT_DOCUMENT_COMPLETION, completion.complete,
         types.CompletionOptions(trigger_characters=completion.TRIGGERS), None),
        (types.TEXT_DOCUMENT_HOVER, hover.hover, None, None),
        (types.TEXT_DOCUMENT_FORMATTING, formatting.format_document, None, None),
        (types.TEXT_DOCUMENT_RANGE_FORMATTING, formatting.format_range, None, None),
        (types.TEXT_DOCUMENT_DOCUMENT_SYMBOL, structure.document_symbols, None, None),
        (types.TEXT_DOCUMENT_FOLDING_RANGE, structure.folding_ranges, None, None),
        (types.TEXT_DOCUMENT_SELECTION_RANGE, structure.selection_ranges, None, None),
        (types.TEXT_DOCUMENT_CODE_ACTION, code_actions.code_actions,
         types.CodeActionOptions(code_action_kinds=code_actions.KINDS), None),
        (types.TEXT_DOCUMENT_INLAY_HINT, inlay_hints.inlay_hints, None, None),
        (types.TEXT_DOCUMENT_SEMANTIC_TOKENS_FULL, semantic_tokens.full, semantic_tokens.LEGEND,
         None),
        (types.TEXT_DOCUMENT_SEMANTIC_TOKENS_RANGE, semantic_tokens.in_range,
         semantic_tokens.LEGEND, None),
        (types.TEXT_DOCUMENT_DEFINITION, navigation.definition, None, None),
        (types.TEXT_DOCUMENT_DOCUMENT_LINK, navigation.document_links, None, None),
    ]
    lifecycle_methods = {types.INITIALIZE, types.INITIALIZED, types.TEXT_DOCUMENT_DID_OPEN,
                         types.TEXT_DOCUMENT_DID_CHANGE, types.TEXT_DOCUMENT_DID_CLOSE,
                         types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
                         types.WORKSPACE_DID_CHANGE_WORKSPACE_FOLDERS}
    for method, handler, options, default in features:
        if method not in lifecycle_methods:  # requests about a script
            handler = on_newest(handler)
        session = server.initialized_session if method == types.INITIALIZE \
            else lambda: server.session
        server.feature(method, options)(guarded(bound(handler, session), default))

    async def preview_block(uri: str, line: int) -> str | None:  # workspace/executeCommand
        return await preview.execute(server.session, uri, line)

    server.command(preview.COMMAND)(guarded(preview_block))
    return server


class ClientLogHandler(logging.Handler):
    """Sends log records to the client's log (window/logMessage)."""

    LEVELS: ClassVar[dict[int, types.MessageType]] = {
        logging.ERROR: types.MessageType.Error, logging.WARNING: types.MessageType.Warning,
        logging.INFO: types.MessageType.Info}

    def __init__(self, server: InkslopServer) -> None:
        super().__init__(logging.INFO)
        self.server = server

    def emit(self, record: logging.LogRecord) -> None:
        try:
            kind = self.LEVELS.get(record.levelno, types.MessageType.Log)
            if record.levelno > logging.ERROR:
                kind = types.MessageType.Error
            self.server.window_log_message(
                types.LogMessageParams(type=kind, message=self.format(record)))
        except Exception:  # noqa: BLE001 - logging must never fail the server
            self.handleError(record)


def configure_logging(server: InkslopServer, level: int = logging.INFO) -> None:
    """Log to stderr, and to the client once it is there; never to stdout."""
    stderr = logging.StreamHandler(sys.stderr)
    stderr.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(stderr)
    root.setLevel(logging.WARNING)
    log.setLevel(level)
    to_client = ClientLogHandler(server)
    to_client.setFormatter(logging.Formatter("%(message)s"))
    log.addHandler(to_client)
    logging.getLogger("pygls.protocol.json_rpc").addFilter(_not_content_modified)


def _not_content_modified(record: logging.LogRecord) -> bool:
    """pygls logs every error answer with its traceback; ContentModified is routine."""
    error = record.exc_info[1] if record.exc_info else None
    return not isinstance(error, ROUTINE)


def tune_garbage_collector() -> None:
    """The objects loaded at start-up (the schema, the parser's tables, pygls) live as
    long as the server: moved out of the collector's sight once, so that later
    collections do not traverse them again (see also scripts.collector_paused)."""
    gc.collect()
    gc.freeze()


def start(tcp: tuple[str, int] | None = None) -> None:
    """Run the server on stdio, or on TCP at (host, port)."""
    server = create_server()
    configure_logging(server)
    tune_garbage_collector()
    if tcp:
        server.start_tcp(*tcp)
    else:
        server.start_io()
