"""The benchmark harness (bench/): what its figures rest on, never a time.

Its inputs are clean scripts (a benchmark of the error path would measure something
else), its rounds are fair to every command, its verdicts against the goals of issue 14
are right, and what it writes for committing names no path of the machine.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

import inkslop

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))

import corpus  # noqa: E402
import run_all  # noqa: E402
from common import Figure, paired_rounds, shown_command  # noqa: E402


def errors(text: str) -> list[str]:
    return [f"{d.code} {d.message}" for d in inkslop.check(inkslop.parse(text))
            if d.severity == "error"]


@pytest.mark.parametrize("text", [corpus.SMALL, corpus.FRONT_MATTER + corpus.SMALL],
                         ids=["small", "front matter"])
def test_the_start_up_scripts_are_clean(text):
    assert [d.code for d in inkslop.check(inkslop.parse(text))] == []


def test_the_generated_scripts_have_no_errors():
    texts = corpus.small_scripts(300, seed=7) + corpus.corpus(0.05, seed=7)
    texts.append(corpus.one_document(0.05, seed=7))
    assert {index: errors(text) for index, text in enumerate(texts) if errors(text)} == {}


def test_the_generated_python_files_compile():
    for number, text in enumerate(corpus.python_files(50, seed=7)):
        compile(text, f"fact_{number}.py", "exec")


def test_every_command_runs_once_a_round_in_a_rotated_order(tmp_path):
    log = tmp_path / "log"
    commands = {name: [sys.executable, "-c",
                       f"open({str(log)!r}, 'a').write({name!r})"] for name in "abc"}
    times = paired_rounds(commands, tmp_path, rounds=3, warmup=1)
    assert log.read_text() == "abc" + "abc" + "bca" + "cab"
    assert {name: len(seconds) for name, seconds in times.items()} == {"a": 3, "b": 3, "c": 3}


def test_a_spent_budget_stops_the_rounds_after_the_least_number(tmp_path):
    times = paired_rounds({"pass": [sys.executable, "-c", "pass"]}, tmp_path, rounds=50,
                          warmup=0, budget=0, least=3)
    assert len(times["pass"]) == 3


def test_commands_are_shown_without_machine_paths(tmp_path):
    command = [sys.executable, "-m", "inkslop", "check", str(tmp_path / "small.inkslop"),
               str(ROOT / "bench" / "corpus.py")]
    assert shown_command(command) == "python -m inkslop check small.inkslop bench/corpus.py"


@pytest.mark.parametrize(("value", "operator", "limit", "verdict"), [
    (5.9, "<=", 6.0, "met"),
    (8.4, "<=", 6.0, "not met: 1.4× from the goal"),
    (5.0, ">=", 5.0, "met"),
    (0.5, ">=", 5.0, "not met: 10.0× from the goal"),
])
def test_the_verdict_against_a_goal(value, operator, limit, verdict):
    figure = Figure("m", "v", "s", "c", extra={"x": value}, target=["x", operator, limit])
    assert figure.verdict() == verdict


def test_a_figure_without_a_goal_has_no_verdict():
    assert Figure("m", "v", "s", "c").verdict() == "—"


def test_machine_paths_are_found_in_a_report():
    assert run_all.named_paths("ran in /tmp/inkslop-bench-1 and /home/someone/x") == [
        "/tmp/", "/home/"]
    assert run_all.named_paths("`python bench/startup.py`, bench/results/latest.md") == []


def test_the_docs_page_is_replaced_between_its_markers_only(tmp_path):
    page = tmp_path / "benchmarks.md"
    page.write_text(f"# Title\n\nby hand\n\n{run_all.BEGIN}\nold figures\n{run_all.END}\n"
                    "after, by hand\n", encoding="utf-8")
    run_all.write_docs("new figures\n", page)
    assert page.read_text(encoding="utf-8") == (
        f"# Title\n\nby hand\n\n{run_all.BEGIN}\n\nnew figures\n\n{run_all.END}\n"
        "after, by hand\n")


def test_the_docs_page_has_the_markers():
    text = (ROOT / "docs" / "benchmarks.md").read_text(encoding="utf-8")
    assert text.index(run_all.BEGIN) < text.index(run_all.END)


def test_merged_results_sit_below_the_report_headings():
    merged = ["# Accuracy", "text", "```sh", "# a shell comment", "```", "## By voice"]
    assert run_all.demoted(merged) == ["### Accuracy", "text", "```sh", "# a shell comment",
                                       "```", "#### By voice"]
