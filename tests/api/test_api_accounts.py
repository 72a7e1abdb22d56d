"""Rate limits counted per account, as InkSlop counts them (issue 10): the commands count
every key of a base URL as one account, unless the configuration names it with
`[api] account`; the limiter's file on this machine is shared by every process."""

from __future__ import annotations

import sqlite3

import pytest
from click.testing import CliRunner

from inkslop.cli import cli


@pytest.fixture
def state_home(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    return tmp_path / "state"


def videos_list(sandbox, folder, monkeypatch, key=None):
    monkeypatch.chdir(folder)
    return CliRunner().invoke(cli, ["videos", "list", "--api-base", sandbox.base_url,
                                    "--api-key", key or sandbox.key])


def counted(state_home) -> list[tuple[str, str]]:
    with sqlite3.connect(state_home / "inkslop" / "ratelimit.sqlite3") as db:
        return db.execute("SELECT scope, route FROM sent ORDER BY at").fetchall()


def test_every_key_of_a_base_url_counts_for_one_account(sandbox, tmp_path, state_home,
                                                        monkeypatch):
    second = sandbox.app.register_key(None, "second")
    assert videos_list(sandbox, tmp_path, monkeypatch).exit_code == 0
    assert videos_list(sandbox, tmp_path, monkeypatch, key=second).exit_code == 0
    scope = f"{sandbox.base_url} account=default"
    assert counted(state_home) == [(scope, "GET /videos")] * 2


def test_the_configuration_names_the_account(sandbox, tmp_path, state_home, monkeypatch):
    work, home = tmp_path / "work", tmp_path / "home"
    for folder in (work, home):
        (folder / "scripts").mkdir(parents=True)
        (folder / "inkslop.toml").write_text(f'[api]\naccount = "{folder.name}"\n')
    assert videos_list(sandbox, work / "scripts", monkeypatch).exit_code == 0
    assert videos_list(sandbox, home, monkeypatch).exit_code == 0
    assert [scope for scope, _ in counted(state_home)] == [
        f"{sandbox.base_url} account=work", f"{sandbox.base_url} account=home"]


def test_a_broken_account_setting_is_a_usage_error_naming_the_file(sandbox, tmp_path,
                                                                   state_home, monkeypatch):
    (tmp_path / "inkslop.toml").write_text('[api]\naccount = ""\n')
    result = videos_list(sandbox, tmp_path, monkeypatch)
    assert result.exit_code == 2
    assert "inkslop.toml" in result.output and "account" in result.output
    assert "Traceback" not in result.output
    assert sandbox.received() == []  # nothing was sent
