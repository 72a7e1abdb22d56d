"""The language server's "Preview this block", with a real client (pytest-lsp) talking to
`python -m inkslop lsp` over stdio, and the real engine behind it."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
import pytest_lsp
import soundfile as sf
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities
from speak_helpers import VOICES_DIR

pytestmark = pytest.mark.asyncio(loop_scope="module")

SCRIPT = ('[tts engine="kokoro_tts" voice="af_heart"]\nHi there!\n[/tts]\n'
          "[# nothing to say here #]\n"
          '[tts engine="kokoro_tts" voice="bm_george"]\nStep one.\n[/tts]\n')


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("speak-workspace")
    (folder / "inkslop.toml").write_text(f'[speak]\nvoices = "{VOICES_DIR.as_posix()}"\n')
    return folder


@pytest_lsp.fixture(scope="module", config=ClientServerConfig(
    server_command=[sys.executable, "-m", "inkslop", "lsp"]))
async def client(lsp_client: LanguageClient, workspace: Path):
    # lsprotocol's client side reads any action with a "command" key as a bare Command;
    # a CodeAction's `command` is an object, a Command's a string (as editors tell them).
    converter = lsp_client.protocol._converter

    def action_or_command(value: dict, _: type) -> types.Command | types.CodeAction:
        bare = isinstance(value.get("command"), str)
        return converter.structure(value, types.Command if bare else types.CodeAction)

    converter.register_structure_hook(types.Command | types.CodeAction, action_or_command)

    @lsp_client.feature(types.CLIENT_REGISTER_CAPABILITY)
    def register(params: types.RegistrationParams) -> None:
        """The server watches configuration files; nothing to do here."""
    await lsp_client.initialize_session(types.InitializeParams(
        capabilities=client_capabilities("visual-studio-code"), root_uri=workspace.as_uri(),
        workspace_folders=[types.WorkspaceFolder(uri=workspace.as_uri(), name="w")]))
    yield lsp_client
    await lsp_client.shutdown_session()


def open_script(client: LanguageClient, path: Path, text: str) -> str:
    client.text_document_did_open(types.DidOpenTextDocumentParams(
        text_document=types.TextDocumentItem(uri=path.as_uri(), language_id="inkslop",
                                             version=1, text=text)))
    return path.as_uri()


async def actions_at(client: LanguageClient, uri: str, line: int, **context):
    position = types.Position(line=line, character=0)
    return await client.text_document_code_action_async(types.CodeActionParams(
        text_document=types.TextDocumentIdentifier(uri=uri),
        range=types.Range(start=position, end=position),
        context=types.CodeActionContext(diagnostics=[], **context)))


async def test_preview_writes_the_block_and_says_where(client, workspace):
    path = workspace / "two.inkslop"
    path.write_text(SCRIPT)
    uri = open_script(client, path, SCRIPT)
    invoked = {"trigger_kind": types.CodeActionTriggerKind.Invoked}
    (action,) = [a for a in await actions_at(client, uri, 5, **invoked)
                 if a.title.startswith("Preview")]
    assert list(action.command.arguments) == [uri, 6]
    # not on the automatic lightbulb, nor outside narration
    assert not [a for a in await actions_at(client, uri, 5) if a.command]
    assert not [a for a in await actions_at(client, uri, 3, **invoked) if a.command]
    # asked for by kind, as an editor's "Source Action..." menu does
    assert await actions_at(client, uri, 0, only=[types.CodeActionKind.Source])

    written = await client.workspace_execute_command_async(types.ExecuteCommandParams(
        command=action.command.command, arguments=action.command.arguments))
    assert written == str(workspace / "two.line6.wav")
    message = client.messages[-1]
    assert message.type == types.MessageType.Info and written in message.message
    info = sf.info(written)
    seconds = info.frames / info.samplerate
    assert f"({seconds:.2f} s)" in message.message
    assert 0.5 < seconds < 3  # "Step one." alone, not the whole script


async def test_a_failed_preview_is_shown_not_raised(client, workspace):
    text = '[tts engine="kokoro_tts" voice="zz_nobody"]\nHi.\n[/tts]\n'
    uri = open_script(client, workspace / "unknown-voice.inkslop", text)
    written = await client.workspace_execute_command_async(types.ExecuteCommandParams(
        command="inkslop.previewBlock", arguments=[uri, 2]))
    assert written is None
    message = client.messages[-1]
    assert message.type == types.MessageType.Error and "zz_nobody" in message.message
