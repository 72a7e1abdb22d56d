"""inkslop_lsp.scripts: a changed version is parsed from the last parsed one, re-reading only
the region its changes can affect, and reads exactly as a whole parse of its text."""

from __future__ import annotations

import random

from lsprotocol import types

from inkslop.lint.checker import check
from inkslop.syntax.ast import Block, dump
from inkslop.syntax.bom import BOM
from inkslop.syntax.parser import parse
from inkslop_lsp.completion import complete
from inkslop_lsp.positions import Positions
from inkslop_lsp.scripts import Scripts
from inkslop_lsp.session import Session

URI = "untitled:script.inkslop"
BLOCK = '[tts engine="kokoro_tts" voice="af_heart"]\nThe mantis shrimp punches.\n[/tts]\n'


def at(text: str, offset: int) -> types.Position:
    """An LSP position of an ASCII text (so UTF-16 columns are string indices)."""
    line = text.count("\n", 0, offset)
    return types.Position(line=line, character=offset - text.rfind("\n", 0, offset) - 1)


def replace(text: str, start: int, end: int, new: str) -> types.TextDocumentContentChangePartial:
    return types.TextDocumentContentChangePartial(
        range=types.Range(start=at(text, start), end=at(text, end)), text=new)


def assert_reads_as_a_whole_parse(scripts: Scripts) -> None:
    script = scripts.get(URI)
    assert script is not None
    whole = parse(script.text)
    assert dump(script.document) == dump(whole)
    assert script.document.diagnostics == whole.diagnostics
    assert script.diagnostics == check(whole, script.settings)
    assert script.positions.starts == Positions(script.text, script.codec).starts


def test_a_change_keeps_the_blocks_before_it_and_moves_those_after_it() -> None:
    scripts = Scripts()
    text = BLOCK * 50
    first = scripts.put(URI, text, 1)
    blocks = [n for n in first.document.children if isinstance(n, Block)]
    middle = text.index("mantis", len(text) // 2)
    scripts.change(URI, 2, [replace(text, middle, middle + 6, "octopus")])
    changed = scripts.get(URI)
    assert changed is not None
    now = [n for n in changed.document.children if isinstance(n, Block)]
    assert now[0] is blocks[0]  # kept, not parsed again
    assert now[-1] is blocks[-1]  # moved, not parsed again
    assert blocks[-1].span.start == len(changed.text) - len(BLOCK)
    assert_reads_as_a_whole_parse(scripts)


def test_changes_made_before_a_parse_are_parsed_at_once() -> None:
    # The server parses a version only when something asks for it: several versions may
    # come in between, each with several changes.
    randomness = random.Random(14)
    scripts = Scripts()
    text = BLOCK * 20 + '[pause duration="1" /]\n' + BLOCK * 5
    scripts.put(URI, text, 1).document  # noqa: B018 - parsed, as a feature would ask
    version = 1
    for _ in range(40):
        changes = []
        for _ in range(randomness.randint(1, 3)):
            start = randomness.randrange(len(text) + 1)
            end = min(len(text), start + randomness.randrange(4))
            new = randomness.choice(["", "[", "]", "[/tts]\n", "\n", "x", '"', "[# ", " #]"])
            changes.append(replace(text, start, end, new))
            text = text[:start] + new + text[end:]
        version += 1
        script = scripts.change(URI, version, changes)
        assert script is not None and script.text == text
        if randomness.random() < 0.5:
            assert_reads_as_a_whole_parse(scripts)
    assert_reads_as_a_whole_parse(scripts)


def test_a_whole_text_replaced_or_a_byte_order_mark_is_parsed_whole() -> None:
    scripts = Scripts()
    scripts.put(URI, BLOCK * 3, 1).document  # noqa: B018 - parsed
    scripts.change(URI, 2, [types.TextDocumentContentChangeWholeDocument(text=BOM + BLOCK)])
    assert_reads_as_a_whole_parse(scripts)
    text = BOM + BLOCK
    scripts.change(URI, 3, [replace(text, 1, 1, "[pause /]\n")])
    assert_reads_as_a_whole_parse(scripts)
    assert scripts.get(URI).document.children[0].name == "pause"  # type: ignore[union-attr]


def test_completion_after_a_change_answers_without_checking_the_script() -> None:
    # Completion reads the new version's parse (re-read around the change) and never waits
    # for its check, which the debounced diagnostics do later.
    session = Session()
    text = BLOCK * 200
    first = session.scripts.put(URI, text, 1)
    assert first.document and first.diagnostics is not None  # parsed, checked: first publish
    end = len(text)
    session.scripts.change(URI, 2, [replace(text, end, end, "[")])
    script = session.scripts.get(URI)
    items = complete(session, types.CompletionParams(
        text_document=types.TextDocumentIdentifier(uri=URI), position=at(script.text, end + 1)))
    assert items is not None and "tts" in {item.label for item in items.items}
    assert script.parsed and "diagnostics" not in script.__dict__


def test_a_check_after_a_change_reuses_the_findings_of_the_blocks_it_kept() -> None:
    scripts = Scripts()
    odd = '[tts engine="kokoro_tts" voice="nobody"]\nHi.\n[/tts]\n'  # a finding to move
    text = (BLOCK + odd) * 20
    first = scripts.put(URI, text, 1)
    assert first.diagnostics
    kept = dict(first.memo.nodes)  # type: ignore[union-attr]
    middle = text.index("mantis", len(text) // 2)
    scripts.change(URI, 2, [replace(text, middle, middle, "\n")])  # lines after it move
    script = scripts.get(URI)
    assert script is not None
    assert_reads_as_a_whole_parse(scripts)
    reused = [node for key, node in script.memo.nodes.items()  # type: ignore[union-attr]
              if kept.get(key) is node]
    assert len(reused) >= len(kept) - 2


def completion_labels(session: Session, text: str, offset: int) -> list[str]:
    items = complete(session, types.CompletionParams(
        text_document=types.TextDocumentIdentifier(uri=URI), position=at(text, offset)))
    return [item.label for item in items.items] if items else []


def test_completion_after_changes_equals_completion_on_the_text_opened_afresh() -> None:
    randomness = random.Random(4)
    session = Session()
    text = BLOCK * 10 + '[music file="a.opus"]\n' + BLOCK * 3 + "[/music]\n" + BLOCK * 10
    session.scripts.put(URI, text, 1).document  # noqa: B018 - parsed
    for version in range(2, 40):
        start = randomness.randrange(len(text) + 1)
        new = randomness.choice(["[", "[/", " ", "x", "\n", '"', "[t", "[tts "])
        session.scripts.change(URI, version, [replace(text, start, start, new)])
        text = text[:start] + new + text[start:]
        offset = start + len(new)
        after_change = completion_labels(session, text, offset)
        fresh = Session()
        fresh.scripts.put(URI, text, 1)
        assert after_change == completion_labels(fresh, text, offset)
