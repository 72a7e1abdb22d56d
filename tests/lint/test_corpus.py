"""Golden tests: what `check` reports for each script of tests/corpus/check/.

Each `NAME.inkslop` has a `NAME.expected` next to it, holding the expected
diagnostics one per line, in source order:

    LINE:COL-END_LINE:END_COL CODE severity message

(lines and columns 1-based, columns counted in code points; a clean script has
an empty .expected file). The scripts are checked with the built-in settings,
whatever configuration lies around the repository.

The fixes have their own corpus, tests/corpus/fix/safe/ (what `check --fix` does) and
tests/corpus/fix/unsafe/ (with `--unsafe-fixes`): each `NAME.inkslop` has the fixed
script next to it, `NAME.fixed.inkslop`, and what `check` reports on that,
`NAME.fixed.expected`.

To regenerate the .expected files after an intended change, run

    INKSLOP_UPDATE_GOLDEN=1 python -m pytest tests/lint/test_corpus.py

then review the diff of every .expected file by eye: it must read as what a
user should see, not merely as what the code prints today.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from inkslop.config.settings import Settings
from inkslop.lint.checker import check, fix
from inkslop.syntax.parser import parse

CORPUS = Path(__file__).parents[1] / "corpus" / "check"
SCRIPTS = sorted(CORPUS.glob("*.inkslop"))
FIXES = Path(__file__).parents[1] / "corpus" / "fix"
FIX_CASES = sorted(p for p in FIXES.glob("*/*.inkslop") if not p.name.endswith(".fixed.inkslop"))
UPDATE = os.environ.get("INKSLOP_UPDATE_GOLDEN") == "1"


def render(text: str) -> str:
    settings = Settings()  # the built-in settings, not a discovered configuration
    lines = []
    for d in check(parse(text, settings.schema), settings):
        s = d.span
        message = d.message.replace("\n", "\\n")
        lines.append(f"{s.line}:{s.column}-{s.end_line}:{s.end_column} {d.code} {d.severity} "
                     f"{message}")
    return "".join(line + "\n" for line in lines)


def read(path: Path) -> str:
    # Bytes, decoded: line endings (CRLF) and a byte-order mark reach the parser untouched.
    return path.read_bytes().decode("utf-8")


def matches_golden(actual: str, expected_path: Path) -> bool:
    if UPDATE:
        expected_path.write_bytes(actual.encode("utf-8"))
    assert expected_path.is_file(), f"{expected_path.name} is missing: run with " \
                                    "INKSLOP_UPDATE_GOLDEN=1 and review it"
    return actual == read(expected_path)


@pytest.mark.parametrize("script", SCRIPTS, ids=[p.stem for p in SCRIPTS])
def test_check_output_matches_the_golden_file(script):
    assert matches_golden(render(read(script)), script.with_suffix(".expected"))


@pytest.mark.parametrize("script", FIX_CASES, ids=[f"{p.parent.name}/{p.stem}" for p in FIX_CASES])
def test_fixed_script_and_its_findings_match_the_golden_files(script):
    result = fix(read(script), Settings(), unsafe=script.parent.name == "unsafe")
    fixed = script.with_name(script.stem + ".fixed.inkslop")
    assert matches_golden(result.text, fixed)
    assert matches_golden(render(result.text), script.with_name(script.stem + ".fixed.expected"))


def test_each_mistake_is_an_error_and_a_far_name_only_a_warning():
    # Issues 10 and 11: `check` fails on every likely-fatal script, so pre-commit stops it.
    outputs = {p.stem: read(p.with_suffix(".expected")) for p in SCRIPTS}
    mistakes = {name: out for name, out in outputs.items() if name.startswith("mistake-")}
    assert len(mistakes) >= 30
    assert [name for name, out in mistakes.items() if " error " not in out] == []
    for name in ("far-names-are-warnings", "warning-value-with-spaces",  # could be right
                 "warning-invisible-in-narration"):
        assert outputs[name] and " error " not in outputs[name], name


def test_every_golden_file_has_its_script():
    orphans = [p.name for p in CORPUS.glob("*.expected")
               if not p.with_suffix(".inkslop").is_file()]
    orphans += [p.name for p in FIXES.glob("*/*.fixed.*")
                if not p.with_name(p.name.split(".fixed.")[0] + ".inkslop").is_file()]
    assert orphans == []
    assert {p.parent.name for p in FIX_CASES} == {"safe", "unsafe"}


def test_the_corpus_has_clean_and_broken_scripts():
    outputs = {p.stem: read(p.with_suffix(".expected")) for p in SCRIPTS
               if p.with_suffix(".expected").is_file()}
    assert len(outputs) == len(SCRIPTS) >= 15
    assert outputs["official"] == ""
    clean = {name for name, output in outputs.items() if output == ""}
    assert len(clean) >= 3
    codes = {line.split()[1] for output in outputs.values() for line in output.splitlines()}
    syntax_errors = {f"S{n:03d}" for n in range(1, 12)}
    assert syntax_errors <= codes, sorted(syntax_errors - codes)
