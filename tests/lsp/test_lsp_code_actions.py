"""Code actions: each diagnostic's own fix, "did you mean" alternatives, closing an
unclosed tag, and "fix all safe problems" (source.fixAll)."""

from __future__ import annotations

import pytest
from lsp_helpers import apply_edits, doc, open_script, published, span
from lsprotocol import types

from inkslop.lint.checker import fix

pytestmark = pytest.mark.asyncio(loop_scope="module")


async def actions(client, uri: str, range_: types.Range, only=None):
    return await client.text_document_code_action_async(types.CodeActionParams(
        text_document=doc(uri), range=range_,
        context=types.CodeActionContext(diagnostics=[], only=only)))


def edited(text: str, action: types.CodeAction) -> str:
    ((_, edits),) = action.edit.changes.items()
    return apply_edits(text, edits)


async def test_the_fix_a_diagnostic_carries(vscode, workspace):
    text = "[tts engine='kokoro_tts' voice=\"af_heart\"]\nHi\n[/tts]\n"
    uri = open_script(vscode, workspace / "quotes.inkslop", text)
    (diagnostic,) = await published(vscode, uri)
    action, fix_all = await actions(vscode, uri, diagnostic.range)
    assert fix_all.kind == types.CodeActionKind.SourceFixAll  # the fix is safe
    assert action.title == "Use double quotes" and action.is_preferred
    assert action.kind == types.CodeActionKind.QuickFix
    assert action.diagnostics[0].code == "S012"
    assert edited(text, action).startswith('[tts engine="kokoro_tts"')


async def test_did_you_mean_offers_the_closest_names(vscode, workspace):
    text = '[tts engine="kokoro_tts" voice="am_adan"]\nHi\n[/tts]\n'
    uri = open_script(vscode, workspace / "voice.inkslop", text)
    (diagnostic,) = await published(vscode, uri)
    found = await actions(vscode, uri, diagnostic.range)
    titles = [a.title for a in found]
    assert titles[0] == 'Write "am_adam"'  # the diagnostic's own fix
    assert len(titles) >= 3 and all(t.startswith('Change to "') for t in titles[1:])
    assert "am_adam" not in " ".join(titles[1:])  # no duplicate of the carried fix
    assert edited(text, found[1]).startswith('[tts engine="kokoro_tts" voice="a')


async def test_did_you_mean_renames_a_tag_and_its_closing_tag(vscode, workspace):
    text = '[tss engine="kokoro_tts" voice="af_heart"]\nHi\n[/tss]\n'
    uri = open_script(vscode, workspace / "tag.inkslop", text)
    (diagnostic,) = await published(vscode, uri)
    (action, *_) = await actions(vscode, uri, diagnostic.range)
    assert edited(text, action) == text.replace("tss", "tts")


async def test_close_an_unclosed_tag(vscode, workspace):
    text = ('[music file="music/Carefree.opus"]\n[tts engine="kokoro_tts" voice="af_heart"]\n'
            "Hi there.\n\n[/music]\n")
    uri = open_script(vscode, workspace / "unclosed.inkslop", text)
    diagnostic = next(d for d in await published(vscode, uri) if d.code == "S001")
    found = {a.title: a for a in await actions(vscode, uri, diagnostic.range)}
    assert edited(text, found["Close `[tts]` here"]).endswith("\n[/tts]\n[/music]\n")
    assert edited(text, found["Close `[tts]` after its text"]) == text.replace(
        "Hi there.\n", "Hi there.\n[/tts]\n")


async def test_fix_all_safe_problems(vscode, workspace):
    text = ("[tts engine='kokoro_tts' voice=af_heart subtitles=\"true\"]\nHi\n[/tts]\n"
            "[tts engine=\"kokoro_tts\" voice=\"af_heart\"subtitles=\"false\"]\nYo\n[/tts]\n")
    uri = open_script(vscode, workspace / "fix-all.inkslop", text)
    await published(vscode, uri)
    (action,) = await actions(vscode, uri, span((0, 0), (0, 0)),
                              only=[types.CodeActionKind.SourceFixAll])
    assert action.kind == types.CodeActionKind.SourceFixAll
    assert edited(text, action) == fix(text).text != text
    everything = await actions(vscode, uri, span((0, 0), (6, 0)))
    assert types.CodeActionKind.SourceFixAll in [a.kind for a in everything]
    only_quick = await actions(vscode, uri, span((0, 0), (6, 0)),
                               only=[types.CodeActionKind.QuickFix])
    assert {a.kind for a in only_quick} == {types.CodeActionKind.QuickFix}


async def test_no_fix_all_when_nothing_is_safely_fixable(vscode, workspace):
    text = '[tts engine="kokoro_tts" voice="af_hert"]\nHi\n[/tts]\n'
    uri = open_script(vscode, workspace / "nothing-safe.inkslop", text)
    await published(vscode, uri)
    assert not await actions(vscode, uri, span((0, 0), (0, 0)),
                             only=[types.CodeActionKind.SourceFixAll])
