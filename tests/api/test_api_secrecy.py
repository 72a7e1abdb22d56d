"""The API key never shows: not in output, logs, exceptions (their messages, reprs,
tracebacks and chains), reprs of the client's objects, nor the rate limiter's file. Checked
on the paths that go well and on those that fail: 401, a refused connection, a timeout, a
lost answer, a server that echoes the key."""

from __future__ import annotations

import logging
import os
import socket
import subprocess
import sys
import traceback

import httpx
import pytest

from inkslop.api.client import Client
from inkslop.api.errors import InkSlopError
from inkslop.api.models import VideoRequest
from inkslop.api.ratelimit import RateLimiter
from inkslop.sandbox import Sandbox

SECRET = "isk_SECRET_do_not_leak_7Hq2x9ZpL4"
WRONG = "isk_SECRET_wrong_key_never_shown_3"
SCRIPT = '[tts engine="kokoro_tts" voice="af_heart"]\nHello world!\n[/tts]\n'


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def leaks(text: str) -> bool:
    """Whether `text` shows any recognisable part of either key."""
    return any(part in text for part in (SECRET, WRONG, "SECRET_do_not", "never_shown",
                                         "7Hq2x9ZpL4"))


def everything_about(error: BaseException) -> str:
    """Every text an error can show: message, repr, the formatted traceback with its chain,
    and the reprs of its attributes."""
    texts = [str(error), repr(error), "".join(traceback.format_exception(error))]
    texts += [repr(value) for value in vars(error).values()]
    return "\n".join(texts)


def assert_no_httpx_inside(error: BaseException) -> None:
    """No httpx request or response (whose headers hold the key) hangs off the error."""
    assert error.__cause__ is None and error.__context__ is None
    for value in vars(error).values():
        assert not isinstance(value, (httpx.Request, httpx.Response, httpx.HTTPError))


pytestmark = pytest.mark.sandbox(render_seconds=5, key=SECRET)


def failures(sandbox: Sandbox, tmp_path) -> list[InkSlopError]:
    """Run every way of failing once; the errors raised."""
    caught: list[InkSlopError] = []
    limiter = RateLimiter(tmp_path / "limits.sqlite3", "test")

    def expect(call) -> None:
        try:
            call()
        except InkSlopError as error:
            caught.append(error)
        else:
            raise AssertionError("no error")

    quick = {"sleep": lambda s: None, "max_retries": 1}
    with Client(WRONG, sandbox.base_url, rate_limiter=False, **quick) as wrong:
        expect(wrong.list_keys)  # 401
    nowhere = f"http://127.0.0.1:{free_port()}/api/v1"
    with Client(SECRET, nowhere, rate_limiter=False, **quick) as lost:
        expect(lambda: lost.create_video(VideoRequest(script=SCRIPT)))  # refused
        expect(lambda: lost.download(nowhere + "/files/x", tmp_path / "x.mp4"))
    with Client(SECRET, sandbox.base_url, rate_limiter=limiter, **quick) as client:
        client.list_channels()
        sandbox.set_faults(drop_after_commit=1)
        expect(lambda: client.create_video(VideoRequest(script=SCRIPT)))  # OutcomeUnknownError
        expect(lambda: client.get_video("missing"))  # 404
        sandbox.set_faults(fail_502=2)  # both attempts
        expect(client.list_keys)
        sandbox.app.state.credits = 0
        expect(lambda: client.create_video(VideoRequest(script=SCRIPT)))  # 402
        sandbox.set_faults(latency=0.5)
    with Client(SECRET, sandbox.base_url, rate_limiter=False, timeout=0.1, **quick) as slow:
        expect(slow.list_channels)  # timeouts
        expect(lambda: slow.create_video(VideoRequest(script=SCRIPT)))
    echo = httpx.MockTransport(lambda request: httpx.Response(
        400, json={"detail": f"bad header {request.headers['authorization']}"}))
    with Client(SECRET, sandbox.base_url, rate_limiter=False, transport=echo) as echoed:
        expect(echoed.list_keys)
    return caught


def test_no_error_shows_the_key_or_keeps_httpx_objects(sandbox, tmp_path, caplog):
    caplog.set_level(logging.DEBUG)
    caught = failures(sandbox, tmp_path)
    assert len(caught) == 10
    kinds = {type(error).__name__ for error in caught}
    assert {"AuthenticationError", "APIConnectionError", "OutcomeUnknownError", "NotFoundError",
            "ExternalServiceError", "InsufficientCreditsError", "APITimeoutError",
            "BadRequestError"} <= kinds
    for error in caught:
        assert not leaks(everything_about(error)), type(error).__name__
        assert_no_httpx_inside(error)
    assert caplog.records  # httpx and httpcore did log, at DEBUG
    assert not leaks(caplog.text)
    assert not leaks("".join(repr(record.args) for record in caplog.records))


def test_the_client_and_the_limiter_file_do_not_show_the_key(sandbox, tmp_path):
    limiter = RateLimiter(tmp_path / "limits.sqlite3", "scope")
    with Client(SECRET, sandbox.base_url, rate_limiter=True) as client:
        assert not leaks(repr(client)) and not leaks(str(client.api_key))
        assert not leaks(repr(vars(client)))
        assert not leaks(client.rate_limiter.scope)
    with Client(SECRET, sandbox.base_url, rate_limiter=limiter) as client:
        client.create_video(VideoRequest(script=SCRIPT))
    assert not leaks((tmp_path / "limits.sqlite3").read_bytes().decode("latin-1"))


def run_cli(args: list[str], env: dict[str, str], input: str | None = None):
    return subprocess.run([sys.executable, "-m", "inkslop", *args], input=input, text=True,
                          capture_output=True, env=env, timeout=60, check=False)


def test_no_command_shows_the_key_whatever_happens(sandbox, tmp_path):
    base = {**os.environ, "XDG_CONFIG_HOME": str(tmp_path / "config"),
            "XDG_STATE_HOME": str(tmp_path / "state"), "INKSLOP_API_BASE": sandbox.base_url}
    base.pop("INKSLOP_API_KEY", None)
    with_key = {**base, "INKSLOP_API_KEY": SECRET}
    script = tmp_path / "a.inkslop"
    script.write_text(SCRIPT)
    runs = [
        (["auth", "login"], base, SECRET + "\n", 0),
        (["auth", "status", "--check"], base, None, 0),
        (["channels"], with_key, None, 0),
        (["videos", "list", "--output-format", "json"], with_key, None, 0),
        (["keys", "list"], with_key, None, 0),
        (["meta", str(script)], with_key, None, 0),
        (["videos", "get", "missing"], with_key, None, 1),
        (["channels", "--api-key", WRONG], base, None, 1),
        (["auth", "login"], base, WRONG + "\n", 1),
        (["auth", "status", "--api-key", WRONG, "--check"], base, None, 1),
        (["channels", "--api-key", "sk_" + SECRET], base, None, 2),
        (["auth", "logout"], base, None, 0),
    ]
    for args, env, stdin, status in runs:
        done = run_cli(args, env, stdin)
        assert done.returncode == status, (args, done.stderr)
        assert not leaks(done.stdout + done.stderr), args
        assert "Traceback" not in done.stderr, args


def test_an_unreachable_api_does_not_show_the_key(monkeypatch, tmp_path):
    from click.testing import CliRunner

    from inkslop.cli import cli

    monkeypatch.setattr("inkslop.api.retries.INITIAL_RETRY_DELAY", 0.01)
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path))
    nowhere = f"http://127.0.0.1:{free_port()}/api/v1"
    for args in (["videos", "list"], ["auth", "status", "--check"]):
        result = CliRunner().invoke(cli, [*args, "--api-base", nowhere, "--api-key", SECRET])
        assert result.exit_code == 2 and "could not connect" in result.stderr
        assert not leaks(result.output) and result.exception is None or \
            isinstance(result.exception, SystemExit)
