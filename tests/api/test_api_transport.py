"""The API client's decisions on answers and failures the sandbox does not make, through
httpx.MockTransport (no network at all): which failures count as "never sent", HTTP-date
Retry-After, a Retry-After too long to wait, unreadable answers, FastAPI's validation
errors, HTML error pages, ids that try to leave their path, pages that shift, where the key
is sent, and downloads from servers that ignore Range."""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import format_datetime

import httpx
import pytest

from inkslop.api.client import Client
from inkslop.api.errors import (
    APIConnectionError,
    APIStatusError,
    BadRequestError,
    ConflictError,
    ExternalServiceError,
    InvalidResponseError,
    OutcomeUnknownError,
    RateLimitError,
)
from inkslop.api.models import VideoRequest
from inkslop.api.ratelimit import RateLimiter

BASE = "http://127.0.0.1:9/api/v1"
KEY = "isk_mock_key_0123456789abcdef"
NOW = 1_800_000_000.0
TASK = {"task_id": "t-1", "status": "pending"}


class Server:
    """Answers requests from a list of replies (a Response, an exception to raise, or a
    function of the request), and records what was asked."""

    def __init__(self, *replies) -> None:
        self.replies = list(replies)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        reply = self.replies.pop(0) if len(self.replies) > 1 else self.replies[0]
        if isinstance(reply, Exception):
            raise reply
        return reply(request) if callable(reply) else reply


class Sleeps(list):
    def __call__(self, seconds: float) -> None:
        self.append(seconds)


def client_for(server: Server, sleeps: Sleeps | None = None, **options) -> Client:
    settings = {"rate_limiter": False, "sleep": sleeps if sleeps is not None else Sleeps(),
                "clock": lambda: NOW, "random": lambda: 0.0, **options}
    return Client(KEY, BASE, transport=httpx.MockTransport(server), **settings)


def ok(data) -> httpx.Response:
    return httpx.Response(200, json=data)


def error(status: int, detail="nope", **headers) -> httpx.Response:
    return httpx.Response(status, json={"detail": detail}, headers=headers)


# ---- failures before and after sending ---------------------------------------------------

def test_a_connect_error_before_a_create_is_retried_and_creates_once():
    server = Server(httpx.ConnectError("refused"), ok(TASK))
    sleeps = Sleeps()
    assert client_for(server, sleeps).create_video(VideoRequest(script="x")).task_id == "t-1"
    assert len(server.requests) == 2 and len(sleeps) == 1


@pytest.mark.parametrize("failure", [
    httpx.ReadTimeout("slow"), httpx.WriteTimeout("slow"), httpx.ReadError("reset"),
    httpx.WriteError("broken pipe"), httpx.RemoteProtocolError("closed"),
])
def test_any_failure_after_sending_a_create_is_outcome_unknown(failure):
    server = Server(failure, ok(TASK))
    sleeps = Sleeps()
    with pytest.raises(OutcomeUnknownError):
        client_for(server, sleeps).create_video(VideoRequest(script="x"))
    assert len(server.requests) == 1 and sleeps == []


@pytest.mark.parametrize("failure", [
    httpx.ConnectTimeout("slow"), httpx.PoolTimeout("busy"), httpx.ConnectError("refused"),
])
def test_failures_before_sending_are_retried_for_every_request(failure):
    server = Server(failure, failure, ok(TASK))
    assert client_for(server).create_video(VideoRequest(script="x")).task_id == "t-1"
    assert len(server.requests) == 3


@pytest.mark.parametrize("failure", [httpx.ReadTimeout("slow"), httpx.RemoteProtocolError("x")])
def test_failures_after_sending_a_safe_request_are_retried(failure):
    server = Server(failure, ok([]))
    assert client_for(server).list_keys() == []
    assert len(server.requests) == 2


def test_a_local_protocol_error_is_not_retried():
    server = Server(httpx.LocalProtocolError("bad header"))
    with pytest.raises(APIConnectionError):
        client_for(server).list_keys()
    assert len(server.requests) == 1


def test_a_publish_lost_on_the_way_back_is_outcome_unknown_too():
    server = Server(httpx.ReadTimeout("slow"))
    with pytest.raises(OutcomeUnknownError):
        client_for(server).publish_video("t-1", {"channel_id": 3, "title": "x"})
    assert len(server.requests) == 1


def test_creating_a_key_is_not_repeated():
    server = Server(httpx.ReadError("reset"), error(503))
    with pytest.raises(OutcomeUnknownError):
        client_for(server).create_key("k")
    with pytest.raises(APIStatusError):
        client_for(Server(error(503))).create_key("k")


def test_revoking_and_generating_metadata_are_retried():
    server = Server(error(503), ok({"revoked": True, "key_id": "k1"}))
    assert client_for(server).revoke_key("k1").revoked
    server = Server(error(502), ok({"title": "t", "description": "d", "tags": []}))
    assert client_for(server).generate_meta("script").title == "t"


# ---- waits -------------------------------------------------------------------------------

def test_retry_after_as_an_http_date():
    when = format_datetime(datetime.fromtimestamp(NOW + 7, UTC), usegmt=True)
    sleeps = Sleeps()
    server = Server(error(503, **{"Retry-After": when}), ok([]))
    client_for(server, sleeps).list_channels()
    assert sleeps == [pytest.approx(7.0)]


def test_a_retry_after_too_long_to_wait_is_raised_at_once_and_held(tmp_path):
    limiter = RateLimiter(tmp_path / "l.sqlite3", "s", clock=lambda: NOW)
    sleeps = Sleeps()
    server = Server(error(429, "Rate limit exceeded: 25 per 1 hour", **{"Retry-After": "1800"}))
    with pytest.raises(RateLimitError) as caught:
        client_for(server, sleeps, rate_limiter=limiter).list_videos()
    assert caught.value.retry_after == 1800 and sleeps == []
    assert limiter.next_slot("GET /videos") == pytest.approx(1800)


def test_a_429_without_retry_after_backs_off():
    sleeps = Sleeps()
    client_for(Server(error(429), error(429), ok([])), sleeps).list_keys()
    assert sleeps == [0.5, 1.0]


def test_408_is_retried_but_409_is_not():
    assert client_for(Server(error(408), ok([]))).list_keys() == []
    with pytest.raises(ConflictError):
        client_for(Server(error(409, "busy"), ok([]))).list_keys()


def test_max_retries_zero_sends_once():
    server = Server(error(503))
    with pytest.raises(APIStatusError):
        client_for(server, max_retries=0).list_keys()
    assert len(server.requests) == 1


# ---- answers -----------------------------------------------------------------------------

@pytest.mark.parametrize("answer", [
    httpx.Response(200, text="<html>ok</html>"),
    ok({"status": "pending"}),  # no task id
    ok(["not", "an", "object"]),
])
def test_a_create_whose_answer_cannot_be_read_is_outcome_unknown(answer):
    with pytest.raises(OutcomeUnknownError, match="cannot be read"):
        client_for(Server(answer)).create_video(VideoRequest(script="x"))


@pytest.mark.parametrize("answer", [
    httpx.Response(200, text="not json"), ok({"keys": []}), ok([{"name": "no id"}]),
])
def test_other_unreadable_answers_are_invalid_responses(answer):
    with pytest.raises(InvalidResponseError):
        client_for(Server(answer)).list_keys()


def test_answers_with_fields_the_documentation_does_not_list_are_read():
    status = client_for(Server(ok({"task_id": "t", "status": "done", "new_field": 1}))) \
        .get_video("t")
    assert status.status == "done"


def test_fastapi_validation_errors_become_one_line():
    detail = [{"loc": ["body", "script"], "msg": "Field required", "type": "missing"},
              {"loc": ["body", "resolution"], "msg": "Input should be '9:16'", "type": "x"}]
    with pytest.raises(BadRequestError) as caught:
        client_for(Server(error(422, detail))).create_video(VideoRequest(script="x"))
    assert caught.value.detail == "script: Field required; resolution: Input should be '9:16'"


@pytest.mark.parametrize(("answer", "detail"), [
    (httpx.Response(502, text="<html><body>Bad gateway</body></html>",
                    headers={"Content-Type": "text/html"}), "Bad Gateway"),
    (httpx.Response(502, text="upstream  down\n", headers={"Content-Type": "text/plain"}),
     "upstream down"),
    (httpx.Response(502), "Bad Gateway"),
    (httpx.Response(502, json={"detail": {"code": "polar"}}), '{"code": "polar"}'),
])
def test_error_bodies_that_are_not_inkslops_json(answer, detail):
    with pytest.raises(ExternalServiceError) as caught:
        client_for(Server(answer), max_retries=0).list_keys()
    assert caught.value.detail == detail


def test_a_server_echoing_the_key_does_not_put_it_in_the_error():
    with pytest.raises(APIStatusError) as caught:
        client_for(Server(error(400, f"bad key {KEY}"))).create_video(VideoRequest(script="x"))
    assert KEY not in str(caught.value) and "isk_…" in caught.value.detail


@pytest.mark.parametrize(("call", "path"), [
    (lambda c: c.get_video("../keys"), "/api/v1/videos/..%2Fkeys"),
    (lambda c: c.get_video("a/b?c#d"), "/api/v1/videos/a%2Fb%3Fc%23d"),
    (lambda c: c.revoke_key("k 1"), "/api/v1/keys/k%201"),
])
def test_ids_are_quoted_so_they_stay_in_their_path_segment(call, path):
    server = Server(lambda request: ok({"task_id": "x", "status": "done", "revoked": True,
                                        "key_id": "x"}))
    call(client_for(server))
    assert server.requests[0].url.raw_path.decode() == path


def test_an_empty_id_is_refused():
    with pytest.raises(ValueError):
        client_for(Server(ok({}))).get_video("")


def test_iterating_over_pages_that_shift_yields_every_video_once():
    pages = {0: ["v5", "v4"], 2: ["v4", "v3"], 4: ["v2"]}  # v5 arrived while paging

    def answer(request: httpx.Request) -> httpx.Response:
        offset = int(request.url.params["offset"])
        assert request.url.params["limit"] == "2"
        return ok([{"task_id": task} for task in pages[offset]])

    videos = list(client_for(Server(answer)).iter_videos(page_size=2))
    assert [v.task_id for v in videos] == ["v5", "v4", "v3", "v2"]


def test_requests_send_the_key_json_and_a_user_agent():
    server = Server(ok(TASK))
    client_for(server).create_video(VideoRequest(script="hi", video_name="n"))
    request = server.requests[0]
    assert request.headers["authorization"] == f"Bearer {KEY}"
    assert request.headers["user-agent"].startswith("inkslop")
    assert request.headers["content-type"] == "application/json"
    assert request.read() == b'{"video_name":"n","resolution":"9:16","script":"hi",' \
                             b'"estimated_duration":30.0}'


# ---- downloads ---------------------------------------------------------------------------

DATA = bytes(range(256)) * 40


def test_the_key_goes_only_to_the_apis_own_origin(tmp_path):
    server = Server(httpx.Response(200, content=DATA))
    client = client_for(server)
    client.download("http://127.0.0.1:9/files/a/download", tmp_path / "a")
    client.download("/files/b/download", tmp_path / "b")  # relative to the API's origin
    client.download("https://storage.example/bucket/c?sig=1", tmp_path / "c")
    client.download("http://127.0.0.1:10/files/d", tmp_path / "d")  # another port
    sent = [r.headers.get("authorization") for r in server.requests]
    assert sent == [f"Bearer {KEY}", f"Bearer {KEY}", None, None]
    assert str(server.requests[1].url) == "http://127.0.0.1:9/files/b/download"


def test_a_redirect_to_storage_drops_the_key(tmp_path):
    def answer(request: httpx.Request) -> httpx.Response:
        if request.url.host == "127.0.0.1":
            return httpx.Response(302, headers={"Location": "https://storage.example/v.mp4"})
        return httpx.Response(200, content=DATA)

    server = Server(answer)
    client_for(server).download("/files/a/download", tmp_path / "v.mp4")
    assert [r.url.host for r in server.requests] == ["127.0.0.1", "storage.example"]
    assert "authorization" not in server.requests[1].headers
    assert (tmp_path / "v.mp4").read_bytes() == DATA


class CutOnce:
    """Serves DATA, cutting the first answer short; honours Range unless told not to."""

    def __init__(self, ranges: bool = True) -> None:
        self.ranges = ranges
        self.calls = 0

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.calls += 1
        wanted = request.headers.get("range")
        headers = {"ETag": '"v1"', "Content-Length": str(len(DATA))}
        if self.calls == 1:
            return httpx.Response(200, headers=headers, stream=_Broken(DATA[:1000]))
        if wanted and self.ranges:
            start = int(wanted.removeprefix("bytes=").rstrip("-"))
            assert request.headers["if-range"] == '"v1"'
            return httpx.Response(206, content=DATA[start:], headers={
                "Content-Range": f"bytes {start}-{len(DATA) - 1}/{len(DATA)}"})
        return httpx.Response(200, content=DATA)


class _Broken(httpx.SyncByteStream):
    def __init__(self, first: bytes) -> None:
        self.first = first

    def __iter__(self):
        yield self.first
        raise httpx.ReadError("connection reset")


@pytest.mark.parametrize("ranges", [True, False])
def test_a_broken_download_resumes_or_starts_over(tmp_path, ranges):
    server = Server(CutOnce(ranges))
    seen: list[int] = []
    client_for(server).download("/f", tmp_path / "v.mp4", lambda done, total: seen.append(done))
    assert (tmp_path / "v.mp4").read_bytes() == DATA
    assert len(server.requests) == 2
    assert ("range" in server.requests[1].headers) is True
    restarted = seen[seen.index(1000) + 1]
    assert restarted == (1000 if ranges else 0)


def test_a_body_shorter_than_announced_is_resumed(tmp_path):
    answers = [httpx.Response(200, content=DATA[:500], headers={"Content-Length": "500",
                                                               "X-Total": "x"})]

    def answer(request: httpx.Request) -> httpx.Response:
        if "range" not in request.headers:
            return httpx.Response(206, content=DATA[:500], headers={
                "Content-Range": f"bytes 0-499/{len(DATA)}"})
        start = int(request.headers["range"].removeprefix("bytes=").rstrip("-"))
        return httpx.Response(206, content=DATA[start:], headers={
            "Content-Range": f"bytes {start}-{len(DATA) - 1}/{len(DATA)}"})

    assert answers
    client_for(Server(answer)).download("/f", tmp_path / "v.mp4")
    assert (tmp_path / "v.mp4").read_bytes() == DATA


def test_a_download_that_keeps_failing_without_progress_gives_up(tmp_path):
    server = Server(httpx.ConnectError("refused"))
    sleeps = Sleeps()
    with pytest.raises(APIConnectionError):
        client_for(server, sleeps, max_retries=2).download("/f", tmp_path / "v.mp4")
    assert len(server.requests) == 3 and len(sleeps) == 2
    assert not list(tmp_path.iterdir())
