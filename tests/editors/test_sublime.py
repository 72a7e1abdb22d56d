"""Sublime Text (editors/sublime): the .sublime-syntax runs its syntax test file
(Sublime's own format) through syntect, the engine of Sublime's syntax format that bat and
others use; the LSP client settings start a server that answers."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import syntect
from editor_tools import EDITORS, lsp_session, server_env

SUBLIME = EDITORS / "sublime"


@pytest.fixture(scope="module")
def syntaxes() -> syntect.SyntaxSet:
    builder = syntect.SyntaxSet.load_defaults(newlines=True).into_builder()  # TOML among them
    assert builder.add_from_folder(str(SUBLIME), True) == []
    syntax_set = builder.build()
    assert syntax_set.find_syntax_by_extension("inkslop").scope == "source.inkslop"
    assert syntax_set.find_unlinked_contexts() == []
    return syntax_set


def scopes_by_column(syntax_set: syntect.SyntaxSet, text: str) -> list[list[list[str]]]:
    """For each line of text, for each column, the scope stack there."""
    state = syntect.ParseState("InkSlop", syntax_set)
    stack = syntect.ScopeStack.from_string("")
    result = []
    for line in text.splitlines(keepends=True):
        output = state.parse_line(line, syntax_set)
        columns, applied = [], 0
        for column in range(len(line) + 1):
            while applied < len(output.ops) and output.ops[applied][0] <= column:
                stack.apply(output.get_scope_stack_op(applied))
                applied += 1
            columns.append(stack.as_string().split())
        result.append(columns[:-1])
    return result


def matches(selector: str, stack: list[str]) -> bool:
    """Sublime's scope selectors as the tests write them: `a b - c - d e`."""
    def path(part: str) -> bool:  # descendant selector: each atom a prefix, in order
        atoms, i = part.split(), 0
        for scope in stack:
            if i < len(atoms) and (scope == atoms[i] or scope.startswith(atoms[i] + ".")):
                i += 1
        return i == len(atoms)

    required, *excluded = selector.split(" - ")
    return path(required) and not any(path(part) for part in excluded)


def test_syntax_test_file(syntaxes: syntect.SyntaxSet) -> None:
    test_file = SUBLIME / "syntax_test_inkslop.inkslop"
    text = test_file.read_text()
    assert text.startswith('[# SYNTAX TEST "Packages/InkSlop/InkSlop.sublime-syntax" #]\n')
    scopes = scopes_by_column(syntaxes, text)
    failures, count, source_line = [], 0, None
    for number, line in enumerate(text.splitlines()):
        assertion = re.match(r"\[#(\s*)(\^+|<-)\s+(.*?)\s*#\]$", line)
        if not assertion or source_line is None:
            source_line = number
            continue
        start = 0 if assertion.group(2) == "<-" else 2 + len(assertion.group(1))
        width = 1 if assertion.group(2) == "<-" else len(assertion.group(2))
        for column in range(start, start + width):
            count += 1
            stack = scopes[source_line][column]
            if not matches(assertion.group(3), stack):
                failures.append(f"{test_file.name}:{number + 1}:{column}: {assertion.group(3)!r} "
                                f"not in {' '.join(stack)}")
    assert failures == []
    assert count > 300


def test_front_matter_is_toml(syntaxes: syntect.SyntaxSet) -> None:
    """Apart: Sublime's test files cannot begin with front matter (their first line is the
    test's header)."""
    text = ('+++\nvideo_name = "x"\n[vars]\n+++\n[tts voice="af_heart"]\nHi\n[/tts]\n'
            "+++\n")
    scopes = scopes_by_column(syntaxes, text)
    assert matches("meta.frontmatter punctuation.definition.frontmatter.begin", scopes[0][0])
    assert matches("meta.frontmatter meta.embedded.block.toml - meta.tag", scopes[1][0])
    assert matches("meta.embedded.block.toml string.quoted.double.toml", scopes[1][14])
    assert matches("meta.embedded.block.toml - meta.tag", scopes[2][1])
    assert matches("meta.frontmatter punctuation.definition.frontmatter.end - meta.embedded",
                   scopes[3][0])
    assert matches("meta.tag entity.name.tag - meta.frontmatter", scopes[4][1])
    assert matches("source.inkslop - meta.frontmatter", scopes[7][0])  # +++ lower down: text


def test_lsp_client_settings_start_the_server(tmp_path: Path) -> None:
    text = (SUBLIME / "LSP-inkslop.sublime-settings").read_text()
    settings = json.loads(re.sub(r"(?m)^\s*//.*$", "", text))  # Sublime's JSON has comments
    client = settings["clients"]["inkslop"]
    assert client["enabled"] is True
    assert client["selector"] == "source.inkslop"
    answers = lsp_session(client["command"], tmp_path, server_env(),
                          '[tts engine="kokoro_tts" voice="af_hert"]\nHi\n[/tts]\n')
    assert answers["initialize"]["capabilities"]["completionProvider"]
    assert [d["code"] for d in answers["diagnostics"]] == ["T008"]
