"""The artifacts made at build time still match their sources.

The LALR tables (Lark's standalone parser) and the compiled schema are built by
hatch_build.py when the package is built; if the grammar or the schema changed
since, these tests fail until the package is rebuilt (pip install -e .).
"""

from pathlib import Path

import pytest
from pydantic import ValidationError

from inkslop.schema.model import SchemaModel, compile_schema
from inkslop.schema.resources import compiled_schema_path, grammars_dir
from inkslop.syntax import _lark_parser
from inkslop.syntax.lark_build import fingerprint, shipped_fingerprint


def test_shipped_parse_tables_match_the_grammar():
    shipped = shipped_fingerprint(Path(_lark_parser.__file__))
    assert shipped == fingerprint(grammars_dir() / "inkslop.lark"), (
        "the parse tables are stale: rebuild the package (pip install -e .)")


def test_a_changed_grammar_is_detected(tmp_path):
    grammar = tmp_path / "inkslop.lark"
    grammar.write_text((grammars_dir() / "inkslop.lark").read_text(encoding="utf-8") + "\n// x\n",
                       encoding="utf-8")
    assert shipped_fingerprint(Path(_lark_parser.__file__)) != fingerprint(grammar)


def test_shipped_schema_matches_the_schema_file():
    expected = compile_schema(grammars_dir() / "schema.toml")
    assert compiled_schema_path().read_text(encoding="utf-8") == expected, (
        "the compiled schema is stale: rebuild the package (pip install -e .)")


def test_every_terminal_is_named():
    # Anonymous terminals (Lark's __ANON_n, or a name made from a literal) would show in messages.
    grammar = (grammars_dir() / "inkslop.lark").read_text(encoding="utf-8")
    rules = [line for line in grammar.splitlines() if line and line[0].islower() or
             line.startswith((" ", "\t")) and not line.strip().startswith("//")]
    for line in rules:
        body = line.split("//")[0]
        assert '"' not in body and "/" not in body.replace("//", ""), (
            f"a rule uses an anonymous terminal: {line.strip()}")


def test_the_schema_file_is_validated():
    with pytest.raises(ValidationError):
        SchemaModel.model_validate({"tags": {"tts": {"mark": "guessed", "content": "text"}}})
    with pytest.raises(ValidationError):
        SchemaModel.model_validate({"tags": {"x": {"mark": "toolkit", "content": "text",
                                                    "attributes": {"n": {"type": "number",
                                                                         "mark": "toolkit",
                                                                         "min": 2, "max": 1}}}}})


def test_the_schema_has_all_54_kokoro_voices_with_language_and_gender():
    import json

    data = json.loads(compiled_schema_path().read_text(encoding="utf-8"))
    voices = data["engines"]["kokoro_tts"]["voices"]
    assert len(voices) == 54
    prefixes = {name[:2] for name in voices}
    assert prefixes == {"af", "am", "bf", "bm", "jf", "jm", "zf", "zm", "ef", "em", "ff", "hf",
                        "hm", "if", "im", "pf", "pm"}
    assert all(v["gender"] == ("female" if n[1] == "f" else "male") for n, v in voices.items())
    assert voices["af_heart"]["mark"] == "confirmed"
