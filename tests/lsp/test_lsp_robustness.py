"""Nothing stops the server: malformed requests, positions outside the text, unknown
documents, a huge script, a script with every kind of error, random edits. Errors go
to the log, never to a crash."""

from __future__ import annotations

import asyncio
import json
import random
import sys

import pytest
from lsp_helpers import at, change, doc, open_script, published, span
from lsprotocol import types

from inkslop.lint.checker import check
from inkslop.lint.rules import RULES
from inkslop.syntax.parser import parse

pytestmark = pytest.mark.asyncio(loop_scope="module")

TTS = '[tts engine="kokoro_tts" voice="af_heart"]\nHello.\n[/tts]\n'
EVERY_ERROR = "".join(rule.bad for rule in RULES.values() if rule.bad) + (
    '+++\nbroken = [\n+++\n[tts engine="kokoro_tts" voice="af_heart" speed=\'3\' x\n'
    "{{ 1bad }} {{ open [# unclosed\n[/music] [music/] [ [/ ] {{\n\u2028\x0c\r\r\n😀[\n")


async def every_request(client, uri: str, text: str) -> None:
    """Every feature, at the start, the middle and the end of every line."""
    lines = text.split("\n")
    positions = [at(n, c) for n, line in enumerate(lines)
                 for c in {0, len(line) // 2, len(line), len(line) + 5}]
    positions.append(at(len(lines) + 3, 0))  # past the end
    identifier = doc(uri)
    everything = span((0, 0), (len(lines) + 1, 0))
    requests = [
        client.text_document_document_symbol_async(types.DocumentSymbolParams(
            text_document=identifier)),
        client.text_document_folding_range_async(types.FoldingRangeParams(
            text_document=identifier)),
        client.text_document_semantic_tokens_full_async(types.SemanticTokensParams(
            text_document=identifier)),
        client.text_document_inlay_hint_async(types.InlayHintParams(
            text_document=identifier, range=everything)),
        client.text_document_document_link_async(types.DocumentLinkParams(
            text_document=identifier)),
        client.text_document_formatting_async(types.DocumentFormattingParams(
            text_document=identifier, options=types.FormattingOptions(2, True))),
        client.text_document_code_action_async(types.CodeActionParams(
            text_document=identifier, range=everything,
            context=types.CodeActionContext(diagnostics=[]))),
        client.text_document_selection_range_async(types.SelectionRangeParams(
            text_document=identifier, positions=positions)),
    ]
    for position in positions:
        requests += [
            client.text_document_completion_async(types.CompletionParams(
                text_document=identifier, position=position)),
            client.text_document_hover_async(types.HoverParams(
                text_document=identifier, position=position)),
            client.text_document_definition_async(types.DefinitionParams(
                text_document=identifier, position=position)),
        ]
    await asyncio.gather(*requests)


def no_errors_logged(client) -> None:
    errors = [m.message for m in client.log_messages if m.type == types.MessageType.Error]
    assert errors == []


async def test_a_script_with_every_kind_of_error(vscode, workspace):
    uri = open_script(vscode, workspace / "every-error.inkslop", EVERY_ERROR)
    found = {d.code for d in await published(vscode, uri)}
    assert found == {d.code for d in check(parse(EVERY_ERROR))}
    await every_request(vscode, uri, EVERY_ERROR)
    no_errors_logged(vscode)


async def test_each_rules_own_bad_example(vscode, workspace):
    for code, rule in RULES.items():
        if not rule.bad:
            continue
        uri = open_script(vscode, workspace / f"bad-{code}.inkslop", rule.bad)
        assert code in {d.code for d in await published(vscode, uri)} or rule.example_config
        await every_request(vscode, uri, rule.bad)
    no_errors_logged(vscode)


async def test_random_edits_never_break_the_server(vscode, workspace):
    pieces = ["[", "]", "[/", "tts", '"', "'", "=", "{{", "}}", "[#", "#]", "\n", " ", "😀",
              "+++\n", "\r\n", "/]", "music", "é", "\t", "voice"]
    randomness = random.Random(20261121)
    text = EVERY_ERROR[:400]
    uri = open_script(vscode, workspace / "random.inkslop", text)
    for _ in range(60):
        lines = text.split("\n")
        line = randomness.randrange(len(lines))
        column = randomness.randrange(len(lines[line]) + 1)
        piece = randomness.choice(pieces)
        if randomness.random() < 0.3 and column < len(lines[line]):  # delete a character
            change(vscode, uri, "", span((line, column), (line, column + 1)))
            lines[line] = lines[line][:column] + lines[line][column + 1:]
            text = "\n".join(lines)
        else:  # the test's own reading of UTF-16 columns: ASCII up to the column
            if not lines[line][:column].isascii():
                column = 0
            change(vscode, uri, piece, span((line, column), (line, column)))
            lines[line] = lines[line][:column] + piece + lines[line][column:]
            text = "\n".join(lines)
    await published(vscode, uri)
    await every_request(vscode, uri, text)
    symbols = await vscode.text_document_document_symbol_async(
        types.DocumentSymbolParams(text_document=doc(uri)))
    assert symbols is not None
    no_errors_logged(vscode)


async def test_requests_about_documents_that_are_not_open(vscode, workspace):
    await every_request(vscode, (workspace / "never-opened.inkslop").as_uri(), "a\nb")
    no_errors_logged(vscode)


class RawClient:
    """Speaks JSON-RPC to a server process byte by byte, to send what no typed client
    would: malformed messages."""

    def __init__(self, process: asyncio.subprocess.Process) -> None:
        self.process = process

    @classmethod
    async def start(cls) -> RawClient:
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "inkslop", "lsp", stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.DEVNULL)
        return cls(process)

    async def send(self, message: dict | bytes) -> None:
        body = message if isinstance(message, bytes) else json.dumps(message).encode()
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        await self.process.stdin.drain()

    async def reply_to(self, request_id: object) -> dict:
        """The response to a request (notifications before it are skipped)."""
        while True:
            message = await asyncio.wait_for(self._read(), 20)
            if message.get("id") == request_id and "method" not in message:
                return message

    async def _read(self) -> dict:
        length = 0
        while True:
            line = await self.process.stdout.readline()
            if line in (b"\r\n", b""):
                break
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":")[1])
        return json.loads(await self.process.stdout.readexactly(length))

    async def stop(self) -> None:
        self.process.kill()
        await self.process.wait()


async def test_malformed_messages_are_refused_and_the_server_goes_on():
    client = await RawClient.start()
    try:
        await client.send({"jsonrpc": "2.0", "id": 1, "method": "initialize",
                           "params": {"processId": None, "rootUri": None, "capabilities": {}}})
        assert "capabilities" in (await client.reply_to(1))["result"]
        await client.send({"jsonrpc": "2.0", "method": "initialized", "params": {}})
        await client.send(b'{"broken json')
        await client.send(b"[]")
        await client.send({"jsonrpc": "2.0", "id": 2, "method": "textDocument/hover",
                           "params": {"textDocument": {"uri": 42}, "position": "here"}})
        assert "error" in await client.reply_to(2)
        await client.send({"jsonrpc": "2.0", "id": 3, "method": "inkslop/noSuchMethod"})
        assert "error" in await client.reply_to(3)
        await client.send({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
            "textDocument": {"uri": "file:///nowhere.inkslop", "version": 2},
            "contentChanges": [{"range": {"start": {"line": 9, "character": 9},
                                          "end": {"line": 0, "character": 0}}, "text": "x"}]}})
        uri = "file:///tmp/raw.inkslop"
        await client.send({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {
            "textDocument": {"uri": uri, "languageId": "inkslop", "version": 1,
                             "text": TTS}}})
        await client.send({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
            "textDocument": {"uri": uri, "version": 2},
            "contentChanges": [{"range": {"start": {"line": 99, "character": 99},
                                          "end": {"line": 1, "character": 0}}, "text": "Y"}]}})
        await client.send({"jsonrpc": "2.0", "id": 4, "method": "textDocument/hover", "params": {
            "textDocument": {"uri": uri}, "position": {"line": 0, "character": 2}}})
        hover = (await client.reply_to(4))["result"]
        assert "[tts]" in hover["contents"]["value"]
        await client.send({"jsonrpc": "2.0", "id": 5, "method": "shutdown"})
        assert "error" not in await client.reply_to(5)
    finally:
        await client.stop()


async def test_a_huge_script(vscode, workspace):
    text = "".join(
        '[music file="music/Carefree.opus" volume="0.3"]\n'
        + "".join(f'[tts engine="kokoro_tts" voice="af_heart"]\nBlock {i}-{j}: the mantis '
                  f"shrimp punches.\n[/tts]\n" for j in range(4))
        + "[/music]\n" for i in range(400))  # 2,000 blocks
    uri = open_script(vscode, workspace / "huge.inkslop", text)
    found = await published(vscode, uri, timeout=60)
    assert {d.code for d in found} <= {"D001"}  # at most its length: over 100 minutes
    hints = await vscode.text_document_inlay_hint_async(types.InlayHintParams(
        text_document=doc(uri), range=span((0, 0), (20000, 0))))
    assert len(hints) == 1601
    symbols = await vscode.text_document_document_symbol_async(
        types.DocumentSymbolParams(text_document=doc(uri)))
    assert len(symbols) == 400


async def test_a_burst_of_changes_and_requests_is_answered_on_the_newest_text(vscode, workspace):
    text = "".join(f'[tts engine="kokoro_tts" voice="af_heart"]\nBlock {i} punches.\n[/tts]\n'
                   for i in range(2000))
    uri = open_script(vscode, workspace / "burst.inkslop", text)
    await published(vscode, uri, timeout=60)
    requests = []
    for _ in range(10):  # typing with a completion after each key, faster than a parse
        change(vscode, uri, "y", span((1, 0), (1, 0)))
        requests.append(asyncio.wrap_future(vscode.protocol.send_request(  # sent now, in order
            types.TEXT_DOCUMENT_COMPLETION,
            types.CompletionParams(text_document=doc(uri), position=at(3, 2)))))
    results = await asyncio.wait_for(asyncio.gather(*requests, return_exceptions=True), 60)
    # Each request about a version that the next key made stale is answered ContentModified
    # (the client asks again); the last one is answered, after one parse instead of ten.
    stale = [r for r in results if isinstance(r, Exception)]
    assert stale and all(getattr(r, "code", None) == -32801 for r in stale)
    assert [i.label for i in results[-1].items][:2] == ["tts", "music"]
    hover = await vscode.text_document_hover_async(types.HoverParams(
        text_document=doc(uri), position=at(1, 3)))
    assert "**`[tts]`**: 3 words" in hover.contents.value  # "yyyyyyyyyyBlock 0 punches."
    no_errors_logged(vscode)


async def test_deep_nesting(vscode, workspace):
    depth = 3000
    text = '[music file="a.opus"]\n' * depth + TTS + "[/music]\n" * depth
    uri = open_script(vscode, workspace / "deep.inkslop", text)
    await published(vscode, uri, timeout=60)
    symbols, folds, (selection,) = await asyncio.wait_for(asyncio.gather(
        vscode.text_document_document_symbol_async(types.DocumentSymbolParams(
            text_document=doc(uri))),
        vscode.text_document_folding_range_async(types.FoldingRangeParams(
            text_document=doc(uri))),
        vscode.text_document_selection_range_async(types.SelectionRangeParams(
            text_document=doc(uri), positions=[at(depth + 1, 2)])),
    ), 60)
    assert len(folds) == depth + 1
    count, level, todo = 0, 0, [(s, 1) for s in symbols]
    while todo:  # every block is in the outline, nested no deeper than 64
        symbol, level = todo.pop()
        count += 1
        assert level <= 64
        todo += [(child, level + 1) for child in symbol.children or []]
    assert count == depth + 1
    chain = 0
    while selection is not None:
        chain, selection = chain + 1, selection.parent
    assert chain <= 64
    no_errors_logged(vscode)
