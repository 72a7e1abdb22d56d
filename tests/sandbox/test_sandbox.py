"""`inkslop sandbox`, over real HTTP on 127.0.0.1: every endpoint, authentication, the video
life cycle on an injected clock, credits, errors, rate limits, faults, Range downloads, the
state file across a restart, and the command's first line. Time is moved, never waited for."""

from __future__ import annotations

import json
import re
import signal
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from click.testing import CliRunner

from inkslop.api.errors import InsufficientCreditsError, error_for
from inkslop.api.models import (
    Channel,
    KeyCreated,
    KeyInfo,
    MetaResult,
    PublishResult,
    TaskCreated,
    VideoStatus,
    VideoSummary,
)
from inkslop.estimate.estimator import CREDITS_PER_SECOND, estimate_document
from inkslop.sandbox import Faults, Sandbox, StateFileError
from inkslop.sandbox.media import VIDEO_SIZE
from inkslop.syntax.parser import parse

SCRIPT = '[tts engine="kokoro_tts" voice="af_heart"]\nHello world!\n[/tts]\n'
LONGER = ('[music file="music/Carefree.opus" volume="0.3" fit="loop"]\n'
          '[tts engine="kokoro_tts" voice="af_heart" subtitles="true"]\n'
          "Did you know the mantis shrimp can punch with the force of a bullet?\n"
          "Their eyes can see 16 types of colour receptors. Humans have only 3.\n"
          "[/tts]\n[/music]\n")


class FakeClock:
    """The sandbox's clock in tests: seconds that move only when told."""

    def __init__(self, start: float = 1_800_000_000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def client_for(sandbox: Sandbox, key: str | None = None) -> httpx.Client:
    # trust_env=False: no proxy from the environment, the traffic stays on 127.0.0.1
    return httpx.Client(base_url=sandbox.base_url, headers=bearer(key or sandbox.key),
                        timeout=5, trust_env=False)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


pytestmark = pytest.mark.sandbox(clock_fixture="clock")


@pytest.fixture
def api(sandbox):
    with client_for(sandbox) as client:
        yield client


@pytest.fixture
def admin(sandbox):
    with httpx.Client(base_url=sandbox.origin, timeout=5, trust_env=False) as client:
        yield client


def submit(api: httpx.Client, script: str = SCRIPT, **fields) -> str:
    response = api.post("/videos", json={"script": script, **fields})
    assert response.status_code == 200, response.text
    return TaskCreated.model_validate(response.json()).task_id


def status_of(api: httpx.Client, task_id: str) -> VideoStatus:
    response = api.get(f"/videos/{task_id}")
    assert response.status_code == 200, response.text
    return VideoStatus.model_validate(response.json())


def finished(api: httpx.Client, sandbox: Sandbox, script: str = SCRIPT, **fields) -> VideoStatus:
    task_id = submit(api, script, **fields)
    sandbox.advance(10)
    return status_of(api, task_id)


def detail(response: httpx.Response) -> str:
    assert response.headers["content-type"] == "application/json"
    value = response.json()["detail"]
    assert isinstance(value, str) and value
    return value


# ---- authentication and keys -------------------------------------------------------------


@pytest.mark.parametrize("headers", [
    {}, {"Authorization": "Bearer isk_not_a_key"}, {"Authorization": "Bearer sk_live_123"},
    {"Authorization": "Basic aXNrX3g6"}, {"Authorization": "Bearer"},
], ids=["missing", "unknown", "not-isk", "basic", "empty"])
def test_a_request_without_a_valid_key_is_refused_with_401(sandbox, headers):
    response = httpx.get(sandbox.base_url + "/channels", headers=headers, trust_env=False)
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    assert "isk_not_a_key" not in detail(response)


def test_a_created_key_is_shown_once_works_and_is_listed_without_its_value(sandbox, api):
    created = KeyCreated.model_validate(api.post("/keys", json={"name": "ci"}).json())
    assert created.api_key.startswith("isk_") and created.name == "ci"
    listed = api.get("/keys")
    assert created.api_key not in listed.text and sandbox.key not in listed.text
    keys = {k.key_id: k for k in map(KeyInfo.model_validate, listed.json())}
    assert set(keys) >= {created.key_id} and len(keys) == 2
    with client_for(sandbox, created.api_key) as other:
        assert other.get("/channels").status_code == 200
    info = KeyInfo.model_validate(next(k for k in api.get("/keys").json()
                                       if k["key_id"] == created.key_id))
    assert info.last_used_at is not None and not info.revoked


def test_a_revoked_key_is_refused_and_revoking_an_unknown_key_is_404(sandbox, api):
    created = KeyCreated.model_validate(api.post("/keys", json={"name": "temp"}).json())
    revoked = api.delete(f"/keys/{created.key_id}")
    assert revoked.json() == {"revoked": True, "key_id": created.key_id}
    with client_for(sandbox, created.api_key) as other:
        response = other.get("/channels")
    assert response.status_code == 401 and "revoked" in detail(response)
    assert next(k for k in api.get("/keys").json() if k["key_id"] == created.key_id)["revoked"]
    assert api.get("/channels").status_code == 200  # the other key is untouched
    assert api.delete("/keys/nope").status_code == 404


def test_a_key_needs_a_name(api):
    assert api.post("/keys", json={}).status_code == 400
    assert api.post("/keys", json={"name": ""}).status_code == 400


def test_a_given_key_must_look_like_an_inkslop_key():
    with pytest.raises(ValueError, match="isk_"):
        Sandbox(key="sk_live_123")


# ---- channels, unknown routes ------------------------------------------------------------


def test_channels_are_a_couple_of_connected_fake_channels(api):
    channels = [Channel.model_validate(c) for c in api.get("/channels").json()]
    assert {c.platform for c in channels} == {"youtube", "tiktok"}
    assert all(c.is_oauth and c.account_name for c in channels)


def test_unknown_routes_are_404_and_wrong_methods_405(api, sandbox):
    assert detail(api.get("/nothing")) == "Not Found"
    assert api.get("/videos/no-such-task").status_code == 404
    response = api.put("/videos")
    assert response.status_code == 405 and "POST" in response.headers["allow"]
    assert httpx.get(sandbox.origin + "/files/nope/download", trust_env=False).status_code == 404


# ---- the video life cycle and credits -----------------------------------------------------


def test_a_video_goes_pending_processing_done_and_is_charged_what_the_estimator_says(
        sandbox, api, clock):
    task_id = submit(api, LONGER, video_name="mantis", estimated_duration=15)
    first = status_of(api, task_id)
    assert (first.status, first.progress, first.video_url) == ("pending", 0, None)
    reserved = round(15 * CREDITS_PER_SECOND, 2)
    assert sandbox.state()["available"] == pytest.approx(100 - reserved)
    clock.advance(4)
    middle = status_of(api, task_id)
    assert middle.status == "processing" and 1 <= middle.progress < 100
    clock.advance(6)
    done = status_of(api, task_id)
    seconds = round(estimate_document(parse(LONGER)).seconds, 1)
    assert done.status == "done" and done.progress == 100 and done.finished
    assert done.message == "Generation complete."
    assert done.duration_seconds == seconds
    assert done.credits_used == round(seconds * CREDITS_PER_SECOND, 2)
    assert done.user_file_id is not None
    assert done.video_url.startswith(sandbox.origin + "/files/")
    assert done.download_url == done.video_url + "/download"
    state = sandbox.state()
    assert state["credits"] == pytest.approx(100 - done.credits_used)
    assert state["reserved"] == pytest.approx(0)
    assert status_of(api, task_id) == done  # settled for good


def test_insufficient_credits_is_402_with_the_documented_detail(clock):
    with Sandbox(credits=0.5, render_seconds=10, clock=clock) as poor, client_for(poor) as api:
        response = api.post("/videos", json={"script": SCRIPT, "estimated_duration": 24.7})
        assert response.status_code == 402
        assert detail(response) == "Insufficient credits. Balance: 0.5, required: 2.0"
        error = error_for(402, detail(response))
        assert isinstance(error, InsufficientCreditsError)
        assert (error.balance, error.required) == (0.5, 2.0)
        assert api.get("/videos").json() == []


def test_videos_still_rendering_hold_their_credits(clock):
    with Sandbox(credits=5, render_seconds=10, clock=clock) as sandbox, \
            client_for(sandbox) as api:
        submit(api)
        submit(api)  # 2 x 2.43 (the default 30 s)
        response = api.post("/videos", json={"script": SCRIPT})
        assert detail(response) == "Insufficient credits. Balance: 0.14, required: 2.43"


def test_a_broken_script_is_400_naming_its_line_and_problem(api, sandbox):
    response = api.post("/videos", json={
        "script": '[tts engine="kokoro_tts" voice="af_heart"]\nHello\n[/ttz]\n'})
    assert response.status_code == 400
    text = detail(response)
    assert "line 3" in text and "`[/ttz]` does not match the open `[tts]`" in text
    assert sandbox.state()["videos"] == []


@pytest.mark.parametrize("script, what", [
    ('+++\nvideo_name = "x"\n+++\n' + SCRIPT, "front matter"),
    ('[tts engine="kokoro_tts" voice="af_heart"]\nHi {{ name }}\n[/tts]\n', "variable"),
    ('[# note #]\n' + SCRIPT, "comment"),
])
def test_toolkit_syntax_is_400_asking_for_the_compiled_script(api, script, what):
    text = detail(api.post("/videos", json={"script": script}))
    assert what in text and "inkslop compile" in text and "line " in text


@pytest.mark.parametrize("body, where", [
    ({}, "script"), ({"script": SCRIPT, "resolution": "4:3"}, "resolution"),
    ({"script": SCRIPT, "estimated_duration": 0}, "estimated_duration"),
    ({"script": SCRIPT, "colour": "red"}, "colour"),
    ({"script": SCRIPT, "publish": {"privacy": "public"}}, "publish.channel_id"),
])
def test_a_bad_video_request_is_400(api, body, where):
    response = api.post("/videos", json=body)
    assert response.status_code == 400 and where in detail(response)


def test_a_body_that_is_not_json_is_400(api):
    response = api.post("/videos", content=b"{not json",
                        headers={"Content-Type": "application/json"})
    assert response.status_code == 400 and detail(response).startswith("Invalid request body")


def test_an_injected_render_error_ends_in_error_and_charges_nothing(sandbox, api):
    sandbox.set_faults(render_errors=1)
    task_id = submit(api)
    sandbox.advance(5)
    failed = status_of(api, task_id)
    assert failed.status == "error" and "failed" in failed.message and failed.finished
    assert failed.credits_used is None and failed.download_url is None
    assert sandbox.state()["available"] == 100
    assert finished(api, sandbox).status == "done"  # only the next one failed


def test_render_seconds_zero_is_done_at_the_first_poll(clock):
    with Sandbox(render_seconds=0, clock=clock) as sandbox, client_for(sandbox) as api:
        assert status_of(api, submit(api)).status == "done"


# ---- listing, publishing, metadata --------------------------------------------------------


def test_videos_are_listed_newest_first_with_limit_and_offset(api, clock):
    names = []
    for index in range(3):
        names.append(f"video-{index}")
        submit(api, video_name=names[-1])
        clock.advance(1)
    listed = [VideoSummary.model_validate(v) for v in api.get("/videos").json()]
    assert [v.video_name for v in listed] == names[::-1]
    assert all(v.status and v.created_at and v.task_id for v in listed)
    assert listed[0].created_at > listed[2].created_at
    page = api.get("/videos", params={"limit": 2, "offset": 2}).json()
    assert [v["video_name"] for v in page] == ["video-0"]
    assert len(api.get("/videos", params={"limit": 100}).json()) == 3


@pytest.mark.parametrize("params", [{"limit": 101}, {"limit": 0}, {"offset": -1},
                                    {"limit": "ten"}])
def test_a_limit_over_100_or_a_bad_offset_is_400(api, params):
    assert api.get("/videos", params=params).status_code == 400


def test_publishing_needs_a_done_video(api, sandbox):
    task_id = submit(api)
    body = {"channel_id": 3, "title": "Hello", "privacy": "public"}
    response = api.post(f"/videos/{task_id}/publish", json=body)
    assert response.status_code == 409 and "not done" in detail(response)
    sandbox.advance(10)
    result = PublishResult.model_validate(api.post(f"/videos/{task_id}/publish",
                                                   json=body).json())
    assert (result.platform, result.status) == ("youtube", "pending")
    tiktok = api.post(f"/videos/{task_id}/publish", json={"channel_id": 7}).json()
    assert tiktok["platform"] == "tiktok" and tiktok["job_id"] == result.job_id + 1
    assert api.post(f"/videos/{task_id}/publish", json={"channel_id": 99}).status_code == 404
    assert api.post("/videos/nope/publish", json=body).status_code == 404
    assert api.post(f"/videos/{task_id}/publish", json={"title": "x"}).status_code == 400


def test_auto_publish_enqueues_an_upload_when_the_video_is_done(api, sandbox):
    done = finished(api, sandbox, publish={"channel_id": 3, "ai_generate_meta": True,
                                           "privacy": "public"})
    jobs = sandbox.state()["publish_jobs"]
    assert [(j["task_id"], j["platform"]) for j in jobs] == [(done.task_id, "youtube")]
    assert api.post("/videos", json={"script": SCRIPT,
                                     "publish": {"channel_id": 99}}).status_code == 404


def test_metadata_has_10_tags_for_youtube_and_5_for_tiktok(api):
    youtube = MetaResult.model_validate(api.post("/meta/generate", json={
        "script": LONGER, "platform": "youtube"}).json())
    tiktok = MetaResult.model_validate(api.post("/meta/generate", json={
        "script": LONGER, "platform": "tiktok"}).json())
    assert len(youtube.tags) == 10 and len(set(youtube.tags)) == 10 and len(tiktok.tags) == 5
    assert "mantis" in youtube.tags and "mantis shrimp" in youtube.title
    assert len(youtube.description) > len(tiktok.description)
    assert api.post("/meta/generate", json={"script": LONGER}).json() == youtube.model_dump()
    assert api.post("/meta/generate", json={"script": " "}).status_code == 400
    assert api.post("/meta/generate", json={"script": LONGER,
                                            "platform": "vimeo"}).status_code == 400


# ---- rate limits -------------------------------------------------------------------------


def test_post_videos_is_limited_per_minute_hour_and_day_across_keys(sandbox, api, clock):
    other = client_for(sandbox, api.post("/keys", json={"name": "b"}).json()["api_key"])

    def post_many(count: int) -> None:
        for index in range(count):
            submit(other if index % 2 else api, estimated_duration=1)

    def refused() -> httpx.Response:
        response = api.post("/videos", json={"script": SCRIPT, "estimated_duration": 1})
        assert response.status_code == 429
        return response

    start = clock.now
    post_many(10)
    response = refused()
    assert detail(response) == "Rate limit exceeded: 10 per 1 minute"
    assert response.headers["retry-after"] == "60"
    clock.advance(60)
    post_many(10)
    clock.advance(60)
    post_many(5)
    response = refused()
    assert detail(response) == "Rate limit exceeded: 25 per 1 hour"
    assert response.headers["retry-after"] == str(3600 - 120)
    clock.advance(3600)  # the first hour's 25 are out of the hour's window
    post_many(10)
    clock.advance(60)
    post_many(10)
    clock.advance(60)
    post_many(5)
    response = refused()
    assert detail(response) == "Rate limit exceeded: 50 per 1 day"
    assert response.headers["retry-after"] == str(round(start + 86400 - clock.now))
    other.close()


@pytest.mark.parametrize("method, path, body, per_minute", [
    ("GET", "/videos/{task}", None, 60),
    ("GET", "/videos", None, 60),
    ("POST", "/meta/generate", {"script": SCRIPT}, 10),
    ("POST", "/keys", {"name": "k"}, 5),
])
def test_other_routes_are_limited_per_minute(api, clock, method, path, body, per_minute):
    path = path.format(task=submit(api)) if "{task}" in path else path
    for _ in range(per_minute):
        assert api.request(method, path, json=body).status_code == 200
    response = api.request(method, path, json=body)
    assert response.status_code == 429 and response.headers["retry-after"] == "60"
    assert api.get("/channels").status_code == 200  # another route is not limited
    clock.advance(60)
    assert api.request(method, path, json=body).status_code == 200


def test_meta_generate_is_also_limited_per_hour(api, clock):
    for _ in range(6):
        for _ in range(10):
            assert api.post("/meta/generate", json={"script": SCRIPT}).status_code == 200
        clock.advance(60)
    response = api.post("/meta/generate", json={"script": SCRIPT})
    assert detail(response) == "Rate limit exceeded: 60 per 1 hour"
    assert response.headers["retry-after"] == str(3600 - 360)


def test_concurrent_requests_share_one_limit(sandbox):
    def post(_: int) -> int:
        with client_for(sandbox) as client:
            return client.post("/videos", json={"script": SCRIPT}).status_code

    with ThreadPoolExecutor(max_workers=8) as pool:
        codes = sorted(pool.map(post, range(16)))
    assert codes == [200] * 10 + [429] * 6
    assert len(sandbox.state()["videos"]) == 10


# ---- faults ------------------------------------------------------------------------------


def test_latency_delays_every_api_response_but_not_the_admin_routes(sandbox, api, admin):
    sandbox.set_faults(latency=0.2)
    began = time.monotonic()
    assert api.get("/channels").status_code == 200
    assert time.monotonic() - began >= 0.2
    began = time.monotonic()
    admin.get("/_sandbox/state")
    assert time.monotonic() - began < 0.2


def test_a_burst_of_429s_set_at_start_then_normal_service(clock):
    with Sandbox(clock=clock, faults=Faults(fail_429=2, retry_after=3)) as sandbox, \
            client_for(sandbox) as api:
        for _ in range(2):
            response = api.get("/channels")
            assert response.status_code == 429 and response.headers["retry-after"] == "3"
            assert "Rate limit exceeded" in detail(response)
        assert api.get("/channels").status_code == 200


def test_a_burst_of_429s_aimed_at_one_route_through_the_admin_route(api, admin):
    response = admin.post("/_sandbox/faults", json={"fail_429": 1,
                                                    "fail_429_route": "POST /videos"})
    assert response.json()["fail_429"] == 1
    assert api.get("/channels").status_code == 200
    assert api.post("/videos", json={"script": SCRIPT}).status_code == 429
    assert api.post("/videos", json={"script": SCRIPT}).status_code == 200
    assert admin.get("/_sandbox/state").json()["faults"]["fail_429"] == 0


def test_a_burst_of_502s(clock):
    with Sandbox(clock=clock, faults={"fail_502": 2}) as sandbox, client_for(sandbox) as api:
        codes = [api.get("/videos").status_code for _ in range(3)]
        assert codes == [502, 502, 200]
        sandbox.set_faults(fail_502=1, fail_502_route="GET /videos/{task_id}")
        assert api.get("/videos").status_code == 200
        assert detail(api.get("/videos/x")) == "External service unavailable (sandbox fault)"


def test_bad_faults_are_refused(admin, sandbox):
    assert admin.post("/_sandbox/faults", json={"fail_429": -1}).status_code == 400
    assert admin.post("/_sandbox/faults", json={"fail_429_route": "GET /nope"}).status_code == 400
    assert admin.post("/_sandbox/faults", json={"explode": 1}).status_code == 400
    sandbox.set_faults(fail_502=5)
    assert admin.delete("/_sandbox/faults").json()["fail_502"] == 0


def test_drop_after_commit_records_the_video_then_closes_without_answering(clock):
    with Sandbox(credits=10, clock=clock, faults={"drop_after_commit": 1}) as sandbox, \
            client_for(sandbox) as api:
        with pytest.raises(httpx.RemoteProtocolError):
            api.post("/videos", json={"script": SCRIPT, "video_name": "lost"})
        listed = api.get("/videos").json()
        assert [(v["video_name"], v["status"]) for v in listed] == [("lost", "pending")]
        assert sandbox.state()["available"] == pytest.approx(10 - 2.43)
        assert api.post("/videos", json={"script": SCRIPT}).status_code == 200


def test_drop_after_commit_is_not_spent_on_a_refused_request(clock):
    with Sandbox(credits=0, clock=clock, faults={"drop_after_commit": 1}) as sandbox, \
            client_for(sandbox) as api:
        assert api.post("/videos", json={"script": SCRIPT}).status_code == 402
        assert sandbox.state()["faults"]["drop_after_commit"] == 1


# ---- downloads ---------------------------------------------------------------------------


@pytest.fixture
def download_url(api, sandbox) -> str:
    return finished(api, sandbox, video_name="my video").download_url


def test_a_download_is_a_placeholder_mp4(download_url, sandbox, api):
    response = httpx.get(download_url, trust_env=False)
    assert response.status_code == 200 and response.headers["content-type"] == "video/mp4"
    assert response.headers["accept-ranges"] == "bytes"
    assert response.headers["content-disposition"] == 'attachment; filename="my-video.mp4"'
    assert len(response.content) == VIDEO_SIZE == int(response.headers["content-length"])
    assert response.content[4:8] == b"ftyp" and b"not a video" in response.content[:200]
    assert httpx.get(download_url, trust_env=False).content == response.content
    another = finished(api, sandbox).download_url
    assert httpx.get(another, trust_env=False).content != response.content
    page = httpx.get(download_url.removesuffix("/download"), trust_env=False)
    assert page.status_code == 200 and "renders no video" in page.text


@pytest.mark.parametrize("header, first, last", [
    ("bytes=0-99", 0, 99), ("bytes=1000-", 1000, VIDEO_SIZE - 1),
    ("bytes=-10", VIDEO_SIZE - 10, VIDEO_SIZE - 1), ("bytes=100-999999", 100, VIDEO_SIZE - 1),
])
def test_a_range_request_gets_206_and_those_bytes(download_url, header, first, last):
    whole = httpx.get(download_url, trust_env=False).content
    response = httpx.get(download_url, headers={"Range": header}, trust_env=False)
    assert response.status_code == 206
    assert response.headers["content-range"] == f"bytes {first}-{last}/{VIDEO_SIZE}"
    assert response.content == whole[first:last + 1]


def test_an_unsatisfiable_range_is_416_and_a_stale_if_range_gets_everything(download_url):
    response = httpx.get(download_url, headers={"Range": f"bytes={VIDEO_SIZE}-"},
                         trust_env=False)
    assert response.status_code == 416
    assert response.headers["content-range"] == f"bytes */{VIDEO_SIZE}"
    etag = httpx.head(download_url, trust_env=False).headers["etag"]
    fresh = httpx.get(download_url, headers={"Range": "bytes=5-", "If-Range": etag},
                      trust_env=False)
    stale = httpx.get(download_url, headers={"Range": "bytes=5-", "If-Range": '"old"'},
                      trust_env=False)
    assert (fresh.status_code, stale.status_code) == (206, 200)
    assert len(stale.content) == VIDEO_SIZE


def test_head_gives_the_size_without_the_body(download_url):
    response = httpx.head(download_url, trust_env=False)
    assert response.status_code == 200 and response.content == b""
    assert int(response.headers["content-length"]) == VIDEO_SIZE


def test_a_cut_download_is_resumed_with_range(download_url, sandbox):
    whole = httpx.get(download_url, trust_env=False).content
    sandbox.set_faults(cut_downloads=1)
    received = bytearray()
    with httpx.Client(trust_env=False) as client:
        with pytest.raises(httpx.RemoteProtocolError), \
                client.stream("GET", download_url) as response:
            for chunk in response.iter_bytes():
                received += chunk
        assert 0 < len(received) < VIDEO_SIZE
        rest = client.get(download_url, headers={"Range": f"bytes={len(received)}-"})
    assert rest.status_code == 206
    assert bytes(received) + rest.content == whole


# ---- admin routes and the state file -----------------------------------------------------


def test_the_admin_routes_read_state_move_the_clock_and_set_credits(api, admin):
    task_id = submit(api)
    state = admin.get("/_sandbox/state").json()
    assert state["renders_video"] is False and state["videos"][0]["task_id"] == task_id
    assert admin.post("/_sandbox/clock", json={"advance": 10}).status_code == 200
    assert status_of(api, task_id).status == "done"
    assert admin.post("/_sandbox/clock", json={"advance": -1}).status_code == 400
    assert admin.post("/_sandbox/credits", json={"credits": 1.5}).json()["credits"] == 1.5
    assert "Balance: 1.5," in detail(api.post("/videos", json={"script": SCRIPT}))
    assert api.get("/_sandbox/state").status_code == 404  # not under the API's base path


def test_the_state_file_survives_a_restart(tmp_path, clock):
    path = tmp_path / "sandbox.json"
    given = "isk_given_by_the_test"
    with Sandbox(credits=20, render_seconds=10, key=given, state_file=path,
                 clock=clock) as first, client_for(first) as api:
        made = api.post("/keys", json={"name": "kept"}).json()["api_key"]
        gone = api.post("/keys", json={"name": "gone"}).json()
        api.delete(f"/keys/{gone['key_id']}")
        done = finished(api, first, video_name="kept")
        pending = submit(api, video_name="later")
        before, old_origin = first.state(), first.origin
    text = path.read_text()
    assert given not in text and made not in text and gone["api_key"] not in text
    assert [p.name for p in tmp_path.iterdir()] == ["sandbox.json"]  # no temporary left
    with Sandbox(credits=999, render_seconds=10, state_file=path, clock=clock) as second, \
            client_for(second, made) as api:
        assert second.state()["credits"] == before["credits"] < 20
        assert [v["task_id"] for v in api.get("/videos").json()] == [pending, done.task_id]
        moved = {"video_url": done.video_url.replace(old_origin, second.origin),
                 "download_url": done.download_url.replace(old_origin, second.origin)}
        assert status_of(api, done.task_id) == done.model_copy(update=moved)
        assert httpx.get(moved["download_url"], trust_env=False).status_code == 200
        with client_for(second, given) as old:
            assert old.get("/channels").status_code == 200
        with client_for(second, gone["api_key"]) as revoked:
            assert revoked.get("/channels").status_code == 401
        with client_for(second) as fresh:  # a new key, made at the restart, works too
            assert fresh.get("/channels").status_code == 200
        second.advance(10)
        assert status_of(api, pending).status == "done"
    assert json.loads(path.read_text())["videos"][0]["outcome"] == "done"


def test_a_state_file_that_is_not_a_state_is_an_error(tmp_path):
    path = tmp_path / "state.json"
    path.write_text('{"hello": 1}')
    with pytest.raises(StateFileError, match="not a sandbox state"):
        Sandbox(state_file=path)


def test_the_sandbox_binds_to_localhost_and_hides_its_key(sandbox):
    assert sandbox.base_url.startswith("http://127.0.0.1:") and sandbox.base_url.endswith(
        "/api/v1")
    assert sandbox.key not in repr(sandbox)
    assert "renders no video" in Sandbox.__doc__


# ---- the command -------------------------------------------------------------------------


def _start_command(*options: str) -> tuple[subprocess.Popen, list[str]]:
    process = subprocess.Popen(
        [sys.executable, "-m", "inkslop", "sandbox", "--port", "0", "--quiet", *options],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    watchdog = threading.Timer(30, process.kill)
    watchdog.start()
    try:
        lines = [process.stdout.readline().rstrip("\n") for _ in range(3)]
    finally:
        watchdog.cancel()
    return process, lines


def _stop_command(process: subprocess.Popen, how: int) -> str:
    process.send_signal(how)
    _, stderr = process.communicate(timeout=10)
    assert process.returncode == 0, stderr
    assert "Traceback" not in stderr
    return stderr


def test_the_command_prints_its_base_url_first_then_the_key(tmp_path):
    process, lines = _start_command("--render-seconds", "0")
    try:
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+/api/v1", lines[0]), lines
        key = lines[1].removeprefix("key: ")
        assert key.startswith("isk_") and "renders no video" in lines[2]
        response = httpx.get(lines[0] + "/channels", headers=bearer(key), trust_env=False)
        assert response.status_code == 200
    finally:
        stderr = _stop_command(process, signal.SIGTERM)
    assert "stopped" in stderr


def test_the_command_never_prints_a_key_it_was_given():
    given = "isk_secret_from_the_user"
    process, lines = _start_command("--key", given, "--fail-502", "1")
    try:
        assert given not in "\n".join(lines) and "not shown" in lines[1]
        url = lines[0] + "/videos"
        assert httpx.get(url, headers=bearer(given), trust_env=False).status_code == 502
        assert httpx.get(url, headers=bearer(given), trust_env=False).status_code == 200
    finally:
        process.send_signal(signal.SIGINT)  # Ctrl-C
        output, stderr = process.communicate(timeout=10)
    assert process.returncode == 0 and "Traceback" not in stderr
    assert given not in output + stderr


def test_the_command_refuses_a_key_that_is_not_an_inkslop_key():
    from inkslop.cli import cli

    result = CliRunner().invoke(cli, ["sandbox", "--key", "sk_live_x", "--port", "0"])
    assert result.exit_code == 2 and "isk_" in result.output
