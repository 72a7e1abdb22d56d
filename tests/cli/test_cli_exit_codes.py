"""The exit-code table of docs/cli.md, asserted: every script command run on a clean
script, a script with warnings, a script with errors, a missing file and bad usage.

The table is read from docs/cli.md itself, so the documentation and the behaviour
cannot drift apart.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from cli_helpers import CLEAN, SYNTAX_ERROR, WARNING_ONLY, inkslop, no_crash, write

DOCS = Path(__file__).resolve().parents[2] / "docs" / "cli.md"
CASES = ("clean", "warnings", "errors", "missing file", "bad usage")
SCRIPTS = {"clean": CLEAN, "warnings": WARNING_ONLY, "errors": SYNTAX_ERROR}
# What each command is run with; the file name is appended (rule takes a code instead).
COMMANDS = {"check": ["check"], "fmt": ["fmt"], "fmt --check": ["fmt", "--check"],
            "estimate": ["estimate"], "compile": ["compile"], "rule": ["rule"],
            "submit --dry-run": ["submit", "--dry-run"],
            "batch submit --dry-run": ["batch", "submit", "--dry-run", "--journal", "j.sqlite3"]}
RULE_ARGUMENTS = {"clean": "S012", "warnings": "T008", "errors": "S009",
                  "missing file": "X999", "bad usage": "--no-such-option"}


def documented_table() -> dict[str, dict[str, int]]:
    """`| command | clean | warnings | errors | missing file | bad usage |` rows of the
    exit-code table in docs/cli.md, as {command: {case: status}}."""
    text = DOCS.read_text(encoding="utf-8")
    section = text.split("## Exit codes", 1)[1].split("\n## ", 1)[0]
    table = {}
    for line in section.splitlines():
        cells = [cell.strip(" `") for cell in line.strip().strip("|").split("|")]
        if len(cells) == 1 + len(CASES) and cells[0] in COMMANDS:
            table[cells[0]] = {case: int(re.match(r"\d", cell)[0])  # type: ignore[index]
                               for case, cell in zip(CASES, cells[1:])}
    return table


def test_the_table_covers_every_command() -> None:
    assert set(documented_table()) == set(COMMANDS)


@pytest.mark.parametrize("command", list(COMMANDS))
def test_exit_codes_follow_the_documented_table(tmp_path: Path, command: str) -> None:
    expected = documented_table()[command]
    for name, text in SCRIPTS.items():
        write(tmp_path / f"{name}.inkslop", text)
    found = {}
    for case in CASES:
        if command == "rule":
            args = [RULE_ARGUMENTS[case]]
        elif case == "missing file":
            args = ["absent.inkslop"]
        elif case == "bad usage":
            args = ["--no-such-option", "clean.inkslop"]
        else:
            args = [f"{case}.inkslop"]
        run = inkslop(tmp_path, *COMMANDS[command], *args)
        no_crash(run)
        found[case] = run.code
    assert found == expected


def test_estimate_agrees_with_check_on_syntax_errors(tmp_path: Path) -> None:
    write(tmp_path / "broken.inkslop", SYNTAX_ERROR)
    checked = inkslop(tmp_path, "check", "broken.inkslop")
    estimated = inkslop(tmp_path, "estimate", "broken.inkslop")
    assert checked.code == estimated.code == 1
    assert "the estimate covers what parsed" in estimated.stderr
    assert "broken.inkslop" in estimated.stdout  # the estimate itself is still printed
