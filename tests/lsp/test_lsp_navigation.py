"""Go to definition (a variable to its `[vars]` entry) and document links (file values
that resolve in the workspace)."""

from __future__ import annotations

import pytest
from lsp_helpers import doc, open_script, position_of
from lsprotocol import types

pytestmark = pytest.mark.asyncio(loop_scope="module")

SCRIPT = (
    '+++\nvideo_name = "x"\n[vars]\nanimal = "octopus"\n+++\n'
    '[music file="music/Carefree.opus"]\n'
    '[tts engine="kokoro_tts" voice="af_heart"]\nThe {{ animal }} and the {{ fish }}.\n[/tts]\n'
    "[/music]\n"
    '[music file="music/Missing.opus"]\n[tts engine="kokoro_tts" voice="{{ animal }}"]\nHi\n'
    "[/tts]\n[/music]\n"
)


async def test_a_variable_leads_to_its_entry_in_vars(vscode, workspace):
    uri = open_script(vscode, workspace / "definition.inkslop", SCRIPT)
    for needle in ("{{ animal }} and", '{{ animal }}"'):
        location = await vscode.text_document_definition_async(types.DefinitionParams(
            text_document=doc(uri), position=position_of(SCRIPT, SCRIPT.index(needle) + 4)))
        key = SCRIPT.index("animal =")
        assert location.uri == uri
        assert location.range == types.Range(start=position_of(SCRIPT, key),
                                             end=position_of(SCRIPT, key + 6))
    undefined = await vscode.text_document_definition_async(types.DefinitionParams(
        text_document=doc(uri), position=position_of(SCRIPT, SCRIPT.index("{{ fish") + 4)))
    assert not undefined


async def test_file_values_that_exist_in_the_workspace_are_links(vscode, workspace):
    uri = open_script(vscode, workspace / "links.inkslop", SCRIPT)
    links = await vscode.text_document_document_link_async(
        types.DocumentLinkParams(text_document=doc(uri)))
    (link,) = links
    assert link.target == (workspace / "music" / "Carefree.opus").as_uri()
    start = SCRIPT.index("music/Carefree.opus")
    assert link.range == types.Range(start=position_of(SCRIPT, start),
                                     end=position_of(SCRIPT, start + len("music/Carefree.opus")))
