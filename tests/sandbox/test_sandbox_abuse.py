"""The sandbox under abuse (issue 12): admin values out of range, a state file it cannot
load, admin requests from web pages, bodies too large or without a length, requests with no
key, a huge script while others wait, clients that hang up mid-request. And what the batch
engineer's reconciliation relies on: the server's `Date`, `created_at`, and the list of
every video it accepted. Nothing here waits on a timer: threads meet on Events, and the
only timeouts are guards against a hang."""

from __future__ import annotations

import json
import math
import socket
import subprocess
import sys
import threading
import time
from email.utils import parsedate_to_datetime
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner

from inkslop.sandbox import Faults, Sandbox, StateFileError
from inkslop.sandbox import app as sandbox_app
from inkslop.sandbox.state import State, save

SCRIPT = '[tts engine="kokoro_tts" voice="af_heart"]\nHello world!\n[/tts]\n'
START = 1_800_000_000.0
HANG_GUARD = 30  # seconds: only ever reached when something hangs


class FakeClock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


pytestmark = pytest.mark.sandbox(clock_fixture="clock")


def client_for(sandbox: Sandbox, key: str | None = None, **headers: str) -> httpx.Client:
    auth = {"Authorization": f"Bearer {key or sandbox.key}"}
    return httpx.Client(base_url=sandbox.origin, headers={**auth, **headers},
                        timeout=HANG_GUARD, trust_env=False)


def raw_exchange(sandbox: Sandbox, head: bytes, body: bytes = b"") -> bytes:
    """Send `head` (request line and headers, without the blank line) and `body` on a
    socket, and read the whole answer until the server closes the connection."""
    with socket.create_connection(("127.0.0.1", sandbox.port), timeout=HANG_GUARD) as raw:
        raw.sendall(head + b"\r\n\r\n" + body)
        answer = b""
        while chunk := raw.recv(65536):
            answer += chunk
    return answer


def status_of(answer: bytes) -> int:
    return int(answer.split(b" ", 2)[1])


# ---- admin values ------------------------------------------------------------------------

@pytest.mark.parametrize("body", [
    b'{"advance": 3e11}',  # the report's 9,500 years
    b'{"advance": 315576001}',  # just over 10 years
    b'{"advance": -1}',
    b'{"advance": NaN}',
    b'{"advance": Infinity}',
    b'{"advance": "60"}',
    b'{"advance": true}',
    b'{"advance": null}',
    b'{}',
    b'[60]',
])
def test_a_clock_jump_out_of_range_is_400_and_the_sandbox_goes_on(sandbox, clock, body):
    with client_for(sandbox) as api:
        answer = api.post("/_sandbox/clock", content=body,
                          headers={"Content-Type": "application/json"})
        assert answer.status_code == 400 and answer.json()["detail"]
        assert sandbox.app.now() == clock.now
        assert api.get("/api/v1/channels").status_code == 200


def test_a_sane_clock_jump_is_taken(sandbox, clock):
    with client_for(sandbox) as api:
        answer = api.post("/_sandbox/clock", json={"advance": 3600})
    assert answer.status_code == 200 and answer.json()["now"] == clock.now + 3600


def test_jumps_cannot_add_up_beyond_a_century(sandbox):
    year = 365.25 * 86400
    for _ in range(10):
        sandbox.advance(10 * year)
    with pytest.raises(ValueError, match="100 years"):
        sandbox.advance(1)
    with client_for(sandbox) as api:
        assert api.get("/api/v1/channels").status_code == 200


@pytest.mark.parametrize("credits", [-1, 1e300, "5", float("nan")])
def test_credits_out_of_range_are_refused(sandbox, credits):
    with client_for(sandbox) as api:
        body = json.dumps({"credits": credits}).encode()
        answer = api.post("/_sandbox/credits", content=body,
                          headers={"Content-Type": "application/json"})
    assert answer.status_code == 400
    assert sandbox.state()["credits"] == 100


@pytest.mark.parametrize("faults", [
    {"latency": 61}, {"latency": float("nan")}, {"retry_after": 86401}, {"fail_429": -1},
    {"fail_502_route": "GET /nowhere"}, {"no_such_fault": 1},
])
def test_fault_values_out_of_range_are_refused(sandbox, faults):
    with client_for(sandbox) as api:
        answer = api.post("/_sandbox/faults", content=json.dumps(faults).encode(),
                          headers={"Content-Type": "application/json"})
        assert answer.status_code == 400 and answer.json()["detail"]
        assert api.get("/api/v1/channels").status_code == 200
    assert sandbox.state()["faults"] == Faults().model_dump()


# ---- the state file ----------------------------------------------------------------------

def saved_state(tmp_path: Path, **changes) -> Path:
    path = tmp_path / "state.json"
    Sandbox(credits=10, state_file=path, clock=FakeClock())
    data = json.loads(path.read_text())
    data.update(changes)
    path.write_text(json.dumps(data))
    return path


@pytest.mark.parametrize(("changes", "why"), [
    ({"clock_offset": 3e11}, "clock_offset"),
    ({"credits": "lots"}, "credits"),
    ({"keys": [{"key_id": 1}]}, "keys.0"),
    ({"version": 99}, "not a sandbox state"),
])
def test_a_state_file_that_cannot_be_loaded_says_which_and_what_to_do(tmp_path, changes, why):
    path = saved_state(tmp_path, **changes)
    with pytest.raises(StateFileError) as caught:
        Sandbox(state_file=path)
    message = str(caught.value)
    assert str(path) in message and why in message
    assert "delete it" in message and "fix it" in message


def test_the_command_reports_a_bad_state_file_in_one_line_without_a_traceback(tmp_path):
    path = saved_state(tmp_path, clock_offset=3e11)
    result = subprocess.run(
        [sys.executable, "-m", "inkslop", "sandbox", "--port", "0", "--state", str(path)],
        check=False, capture_output=True, text=True, timeout=HANG_GUARD)
    assert result.returncode != 0 and result.stdout == ""
    assert "Traceback" not in result.stderr
    assert str(path) in result.stderr and "delete it" in result.stderr


def test_a_refused_value_never_reaches_the_state_file(tmp_path, clock):
    path = tmp_path / "state.json"
    with Sandbox(state_file=path, clock=clock) as sandbox, client_for(sandbox) as api:
        api.post("/_sandbox/clock", json={"advance": 3e11})
        api.post("/_sandbox/credits", json={"credits": -5})
    restarted = Sandbox(state_file=path, clock=clock)
    assert restarted.app.now() == clock.now and restarted.state()["credits"] == 100


def test_a_state_with_a_value_out_of_range_is_never_written(tmp_path):
    path = tmp_path / "state.json"
    save(State(credits=5), path)
    for broken in (State(credits=math.nan), State(credits=5, clock_offset=3e11)):
        with pytest.raises(ValueError, match="not saved"):
            save(broken, path)
    assert State.from_json(path.read_text()).credits == 5


# ---- admin routes are not for web pages ----------------------------------------------------

def test_admin_routes_refuse_another_origin_and_bodies_that_are_not_json(sandbox):
    with client_for(sandbox) as api:
        page = {"Origin": "https://evil.example", "Content-Type": "text/plain"}
        assert api.post("/_sandbox/credits", content=b'{"credits": 0}',
                        headers=page).status_code == 403
        assert api.post("/_sandbox/credits", content=b'{"credits": 0}',
                        headers={"Content-Type": "text/plain"}).status_code == 415
        assert api.post("/_sandbox/clock", json={"advance": 1},
                        headers={"Origin": "null"}).status_code == 403
        assert api.get("/_sandbox/state",
                       headers={"Origin": "http://127.0.0.1:1"}).status_code == 403
        assert api.delete("/_sandbox/faults",
                          headers={"Origin": "https://evil.example"}).status_code == 403
        assert sandbox.state()["credits"] == 100
        own = {"Origin": sandbox.origin}
        assert api.post("/_sandbox/credits", json={"credits": 7},
                        headers=own).status_code == 200
        assert api.get("/_sandbox/state").status_code == 200  # no Origin: a program


# ---- bodies: authentication first, a size limit, a length --------------------------------

def test_a_request_without_a_key_is_refused_before_its_body_is_read(sandbox):
    # 50 MB announced (under the size limit), none sent: the answer comes at once, and the
    # connection closes.
    head = (b"POST /api/v1/videos HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            b"Content-Length: 50000000")
    answer = raw_exchange(sandbox, head)
    assert status_of(answer) == 401 and b"Connection: close" in answer


def test_a_body_over_the_limit_is_413_before_it_is_read(clock):
    with Sandbox(clock=clock, max_body=1000) as sandbox:
        head = (b"POST /api/v1/videos HTTP/1.1\r\nHost: x\r\nContent-Type: application/json"
                b"\r\nAuthorization: Bearer " + sandbox.key.encode()
                + b"\r\nContent-Length: 1000000000000")
        answer = raw_exchange(sandbox, head)
        assert status_of(answer) == 413 and b"at most 1000" in answer
        with client_for(sandbox) as api:
            big = api.post("/api/v1/videos", json={"script": "x" * 2000})
            assert big.status_code == 413
            assert api.post("/api/v1/videos", json={"script": SCRIPT}).status_code == 200


def test_the_default_body_limit_is_generous_and_the_command_sets_it():
    assert Sandbox().app.max_body == 64 * 1024 * 1024
    from inkslop.cli import cli

    result = CliRunner().invoke(cli, ["sandbox", "--max-body", "0", "--port", "0"])
    assert result.exit_code == 2 and "--max-body" in result.output


@pytest.mark.parametrize(("length_header", "status"), [
    (b"", 411),
    (b"Content-Length: abc\r\n", 400),
    (b"Content-Length: -5\r\n", 400),
    (b"Content-Length: 5\r\nContent-Length: 6\r\n", 400),
    (b"Transfer-Encoding: chunked\r\n", 411),
])
def test_a_body_without_a_usable_length_is_refused_and_the_connection_closed(
        sandbox, length_header, status):
    head = (b"POST /api/v1/videos HTTP/1.1\r\nHost: x\r\n" + length_header
            + b"Authorization: Bearer " + sandbox.key.encode())
    # The body that follows is never taken for a next request: the server hangs up.
    answer = raw_exchange(sandbox, head, b'{"script": "x"}GET /api/v1/channels HTTP/1.1\r\n\r\n')
    assert status_of(answer) == status and answer.count(b"HTTP/1.1 ") == 1
    assert sandbox.created_videos() == []


# ---- a big script does not stall the others ------------------------------------------------

def test_a_request_completes_while_a_big_script_is_being_checked(sandbox, monkeypatch):
    checking, release = threading.Event(), threading.Event()
    real_examine = sandbox_app.examine_script

    def slow_examine(script: str):
        if script.startswith("[# big #]"):
            checking.set()
            assert release.wait(HANG_GUARD)
        return real_examine(script)

    monkeypatch.setattr(sandbox_app, "examine_script", slow_examine)
    answers: dict[str, int] = {}

    def send_big() -> None:
        with client_for(sandbox) as api:
            answers["big"] = api.post("/api/v1/videos",
                                      json={"script": "[# big #]\n" + SCRIPT}).status_code

    big = threading.Thread(target=send_big)
    big.start()
    try:
        assert checking.wait(HANG_GUARD)
        with client_for(sandbox) as api:  # while the big one is held in its check
            assert api.get("/api/v1/videos").status_code == 200
            assert api.post("/api/v1/videos", json={"script": SCRIPT}).status_code == 200
        assert "big" not in answers
    finally:
        release.set()
        big.join(HANG_GUARD)
    assert answers["big"] == 400  # a comment is toolkit syntax: refused, after its check


# ---- clients that hang up ----------------------------------------------------------------

def hang_up_mid_body(sandbox: Sandbox, reset: bool) -> None:
    raw = socket.create_connection(("127.0.0.1", sandbox.port), timeout=HANG_GUARD)
    raw.sendall(b"POST /api/v1/videos HTTP/1.1\r\nHost: x\r\nContent-Type: application/json"
                b"\r\nAuthorization: Bearer " + sandbox.key.encode()
                + b"\r\nContent-Length: 1000\r\n\r\n" + b'{"script": "')
    if reset:  # an abortive close (RST), as a killed client's kernel may send
        raw.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
    raw.close()
    deadline = time.monotonic() + HANG_GUARD
    while not sandbox.closed_connections() and time.monotonic() < deadline:
        time.sleep(0.01)  # until the server's thread has finished with the connection


@pytest.mark.parametrize("reset", [False, True])
@pytest.mark.parametrize("log", [True, False])
def test_a_client_hanging_up_mid_request_costs_one_line_at_most(clock, capsys, reset, log):
    with Sandbox(clock=clock, log=log) as sandbox:
        hang_up_mid_body(sandbox, reset)
        with client_for(sandbox) as api:
            assert api.get("/api/v1/channels").status_code == 200
        assert sandbox.created_videos() == []
    err = capsys.readouterr().err
    lines = [line for line in err.splitlines() if "channels" not in line]
    assert "Traceback" not in err
    if log:
        [line] = lines
        assert "disconnected" in line
    else:
        assert lines == []


# ---- what reconciliation needs: the server's clock, what it received ------------------------

def test_every_answer_carries_the_sandboxs_own_date(sandbox, clock):
    sandbox.advance(86400)
    with client_for(sandbox) as api:
        for answer in (api.get("/api/v1/channels"), api.get("/api/v1/nowhere"),
                       api.get("/api/v1/keys", headers={"Authorization": "Bearer isk_bad"}),
                       api.get("/_sandbox/state")):
            stamp = parsedate_to_datetime(answer.headers["date"]).timestamp()
            assert stamp == int(clock.now + 86400), answer.status_code
    head = b"POST /api/v1/videos HTTP/1.1\r\nHost: x"
    assert b"Date: " in raw_exchange(sandbox, head)  # a 411 from the HTTP layer too


def test_the_sandbox_lists_every_video_it_accepted_with_its_script(sandbox, clock):
    sandbox.set_faults(drop_after_commit=1)
    with client_for(sandbox) as api:
        with pytest.raises(httpx.RemoteProtocolError):
            api.post("/api/v1/videos", json={"script": SCRIPT, "video_name": "lost"})
        assert api.post("/api/v1/videos", json={"script": "[/tts]"}).status_code == 400
        api.post("/api/v1/videos", json={"script": SCRIPT, "video_name": "kept"})
        listed = api.get("/_sandbox/videos").json()
        summaries = api.get("/api/v1/videos").json()
    assert [v["video_name"] for v in listed] == ["lost", "kept"]
    assert listed == sandbox.created_videos()
    assert all(v["script"] == SCRIPT and v["created_at_seconds"] == clock.now for v in listed)
    assert {s["task_id"]: s["created_at"] for s in summaries} == {
        v["task_id"]: v["created_at"] for v in listed}
