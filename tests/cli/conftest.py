"""Fixtures of the command-line tests that talk to the sandbox."""

from __future__ import annotations

from pathlib import Path

import pytest

from inkslop.sandbox import Sandbox


@pytest.fixture
def user(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, sandbox: Sandbox) -> Path:
    """A user in an empty project directory, pointed at the sandbox."""
    monkeypatch.chdir(tmp_path)
    for name, value in {"XDG_CONFIG_HOME": str(tmp_path / "config"),
                        "XDG_STATE_HOME": str(tmp_path / "state"),
                        "INKSLOP_API_BASE": sandbox.base_url, "INKSLOP_API_KEY": sandbox.key,
                        "INKSLOP_POLL_SECONDS": "0.2"}.items():
        monkeypatch.setenv(name, value)
    return tmp_path
