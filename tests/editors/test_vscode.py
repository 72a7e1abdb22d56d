"""The VS Code extension (editors/vscode): it builds, its grammar passes its tests, its
unit tests pass, and it packages into a .vsix with what VS Code needs."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import pytest
from editor_tools import EDITORS, INSTALL, run, tool

import inkslop

VSCODE = EDITORS / "vscode"
GRAMMAR_TESTS = sorted((VSCODE / "test" / "grammar").glob("*.inkslop"))


@pytest.fixture(scope="module")
def built() -> Path:
    tool("npm")
    if not (VSCODE / "node_modules" / ".bin" / "vsce").exists():
        pytest.fail(f"editors/vscode/node_modules is missing: run `{INSTALL}`", pytrace=False)
    run(["npm", "run", "--silent", "build"], VSCODE)
    return VSCODE


def manifest() -> dict:
    return json.loads((VSCODE / "package.json").read_text(encoding="utf-8"))


def test_grammar_passes_its_tests(built: Path) -> None:
    result = run(["npm", "run", "--silent", "test:grammar"], built)
    for case in GRAMMAR_TESTS:
        assert f"✓ test/grammar/{case.name} run successfuly" in result.stdout, result.stdout


def test_every_scope_of_the_grammar_is_asserted(built: Path) -> None:
    grammar = json.loads((built / "syntaxes" / "inkslop.tmLanguage.json").read_text())
    names: set[str] = set()

    def collect(node: object) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key in ("name", "contentName") and isinstance(value, str):
                    names.add(value)
                collect(value)
        elif isinstance(node, list):
            for item in node:
                collect(item)

    collect(grammar["repository"])
    required: set[str] = set()  # the scopes an assertion requires (before its " - ")
    for case in GRAMMAR_TESTS:
        for line in case.read_text().splitlines()[1:]:
            if assertion := re.match(r"\[#\s*(?:\^+|<~*-+)\s(.*)", line):
                required.update(assertion.group(1).split(" - ")[0].split())
    assert sorted(names - required) == []
    areas = {"tags", "comments", "variables", "front-matter", "broken"}
    assert areas <= {case.stem for case in GRAMMAR_TESTS}


def test_server_lookup_unit_tests(built: Path) -> None:
    result = run(["npm", "run", "--silent", "test:unit"], built)
    assert re.search(r"^# fail 0$", result.stdout, re.M), result.stdout


def test_settings_defaults() -> None:
    properties = manifest()["contributes"]["configuration"]["properties"]
    assert properties["inkslop.server.path"]["default"] == ""
    assert properties["inkslop.server.args"]["default"] == ["lsp"]
    assert properties["inkslop.trace.server"]["default"] == "off"


def test_language_configuration() -> None:
    configuration = json.loads((VSCODE / "language-configuration.json").read_text())
    assert configuration["comments"] == {"blockComment": ["[#", "#]"]}
    closing = {pair["open"]: pair["close"] for pair in configuration["autoClosingPairs"]}
    assert closing["["] == "]" and closing['"'] == '"'
    assert configuration["folding"]["markers"]
    assert configuration["colorizedBracketPairs"] == []  # a tag's [ ] are no nesting


NARRATION = '[tts engine="kokoro_tts" voice="af_heart"]\nHello there.\n[/tts]'


def test_snippets_expand_to_scripts_that_check_clean() -> None:
    snippets = json.loads((VSCODE / "snippets" / "inkslop.code-snippets").read_text())
    for name, snippet in snippets.items():
        body = snippet["body"] if isinstance(snippet["body"], str) else "\n".join(snippet["body"])
        # as VS Code inserts it, every placeholder left at its default
        # what the author types at $0: narration inside a block, a block after front matter
        typed = NARRATION if name == "Front matter" else "Hello there."
        text = body.replace("${TM_FILENAME_BASE}", "script").replace("$0", typed)
        while re.search(r"\$\{\d+[:|]", text):
            text = re.sub(r"\$\{\d+:([^${}]*)\}", r"\1", text)
            text = re.sub(r"\$\{\d+\|([^,|]*)[^}]*\|\}", r"\1", text)
        text = re.sub(r"\$\{\d+\}", "", text)
        assert "$" not in text, (name, text)
        if name in ("Variable", "Comment", "Ignore a rule"):  # written inside a script's block
            text = NARRATION.replace("Hello there.", f"Hello there. {text}")
            if name == "Variable":  # a variable the script defines, as V001 requires
                text = '+++\n[vars]\nname = "you"\n+++\n' + text
        errors = [d for d in inkslop.check(inkslop.parse(text + "\n")) if d.severity == "error"]
        assert errors == [], (name, text, errors)


def test_packages_into_a_vsix(built: Path, tmp_path: Path) -> None:
    vsix = tmp_path / "inkslop.vsix"
    run(["npx", "--no-install", "vsce", "package", "--no-dependencies", "--skip-license",
         "--allow-missing-repository", "--out", str(vsix)], built)
    with zipfile.ZipFile(vsix) as archive:
        files = set(archive.namelist())
        packaged = json.loads(archive.read("extension/package.json"))
        code = archive.read("extension/out/extension.js").decode()
    assert {"extension/out/extension.js", "extension/syntaxes/inkslop.tmLanguage.json",
            "extension/language-configuration.json", "extension/snippets/inkslop.code-snippets",
            "extension/readme.md"} <= files
    assert not any("node_modules" in name or name.endswith(".ts") for name in files)
    language = packaged["contributes"]["languages"][0]
    assert (language["id"], language["extensions"]) == ("inkslop", [".inkslop"])
    commands = {c["command"] for c in packaged["contributes"]["commands"]}
    assert "inkslop.restartServer" in commands
    # the language client is bundled, with the restart command and the output channel
    for needle in ("inkslop.restartServer", "InkSlop Language Server", "inkslop.server.path"):
        assert needle in code
