"""Initialization, the open documents' lifecycle, and the project's configuration.

- initialize: the client's position encoding (chosen by pygls from what the
  client offers: UTF-16 by default, UTF-8 or UTF-32 when offered first), whether
  it takes snippets and pulls diagnostics, the workspace folders, and the
  option `diagnosticsDelay` (milliseconds, from initializationOptions).
- initialized: ask the client to watch the configuration files.
- didOpen / didChange / didClose: keep the scripts (incremental changes) and
  schedule their diagnostics.
- didChangeWatchedFiles: a configuration file changed, so every open script's
  settings are looked up again and its diagnostics renewed.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lsprotocol import types
from pygls.capabilities import get_capability
from pygls.uris import to_fs_path

from inkslop.config.loader import CONFIG_FILES, forget_cached_settings

if TYPE_CHECKING:
    from inkslop_lsp.session import Session

log = logging.getLogger(__name__)

WATCHED = [f"**/{name}" for name in CONFIG_FILES]


def initialize(session: Session, params: types.InitializeParams) -> None:
    """What the client can do. The position encoding (and the scripts' codec) is pygls's
    choice among those the client offers; the server has set it in the session."""
    session.capabilities = params.capabilities
    session.snippets = session.can("text_document.completion.completion_item.snippet_support")
    session.pull_diagnostics = get_capability(
        params.capabilities, "text_document.diagnostic") is not None
    session.scripts.folders = _folders(params)
    options: Any = params.initialization_options
    if isinstance(options, dict) and isinstance(options.get("diagnosticsDelay"), (int, float)):
        session.publisher.delay = max(0.0, float(options["diagnosticsDelay"]) / 1000)
    log.info("inkslop language server %s: positions in %s, diagnostics %s", session.version,
             session.position_encoding, "pulled" if session.pull_diagnostics else "pushed")


def _folders(params: types.InitializeParams) -> tuple[Path, ...]:
    uris = [f.uri for f in params.workspace_folders or []]
    if not uris and params.root_uri:
        uris = [params.root_uri]
    if not uris and params.root_path:
        return (Path(params.root_path),)
    paths = [to_fs_path(uri) for uri in uris if uri.startswith("file:")]
    return tuple(Path(p) for p in paths if p)


async def initialized(session: Session, params: types.InitializedParams) -> None:
    if not session.can("workspace.did_change_watched_files.dynamic_registration"):
        log.info("The client cannot watch files: configuration changes apply on the next edit.")
        return
    watchers = [types.FileSystemWatcher(glob_pattern=pattern) for pattern in WATCHED]
    registration = types.Registration(
        id="inkslop-configuration", method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
        register_options=types.DidChangeWatchedFilesRegistrationOptions(watchers=watchers))
    try:
        await session.register_capability(
            types.RegistrationParams(registrations=[registration]))
    except Exception as error:  # noqa: BLE001 - not watching is a loss, not a failure
        log.warning("The client does not watch the configuration files (%s): configuration "
                    "changes apply on the next edit.", error)


def did_open(session: Session, params: types.DidOpenTextDocumentParams) -> None:
    item = params.text_document
    session.scripts.put(item.uri, item.text, item.version)
    session.publisher.schedule(item.uri)


def did_change(session: Session, params: types.DidChangeTextDocumentParams) -> None:
    document = params.text_document
    if session.scripts.change(document.uri, document.version, list(params.content_changes)):
        session.publisher.schedule(document.uri)


def did_close(session: Session, params: types.DidCloseTextDocumentParams) -> None:
    session.scripts.close(params.text_document.uri)
    session.publisher.clear(params.text_document.uri)


def did_change_watched_files(session: Session,
                             params: types.DidChangeWatchedFilesParams) -> None:
    names = {Path(to_fs_path(change.uri) or change.uri).name for change in params.changes}
    if not names & set(CONFIG_FILES):
        return
    log.info("The configuration changed (%s): checking the open scripts again",
             ", ".join(sorted(names & set(CONFIG_FILES))))
    _forget_cached_configuration()
    for uri in list(session.scripts.open):
        session.scripts.refresh(uri)
    session.publisher.renew_all()


def did_change_folders(session: Session,
                       params: types.DidChangeWorkspaceFoldersParams) -> None:
    folders = {str(p) for p in session.scripts.folders}
    for folder in params.event.removed:
        folders.discard(to_fs_path(folder.uri) or "")
    for folder in params.event.added:
        path = to_fs_path(folder.uri)
        if path:
            folders.add(path)
    session.scripts.folders = tuple(Path(f) for f in sorted(folders))


def _forget_cached_configuration() -> None:
    """The library caches a configuration by its file's modification time and size; an
    edit within the file system's time resolution that keeps the size would be missed,
    so the cache is emptied when the client says a configuration file changed."""
    forget_cached_settings()
