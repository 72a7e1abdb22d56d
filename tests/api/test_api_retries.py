"""When the API client tries again and how long it waits: Retry-After parsing (a table, as
Stainless-generated clients test it), the capped exponential backoff with jitter, and which
endpoints are safe to repeat."""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import format_datetime

import pytest

from inkslop.api.constants import (
    INITIAL_RETRY_DELAY,
    JITTER,
    MAX_RETRY_AFTER,
    MAX_RETRY_DELAY,
)
from inkslop.api.retries import (
    backoff_delay,
    is_retry_status,
    is_sane_retry_after,
    parse_retry_after,
    retry_delay,
)

NOW = 1_800_000_000.0  # a fixed Unix time


def http_date(seconds_from_now: float) -> str:
    return format_datetime(datetime.fromtimestamp(NOW + seconds_from_now, UTC),
                           usegmt=True)


@pytest.mark.parametrize(("headers", "expected"), [
    ({}, None),
    ({"retry-after": "20"}, 20.0),
    ({"retry-after": "0"}, 0.0),
    ({"retry-after": "1.5"}, 1.5),
    ({"retry-after": " 7 "}, 7.0),
    ({"retry-after": "3600"}, 3600.0),  # parsed; whether to wait it is another question
    ({"retry-after": "-5"}, None),
    ({"retry-after": "nan"}, None),
    ({"retry-after": "inf"}, None),
    ({"retry-after": ""}, None),
    ({"retry-after": "soon"}, None),
    ({"retry-after": http_date(30)}, 30.0),
    ({"retry-after": http_date(-30)}, 0.0),  # a date in the past: now
    ({"retry-after": "Fri, 31 Dec 1999 23:59:59"}, None),  # no zone: not an HTTP date
    ({"retry-after": "Fri, 99 Foo 1999 99:99:99 GMT"}, None),
    ({"retry-after-ms": "250"}, 0.25),
    ({"retry-after-ms": "250", "retry-after": "20"}, 0.25),  # milliseconds win
    ({"retry-after-ms": "bad", "retry-after": "20"}, 20.0),
])
def test_retry_after_headers(headers, expected):
    assert parse_retry_after(headers, NOW) == (pytest.approx(expected) if expected else expected)


@pytest.mark.parametrize(("seconds", "sane"), [
    (None, False), (0.0, True), (1.0, True), (MAX_RETRY_AFTER, True),
    (MAX_RETRY_AFTER + 1, False), (86400.0, False),
])
def test_only_a_sane_retry_after_is_waited(seconds, sane):
    assert is_sane_retry_after(seconds) is sane


def test_a_sane_retry_after_is_waited_exactly_and_an_insane_one_falls_back_to_backoff():
    assert retry_delay(0, 12.0, lambda: 0.5) == 12.0
    assert retry_delay(0, None, lambda: 0.0) == INITIAL_RETRY_DELAY
    assert retry_delay(0, 10_000.0, lambda: 0.0) == INITIAL_RETRY_DELAY


def test_backoff_doubles_up_to_its_cap():
    no_jitter = [backoff_delay(attempt, lambda: 0.0) for attempt in range(8)]
    assert no_jitter[:4] == [INITIAL_RETRY_DELAY * 2 ** n for n in range(4)]
    assert max(no_jitter) == MAX_RETRY_DELAY
    assert no_jitter == sorted(no_jitter)


@pytest.mark.parametrize("attempt", [0, 1, 2, 5, 30])
@pytest.mark.parametrize("draw", [0.0, 0.3, 0.999])
def test_jitter_only_shortens_and_by_at_most_its_fraction(attempt, draw):
    full = min(INITIAL_RETRY_DELAY * 2 ** attempt, MAX_RETRY_DELAY)
    delay = backoff_delay(attempt, lambda: draw)
    assert full * (1 - JITTER) <= delay <= full


@pytest.mark.parametrize(("status", "retried"), [
    (400, False), (401, False), (402, False), (404, False), (409, False), (422, False),
    (408, True), (429, True), (500, True), (502, True), (503, True), (504, True),
])
def test_which_statuses_are_worth_another_try(status, retried):
    assert is_retry_status(status) is retried


@pytest.mark.parametrize(("seconds", "words"), [
    (0.2, "0 s"), (45, "45 s"), (119.6, "120 s"), (600, "10 min"), (3601, "60 min"),
    (7200, "2 h 0 min"), (86000, "23 h 53 min"),
])
def test_waits_are_said_in_words(seconds, words):
    from inkslop.estimate.clock import wait_in_words

    assert wait_in_words(seconds) == words
