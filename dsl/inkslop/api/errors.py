"""Typed errors of the API client: one per documented status, and the failures with no
response. Each carries the server's `detail`; none ever holds the API key."""

from __future__ import annotations

import re

from inkslop.estimate.clock import wait_in_words

# "Insufficient credits. Balance: 0.5, required: 2.0" (any case; a balance may be negative)
_BALANCE = re.compile(r"balance:\s*(-?\d+(?:\.\d+)?)\W+required:\s*(-?\d+(?:\.\d+)?)",
                      re.IGNORECASE)


class InkSlopError(Exception):
    """Anything that went wrong talking to InkSlop."""


class APIConnectionError(InkSlopError):
    """No response: the connection failed (the request may or may not have been received)."""


class APITimeoutError(APIConnectionError):
    """No response in time."""


class OutcomeUnknownError(InkSlopError):
    """A request that spends credits was sent, and its response was lost: whether InkSlop
    created the video is unknown until its list of videos says so. Never retry blindly.
    Also raised for the other requests that are not safe to repeat (publishing a video,
    creating a key) when their response is lost."""


class InvalidResponseError(InkSlopError):
    """InkSlop answered with success, but with a body this client cannot read."""


class ClientRateLimitError(InkSlopError):
    """Not sent: the client's own limiter (InkSlop's documented per-user limits, shared by
    every process of this user) has no free slot for `retry_after` seconds."""

    def __init__(self, route: str, retry_after: float) -> None:
        self.route = route
        self.retry_after = retry_after
        super().__init__(f"{route}: the documented rate limit is reached; the next request "
                         f"may be sent in {wait_in_words(retry_after)}")


class APIStatusError(InkSlopError):
    """InkSlop answered with an error status; `detail` is its explanation."""

    status_code: int = 0

    def __init__(self, status_code: int, detail: str, retry_after: float | None = None) -> None:
        self.status_code = status_code
        self.detail = detail
        self.retry_after = retry_after
        super().__init__(f"{status_code}: {detail}")


class BadRequestError(APIStatusError):
    """400 (or 422, a request its validation refused): the request is wrong (a broken
    script, a bad field)."""


class AuthenticationError(APIStatusError):
    """401: the API key is invalid or revoked."""


class InsufficientCreditsError(APIStatusError):
    """402: not enough credits, or no subscription; `balance` and `required` when stated."""

    def __init__(self, status_code: int, detail: str, retry_after: float | None = None) -> None:
        super().__init__(status_code, detail, retry_after)
        found = _BALANCE.search(detail)
        self.balance = float(found[1]) if found else None
        self.required = float(found[2]) if found else None


class NotFoundError(APIStatusError):
    """404: no such task, key or resource."""


class ConflictError(APIStatusError):
    """409: the resource is not in a state that allows this (a video not done yet)."""


class RateLimitError(APIStatusError):
    """429: too many requests; `retry_after` (seconds) when the server said."""


class ExternalServiceError(APIStatusError):
    """502: a service InkSlop depends on is unavailable."""


class ServerError(APIStatusError):
    """Another 5xx."""


BY_STATUS: dict[int, type[APIStatusError]] = {
    400: BadRequestError, 401: AuthenticationError, 402: InsufficientCreditsError, 404: NotFoundError,
    409: ConflictError, 422: BadRequestError, 429: RateLimitError, 502: ExternalServiceError,
}



def error_for(status_code: int, detail: str, retry_after: float | None = None) -> APIStatusError:
    kind = BY_STATUS.get(status_code) or (ServerError if status_code >= 500 else APIStatusError)
    return kind(status_code, detail, retry_after)
