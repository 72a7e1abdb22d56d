"""Text output of `check` on long lines and many findings: a window of the line around
each finding (cut with `…`), a cap on the findings printed per file with a count of the
rest; the machine formats stay complete."""

from __future__ import annotations

import json
import re
from pathlib import Path

from cli_helpers import inkslop, no_crash, write

OPEN = '[tts engine="kokoro_tts" voice="af_heart"]'


def _one_line(padding: int, laughs: int) -> str:
    """One narration line: `padding` characters of text, then `laughs` stray [laughs]
    (S016 each: a sound tag inside narration), then more text."""
    return OPEN + "a" * padding + "[laughs]" * laughs + "b" * padding + "[/tts]\n"


def test_a_finding_far_along_a_long_line_is_shown_in_a_window(tmp_path: Path) -> None:
    write(tmp_path / "long.inkslop", _one_line(20_000, 1))
    run = inkslop(tmp_path, "check", "--select", "S016", "long.inkslop")
    no_crash(run)
    lines = run.stdout.splitlines()
    source = next(line for line in lines if line.startswith("1 | "))
    marker = lines[lines.index(source) + 1]
    assert len(source) <= 130
    assert source.startswith("1 | …") and source.endswith("…")
    assert source[marker.index("^"):].startswith("[laughs]")  # the caret under the finding
    assert marker.count("^") == len("[laughs]")
    finding = next(line for line in lines if "S016" in line and "long.inkslop:" in line)
    assert finding.startswith(f"long.inkslop:1:{len(OPEN) + 20_001}: S016")


def test_findings_past_the_cap_are_counted_not_printed(tmp_path: Path) -> None:
    write(tmp_path / "many.inkslop", _one_line(10, 150))
    capped = inkslop(tmp_path, "check", "many.inkslop")
    assert len(re.findall(r"^many\.inkslop:1:\d+: S016", capped.stdout, re.M)) == 100
    assert "many.inkslop: 50 more findings not shown (`inkslop check --max-findings 0` shows " \
           "them all)." in capped.stdout
    assert "Found 150 errors" in capped.stdout  # the summary counts every finding
    smaller = inkslop(tmp_path, "check", "--max-findings", "7", "many.inkslop")
    assert len(re.findall(r"^many\.inkslop:1:\d+: S016", smaller.stdout, re.M)) == 7
    assert "143 more findings not shown" in smaller.stdout
    every = inkslop(tmp_path, "check", "--max-findings", "0", "many.inkslop")
    assert len(re.findall(r"^many\.inkslop:1:\d+: S016", every.stdout, re.M)) == 150
    machine = inkslop(tmp_path, "check", "--output-format", "json", "many.inkslop")
    assert [d["code"] for d in json.loads(machine.stdout)].count("S016") == 150
    assert capped.code == smaller.code == every.code == machine.code == 1


def test_fmt_caps_the_syntax_errors_it_prints(tmp_path: Path) -> None:
    write(tmp_path / "many.inkslop", _one_line(10, 150))
    run = inkslop(tmp_path, "fmt", "many.inkslop")
    no_crash(run)
    assert run.code == 2
    assert len(re.findall(r"^many\.inkslop:1:\d+: S016", run.stderr, re.M)) == 100
    assert "many.inkslop: 50 more findings not shown" in run.stderr


def test_output_grows_with_findings_not_with_line_length(tmp_path: Path) -> None:
    write(tmp_path / "short.inkslop", _one_line(100, 200))
    write(tmp_path / "long.inkslop", _one_line(200_000, 200))
    short = inkslop(tmp_path, "check", "--max-findings", "0", "short.inkslop")
    long = inkslop(tmp_path, "check", "--max-findings", "0", "long.inkslop")
    # The same findings; only the line's length differs (by 400,000 characters).
    assert abs(len(long.stdout) - len(short.stdout)) < 0.05 * len(short.stdout)
    excerpts = [line for line in long.stdout.splitlines() if line.startswith("1 | ")]
    assert len(excerpts) == 201 and max(map(len, excerpts)) <= 130  # with D001's


def _bounded(run_output: str, findings: int) -> None:
    """Every excerpt is a window of its line, and the output is a few hundred bytes a
    finding, whatever the length of the line they stand on."""
    excerpts = [line for line in run_output.splitlines() if line.startswith("1 | ")]
    assert excerpts and max(map(len, excerpts)) <= 130
    assert len(run_output) < 500 * findings


def test_ten_thousand_laughs_on_one_line(tmp_path: Path) -> None:
    write(tmp_path / "laughs.inkslop", _one_line(0, 10_000))  # an 80 kB line
    capped = inkslop(tmp_path, "check", "laughs.inkslop")
    no_crash(capped)
    assert capped.code == 1
    assert "laughs.inkslop: 9901 more findings not shown" in capped.stdout  # and D001
    _bounded(capped.stdout, 100)
    every = inkslop(tmp_path, "check", "--max-findings", "0", "laughs.inkslop")
    assert len(re.findall(r"^laughs\.inkslop:1:\d+: S016", every.stdout, re.M)) == 10_000
    _bounded(every.stdout, 10_000)


def test_ten_thousand_nested_tags_on_one_line(tmp_path: Path) -> None:
    write(tmp_path / "nested.inkslop", "[music]" * 10_000 + "[/music]" * 10_000 + "\n")
    machine = inkslop(tmp_path, "check", "--output-format", "json", "nested.inkslop")
    findings = len(json.loads(machine.stdout))
    assert findings >= 10_000
    capped = inkslop(tmp_path, "check", "nested.inkslop")
    no_crash(capped)
    assert capped.code == machine.code == 1
    assert f"nested.inkslop: {findings - 100} more findings not shown" in capped.stdout
    _bounded(capped.stdout, 100)
    every = inkslop(tmp_path, "check", "--max-findings", "0", "nested.inkslop")
    _bounded(every.stdout, findings)
