"""Diagnostics: pushed on open and on change (debounced), pulled where the client pulls,
exactly what `inkslop check` reports, with the configuration found from the file,
and renewed when that configuration changes."""

from __future__ import annotations

import asyncio
import json
import random
import subprocess
import sys
from pathlib import Path

import pytest
from lsp_helpers import (
    TTS,
    change,
    doc,
    open_script,
    position_of,
    published,
    published_latest,
    span,
)
from lsprotocol import types

from inkslop.config.loader import settings_for
from inkslop.lint.checker import check
from inkslop.syntax.parser import parse

pytestmark = pytest.mark.asyncio(loop_scope="module")

MIXED = (
    "[music file=\"music/Carefree.opus\" volume='0.3' fit=\"lop\"]\n"
    '[tts engine="kokoro_tts" voice="af_hert" subtitles="yes"]\n'
    "The {{ animal }} can punch.\n"
    "[/tts]\n"
    "[/music]\n"
    "Stray words.\n"
    "[tss]\nHi\n[/tss]\n"
)


def cli_check(path: Path) -> list[tuple]:
    """What `inkslop check --output-format json` reports for a file on disk, as
    (code, severity, message, start line, start column, end line, end column), 0-based."""
    result = subprocess.run([sys.executable, "-m", "inkslop", "check", "--output-format", "json",
                             str(path)], capture_output=True, text=True, check=False)
    return sorted((d["code"], d["severity"], d["message"], d["line"] - 1, d["column"] - 1,
                   d["end_line"] - 1, d["end_column"] - 1) for d in json.loads(result.stdout))


SEVERITY = {1: "error", 2: "warning", 3: "info"}


def as_tuples(diagnostics: list[types.Diagnostic]) -> list[tuple]:
    return sorted((d.code, SEVERITY[d.severity], d.message, d.range.start.line,
                   d.range.start.character, d.range.end.line, d.range.end.character)
                  for d in diagnostics)


async def test_diagnostics_on_open_are_those_of_inkslop_check(vscode, workspace):
    path = workspace / "mixed.inkslop"
    path.write_text(MIXED, encoding="utf-8")
    uri = open_script(vscode, path, MIXED)
    found = await published(vscode, uri)
    assert as_tuples(found) == cli_check(path)
    assert {d.code for d in found} >= {"S012", "T005", "T008", "T004", "V001", "C001", "T001"}
    assert all(d.source == "inkslop" for d in found)


async def test_the_project_configuration_of_the_file_applies(vscode, workspace):
    project = workspace / "quiet"
    project.mkdir()
    (project / "inkslop.toml").write_text('ignore = ["C001", "V"]\n[severity]\nT008 = "error"\n')
    path = project / "script.inkslop"
    path.write_text(MIXED, encoding="utf-8")
    uri = open_script(vscode, path, MIXED)
    found = await published(vscode, uri)
    assert as_tuples(found) == cli_check(path)
    codes = {d.code for d in found}
    assert "C001" not in codes and "V001" not in codes
    assert next(d for d in found if d.code == "T008").severity == types.DiagnosticSeverity.Error


async def test_the_client_is_asked_to_watch_the_configuration_files(vscode):
    patterns = [w["globPattern"] for r in vscode.registrations
                for w in r.register_options["watchers"]]
    assert patterns == ["**/.inkslop.toml", "**/inkslop.toml", "**/pyproject.toml"]


async def test_a_configuration_change_renews_the_diagnostics(vscode, workspace):
    project = workspace / "changing"
    project.mkdir()
    config = project / "pyproject.toml"
    config.write_text('[project]\nname = "x"\n')
    path = project / "script.inkslop"
    uri = open_script(vscode, path, MIXED)
    assert "C001" in {d.code for d in await published(vscode, uri)}
    config.write_text('[project]\nname = "x"\n[tool.inkslop]\nignore = ["C001"]\n')
    vscode.diagnostics.pop(uri, None)
    vscode.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams(changes=[
        types.FileEvent(uri=config.as_uri(), type=types.FileChangeType.Changed)]))
    assert "C001" not in {d.code for d in await published(vscode, uri)}
    config.write_text('[project]\nname = "x"\n[tool.inkslop]\nignore = ["C00"]\n')  # same size
    vscode.diagnostics.pop(uri, None)
    vscode.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams(changes=[
        types.FileEvent(uri=config.as_uri(), type=types.FileChangeType.Changed)]))
    assert "C001" not in {d.code for d in await published(vscode, uri)}


async def test_a_broken_configuration_is_one_error_at_the_top(vscode, workspace):
    project = workspace / "broken"
    project.mkdir()
    (project / ".inkslop.toml").write_text('select = "T"\n')
    uri = open_script(vscode, project / "script.inkslop", TTS)
    (found,) = await published(vscode, uri)
    assert found.code == "config" and found.severity == types.DiagnosticSeverity.Error
    assert ".inkslop.toml" in found.message and found.range == span((0, 0), (0, 0))


async def test_incremental_changes_are_applied_and_rechecked(vscode, workspace):
    uri = open_script(vscode, workspace / "typing.inkslop", TTS)
    assert await published(vscode, uri) == []
    column = TTS.index("voice")
    change(vscode, uri, "voise", span((0, column), (0, column + 5)))
    found = await published(vscode, uri)
    assert [d.code for d in found] == ["T002"]  # `voise` is taken for `voice`: no T003
    change(vscode, uri, "c", span((0, column + 3), (0, column + 4)))
    assert await published(vscode, uri) == []



def library_tuples(text: str, path: Path) -> list[tuple]:
    """`check` of the whole text, as `as_tuples` gives the server's diagnostics."""
    found = check(parse(text), settings_for(path))
    return sorted((d.code, d.severity, d.message, *at_utf16(text, d.span.start),
                   *at_utf16(text, d.span.end)) for d in found)


def at_utf16(text: str, offset: int) -> tuple[int, int]:
    position = position_of(text, offset)
    return position.line, position.character


async def test_diagnostics_after_random_edits_equal_a_whole_check(vscode, workspace):
    # The server parses a changed version from the last one it parsed, re-reading only the
    # region the edits can affect: what it publishes must not tell the difference.
    randomness = random.Random(1421)
    pieces = ["", "[", "]", "[/", "[/tts]\n", "[/music]", "tts", '"', "'", "=", "{{", "}}",
              "[# ", " #]", "\n", " ", "😀", "é", "+++\n", "/]", "voise", "x", "[pause /]\n",
              '[tts engine="kokoro_tts" voice="af_heart"]\n']
    path = workspace / "edited.inkslop"
    text = ('+++\nvideo_name = "mantis"\n[vars]\nanimal = "mantis"\n+++\n'
            + '[music file="music/Carefree.opus" volume="0.3"]\n' + TTS * 4 + "[/music]\n"
            + TTS * 6 + MIXED)
    uri = open_script(vscode, path, text)
    await published(vscode, uri)
    for step in range(25):
        for _ in range(randomness.randint(1, 3)):  # changes the server may parse at once
            start = randomness.randrange(len(text) + 1)
            end = min(len(text), start + randomness.choice([0, 0, 1, 3, 12]))
            piece = randomness.choice(pieces)
            change(vscode, uri, piece, types.Range(start=position_of(text, start),
                                                    end=position_of(text, end)))
            text = text[:start] + piece + text[end:]
        found = as_tuples(await published_latest(vscode, uri))
        assert found == library_tuples(text, path), (step, text)


async def test_fast_typing_is_checked_once_when_it_pauses(vscode, workspace):
    uri = open_script(vscode, workspace / "fast.inkslop", TTS)
    await published(vscode, uri)
    before = len([p for p in vscode.pushes if p.uri == uri])
    for index, character in enumerate("Lots of words"):  # 13 changes, no pause
        change(vscode, uri, character, span((1, 12 + index), (1, 12 + index)))
    found = await published_latest(vscode, uri)  # the last version's, however slow the machine
    pushes = [p for p in vscode.pushes if p.uri == uri][before:]
    assert found == [] and len(pushes) <= 3  # not one check per key
    assert pushes[-1].version == 14  # the last version


async def test_closing_a_script_clears_its_diagnostics(vscode, workspace):
    uri = open_script(vscode, workspace / "closing.inkslop", "[tts]\n")
    assert await published(vscode, uri)
    vscode.diagnostics.pop(uri, None)
    vscode.text_document_did_close(types.DidCloseTextDocumentParams(text_document=doc(uri)))
    assert await published(vscode, uri) == []


async def test_pulled_diagnostics_are_those_of_inkslop_check(neovim, workspace):
    path = workspace / "pulled.inkslop"
    path.write_text(MIXED, encoding="utf-8")
    uri = open_script(neovim, path, MIXED)
    report = await neovim.text_document_diagnostic_async(
        types.DocumentDiagnosticParams(text_document=doc(uri)))
    assert report.kind == "full"
    assert as_tuples(report.items) == cli_check(path)
    await asyncio.sleep(0.2)
    assert uri not in neovim.diagnostics  # a client that pulls gets nothing pushed


async def test_pulled_diagnostics_follow_changes(neovim, workspace):
    uri = open_script(neovim, workspace / "pulled-typing.inkslop", TTS)
    change(neovim, uri, "[/music]\n", span((3, 0), (3, 0)))
    report = await neovim.text_document_diagnostic_async(
        types.DocumentDiagnosticParams(text_document=doc(uri)))
    assert [(d.code, d.range.start.line) for d in report.items] == [("S002", 3)]


async def test_a_configuration_change_asks_a_pulling_client_to_pull_again(neovim, workspace):
    before = neovim.diagnostic_refresh_count
    config = workspace / "inkslop.toml"
    config.write_text('ignore = ["N"]\n')
    try:
        neovim.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams(changes=[
            types.FileEvent(uri=config.as_uri(), type=types.FileChangeType.Created)]))
        for _ in range(50):
            if neovim.diagnostic_refresh_count > before:
                break
            await asyncio.sleep(0.05)
        assert neovim.diagnostic_refresh_count == before + 1
    finally:
        config.unlink()


async def test_pulls_about_versions_already_replaced_are_cancelled_for_a_retry(neovim, workspace):
    text = "".join(f'[tts engine="kokoro_tts" voice="af_heart"]\nBlock {i}.\n[/tts]\n'
                   for i in range(1500))
    uri = open_script(neovim, workspace / "pull-burst.inkslop", text)
    pulls = []
    for index in range(6):
        change(neovim, uri, "[/music]" if index == 5 else "y", span((1, 0), (1, 0)))
        pulls.append(asyncio.wrap_future(neovim.protocol.send_request(  # sent now, in order
            types.TEXT_DOCUMENT_DIAGNOSTIC, types.DocumentDiagnosticParams(text_document=doc(uri)))))
    results = await asyncio.wait_for(asyncio.gather(*pulls, return_exceptions=True), 60)
    cancelled = [r for r in results if isinstance(r, Exception)]
    assert cancelled and all(r.code == -32802 and r.data == {"retriggerRequest": True}
                             for r in cancelled)
    lines = text.split("\n")
    lines[1] = "[/music]yyyyy" + lines[1]
    final = "\n".join(lines)
    assert [d.code for d in results[-1].items] == [d.code for d in check(parse(final))]
