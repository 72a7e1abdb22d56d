"""The API commands end to end against the sandbox over HTTP: `auth login|logout|status`,
`videos list|get|download`, `publish`, `keys list|create|revoke`, `channels`, `meta`. What a
user sees: stdout, stderr, the exit status (0 done, 1 InkSlop refused, 2 usage, config or
network), never a traceback.

Most run in-process through click's CliRunner; the main path also runs as a real
subprocess. The user's config and state directories are temporary ones.
"""

from __future__ import annotations

import json
import os
import re
import socket
import stat
import subprocess
import sys

import pytest
from click.testing import CliRunner

from inkslop.cli import cli
from inkslop.sandbox import Sandbox

KEY = "isk_cli_test_key_0123456789abcdefgh"
SCRIPT = '[tts engine="kokoro_tts" voice="af_heart"]\nHello world! Cats are great.\n[/tts]\n'
BROKEN = '[tts engine="kokoro_tts" voice="af_heart"]\nHello [world\n[/tts]\n'


pytestmark = pytest.mark.sandbox(key=KEY)


@pytest.fixture
def env(tmp_path, monkeypatch, sandbox) -> dict[str, str]:
    """A user with empty config and state directories, pointed at the sandbox."""
    values = {"XDG_CONFIG_HOME": str(tmp_path / "config"),
              "XDG_STATE_HOME": str(tmp_path / "state"),
              "INKSLOP_API_BASE": sandbox.base_url}
    for name, value in values.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("INKSLOP_API_KEY", raising=False)
    monkeypatch.setattr("inkslop.api.retries.INITIAL_RETRY_DELAY", 0.01)
    return values


def run(*args: str, input: str | None = None, key: str | None = KEY):
    extra = {"INKSLOP_API_KEY": key} if key else {}
    return CliRunner().invoke(cli, list(args), input=input, env=extra, catch_exceptions=False)


def video(sandbox: Sandbox, done: bool = True, name: str = "cats") -> str:
    from inkslop.api.client import Client

    with Client(KEY, sandbox.base_url, rate_limiter=False) as client:
        task_id = client.create_video({"script": SCRIPT, "video_name": name}).task_id
    if done:
        sandbox.advance(60)
    return task_id


# ---- auth --------------------------------------------------------------------------------

def test_login_from_stdin_checks_the_key_and_saves_it_privately(env, tmp_path):
    result = run("auth", "login", input=KEY + "\n", key=None)
    assert result.exit_code == 0, result.output
    assert "The key works" in result.stderr and "Saved the API key" in result.stderr
    saved = tmp_path / "config" / "inkslop" / "credentials.json"
    assert stat.S_IMODE(saved.stat().st_mode) == 0o600
    assert KEY not in result.output
    status = run("auth", "status", key=None)
    assert status.exit_code == 0
    assert status.stdout.splitlines()[1] == f"API key: isk_… (from the key file {saved})"
    assert run("channels", key=None).exit_code == 0  # the other commands use it


def test_login_refuses_a_key_that_is_not_an_inkslop_key(env):
    result = run("auth", "login", input="sk_live_abc\n", key=None)
    assert result.exit_code == 2 and "start with `isk_`" in result.stderr
    assert "sk_live_abc" not in result.output


def test_login_refuses_a_key_inkslop_refuses(env, tmp_path):
    result = run("auth", "login", input="isk_unknown_key_000000\n", key=None)
    assert result.exit_code == 1 and "401" in result.stderr and "not saved" in result.stderr
    assert not (tmp_path / "config" / "inkslop" / "credentials.json").exists()


def test_login_saves_unchecked_when_inkslop_cannot_be_reached(env, monkeypatch):
    monkeypatch.setenv("INKSLOP_API_BASE", f"http://127.0.0.1:{free_port()}/api/v1")
    result = run("auth", "login", input=KEY + "\n", key=None)
    assert result.exit_code == 0
    assert "could not be checked" in result.stderr and "Saved" in result.stderr


def test_login_without_checking(env, monkeypatch):
    monkeypatch.setenv("INKSLOP_API_BASE", f"http://127.0.0.1:{free_port()}/api/v1")
    result = run("auth", "login", "--no-verify", input=KEY + "\n", key=None)
    assert result.exit_code == 0 and "works" not in result.stderr


def test_logout_forgets_the_key(env):
    run("auth", "login", "--no-verify", input=KEY + "\n", key=None)
    assert "Removed" in run("auth", "logout", key=None).stderr
    assert "No API key was saved" in run("auth", "logout", key=None).stderr
    status = run("auth", "status", key=None)
    assert status.exit_code == 1 and "inkslop auth login" in status.stderr


def test_status_names_the_source_of_the_key(env):
    from_env = run("auth", "status")
    assert "API key: isk_… (from INKSLOP_API_KEY)" in from_env.stdout
    from_option = run("auth", "status", "--api-key", KEY, "--check")
    assert "(from --api-key)" in from_option.stdout and "The key works." in from_option.stdout
    assert KEY not in from_env.output + from_option.output


def test_status_warns_about_a_key_file_others_can_read(env, tmp_path):
    run("auth", "login", "--no-verify", input=KEY + "\n", key=None)
    (tmp_path / "config" / "inkslop" / "credentials.json").chmod(0o644)
    assert "chmod 600" in run("auth", "status", key=None).stderr


# ---- videos, publish, keys, channels, meta -----------------------------------------------

def test_videos_list_get_and_download(env, sandbox, tmp_path):
    task_id = video(sandbox)
    listed = run("videos", "list")
    assert listed.exit_code == 0 and task_id in listed.stdout and "cats" in listed.stdout
    as_json = json.loads(run("videos", "list", "--all", "--output-format", "json").stdout)
    assert [v["task_id"] for v in as_json] == [task_id]
    shown = run("videos", "get", task_id)
    assert re.search(r"^status +done$", shown.stdout, re.MULTILINE)
    assert re.search(r"^progress +100%$", shown.stdout, re.MULTILINE)
    assert "download_url" in shown.stdout
    target = tmp_path / "cats.mp4"
    downloaded = run("videos", "download", task_id, "-o", str(target))
    assert downloaded.exit_code == 0 and target.stat().st_size > 1000
    again = run("videos", "download", task_id, "-o", str(target))
    assert again.exit_code == 2 and "--force" in again.stderr
    assert run("videos", "download", task_id, "-o", str(target), "--force").exit_code == 0


def test_downloading_a_video_not_done_yet(env, sandbox, tmp_path):
    task_id = video(sandbox, done=False)
    result = run("videos", "download", task_id, "-o", str(tmp_path / "x.mp4"))
    assert result.exit_code == 1 and "not done" in result.stderr


def test_an_unknown_video_is_refused_in_one_line(env):
    result = run("videos", "get", "no-such-task")
    assert result.exit_code == 1
    assert result.stderr == "error: InkSlop refused (404: Video not found.)\n"


def test_publish(env, sandbox):
    task_id = video(sandbox)
    result = run("publish", task_id, "--channel", "3", "--title", "Cats", "--tag", "cats",
                 "--tag", "facts", "--privacy", "unlisted")
    assert result.exit_code == 0 and "to youtube: job" in result.stdout
    [job] = sandbox.state()["publish_jobs"]
    assert job["settings"]["tags"] == ["cats", "facts"]
    assert job["settings"]["privacy"] == "unlisted"
    not_done = run("publish", video(sandbox, done=False), "--channel", "3", "--ai-meta")
    assert not_done.exit_code == 1 and "409" in not_done.stderr


def test_keys_create_list_revoke(env):
    created = run("keys", "create", "automation")
    assert created.exit_code == 0
    secret = created.stdout.strip()
    assert secret.startswith("isk_") and "shown only now" in created.stderr
    listed = json.loads(run("keys", "list", "--output-format", "json").stdout)
    key_id = next(k["key_id"] for k in listed if k["name"] == "automation")
    assert secret not in run("keys", "list").output
    assert run("keys", "revoke", key_id, input="n\n").exit_code == 1
    revoked = run("keys", "revoke", key_id, "--yes")
    assert revoked.exit_code == 0 and key_id in revoked.stdout


def test_channels(env):
    result = run("channels", "--output-format", "json")
    assert {c["platform"] for c in json.loads(result.stdout)} == {"youtube", "tiktok"}


def test_meta_compiles_the_script_first(env, tmp_path):
    script = tmp_path / "a.inkslop"
    script.write_text('+++\n[vars]\nanimal = "cats"\n+++\n'
                      '[tts engine="kokoro_tts" voice="af_heart"]\n'
                      'All about {{ animal }}. Cats are great.\n[/tts]\n')
    result = run("meta", str(script), "--platform", "tiktok", "--output-format", "json")
    assert result.exit_code == 0, result.output
    meta = json.loads(result.stdout)
    assert len(meta["tags"]) <= 5 and "cats" in json.dumps(meta).lower()
    assert "{{" not in json.dumps(meta)


def test_meta_of_a_broken_script_sends_nothing(env, sandbox, tmp_path):
    script = tmp_path / "broken.inkslop"
    script.write_text(BROKEN)
    result = run("meta", str(script))
    assert result.exit_code == 1 and "not compiled" in result.stderr
    assert run("meta", str(tmp_path / "missing.inkslop")).exit_code == 2


# ---- configuration and network errors ----------------------------------------------------

def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_no_key_is_a_configuration_error(env):
    result = run("channels", key=None)
    assert result.exit_code == 2 and "inkslop auth login" in result.stderr


def test_an_unreachable_api_is_a_network_error(env):
    result = run("channels", "--api-base", f"http://127.0.0.1:{free_port()}/api/v1")
    assert result.exit_code == 2
    assert result.stderr.startswith("error: cannot reach InkSlop: GET /channels: could not "
                                    "connect")
    assert len(result.stderr.splitlines()) == 1


def test_a_plain_http_api_elsewhere_is_refused(env):
    result = run("channels", "--api-base", "http://inkslop.example/api/v1")
    assert result.exit_code == 2 and "unencrypted" in result.stderr


def test_a_wrong_key_is_refused(env):
    result = run("videos", "list", key="isk_not_the_right_key_000")
    assert result.exit_code == 1 and "401" in result.stderr


def test_insufficient_credits_is_explained(env, sandbox, tmp_path):
    from inkslop.api.client import Client
    from inkslop.api.errors import InsufficientCreditsError
    from inkslop.cli.api_access import explain

    sandbox.app.state.credits = 0.2
    with (Client(KEY, sandbox.base_url, rate_limiter=False) as client,
          pytest.raises(InsufficientCreditsError) as caught):
        client.create_video({"script": SCRIPT, "estimated_duration": 100})
    message, status = explain(caught.value)
    assert status == 1 and message.startswith("not enough credits (402): the balance is 0.2,")


def test_every_api_command_is_registered_and_lazy():
    from inkslop.cli import COMMANDS

    for name in ("auth", "videos", "publish", "keys", "channels", "meta"):
        assert name in COMMANDS
    code = ("import sys; from inkslop.cli import main\n"
            "try:\n    main(['check', '--help'])\nexcept SystemExit:\n    pass\n"
            "print(sorted(m for m in ('httpx', 'rich', 'platformdirs') if m in sys.modules))")
    output = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True).stdout
    assert output.strip().splitlines()[-1] == "[]"


# ---- the main path, as a real process ----------------------------------------------------

def test_the_main_path_in_a_real_process(env, sandbox, tmp_path):
    environment = {**os.environ, **env}
    inkslop = [sys.executable, "-m", "inkslop"]
    login = subprocess.run([*inkslop, "auth", "login"], input=KEY + "\n", text=True,
                           capture_output=True, env=environment, timeout=60, check=False)
    assert login.returncode == 0, login.stderr
    task_id = video(sandbox)
    target = tmp_path / "out.mp4"
    steps = [["videos", "list"], ["videos", "download", task_id, "-o", str(target)],
             ["publish", task_id, "--channel", "7", "--ai-meta"], ["auth", "status"]]
    for step in steps:
        done = subprocess.run([*inkslop, *step], capture_output=True, text=True,
                              env=environment, timeout=60, check=False)
        assert done.returncode == 0, (step, done.stderr)
        assert KEY not in done.stdout + done.stderr
    assert target.read_bytes()[4:8] == b"ftyp"
