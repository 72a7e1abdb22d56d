"""The pre-commit hooks (.pre-commit-hooks.yaml) for real: a throwaway git repository whose
.pre-commit-config.yaml points at this checkout, `pre-commit install`, and `git commit`.

pre-commit installs a hook repository at a commit, so the working tree (what is being
tested, committed or not) is copied into a temporary git repository and committed there.
pre-commit then builds the hooks' environment by pip installing it (from PyPI: the first
run takes a minute)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from editor_tools import ROOT, run

BROKEN = '[tts engine="kokoro_tts" voice="af_heart"]\nHello there.\n'
FIXED = BROKEN + "[/tts]\n"
UNFORMATTED = "[tts   voice='af_heart'  engine=\"kokoro_tts\"]\nHello there.\n[/tts]\n"
FORMATTED = FIXED


@pytest.fixture(scope="module")
def git_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Git with no user or system configuration, and a pre-commit cache of its own."""
    return dict(os.environ, GIT_CONFIG_GLOBAL=os.devnull, GIT_CONFIG_NOSYSTEM="1",
                GIT_AUTHOR_NAME="Test", GIT_AUTHOR_EMAIL="test@example.com",
                GIT_COMMITTER_NAME="Test", GIT_COMMITTER_EMAIL="test@example.com",
                PRE_COMMIT_HOME=str(tmp_path_factory.mktemp("pre-commit-home")),
                PRE_COMMIT_COLOR="never")


@pytest.fixture(scope="module")
def hooks_repo(tmp_path_factory: pytest.TempPathFactory, git_env: dict[str, str]) -> tuple[Path, str]:
    """The working tree, committed in a temporary repository: (its path, the commit)."""
    copy = tmp_path_factory.mktemp("inkslop-hooks")
    listed = run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                 ROOT).stdout.split("\0")
    for name in filter(None, listed):
        source = ROOT / name
        if source.is_file():  # deleted files are still listed as cached
            (copy / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, copy / name)
    run(["git", "init", "-q"], copy, env=git_env)
    run(["git", "add", "-A"], copy, env=git_env)
    run(["git", "commit", "-q", "-m", "working tree"], copy, env=git_env)
    return copy, run(["git", "rev-parse", "HEAD"], copy, env=git_env).stdout.strip()


@pytest.fixture
def project(tmp_path: Path, hooks_repo: tuple[Path, str], git_env: dict[str, str]) -> Path:
    """A user's repository with the hooks installed."""
    repo, commit = hooks_repo
    folder = tmp_path / "project"
    folder.mkdir()
    run(["git", "init", "-q"], folder, env=git_env)
    (folder / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {repo}\n    rev: {commit}\n    hooks:\n"
        "      - id: inkslop-check\n      - id: inkslop-format\n")
    run([sys.executable, "-m", "pre_commit", "install"], folder, env=git_env)
    run(["git", "add", ".pre-commit-config.yaml"], folder, env=git_env)
    # the first commit builds the hooks' environment (pip installs the copy), once a module
    run(["git", "commit", "-q", "-m", "pre-commit"], folder, env=git_env, timeout=600)
    return folder


def commit(folder: Path, env: dict[str, str], name: str, text: str) -> tuple[int, str]:
    """Write, stage and commit a file: git's exit code and what the hooks printed."""
    (folder / name).write_text(text)
    run(["git", "add", name], folder, env=env)
    result = subprocess.run(["git", "commit", "-m", f"add {name}"], cwd=folder, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            timeout=300)
    return result.returncode, result.stdout


def test_check_hook_stops_a_broken_script(project: Path, git_env: dict[str, str]) -> None:
    code, output = commit(project, git_env, "broken.inkslop", BROKEN)
    assert code != 0
    assert re.search(r"^inkslop check\.+Failed$", output, re.M), output
    assert "broken.inkslop:1:1: S001 error: `[tts]` is never closed" in output
    code, output = commit(project, git_env, "broken.inkslop", FIXED)
    assert code == 0, output
    assert re.search(r"^inkslop check\.+Passed$", output, re.M), output
    assert re.search(r"^inkslop fmt\.+Passed$", output, re.M), output


def test_format_hook_rewrites_then_passes(project: Path, git_env: dict[str, str]) -> None:
    code, output = commit(project, git_env, "ugly.inkslop", UNFORMATTED)
    assert code != 0
    assert re.search(r"^inkslop check\.+Passed$", output, re.M), output  # warnings only
    assert re.search(r"^inkslop fmt\.+Failed$", output, re.M), output
    assert "files were modified by this hook" in output
    assert (project / "ugly.inkslop").read_text() == FORMATTED
    code, output = commit(project, git_env, "ugly.inkslop", FORMATTED)
    assert code == 0, output
    assert run(["git", "log", "-1", "--format=%s"], project, env=git_env).stdout == "add ugly.inkslop\n"
