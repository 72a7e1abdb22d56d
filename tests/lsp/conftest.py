"""End-to-end fixtures: a real client (pytest-lsp) starts `python -m inkslop lsp` over
stdio, as an editor would, and talks LSP to it.

`vscode` is a client with Visual Studio Code's capabilities (UTF-16 positions,
pushed diagnostics, snippets, file watching); `neovim` one with Neovim 0.11's
(UTF-8 positions, pulled diagnostics, here with refresh requests); `utf32` one
that offers UTF-32 only and takes no snippets. Each starts one server for its
test module, in a fresh workspace folder; tests open their own documents in it
(helpers in lsp_helpers.py).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

SERVER = [sys.executable, "-m", "inkslop", "lsp"]


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("workspace")
    (folder / "music").mkdir()
    (folder / "music" / "Carefree.opus").write_bytes(b"")
    (folder / "music" / "Calm.mp3").write_bytes(b"")
    return folder


async def _start(lsp_client: LanguageClient, workspace: Path,
                 capabilities: types.ClientCapabilities) -> None:
    registrations: list[types.Registration] = []
    lsp_client.registrations = registrations  # type: ignore[attr-defined]

    @lsp_client.feature(types.CLIENT_REGISTER_CAPABILITY)
    def register(params: types.RegistrationParams) -> None:
        registrations.extend(params.registrations)

    # Every push, with its version (pytest-lsp keeps only the last list per URI).
    pushes: list[types.PublishDiagnosticsParams] = []
    lsp_client.pushes = pushes  # type: ignore[attr-defined]
    features = lsp_client.protocol.fm.features
    keep = features[types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS]

    def record(params: types.PublishDiagnosticsParams) -> None:
        pushes.append(params)
        keep(params)

    features[types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS] = record

    await lsp_client.initialize_session(types.InitializeParams(
        capabilities=capabilities, root_uri=workspace.as_uri(),
        workspace_folders=[types.WorkspaceFolder(uri=workspace.as_uri(), name="workspace")],
        initialization_options={"diagnosticsDelay": 10}))


@pytest_lsp.fixture(scope="module", config=ClientServerConfig(server_command=SERVER))
async def vscode(lsp_client: LanguageClient, workspace: Path):
    await _start(lsp_client, workspace, client_capabilities("visual-studio-code"))
    yield
    await lsp_client.shutdown_session()


@pytest_lsp.fixture(scope="module", config=ClientServerConfig(server_command=SERVER))
async def neovim(lsp_client: LanguageClient, workspace: Path):
    capabilities = client_capabilities("neovim@v0.11.0")
    capabilities.workspace.diagnostics = types.DiagnosticWorkspaceClientCapabilities(
        refresh_support=True)
    await _start(lsp_client, workspace, capabilities)
    yield
    await lsp_client.shutdown_session()


@pytest_lsp.fixture(scope="module", config=ClientServerConfig(server_command=SERVER))
async def utf32(lsp_client: LanguageClient, workspace: Path):
    capabilities = client_capabilities("visual-studio-code")
    capabilities.general = types.GeneralClientCapabilities(
        position_encodings=[types.PositionEncodingKind.Utf32])
    capabilities.text_document.completion.completion_item.snippet_support = False
    await _start(lsp_client, workspace, capabilities)
    yield
    await lsp_client.shutdown_session()
