"""When to try a request again, and how long to wait first.

Which requests may be repeated at all is decided per endpoint (`Endpoint.repeatable` in
endpoints.py): only those whose repetition cannot spend credits, publish twice or create a
second key. Every other
request is sent again only when it certainly never left this machine (the connection could
not be opened); once it may have been sent, a lost answer is `OutcomeUnknownError`.

The wait: the server's `Retry-After` (seconds, or an HTTP date; `retry-after-ms` too) when
it is sane, that is between 0 and MAX_RETRY_AFTER; otherwise a capped exponential backoff
with jitter, so that many clients that failed together do not return together.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from email.utils import parsedate_to_datetime

from inkslop.api.constants import (
    INITIAL_RETRY_DELAY,
    JITTER,
    MAX_RETRY_AFTER,
    MAX_RETRY_DELAY,
    RETRY_STATUSES,
)


def is_retry_status(status_code: int) -> bool:
    """408, 429 and every 5xx: the server may answer differently a moment later."""
    return status_code in RETRY_STATUSES or status_code >= 500


def parse_retry_after(headers: Mapping[str, str], now: float) -> float | None:
    """Seconds to wait as the server asked, or None when it did not say (or said nonsense).

    `retry-after-ms` (milliseconds) wins over `Retry-After`, which is either a number of
    seconds or an HTTP date (then counted from `now`, a Unix time). A date in the past is 0.
    """
    milliseconds = _number(headers.get("retry-after-ms"))
    if milliseconds is not None:
        return milliseconds / 1000
    value = headers.get("retry-after")
    if value is None:
        return None
    seconds = _number(value)
    if seconds is not None:
        return seconds
    return _seconds_until_date(value, now)


def _number(value: str | None) -> float | None:
    if value is None:
        return None
    try:
        number = float(value.strip())
    except ValueError:
        return None
    return number if math.isfinite(number) and number >= 0 else None


def _seconds_until_date(value: str, now: float) -> float | None:
    moment = parse_http_date(value)
    return None if moment is None else max(0.0, moment - now)


def parse_http_date(value: str) -> float | None:
    """An HTTP date (RFC 7231: "Sun, 06 Nov 1994 08:49:37 GMT") as Unix seconds, or None."""
    try:
        moment = parsedate_to_datetime(value.strip())
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if moment.tzinfo is None:  # an HTTP date is always GMT
        return None
    return moment.timestamp()


def is_sane_retry_after(seconds: float | None) -> bool:
    """Whether to wait a server-given delay: known and no longer than MAX_RETRY_AFTER."""
    return seconds is not None and 0 <= seconds <= MAX_RETRY_AFTER


def backoff_delay(attempt: int, random: Callable[[], float]) -> float:
    """The wait before retry number `attempt` (0 for the first): INITIAL_RETRY_DELAY doubled
    per attempt, capped at MAX_RETRY_DELAY, shortened at random by up to JITTER."""
    delay = min(INITIAL_RETRY_DELAY * 2 ** attempt, MAX_RETRY_DELAY)
    return delay * (1 - JITTER * random())


def retry_delay(attempt: int, retry_after: float | None, random: Callable[[], float]) -> float:
    """The server's delay when sane, else the backoff."""
    return retry_after if is_sane_retry_after(retry_after) else backoff_delay(attempt, random)
