"""Golden tests: what `check` reports for each script of tests/corpus/check/.

Each `NAME.inkslop` has a `NAME.expected` next to it, holding the expected
diagnostics one per line, in source order:

    LINE:COL-END_LINE:END_COL CODE severity message

(lines and columns 1-based, columns counted in code points; a clean script has
an empty .expected file). The scripts are checked with the built-in settings,
whatever configuration lies around the repository.

To regenerate the .expected files after an intended change, run

    INKSLOP_UPDATE_GOLDEN=1 python -m pytest tests/test_corpus.py

then review the diff of every .expected file by eye: it must read as what a
user should see, not merely as what the code prints today.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from inkslop.config.settings import Settings
from inkslop.lint.checker import check
from inkslop.syntax.parser import parse

CORPUS = Path(__file__).parents[1] / "corpus" / "check"
SCRIPTS = sorted(CORPUS.glob("*.inkslop"))
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


@pytest.mark.parametrize("script", SCRIPTS, ids=[p.stem for p in SCRIPTS])
def test_check_output_matches_the_golden_file(script):
    expected_path = script.with_suffix(".expected")
    actual = render(read(script))
    if UPDATE:
        expected_path.write_bytes(actual.encode("utf-8"))
    assert expected_path.is_file(), f"{expected_path.name} is missing: run with " \
                                    "INKSLOP_UPDATE_GOLDEN=1 and review it"
    assert actual == read(expected_path)


def test_every_golden_file_has_its_script():
    orphans = [p.name for p in CORPUS.glob("*.expected")
               if not p.with_suffix(".inkslop").is_file()]
    assert orphans == []


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
