"""What the sandbox received: every request to an API route with its key, body and status,
refused ones too, so that a test can prove what a command sent (issue 10: nothing, or once,
and with which key), in process and over HTTP."""

from __future__ import annotations

import json
from urllib.parse import quote

import httpx
import pytest

from inkslop.sandbox import Sandbox
from inkslop.sandbox.received import MAX_KEPT_BODY, MAX_RECEIVED

SCRIPT = '[tts engine="kokoro_tts" voice="af_heart"]\nHello world!\n[/tts]\n'


def api(sandbox: Sandbox, key: str | None) -> httpx.Client:
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    transport = None if sandbox.serving else sandbox.transport()
    return httpx.Client(base_url=sandbox.base_url, headers=headers, transport=transport,
                        trust_env=False, timeout=30)


def test_every_post_videos_is_listed_with_its_key_body_and_status(in_process_sandbox):
    sandbox = in_process_sandbox
    other = sandbox.app.register_key(None, "second")
    sandbox.set_faults(fail_429=1, fail_429_route="POST /videos")
    with api(sandbox, sandbox.key) as first, api(sandbox, other) as second, \
            api(sandbox, None) as nobody, api(sandbox, "isk_unknown") as stranger:
        assert first.post("/videos", json={"script": SCRIPT}).status_code == 429
        assert first.post("/videos", json={"script": SCRIPT, "video_name": "a"}).is_success
        assert second.post("/videos", json={"script": "[/tts]"}).status_code == 400
        assert nobody.post("/videos", json={"script": SCRIPT}).status_code == 401
        assert stranger.post("/videos", json={"script": SCRIPT}).status_code == 401
        first.get("/videos")
    received = sandbox.received("POST /videos")
    assert [(r["key_name"], r["status"]) for r in received] == [
        ("sandbox", 429), ("sandbox", 200), ("second", 400), (None, 401), (None, 401)]
    assert received[1]["body"] == {"script": SCRIPT, "video_name": "a"}
    assert received[2]["body"] == {"script": "[/tts]"}
    assert received[3]["body"] is None and received[3]["size"] > 0  # refused unread
    keys = {k["name"]: k["key_id"] for k in sandbox.state()["keys"]}
    assert [r["key_id"] for r in received[:3]] == [keys["sandbox"]] * 2 + [keys["second"]]
    assert [r["route"] for r in sandbox.received()] == ["POST /videos"] * 5 + ["GET /videos"]


def test_a_dropped_answer_is_marked_and_no_secret_is_kept(sandbox):
    sandbox.set_faults(drop_after_commit=1)
    with api(sandbox, sandbox.key) as client:
        with pytest.raises(httpx.RemoteProtocolError):
            client.post("/videos", json={"script": SCRIPT})
        client.get("/channels")
        client.get(sandbox.app.origin + "/_sandbox/state")  # admin routes are not listed
    received = sandbox.received()
    assert [(r["route"], r["status"], r["dropped"]) for r in received] == [
        ("POST /videos", 200, True), ("GET /channels", 200, False)]
    assert sandbox.key not in json.dumps(received)


def test_the_admin_route_lists_them_for_another_process(sandbox):
    with api(sandbox, sandbox.key) as client:
        client.post("/videos", json={"script": SCRIPT, "video_name": "x"})
        client.get("/channels")
        every = client.get(sandbox.origin + "/_sandbox/requests").json()
        videos = client.get(sandbox.origin + "/_sandbox/requests?route="
                            + quote("POST /videos")).json()
    assert every == sandbox.received()[:2]
    assert videos == sandbox.received("POST /videos")
    assert [v["body"]["video_name"] for v in videos] == ["x"]


def test_a_big_body_is_counted_but_not_kept_and_the_log_keeps_the_newest(in_process_sandbox):
    sandbox = in_process_sandbox
    big = {"script": SCRIPT + "[#" + "x" * MAX_KEPT_BODY + "#]\n"}
    with api(sandbox, sandbox.key) as client:
        client.post("/videos", json=big)
        for _ in range(MAX_RECEIVED):
            client.get("/channels")
    received = sandbox.received()
    assert len(received) == MAX_RECEIVED
    assert [r["route"] for r in received] == ["GET /channels"] * MAX_RECEIVED
    with api(sandbox, sandbox.key) as client:
        client.post("/videos", json=big)
    [kept] = sandbox.received("POST /videos")
    assert kept["body"] is None and kept["size"] > MAX_KEPT_BODY and kept["status"] == 400
