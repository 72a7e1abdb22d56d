"""The API client against the sandbox: every endpoint, the documented errors, retries and
their waits, the requests never repeated, downloads that resume, the client-side rate
limiter counted per account, and the server's clock.

Most tests talk to the sandbox in process (its httpx transport: no port, no socket); those
marked `over_http` are about the network (the main path, timeouts, dropped and cut
connections) and run over real HTTP on 127.0.0.1. Time is injected: the client's sleep
moves the client's clock and the sandbox's clock together, so nothing here waits for real
(except the timeout tests, by a fraction of a second)."""

from __future__ import annotations

import socket
import time
from datetime import datetime

import pytest

from inkslop.api.client import Client
from inkslop.api.constants import INITIAL_RETRY_DELAY, WINDOW_MARGIN
from inkslop.api.errors import (
    APIConnectionError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ClientRateLimitError,
    ConflictError,
    ExternalServiceError,
    InsufficientCreditsError,
    NotFoundError,
    OutcomeUnknownError,
    RateLimitError,
)
from inkslop.api.models import PublishRequest, VideoRequest
from inkslop.api.ratelimit import RateLimiter
from inkslop.sandbox import Sandbox

SCRIPT = '[tts engine="kokoro_tts" voice="af_heart"]\nHello world! Cats are great.\n[/tts]\n'
BROKEN = '[tts engine="kokoro_tts" voice="af_heart"]\nHello [world\n[/tts]\n'


class Time:
    """The client's clock and sleep; sleeping also moves the sandbox's clock."""

    def __init__(self, sandbox: Sandbox | None = None) -> None:
        self.now = time.time()
        self.sleeps: list[float] = []
        self.sandbox = sandbox

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds
        if self.sandbox is not None:
            self.sandbox.advance(seconds)


@pytest.fixture
def sandbox(request, in_process_sandbox):
    """In process, unless the test is marked `over_http`: then the same sandbox, started."""
    if request.node.get_closest_marker("over_http") is None:
        yield in_process_sandbox
        return
    with in_process_sandbox as serving:
        yield serving


@pytest.fixture
def fake_time(sandbox) -> Time:
    return Time(sandbox)


@pytest.fixture
def limiter(tmp_path, fake_time) -> RateLimiter:
    return RateLimiter(tmp_path / "limits.sqlite3", "test", clock=fake_time.clock)


def make_client(sandbox: Sandbox, fake_time: Time, limiter: RateLimiter | bool = False,
                **options) -> Client:
    api_key = options.pop("api_key", sandbox.key)
    if not sandbox.serving:
        options.setdefault("transport", sandbox.transport())
    settings = {"rate_limiter": limiter, "sleep": fake_time.sleep, "clock": fake_time.clock,
                "random": lambda: 0.0, "timeout": 5.0, **options}
    return Client(api_key, sandbox.base_url, **settings)


@pytest.fixture
def client(sandbox, fake_time, limiter):
    with make_client(sandbox, fake_time, limiter) as opened:
        yield opened


def videos_in(sandbox: Sandbox) -> int:
    return len(sandbox.state()["videos"])


def finished_video(client: Client, sandbox: Sandbox) -> str:
    task = client.create_video(VideoRequest(script=SCRIPT, video_name="hello"))
    sandbox.advance(60)
    return task.task_id


# ---- every endpoint ----------------------------------------------------------------------

def test_keys_are_created_listed_and_revoked(client, sandbox):
    created = client.create_key("automation")
    assert created.api_key.startswith("isk_") and created.name == "automation"
    assert "api_key" not in repr(created)
    listed = {key.key_id: key for key in client.list_keys()}
    assert created.key_id in listed and not listed[created.key_id].revoked
    revoked = client.revoke_key(created.key_id)
    assert revoked.revoked and revoked.key_id == created.key_id
    assert {k.key_id: k for k in client.list_keys()}[created.key_id].revoked
    with pytest.raises(AuthenticationError, match="revoked"):
        Client(created.api_key, sandbox.base_url, rate_limiter=False,
               transport=sandbox.transport()).list_keys()


def test_channels_are_listed(client):
    channels = client.list_channels()
    assert {c.platform for c in channels} == {"youtube", "tiktok"}
    assert all(isinstance(c.id, int) for c in channels)


@pytest.mark.over_http
def test_a_video_from_creation_to_download(client, sandbox, tmp_path):
    task = client.create_video(VideoRequest(script=SCRIPT, video_name="hello",
                                            estimated_duration=3))
    assert task.status == "pending"
    assert client.get_video(task.task_id).status in ("pending", "processing")
    sandbox.advance(60)
    status = client.get_video(task.task_id)
    assert status.finished and status.status == "done" and status.progress == 100
    assert status.credits_used and status.download_url
    [summary] = client.list_videos()
    assert summary.task_id == task.task_id and summary.video_name == "hello"
    seen: list[tuple[int, int | None]] = []
    path = client.download(status.download_url, tmp_path / "hello.mp4",
                           lambda done, total: seen.append((done, total)))
    data = path.read_bytes()
    assert data[4:8] == b"ftyp" and seen[-1] == (len(data), len(data))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["hello.mp4", "limits.sqlite3"]


def test_a_request_may_be_a_plain_dict(client):
    task = client.create_video({"script": SCRIPT, "resolution": "16:9"})
    assert task.task_id


def test_pages_of_videos_and_iterating_over_all_of_them(sandbox, fake_time):
    with make_client(sandbox, fake_time) as client:
        created = []
        for _ in range(12):
            created.append(client.create_video(VideoRequest(script=SCRIPT)).task_id)
            sandbox.advance(7)  # within the sandbox's 10 a minute
        newest_first = created[::-1]
        assert [v.task_id for v in client.list_videos(limit=5)] == newest_first[:5]
        assert [v.task_id for v in client.list_videos(limit=5, offset=10)] == newest_first[10:]
        assert [v.task_id for v in client.iter_videos(page_size=5)] == newest_first
        assert [v.task_id for v in client.iter_videos(page_size=6)] == newest_first
        assert [v.task_id for v in client.iter_videos()] == newest_first


@pytest.mark.parametrize(("limit", "offset"), [(0, 0), (101, 0), (20, -1)])
def test_page_bounds_are_checked_before_sending(client, limit, offset):
    with pytest.raises(ValueError):
        client.list_videos(limit=limit, offset=offset)


def test_publishing_a_finished_video(client, sandbox):
    task_id = finished_video(client, sandbox)
    result = client.publish_video(task_id, PublishRequest(channel_id=3, title="Hello",
                                                          tags=["a"], privacy="unlisted"))
    assert result.platform == "youtube" and result.status == "pending"
    assert client.publish_video(task_id, {"channel_id": 7, "ai_generate_meta": True}) \
        .platform == "tiktok"


def test_publishing_a_video_not_done_yet_is_a_conflict_with_the_servers_detail(client):
    task = client.create_video(VideoRequest(script=SCRIPT))
    with pytest.raises(ConflictError, match="not done") as caught:
        client.publish_video(task.task_id, PublishRequest(channel_id=3, title="x"))
    assert caught.value.status_code == 409 and "not done" in caught.value.detail


@pytest.mark.parametrize(("platform", "tags"), [("youtube", 10), ("tiktok", 5)])
def test_metadata_is_generated_for_a_platform(client, platform, tags):
    meta = client.generate_meta(SCRIPT, platform)
    assert meta.title and meta.description and len(meta.tags) <= tags


# ---- the documented errors ---------------------------------------------------------------

def test_insufficient_credits_carries_balance_and_required(sandbox, fake_time):
    with make_client(sandbox, fake_time) as client:
        sandbox.app.state.credits = 0.5
        with pytest.raises(InsufficientCreditsError) as caught:
            client.create_video(VideoRequest(script=SCRIPT, estimated_duration=200))
    error = caught.value
    assert error.status_code == 402 and error.balance == 0.5 and error.required > 0.5
    assert "Insufficient credits" in error.detail
    assert videos_in(sandbox) == 0


def test_a_broken_script_is_a_bad_request_with_the_servers_detail(client, sandbox):
    with pytest.raises(BadRequestError) as caught:
        client.create_video(VideoRequest(script=BROKEN))
    assert caught.value.status_code == 400 and caught.value.detail
    assert videos_in(sandbox) == 0


def test_an_unknown_video_is_not_found(client, fake_time):
    with pytest.raises(NotFoundError) as caught:
        client.get_video("no-such-task")
    assert caught.value.status_code == 404
    assert fake_time.sleeps == []  # not retried


def test_a_wrong_key_is_refused_at_once(sandbox, fake_time):
    with (make_client(sandbox, fake_time, api_key="isk_not_registered_000") as client,
          pytest.raises(AuthenticationError) as caught):
        client.list_keys()
    assert caught.value.status_code == 401 and fake_time.sleeps == []


# ---- retries -----------------------------------------------------------------------------

def test_a_burst_of_429_is_waited_out_as_retry_after_says(client, sandbox, fake_time):
    task = client.create_video(VideoRequest(script=SCRIPT))
    sandbox.set_faults(fail_429=2, fail_429_route="GET /videos/{task_id}", retry_after=3)
    assert client.get_video(task.task_id).task_id == task.task_id
    assert fake_time.sleeps == [3.0, 3.0]


def test_502s_are_retried_with_exponential_backoff(client, sandbox, fake_time):
    sandbox.set_faults(fail_502=3)
    assert client.list_channels()
    assert fake_time.sleeps == [INITIAL_RETRY_DELAY, 2 * INITIAL_RETRY_DELAY,
                                4 * INITIAL_RETRY_DELAY]


def test_retries_end_with_the_last_error(client, sandbox, fake_time):
    sandbox.set_faults(fail_502=10)
    with pytest.raises(ExternalServiceError) as caught:
        client.list_keys()
    assert caught.value.status_code == 502
    assert len(fake_time.sleeps) == client.max_retries


def test_creating_a_video_is_never_retried_on_429(client, sandbox, fake_time):
    sandbox.set_faults(fail_429=1, fail_429_route="POST /videos", retry_after=2)
    with pytest.raises(RateLimitError) as caught:
        client.create_video(VideoRequest(script=SCRIPT))
    assert caught.value.retry_after == 2.0 and fake_time.sleeps == []
    assert videos_in(sandbox) == 0
    # The 429 holds the route for every process of this user until Retry-After passes.
    assert client.rate_limiter.next_slot("POST /videos") == pytest.approx(2.0)


def test_creating_a_video_is_never_retried_on_502(client, sandbox, fake_time):
    sandbox.set_faults(fail_502=1, fail_502_route="POST /videos")
    with pytest.raises(ExternalServiceError):
        client.create_video(VideoRequest(script=SCRIPT))
    assert fake_time.sleeps == []


@pytest.mark.over_http
def test_a_dropped_connection_after_a_committed_create_is_outcome_unknown(client, sandbox,
                                                                          fake_time):
    sandbox.set_faults(drop_after_commit=1)
    with pytest.raises(OutcomeUnknownError, match="may have been carried out"):
        client.create_video(VideoRequest(script=SCRIPT, video_name="lost"))
    assert fake_time.sleeps == []
    assert videos_in(sandbox) == 1  # it was created: only the answer was lost
    assert [v.video_name for v in client.list_videos()] == ["lost"]


@pytest.mark.over_http
def test_a_timeout_after_sending_a_create_is_outcome_unknown(sandbox, fake_time):
    sandbox.set_faults(latency=0.6)
    with make_client(sandbox, fake_time, timeout=0.2) as client:
        started = time.monotonic()
        with pytest.raises(OutcomeUnknownError, match="no answer in time"):
            client.create_video(VideoRequest(script=SCRIPT))
        assert time.monotonic() - started < 0.6  # one attempt, not four
    assert fake_time.sleeps == []
    assert videos_in(sandbox) == 1


@pytest.mark.over_http
def test_a_read_that_keeps_timing_out_is_retried_then_a_timeout_error(sandbox, fake_time):
    sandbox.set_faults(latency=0.4)
    with (make_client(sandbox, fake_time, timeout=0.1, max_retries=2) as client,
          pytest.raises(APITimeoutError, match="no answer in time")):
        client.list_channels()
    assert len(fake_time.sleeps) == 2


@pytest.mark.over_http
def test_publishing_is_not_repeated_after_a_timeout(client, sandbox, fake_time):
    task_id = finished_video(client, sandbox)
    sandbox.set_faults(latency=0.6)
    with (make_client(sandbox, fake_time, timeout=0.2) as impatient,
          pytest.raises(OutcomeUnknownError)):
        impatient.publish_video(task_id, PublishRequest(channel_id=3, title="x"))
    assert len(sandbox.state()["publish_jobs"]) == 1


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_a_refused_connection_is_retried_even_for_a_create_since_nothing_was_sent(tmp_path):
    fake_time = Time()
    base = f"http://127.0.0.1:{free_port()}/api/v1"
    with (Client("isk_nobody_listens", base, rate_limiter=False, sleep=fake_time.sleep,
                 clock=fake_time.clock, random=lambda: 0.0) as client,
          pytest.raises(APIConnectionError, match="could not connect") as caught):
        client.create_video(VideoRequest(script=SCRIPT))
    assert not isinstance(caught.value, OutcomeUnknownError)
    assert len(fake_time.sleeps) == client.max_retries


# ---- downloads ---------------------------------------------------------------------------

@pytest.mark.over_http
def test_a_cut_download_resumes_where_it_broke(client, sandbox, fake_time, tmp_path):
    url = client.get_video(finished_video(client, sandbox)).download_url
    whole = client.download(url, tmp_path / "whole.mp4").read_bytes()
    sandbox.set_faults(cut_downloads=2)
    seen: list[int] = []
    path = client.download(url, tmp_path / "resumed.mp4", lambda done, total: seen.append(done))
    assert path.read_bytes() == whole
    assert seen == sorted(seen) and seen[0] == 0  # resumed, never restarted
    assert len(fake_time.sleeps) == 2
    assert not (tmp_path / "resumed.mp4.part").exists()


def test_a_part_left_by_an_earlier_run_is_resumed(client, sandbox, tmp_path):
    url = client.get_video(finished_video(client, sandbox)).download_url
    whole = client.download(url, tmp_path / "whole.mp4").read_bytes()
    (tmp_path / "again.mp4.part").write_bytes(whole[:1000])
    seen: list[int] = []
    client.download(url, tmp_path / "again.mp4", lambda done, total: seen.append(done))
    assert (tmp_path / "again.mp4").read_bytes() == whole
    assert seen[0] == 1000


def test_a_part_longer_than_the_file_starts_over(client, sandbox, tmp_path):
    url = client.get_video(finished_video(client, sandbox)).download_url
    whole = client.download(url, tmp_path / "whole.mp4").read_bytes()
    (tmp_path / "again.mp4.part").write_bytes(b"x" * (len(whole) + 10))
    client.download(url, tmp_path / "again.mp4")
    assert (tmp_path / "again.mp4").read_bytes() == whole


def test_a_whole_part_is_renamed_without_downloading_again(client, sandbox, tmp_path):
    url = client.get_video(finished_video(client, sandbox)).download_url
    whole = client.download(url, tmp_path / "whole.mp4").read_bytes()
    (tmp_path / "again.mp4.part").write_bytes(whole)
    client.download(url, tmp_path / "again.mp4")
    assert (tmp_path / "again.mp4").read_bytes() == whole


def test_a_missing_file_is_not_found_and_leaves_nothing(client, sandbox, tmp_path):
    with pytest.raises(NotFoundError):
        client.download(sandbox.app.origin + "/files/nope/download", tmp_path / "x.mp4")
    assert not (tmp_path / "x.mp4").exists()


@pytest.mark.over_http
def test_a_crash_mid_download_leaves_the_target_alone_and_the_next_run_resumes(
        client, sandbox, tmp_path):
    url = client.get_video(finished_video(client, sandbox)).download_url
    whole = client.download(url, tmp_path / "whole.mp4").read_bytes()
    target = tmp_path / "video.mp4"
    target.write_bytes(b"old")

    def crash(done: int, total: int | None) -> None:
        if done > 0:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        client.download(url, target, crash)
    assert target.read_bytes() == b"old"
    part = tmp_path / "video.mp4.part"
    assert 0 < part.stat().st_size < len(whole)
    seen: list[int] = []
    client.download(url, target, lambda done, total: seen.append(done))
    assert target.read_bytes() == whole and seen[0] > 0 and not part.exists()


# ---- the client-side rate limiter --------------------------------------------------------

def test_the_limiter_paces_creates_without_a_429(client, sandbox, fake_time):
    for _ in range(11):
        client.create_video(VideoRequest(script=SCRIPT))
    assert fake_time.sleeps == [pytest.approx(60 + WINDOW_MARGIN)]
    assert videos_in(sandbox) == 11


def test_a_far_slot_is_refused_before_sending(sandbox, fake_time, limiter):
    for _ in range(25):  # the hourly limit, used up by another process of this user
        while wait := limiter.acquire("POST /videos"):
            fake_time.now += wait
    with (make_client(sandbox, fake_time, limiter) as client,
          pytest.raises(ClientRateLimitError) as caught):
        client.create_video(VideoRequest(script=SCRIPT))
    assert caught.value.route == "POST /videos" and caught.value.retry_after > 3000
    assert videos_in(sandbox) == 0 and fake_time.sleeps == []


def test_the_default_limiter_lives_in_the_state_directory_keyed_by_account(
        sandbox, monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path))
    with Client(sandbox.key, sandbox.base_url, transport=sandbox.transport()) as client:
        client.list_videos()
        assert client.rate_limiter.path == tmp_path / "inkslop" / "ratelimit.sqlite3"
        assert client.rate_limiter.scope == f"{sandbox.base_url} account=default"
    with Client(sandbox.key, sandbox.base_url, rate_limiter=False) as client:
        assert client.rate_limiter is None


def shared_limit_clients(sandbox: Sandbox, fake_time: Time, accounts: tuple[str | None, ...]):
    """One client per account, each with its own key, on the machine's default limiter."""
    second_key = sandbox.app.register_key(None, "second")
    return [Client(key, sandbox.base_url, account=account, transport=sandbox.transport(),
                   sleep=fake_time.sleep, clock=fake_time.clock, max_limiter_wait=5)
            for key, account in zip((sandbox.key, second_key), accounts, strict=True)]


def test_two_keys_on_one_base_url_share_one_limit(sandbox, fake_time, monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path))
    first, second = shared_limit_clients(sandbox, fake_time, (None, None))
    for _ in range(10):
        first.create_video(VideoRequest(script=SCRIPT))
    with pytest.raises(ClientRateLimitError) as caught:
        second.create_video(VideoRequest(script=SCRIPT))
    assert caught.value.retry_after > 5 and videos_in(sandbox) == 10


def test_accounts_named_in_the_configuration_are_counted_apart(sandbox, fake_time, monkeypatch,
                                                                tmp_path):
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path))
    first, second = shared_limit_clients(sandbox, fake_time, ("work", "home"))
    for _ in range(10):
        first.create_video(VideoRequest(script=SCRIPT))
    assert first.rate_limiter.next_slot("POST /videos") > 59
    # Another account has its own ten (the sandbox, one account, would answer 429).
    assert second.rate_limiter.next_slot("POST /videos") == 0.0
    assert second.rate_limiter.acquire("POST /videos") == 0.0


# ---- the server's clock ------------------------------------------------------------------

def test_the_offset_of_the_servers_clock_comes_from_its_date_header(sandbox, fake_time):
    with make_client(sandbox, fake_time) as client:
        assert client.server_clock_offset() is None
        client.list_channels()
        assert abs(client.server_clock_offset()) <= 1.0
        sandbox.advance(3600)  # the server's clock runs an hour ahead of the client's
        client.list_channels()
        assert client.server_clock_offset() == pytest.approx(3600, abs=1.0)


@pytest.mark.over_http
def test_the_servers_date_reaches_the_client_over_http(sandbox, fake_time):
    sandbox.advance(86400)
    with make_client(sandbox, fake_time) as client:
        client.create_video(VideoRequest(script=SCRIPT, video_name="dated"))
        assert client.server_clock_offset() == pytest.approx(86400, abs=1.0)
        [summary] = client.list_videos()
    created = datetime.fromisoformat(summary.created_at).timestamp()
    assert created - client.server_clock_offset() == pytest.approx(fake_time.now, abs=2.0)


def test_timeouts_are_set_for_every_phase(sandbox):
    with Client(sandbox.key, sandbox.base_url, rate_limiter=False) as client:
        timeout = client._http.timeout
        assert None not in (timeout.connect, timeout.read, timeout.write, timeout.pool)
