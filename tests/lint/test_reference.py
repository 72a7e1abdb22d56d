"""The reference docs (docs/language.md, docs/rules.md) and `inkslop rule`."""

from __future__ import annotations

import dataclasses
import importlib.util
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from inkslop.cli.rule_command import rule
from inkslop.lint.reference import (
    language_reference,
    rule_doc,
    rules_reference,
    rules_table,
    short_severity,
)
from inkslop.lint.rules import RULES
from inkslop.schema.spec import default_schema, schema_from_data

ROOT = Path(__file__).resolve().parents[2]


def _load_generator():
    spec = importlib.util.spec_from_file_location("docs_generate", ROOT / "docs" / "generate.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


generate = _load_generator()


@pytest.fixture(scope="module")
def pages() -> dict[str, str]:
    return {path.name: text for path, text in generate.pages().items()}


def _committed(name: str) -> str:
    return (ROOT / "docs" / name).read_text(encoding="utf-8")


# ---- staleness -------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["language.md", "rules.md"])
def test_committed_docs_are_what_the_generator_writes(pages: dict[str, str], name: str) -> None:
    assert _committed(name) == pages[name], f"docs/{name} is stale: run python docs/generate.py"


def test_generator_check_passes_on_committed_docs() -> None:
    assert generate.main(["--check"]) == 0


def test_changed_rule_makes_rules_md_stale(monkeypatch: pytest.MonkeyPatch) -> None:
    changed = dataclasses.replace(RULES["T008"], summary="A changed summary.")
    monkeypatch.setitem(RULES, "T008", changed)
    assert rules_reference() != _committed("rules.md")


def test_changed_schema_makes_language_md_stale() -> None:
    data = json.loads(json.dumps(default_schema().data))
    data["tags"]["tts"]["attributes"]["speed"]["mark"] = "confirmed"
    assert language_reference(schema_from_data(data)) != _committed("language.md")


def test_generated_from_source_matches_the_shipped_schema(pages: dict[str, str]) -> None:
    # The generator reads grammars/schema.toml; the package ships its compiled copy.
    assert language_reference(default_schema()) == pages["language.md"]


# ---- content ---------------------------------------------------------------------------------

def test_every_rule_is_documented_in_rules_md() -> None:
    text = _committed("rules.md")
    for code, found in RULES.items():
        assert f"### {code} ({found.name})" in text
        assert f"| `{code}` | {found.name} | {short_severity(found)} |" in text


def _section(text: str, heading: str) -> str:
    """The text from a `### heading` line to the next heading of level 3 or less."""
    start = text.index(heading + "\n")
    following = re.search(r"^#{1,3} ", text[start + len(heading):], re.MULTILINE)
    return text[start:start + len(heading) + following.start()] if following else text[start:]


def _row(section: str, name: str) -> list[str]:
    found = re.search(rf"^\| `{re.escape(name)}` \|(.*)\|$", section, re.MULTILINE)
    assert found, f"no row for `{name}`"
    return [cell.strip() for cell in found[1].split("|")]


def test_every_tag_and_attribute_appears_with_its_mark() -> None:
    text = _committed("language.md")
    for tag in default_schema().tags.values():
        section = _section(text, f"### `[{tag.name}]` ({tag.mark})")
        assert f"({tag.content_mark})" in section and f"({tag.parents_mark})" in section
        for attribute in tag.attributes.values():
            row = _row(section, attribute.name)
            assert row[4] == attribute.mark
            if attribute.required:
                assert row[1] == f"yes ({attribute.required_mark})"
            if attribute.default is not None:
                assert row[2].endswith(f"({attribute.default_mark})")


def test_every_voice_appears_with_its_mark() -> None:
    text = _committed("language.md")
    engines = default_schema().engines
    assert len(engines["kokoro_tts"].voices) == 54
    for engine in engines.values():
        section = _section(text, f"### `{engine.name}` ({engine.mark})")
        assert f"voices ({engine.voices_mark})" in section
        for voice in engine.voices.values():
            assert _row(section, voice.name) == [voice.language, voice.gender, voice.mark]


def test_language_md_has_the_legend_and_the_front_matter_fields() -> None:
    text = _committed("language.md")
    for mark in ("confirmed", "assumed", "toolkit"):
        assert f"- **{mark}**:" in text
    for field in ("video_name", "resolution", "publish.channel_id", "publish.privacy", "vars"):
        assert f"| `{field}` |" in text


def test_rule_doc_has_the_same_headings_for_every_rule() -> None:
    headings = ["## What it does", "## Why", "## What it rests on", "## Example",
                "## Use instead", "## Fix"]
    for found in RULES.values():
        doc = rule_doc(found)
        assert doc.startswith(f"# {found.code} ({found.name})\n")
        positions = [doc.index(f"\n{h}\n") for h in headings]
        assert positions == sorted(positions)
        assert ("## Configuration" in doc) == bool(found.example_config)


def test_every_rule_says_what_its_severity_rests_on() -> None:
    for found in RULES.values():
        section = rule_doc(found).split("## Severity\n\n", 1)[1].split("\n\n", 1)[0]
        assert section.startswith(("Error", "Warning", "Info", "A near miss")), found.code
        changeable = "cannot be changed" if found.code.startswith("S") and \
            found.severity == "error" else "another severity in its configuration"
        assert changeable in section, found.code


def test_near_miss_rules_say_a_near_miss_is_an_error_and_a_far_name_a_warning() -> None:
    near_miss_rules = [r for r in RULES.values() if r.near_miss]
    assert {r.code for r in near_miss_rules} == {"T001", "T002", "T005", "T007", "T008", "T013"}
    for found in near_miss_rules:
        doc = rule_doc(found)
        assert "Default severity: error for a near miss of a known name, else warning" in doc
        assert "A near miss of a known name is an error" in doc and "is a warning" in doc
    assert "a warning while that fact is assumed" in rule_doc(RULES["T003"])


# ---- `inkslop rule` ------------------------------------------------------------------------

def _invoke(*args: str):
    return CliRunner().invoke(rule, list(args))


def test_rule_lists_every_rule() -> None:
    result = _invoke()
    assert result.exit_code == 0
    assert result.stdout == rules_table()
    for code, found in RULES.items():
        line = rf"^  {code}  {found.name} +{re.escape(short_severity(found))} "
        assert re.search(line, result.stdout, re.MULTILINE)


def test_rule_prints_one_rules_doc() -> None:
    result = _invoke("T008")
    assert result.exit_code == 0
    assert result.stdout == rule_doc(RULES["T008"])


def test_rule_codes_are_case_insensitive() -> None:
    assert _invoke("t008").stdout == _invoke("T008").stdout


def test_unknown_code_suggests_the_closest_and_exits_2() -> None:
    result = _invoke("T0O8")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "no rule has the code `T0O8`" in result.stderr
    assert "Did you mean `T008`?" in result.stderr


def test_unknown_code_with_nothing_close_still_explains() -> None:
    result = _invoke("hello")
    assert result.exit_code == 2
    assert "`inkslop rule` lists them all" in result.stderr


def test_rule_json_has_every_field() -> None:
    result = _invoke("--output-format", "json", "t011")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    fields = {f.name for f in dataclasses.fields(RULES["T011"])}
    assert fields | {"group"} == set(data)
    assert data["code"] == "T011" and data["example_config"] and data["group"] == "schema"


def test_rule_json_lists_every_rule() -> None:
    result = _invoke("--output-format", "json")
    assert result.exit_code == 0
    assert {item["code"] for item in json.loads(result.stdout)} == set(RULES)
