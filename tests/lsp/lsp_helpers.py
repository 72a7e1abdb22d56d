"""Helpers of the end-to-end tests: open and change scripts, wait for diagnostics, and
positions counted by the tests themselves in each encoding."""

from __future__ import annotations

import asyncio
from pathlib import Path

from lsprotocol import types
from pytest_lsp import LanguageClient

TTS = '[tts engine="kokoro_tts" voice="af_heart"]\nHello there.\n[/tts]\n'


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



async def published_latest(client: LanguageClient, uri: str, timeout: float = 20) -> list:
    """The diagnostics pushed for the latest version sent of `uri` (pushes for the versions
    before it, which a slow machine may see, are passed over)."""
    version = _versions[uri]

    def latest() -> list | None:
        return next((list(p.diagnostics) for p in reversed(client.pushes)  # type: ignore[attr-defined]
                     if p.uri == uri and p.version == version), None)

    async def wait() -> list:
        while latest() is None:
            await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        return latest()  # type: ignore[return-value]
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
