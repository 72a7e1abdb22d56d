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

from inkslop.config.loader import CONFIG_FILES

if TYPE_CHECKING:
    from inkslop_lsp.server import InkslopServer

log = logging.getLogger(__name__)

WATCHED = [f"**/{name}" for name in CONFIG_FILES]


def initialize(ls: InkslopServer, params: types.InitializeParams) -> None:
    capabilities = params.capabilities
    ls.scripts.codec = ls.workspace.position_codec
    ls.snippets = bool(get_capability(
        capabilities, "text_document.completion.completion_item.snippet_support", False))
    ls.pull_diagnostics = get_capability(capabilities, "text_document.diagnostic") is not None
    ls.scripts.folders = _folders(params)
    options: Any = params.initialization_options
    if isinstance(options, dict) and isinstance(options.get("diagnosticsDelay"), (int, float)):
        ls.publisher.delay = max(0.0, float(options["diagnosticsDelay"]) / 1000)
    log.info("inkslop language server %s: positions in %s, diagnostics %s", ls.version,
             ls.workspace.position_encoding, "pulled" if ls.pull_diagnostics else "pushed")


def _folders(params: types.InitializeParams) -> tuple[Path, ...]:
    uris = [f.uri for f in params.workspace_folders or []]
    if not uris and params.root_uri:
        uris = [params.root_uri]
    if not uris and params.root_path:
        return (Path(params.root_path),)
    paths = [to_fs_path(uri) for uri in uris if uri.startswith("file:")]
    return tuple(Path(p) for p in paths if p)


async def initialized(ls: InkslopServer, params: types.InitializedParams) -> None:
    if not get_capability(ls.client_capabilities,
                          "workspace.did_change_watched_files.dynamic_registration", False):
        log.info("The client cannot watch files: configuration changes apply on the next edit.")
        return
    watchers = [types.FileSystemWatcher(glob_pattern=pattern) for pattern in WATCHED]
    registration = types.Registration(
        id="inkslop-configuration", method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
        register_options=types.DidChangeWatchedFilesRegistrationOptions(watchers=watchers))
    try:
        await ls.client_register_capability_async(
            types.RegistrationParams(registrations=[registration]))
    except Exception as error:  # noqa: BLE001 - not watching is a loss, not a failure
        log.warning("The client does not watch the configuration files (%s): configuration "
                    "changes apply on the next edit.", error)


def did_open(ls: InkslopServer, params: types.DidOpenTextDocumentParams) -> None:
    item = params.text_document
    ls.scripts.put(item.uri, item.text, item.version)
    ls.publisher.schedule(item.uri)


def did_change(ls: InkslopServer, params: types.DidChangeTextDocumentParams) -> None:
    document = params.text_document
    if ls.scripts.change(document.uri, document.version, list(params.content_changes)):
        ls.publisher.schedule(document.uri)


def did_close(ls: InkslopServer, params: types.DidCloseTextDocumentParams) -> None:
    ls.scripts.close(params.text_document.uri)
    ls.publisher.clear(params.text_document.uri)


def did_change_watched_files(ls: InkslopServer,
                             params: types.DidChangeWatchedFilesParams) -> None:
    names = {Path(to_fs_path(change.uri) or change.uri).name for change in params.changes}
    if not names & set(CONFIG_FILES):
        return
    log.info("The configuration changed (%s): checking the open scripts again",
             ", ".join(sorted(names & set(CONFIG_FILES))))
    _forget_cached_configuration()
    for uri in list(ls.scripts.open):
        ls.scripts.refresh(uri)
    ls.publisher.renew_all()


def did_change_folders(ls: InkslopServer,
                       params: types.DidChangeWorkspaceFoldersParams) -> None:
    folders = {str(p) for p in ls.scripts.folders}
    for folder in params.event.removed:
        folders.discard(to_fs_path(folder.uri) or "")
    for folder in params.event.added:
        path = to_fs_path(folder.uri)
        if path:
            folders.add(path)
    ls.scripts.folders = tuple(Path(f) for f in sorted(folders))


def _forget_cached_configuration() -> None:
    """The library caches a configuration by its file's modification time and size; an
    edit within the file system's time resolution that keeps the size would be missed,
    so the cache is emptied when the client says a configuration file changed."""
    from inkslop.config.loader import forget_cached_settings

    forget_cached_settings()
