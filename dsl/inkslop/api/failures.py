"""httpx's error answers and exceptions, turned into this client's errors (errors.py).

Nothing of httpx is kept: not the response, not the request (whose headers hold the key),
not the exception (raised errors do not chain to it). Only texts are copied, and every text
passes through a scrubber that replaces the key, should a server ever echo it.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx

from inkslop.api.errors import APIConnectionError, APIStatusError, APITimeoutError, error_for
from inkslop.api.retries import parse_retry_after

Scrub = Callable[[str], str]
MAX_DETAIL = 500  # characters of a non-JSON error body kept in the message

# Failures where the request certainly never left this machine.
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout, httpx.ProxyError,
             httpx.UnsupportedProtocol)
# Failures worth trying again (the network, the server's side of the connection).
_TRANSIENT = (httpx.NetworkError, httpx.TimeoutException, httpx.RemoteProtocolError)


@dataclass(frozen=True)
class TransportFailure:
    """A request that got no response: what happened, in words only."""

    message: str
    sent: bool  # the request may have reached the server
    transient: bool  # the same request may succeed a moment later
    timeout: bool

    def error(self) -> APIConnectionError:
        kind = APITimeoutError if self.timeout else APIConnectionError
        return kind(self.message)


def transport_failure(error: httpx.TransportError, what: str, scrub: Scrub) -> TransportFailure:
    """Describe `error` (raised while doing `what`, such as "GET /videos") without it."""
    reason = scrub(str(error).strip().rstrip(".") or type(error).__name__)
    timeout = isinstance(error, httpx.TimeoutException)
    if isinstance(error, _NOT_SENT):
        message = f"{what}: could not connect ({reason})"
    elif timeout:
        message = f"{what}: no answer in time ({type(error).__name__})"
    else:
        message = f"{what}: the connection failed ({reason})"
    return TransportFailure(message, sent=not isinstance(error, _NOT_SENT),
                            transient=isinstance(error, _TRANSIENT), timeout=timeout)


def status_error(response: httpx.Response, scrub: Scrub, now: float) -> APIStatusError:
    """The typed error of an error response (its body already read), with InkSlop's
    `detail` and the server's Retry-After in seconds."""
    detail = scrub(detail_of(response))
    return error_for(response.status_code, detail, parse_retry_after(response.headers, now))


def detail_of(response: httpx.Response) -> str:
    """InkSlop's `detail` (FastAPI's list of validation errors made one line), else the
    start of a text body, else the reason phrase."""
    try:
        body: Any = response.json()
    except (ValueError, UnicodeDecodeError):
        body = None
    if isinstance(body, dict) and body.get("detail") is not None:
        return _detail_text(body["detail"])
    text = response.text.strip() if _is_text(response) else ""
    if text and not text.startswith("<"):
        return " ".join(text.split())[:MAX_DETAIL]
    return response.reason_phrase or f"HTTP {response.status_code}"


def _is_text(response: httpx.Response) -> bool:
    kind = response.headers.get("content-type", "")
    return kind.startswith("text/") or "json" in kind


def _detail_text(detail: Any) -> str:
    if isinstance(detail, str):
        return detail
    if isinstance(detail, list) and all(isinstance(item, dict) for item in detail):
        return "; ".join(_validation_problem(item) for item in detail)
    return json.dumps(detail, ensure_ascii=False)


def _validation_problem(item: dict[str, Any]) -> str:
    where = ".".join(str(part) for part in item.get("loc", ()) if part != "body")
    message = str(item.get("msg", item))
    return f"{where}: {message}" if where else message
