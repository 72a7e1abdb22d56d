"""The client-side rate limiter: the documented windows, kept with an injected clock, shared
through one SQLite file between processes, and never holding the key."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from inkslop.api.constants import WINDOW_MARGIN
from inkslop.api.ratelimit import (
    LimiterUnavailableError,
    RateLimiter,
    account_scope,
    first_free,
)

VIDEOS = "POST /videos"
START = 1_800_000_000.0


class FakeClock:
    def __init__(self, now: float = START) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def limiter(tmp_path, clock) -> RateLimiter:
    return RateLimiter(tmp_path / "limits.sqlite3", "https://x/api/v1 abc", clock=clock)


def take(limiter: RateLimiter, route: str, count: int) -> list[float]:
    return [limiter.acquire(route) for _ in range(count)]


# ---- the windows -------------------------------------------------------------------------

def test_ten_videos_a_minute_then_a_wait_until_the_first_leaves_the_window(limiter, clock):
    assert take(limiter, VIDEOS, 10) == [0.0] * 10
    wait = limiter.acquire(VIDEOS)
    assert wait == pytest.approx(60 + WINDOW_MARGIN)
    clock.sleep(wait - 0.01)
    assert limiter.acquire(VIDEOS) > 0
    clock.sleep(0.01)
    assert limiter.acquire(VIDEOS) == 0.0


def test_a_refused_acquire_takes_no_slot(limiter, clock):
    take(limiter, VIDEOS, 10)
    for _ in range(5):
        assert limiter.acquire(VIDEOS) > 0
    clock.sleep(61)
    assert take(limiter, VIDEOS, 10) == [0.0] * 10


def send_paced(limiter: RateLimiter, clock: FakeClock, route: str, count: int) -> None:
    """Send `count` requests, each as soon as the limiter allows."""
    for _ in range(count):
        while wait := limiter.acquire(route):
            clock.sleep(wait)


def test_the_hourly_and_daily_windows_of_post_videos(limiter, clock):
    send_paced(limiter, clock, VIDEOS, 25)  # paced at 10 a minute, done in under 3 minutes
    assert clock.now - START < 3 * 61
    assert 3000 < limiter.next_slot(VIDEOS) <= 3600 + WINDOW_MARGIN  # 25 an hour
    clock.sleep(3600 + WINDOW_MARGIN)
    send_paced(limiter, clock, VIDEOS, 25)
    assert limiter.next_slot(VIDEOS) > 3600 * 20  # 50 a day: most of a day to wait


@pytest.mark.parametrize(("route", "limit"), [
    ("GET /videos/{task_id}", 60), ("GET /videos", 60), ("POST /meta/generate", 10),
    ("POST /keys", 5),
])
def test_per_minute_limits_of_each_route(limiter, route, limit):
    assert take(limiter, route, limit) == [0.0] * limit
    assert limiter.acquire(route) > 0


def test_meta_generation_also_has_an_hourly_limit(limiter, clock):
    for _ in range(6):
        assert take(limiter, "POST /meta/generate", 10) == [0.0] * 10
        clock.sleep(60 + WINDOW_MARGIN)
    assert limiter.acquire("POST /meta/generate") > 3000


def test_routes_are_counted_apart_and_unlimited_routes_are_free(limiter):
    take(limiter, VIDEOS, 10)
    assert limiter.acquire("GET /videos") == 0.0
    assert take(limiter, "GET /channels", 500) == [0.0] * 500


def test_accounts_are_counted_apart(tmp_path, clock):
    path = tmp_path / "limits.sqlite3"
    one = RateLimiter(path, account_scope("https://x/api/v1", "aaa"), clock=clock)
    other = RateLimiter(path, account_scope("https://x/api/v1", "bbb"), clock=clock)
    sandbox = RateLimiter(path, account_scope("http://127.0.0.1:9/api/v1", "aaa"), clock=clock)
    take(one, VIDEOS, 10)
    assert one.acquire(VIDEOS) > 0
    assert other.acquire(VIDEOS) == 0.0
    assert sandbox.acquire(VIDEOS) == 0.0


def test_the_log_survives_a_new_limiter_on_the_same_file(tmp_path, clock):
    path = tmp_path / "limits.sqlite3"
    take(RateLimiter(path, "me", clock=clock), VIDEOS, 10)
    assert RateLimiter(path, "me", clock=clock).acquire(VIDEOS) > 0


def test_next_slot_and_eta_only_look(limiter, clock):
    assert limiter.next_slot(VIDEOS) == 0.0
    assert limiter.eta(VIDEOS, 10) == 0.0
    assert limiter.eta(VIDEOS, 11) == pytest.approx(60 + WINDOW_MARGIN)
    take(limiter, VIDEOS, 3)
    assert limiter.eta(VIDEOS, 7) == 0.0
    assert limiter.eta(VIDEOS, 8) == pytest.approx(60 + WINDOW_MARGIN)
    assert take(limiter, VIDEOS, 7) == [0.0] * 7


def test_eta_of_a_batch_of_fifty_videos(limiter):
    # 10 a minute for 25 in the first hour, then the next 25 an hour later.
    eta = limiter.eta(VIDEOS, 50)
    hour = 3600 + WINDOW_MARGIN
    assert hour < eta < hour + 3 * (60 + WINDOW_MARGIN) + 1
    assert limiter.eta(VIDEOS, 51) > 86000  # beyond the daily limit: the next day


def test_a_hold_stops_a_route_for_everyone_until_it_passes(tmp_path, clock):
    path = tmp_path / "limits.sqlite3"
    one, two = (RateLimiter(path, "me", clock=clock) for _ in range(2))
    one.hold("GET /channels", 30)
    assert two.acquire("GET /channels") == pytest.approx(30)
    assert two.next_slot("GET /channels") == pytest.approx(30)
    one.hold("GET /channels", 5)  # a shorter hold never shortens a longer one
    assert two.next_slot("GET /channels") == pytest.approx(30)
    clock.sleep(30)
    assert two.acquire("GET /channels") == 0.0


def test_a_clock_that_goes_back_does_not_free_slots(limiter, clock):
    take(limiter, VIDEOS, 10)
    clock.now -= 3600
    assert limiter.acquire(VIDEOS) > 0


@pytest.mark.parametrize(("sent", "windows", "expected"), [
    ([], [(1, 10.0)], 100.0),
    ([95.0], [(1, 10.0)], 105.0),
    ([95.0, 96.0], [(2, 10.0)], 105.0),
    ([95.0, 96.0], [(3, 10.0)], 100.0),
    ([50.0, 95.0], [(2, 10.0), (2, 60.0)], 110.0),  # the long window decides
    ([90.0, 99.0], [(1, 10.0), (2, 30.0)], 120.0),  # one window's wait moves the other's
    ([101.0], [(1, 10.0)], 111.0),  # a record from the future counts
])
def test_first_free(sent, windows, expected):
    assert first_free(sent, windows, 100.0) == pytest.approx(expected)


# ---- the file ----------------------------------------------------------------------------

def test_the_file_holds_the_base_url_and_account_never_a_key(tmp_path, clock):
    path = tmp_path / "limits.sqlite3"
    limiter = RateLimiter(path, account_scope("https://x/api/v1", "work"), clock=clock)
    take(limiter, VIDEOS, 3)
    limiter.hold(VIDEOS, 10)
    data = b"".join(p.read_bytes() for p in tmp_path.iterdir())
    assert b"https://x/api/v1 account=work" in data
    assert b"isk_" not in data


def test_an_unusable_file_is_a_clear_error(tmp_path, clock):
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("")
    limiter = RateLimiter(blocker / "limits.sqlite3", "me", clock=clock)
    with pytest.raises(LimiterUnavailableError, match="cannot be opened"):
        limiter.acquire(VIDEOS)


_WORKER = textwrap.dedent("""
    import os, sys, time
    from inkslop.api.ratelimit import RateLimiter
    path, start = sys.argv[1], sys.argv[2]
    # Both processes see the same fixed time, so only the shared log can tell them apart.
    limiter = RateLimiter(path, "shared", clock=lambda: 1800000000.0)
    open(start + "." + sys.argv[3], "w").close()
    deadline = time.monotonic() + 30  # start together (or give up waiting for the other)
    while not all(os.path.exists(start + "." + n) for n in "ab") and time.monotonic() < deadline:
        time.sleep(0.001)
    print(sum(limiter.acquire("POST /videos") == 0.0 for _ in range(40)))
""")


def test_two_processes_share_the_limits_exactly(tmp_path):
    path, start = tmp_path / "limits.sqlite3", str(tmp_path / "go")
    workers = [subprocess.Popen([sys.executable, "-c", _WORKER, str(path), start, name],
                                stdout=subprocess.PIPE, text=True) for name in "ab"]
    admitted = [int(worker.communicate(timeout=60)[0]) for worker in workers]
    assert all(worker.returncode == 0 for worker in workers)
    assert sum(admitted) == 10  # never 11: counting and recording are one transaction
    assert RateLimiter(path, "shared", clock=lambda: START).acquire(VIDEOS) > 0


def test_many_threads_share_the_limits_exactly(tmp_path, clock):
    from concurrent.futures import ThreadPoolExecutor

    limiter = RateLimiter(tmp_path / "limits.sqlite3", "me", clock=clock)
    with ThreadPoolExecutor(8) as pool:
        waits = list(pool.map(lambda _: limiter.acquire("GET /videos"), range(100)))
    assert waits.count(0.0) == 60


def test_a_limiter_shows_no_secret(tmp_path):
    limiter = RateLimiter(tmp_path / "l.sqlite3", "scope")
    assert repr(limiter) == f"RateLimiter({str(tmp_path / 'l.sqlite3')!r})"


def test_default_path_is_in_the_user_state_directory(monkeypatch, tmp_path):
    from inkslop.api.ratelimit import default_path

    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path))
    assert default_path() == Path(tmp_path, "inkslop", "ratelimit.sqlite3")
