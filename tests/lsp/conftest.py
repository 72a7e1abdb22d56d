"""End-to-end fixtures: a real client (pytest-lsp) starts `python -m inkslop lsp` over
stdio, as an editor would, and talks LSP to it.

`vscode` is a client with Visual Studio Code's capabilities (UTF-16 positions,
pushed diagnostics, snippets, file watching); `neovim` one with Neovim 0.11's
(UTF-8 positions, pulled diagnostics, here with refresh requests); `utf32` one that offers UTF-32 only (and
takes no snippets).
Each starts one server for its test module, in a fresh workspace folder;
tests open their own documents in it.
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

SERVER = [sys.executable, "-m", "inkslop", "lsp"]
TTS = '[tts engine="kokoro_tts" voice="af_heart"]\nHello there.\n[/tts]\n'


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


_versions: dict[str, int] = {}


def open_script(client: LanguageClient, path: Path, text: str) -> str:
    """Open a script in the client (its file need not exist); returns its URI."""
    uri = path.as_uri()
    _versions[uri] = 1
    client.diagnostics.pop(uri, None)
    client.text_document_did_open(types.DidOpenTextDocumentParams(
        text_document=types.TextDocumentItem(uri=uri, language_id="inkslop", version=1,
                                             text=text)))
    return uri


def change(client: LanguageClient, uri: str, text: str,
           range_: types.Range | None = None) -> None:
    """Send one change: `text` replaces `range_`, or the whole document when None."""
    _versions[uri] += 1
    client.diagnostics.pop(uri, None)
    event: types.TextDocumentContentChangeEvent = (
        types.TextDocumentContentChangeWholeDocument(text=text) if range_ is None
        else types.TextDocumentContentChangePartial(range=range_, text=text))
    client.text_document_did_change(types.DidChangeTextDocumentParams(
        text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=_versions[uri]),
        content_changes=[event]))


async def published(client: LanguageClient, uri: str, timeout: float = 20) -> list:
    """The next diagnostics pushed for `uri` (after `open_script` or `change`)."""
    async def wait() -> list:
        while uri not in client.diagnostics:
            await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        return list(client.diagnostics[uri])
    return await asyncio.wait_for(wait(), timeout)


def at(line: int, character: int) -> types.Position:
    return types.Position(line=line, character=character)


def span(start: tuple[int, int], end: tuple[int, int]) -> types.Range:
    return types.Range(start=at(*start), end=at(*end))


def doc(uri: str) -> types.TextDocumentIdentifier:
    return types.TextDocumentIdentifier(uri=uri)


def units(characters: str, encoding: str) -> int:
    """How many code units of `encoding` (utf-8, utf-16-le, utf-32-le) a text takes."""
    size = len(characters.encode(encoding))
    return size // {"utf-8": 1, "utf-16-le": 2, "utf-32-le": 4}[encoding]


def offset_of(text: str, position: types.Position, encoding: str = "utf-16-le") -> int:
    """The string index of an LSP position, counted by the test itself: lines end at
    \n, columns count code units of `encoding`."""
    lines = text.split("\n")
    before = sum(len(line) + 1 for line in lines[:position.line])
    line = lines[position.line] if position.line < len(lines) else ""
    count = 0
    for index, character in enumerate(line):
        if count >= position.character:
            return before + index
        count += units(character, encoding)
    return before + len(line)


def position_of(text: str, offset: int, encoding: str = "utf-16-le") -> types.Position:
    """The LSP position of a string index, counted by the test itself."""
    line = text.count("\n", 0, offset)
    start = text.rfind("\n", 0, offset) + 1
    return at(line, units(text[start:offset], encoding))


def apply_edits(text: str, edits: list, encoding: str = "utf-16-le") -> str:
    """Apply LSP text edits (non-overlapping) to a text."""
    spans = sorted(((offset_of(text, e.range.start, encoding),
                     offset_of(text, e.range.end, encoding), e.new_text) for e in edits),
                   reverse=True)
    for start, end, new in spans:
        text = text[:start] + new + text[end:]
    return text
