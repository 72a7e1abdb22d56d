"""The README's promises: its test command is what CI runs, and its examples hold."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _quickstart_commands() -> list[str]:
    section = README.split("## Quickstart", 1)[1].split("\n## ", 1)[0]
    return [c.strip() for c in re.findall(r"```sh\n(.*?)```", section, re.S)]


def test_the_quickstart_has_exactly_two_commands_and_ci_runs_the_second():
    commands = _quickstart_commands()
    assert len(commands) == 2 and all("\n" not in c for c in commands)
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert commands[1] in ci.splitlines()


def test_the_main_job_is_the_demo_and_it_ends_with_a_video():
    from click.testing import CliRunner

    from inkslop.cli import cli
    from inkslop.estimate.estimator import estimate_document
    from inkslop.syntax.parser import parse

    assert _quickstart_commands()[0].endswith("inkslop demo")
    result = CliRunner().invoke(cli, ["demo", "--render-seconds", "0.5"])
    assert result.exit_code == 0, result.output
    assert "All checks passed" in result.output
    assert "Already in the canonical style." in result.output
    script = (ROOT / "examples" / "octopus-facts.inkslop").read_text(encoding="utf-8")
    expected = estimate_document(parse(script), measured=None).estimated_duration
    assert f'"estimated_duration": {expected}' in result.output
    assert "done (" in result.output and "Done: http://127.0.0.1:" in result.output


def test_the_examples_check_cleanly():
    from click.testing import CliRunner

    from inkslop.cli import cli

    result = CliRunner().invoke(cli, ["check", str(ROOT / "examples")])
    assert result.exit_code == 0, result.output
    assert "All checks passed" in result.output


def test_the_demo_script_is_the_octopus_example():
    shipped = ROOT / "dsl" / "inkslop" / "demo.inkslop"
    assert shipped.read_text() == (ROOT / "examples" / "octopus-facts.inkslop").read_text()


def _python_examples() -> list[str]:
    section = README.split("## Python API", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```python\n(.*?)```", section, re.S)


def test_the_builder_example_prints_checked_compiled_scripts():
    printed: list[str] = []
    exec(_python_examples()[1], {"print": printed.append})
    assert len(printed) == 2
    assert printed[0].startswith('[music file="music/Carefree.opus" volume="0.3" fit="loop"]\n'
                                 '[tts engine="kokoro_tts" voice="af_heart" subtitles="true"]\n'
                                 "Octopuses have three hearts.\n[/tts]\n[/music]")
    assert "Axolotls regrow their hearts." in printed[1]


def test_the_python_api_example_runs(tmp_path, monkeypatch):
    code = _python_examples()[0]
    (tmp_path / "script.inkslop").write_text('[tts engine="kokoro_tts" voice="af_hert"]\nHi\n[/tts]\n')
    monkeypatch.chdir(tmp_path)
    printed: list[str] = []
    exec(code, {"print": lambda *a: printed.append(" ".join(map(str, a)))})
    assert printed == ["1 T008 \"af_hert\" is not a voice of `kokoro_tts`. Did you mean \"af_heart\"?"]
