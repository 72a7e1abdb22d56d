"""The InkSlop API client: every endpoint, typed, with timeouts, retries and the documented
rate limits kept on the client's side.

    with Client() as client:                      # key: INKSLOP_API_KEY or `inkslop auth login`
        task = client.create_video(VideoRequest(script=script))
        status = client.get_video(task.task_id)

What is retried (retries.py): requests safe to repeat (GETs, revoking a key, generating
metadata) on 408, 429, 5xx and connection failures, waiting as the server's Retry-After says
(up to MAX_RETRY_AFTER) or a capped exponential backoff with jitter. The others (creating a
video, publishing one, creating a key) are sent again only when the connection could not
even be opened; once they may have been sent, a lost answer raises OutcomeUnknownError and an
error answer is raised as it is.

Every request on a limited route first takes a slot of the shared RateLimiter (waiting up to
`max_limiter_wait`, else ClientRateLimitError); a 429 holds the route for every process.
The limits are counted per account, as InkSlop counts them (ratelimit.py).

Every answer's `Date` header updates `server_clock_offset()`, the server's clock minus ours:
what a caller needs to compare its own times with the server's `created_at`.

The key is sent only to the base URL's origin and appears in no message, `repr` or raised
error; no raised error keeps a reference to httpx's request (whose headers hold it).
`sleep`, `clock` (Unix seconds) and `random` are injectable for tests; a fake `sleep` should
advance the fake `clock`.
"""

from __future__ import annotations

import random as random_module
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, Self, TypeVar

import httpx
from pydantic import BaseModel, ValidationError

from inkslop.api import endpoints
from inkslop.api.base_url import origin, resolve_base_url
from inkslop.api.constants import (
    CONNECT_TIMEOUT,
    DEFAULT_MAX_RETRIES,
    DEFAULT_PAGE_LIMIT,
    MAX_LIMITER_WAIT,
    MAX_PAGE_LIMIT,
    MAX_RETRY_AFTER,
    POOL_TIMEOUT,
    READ_TIMEOUT,
    WRITE_TIMEOUT,
)
from inkslop.api.credentials import REDACTED, ApiKey, resolve_api_key
from inkslop.api.download import Downloader, Progress
from inkslop.api.endpoints import Endpoint
from inkslop.api.errors import (
    APIStatusError,
    ClientRateLimitError,
    InvalidResponseError,
    OutcomeUnknownError,
)
from inkslop.api.failures import TransportFailure, status_error, transport_failure
from inkslop.api.models import (
    Channel,
    KeyCreate,
    KeyCreated,
    KeyInfo,
    KeyRevoked,
    MetaRequest,
    MetaResult,
    Platform,
    PublishRequest,
    PublishResult,
    TaskCreated,
    VideoRequest,
    VideoStatus,
    VideoSummary,
)
from inkslop.api.ratelimit import RateLimiter, account_scope, default_path
from inkslop.api.retries import backoff_delay, is_retry_status, parse_http_date, retry_delay
from inkslop.version import toolkit_version

Model = TypeVar("Model", bound=BaseModel)
Attempt = tuple[httpx.Response | None, TransportFailure | None]  # one of the two
_MAX_LIMITER_ROUNDS = 20  # slots taken by other processes while this one slept


def default_timeout() -> httpx.Timeout:
    return httpx.Timeout(connect=CONNECT_TIMEOUT, read=READ_TIMEOUT, write=WRITE_TIMEOUT,
                         pool=POOL_TIMEOUT)


class Client:
    """A synchronous client of one InkSlop API (`base_url`) with one key.

    `api_key`: the key (str or ApiKey), else INKSLOP_API_KEY, else the key file.
    `base_url`: else INKSLOP_API_BASE, else the documented URL.
    `timeout`: seconds for each of connect/read/write/pool, or an httpx.Timeout.
    `rate_limiter`: True for the machine's shared limiter (in the user's state directory),
    counting for `account` on this base URL (None: the one account of every key of the base
    URL, as InkSlop counts per user across keys); False for none; or a RateLimiter.
    `transport`: an httpx transport, such as the sandbox's in-process one (tests).
    """

    def __init__(self, api_key: str | ApiKey | None = None, base_url: str | None = None, *,
                 timeout: float | httpx.Timeout | None = None,
                 max_retries: int = DEFAULT_MAX_RETRIES,
                 rate_limiter: RateLimiter | bool = True,
                 transport: httpx.BaseTransport | None = None,
                 sleep: Callable[[float], None] = time.sleep,
                 clock: Callable[[], float] = time.time,
                 random: Callable[[], float] = random_module.random,
                 max_limiter_wait: float = MAX_LIMITER_WAIT,
                 account: str | None = None) -> None:
        self.base_url = resolve_base_url(base_url)
        self.account = account
        self.api_key, self.key_source = resolve_api_key(api_key, self.base_url)
        self.max_retries = max_retries
        self.max_limiter_wait = max_limiter_wait
        self.rate_limiter = self._limiter(rate_limiter, clock)
        self._sleep, self._clock, self._random = sleep, clock, random
        self._timeout = _timeout(timeout)
        self._transport = transport
        self._http = httpx.Client(timeout=self._timeout, transport=transport,
                                  follow_redirects=False, headers={"User-Agent": _user_agent()})
        self._download_http: httpx.Client | None = None
        self._server_offset: float | None = None

    def _limiter(self, given: RateLimiter | bool, clock: Callable[[], float]) -> RateLimiter | None:
        if isinstance(given, RateLimiter):
            return given
        if not given:
            return None
        scope = account_scope(self.base_url, self.account)
        return RateLimiter(default_path(), scope, clock=clock)

    def __repr__(self) -> str:
        return f"Client(base_url={self.base_url!r}, api_key={self.api_key!r})"

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        self._http.close()
        if self._download_http is not None:
            self._download_http.close()

    # ---- keys --------------------------------------------------------------------------

    def create_key(self, name: str) -> KeyCreated:
        """`POST /keys`: a new key, whose secret (`api_key`) is shown this once."""
        body = KeyCreate(name=name).model_dump()
        return self._one(KeyCreated, self._call(endpoints.CREATE_KEY, json=body))

    def list_keys(self) -> list[KeyInfo]:
        """`GET /keys`: the account's keys (never their secrets)."""
        return self._many(KeyInfo, self._call(endpoints.LIST_KEYS))

    def revoke_key(self, key_id: str) -> KeyRevoked:
        """`DELETE /keys/{key_id}`."""
        return self._one(KeyRevoked, self._call(endpoints.REVOKE_KEY, {"key_id": key_id}))

    # ---- channels ----------------------------------------------------------------------

    def list_channels(self) -> list[Channel]:
        """`GET /channels`: the connected YouTube and TikTok channels."""
        return self._many(Channel, self._call(endpoints.LIST_CHANNELS))

    # ---- videos ------------------------------------------------------------------------

    def create_video(self, request: VideoRequest | dict[str, Any]) -> TaskCreated:
        """`POST /videos`: spends credits. Never retried once it may have been sent: a lost
        answer (or one that cannot be read) raises OutcomeUnknownError."""
        request = request if isinstance(request, VideoRequest) \
            else VideoRequest.model_validate(request)
        body = request.model_dump(mode="json", exclude_none=True)
        try:
            return self._one(TaskCreated, self._call(endpoints.CREATE_VIDEO, json=body))
        except InvalidResponseError as error:
            message = f"POST /videos was accepted, but its answer cannot be read ({error})"
        raise OutcomeUnknownError(message + ": look for the video with `inkslop videos list`")

    def get_video(self, task_id: str) -> VideoStatus:
        """`GET /videos/{task_id}`: status, progress and, once done, the URLs."""
        return self._one(VideoStatus, self._call(endpoints.GET_VIDEO, {"task_id": task_id}))

    def list_videos(self, limit: int = DEFAULT_PAGE_LIMIT, offset: int = 0) -> list[VideoSummary]:
        """`GET /videos`: one page, `limit` (1 to 100) videos from `offset`."""
        if not 1 <= limit <= MAX_PAGE_LIMIT:
            raise ValueError(f"limit must be between 1 and {MAX_PAGE_LIMIT}, not {limit}")
        if offset < 0:
            raise ValueError(f"offset must not be negative, not {offset}")
        query = {"limit": limit, "offset": offset}
        return self._many(VideoSummary, self._call(endpoints.LIST_VIDEOS, query=query))

    def iter_videos(self, page_size: int = MAX_PAGE_LIMIT) -> Iterator[VideoSummary]:
        """Every video, page after page, until a page comes back short. A video that moves
        to the next page while paging (a new one was created) is yielded once."""
        seen: set[str] = set()
        offset = 0
        while True:
            page = self.list_videos(limit=page_size, offset=offset)
            for video in page:
                if video.task_id not in seen:
                    seen.add(video.task_id)
                    yield video
            if len(page) < page_size:
                return
            offset += len(page)

    def publish_video(self, task_id: str,
                      request: PublishRequest | dict[str, Any]) -> PublishResult:
        """`POST /videos/{task_id}/publish`: the video must be done (else ConflictError). Not
        retried once it may have been sent (a second upload): a lost answer is
        OutcomeUnknownError."""
        request = request if isinstance(request, PublishRequest) \
            else PublishRequest.model_validate(request)
        body = request.model_dump(mode="json", exclude_none=True)
        return self._one(PublishResult, self._call(endpoints.PUBLISH_VIDEO, {"task_id": task_id},
                                                   json=body))

    # ---- metadata ----------------------------------------------------------------------

    def generate_meta(self, script: str, platform: Platform = "youtube") -> MetaResult:
        """`POST /meta/generate`: a title, description and tags for `script`."""
        body = MetaRequest(script=script, platform=platform).model_dump()
        return self._one(MetaResult, self._call(endpoints.GENERATE_META, json=body))

    # ---- files -------------------------------------------------------------------------

    def download(self, url: str, path: str | Path, progress: Progress | None = None) -> Path:
        """Download `url` (a video's `download_url`) to `path`: see download.py. The key is
        sent only when `url` is on the API's own origin (and httpx drops it on a redirect to
        another); `progress(bytes_so_far, total_or_None)` is called as bytes arrive."""
        url = str(httpx.URL(self.base_url + "/").join(url))
        headers = self._auth() if origin(url) == origin(self.base_url) else {}
        downloader = Downloader(http=self._downloads(), scrub=self._scrub, sleep=self._sleep,
                                clock=self._clock, random=self._random,
                                max_retries=self.max_retries)
        return downloader.fetch(url, Path(path), headers, progress)

    def _downloads(self) -> httpx.Client:
        """The connection pool for files: it follows redirects (to storage); its read
        timeout is between two chunks, not for the whole file."""
        if self._download_http is None:
            self._download_http = httpx.Client(timeout=self._timeout, transport=self._transport,
                                               follow_redirects=True,
                                               headers={"User-Agent": _user_agent()})
        return self._download_http

    # ---- one request ---------------------------------------------------------------------

    def _call(self, endpoint: Endpoint, params: dict[str, str] | None = None, *,
              json: Any = None, query: dict[str, Any] | None = None) -> Any:
        """Send one API request (with its retries) and return its JSON body."""
        path, route = endpoint.path(**(params or {})), endpoint.name
        attempt = 0
        while True:
            self._take_slot(route)
            response, failure = self._send(endpoint.method, path, route, json, query)
            if response is not None and response.is_success:
                return self._json(response, route)
            if response is not None:
                error = status_error(response, self._scrub, self._clock())
                self._hold_if_limited(route, error)
                if not (endpoint.repeatable and self._may_retry(error, attempt)):
                    raise error
                delay = retry_delay(attempt, error.retry_after, self._random)
            else:
                assert failure is not None
                if failure.sent and not endpoint.repeatable:
                    raise OutcomeUnknownError(f"{failure.message}, after the request was sent: "
                                              "it may have been carried out; check before "
                                              "sending it again")
                if not failure.transient or attempt >= self.max_retries:
                    raise failure.error()
                delay = backoff_delay(attempt, self._random)
            self._sleep(delay)
            attempt += 1

    def _send(self, method: str, path: str, route: str, json: Any,
              query: dict[str, Any] | None) -> Attempt:
        """One attempt: the response (body read), or what went wrong, never both."""
        sent_at = self._clock()
        try:
            response = self._http.request(method, self.base_url + path, json=json, params=query,
                                          headers={**self._auth(), "Accept": "application/json"})
        except httpx.TransportError as error:
            return None, transport_failure(error, route, self._scrub)
        self._note_server_clock(response, (sent_at + self._clock()) / 2)
        return response, None

    def _note_server_clock(self, response: httpx.Response, local: float) -> None:
        """Keep the offset of the server's clock (its `Date` header) from ours, measured at
        the middle of the exchange. A Date has whole seconds: the offset is good to ±1 s."""
        server = parse_http_date(response.headers.get("date", ""))
        if server is not None:
            self._server_offset = server - local

    def server_clock_offset(self) -> float | None:
        """Seconds the server's clock is ahead of this client's `clock` (negative: behind),
        from the `Date` header of the latest answer that had one; None before any. To within
        about a second: a Date has whole seconds."""
        return self._server_offset

    def _may_retry(self, error: APIStatusError, attempt: int) -> bool:
        too_long = error.retry_after is not None and error.retry_after > MAX_RETRY_AFTER
        return is_retry_status(error.status_code) and attempt < self.max_retries and not too_long

    def _take_slot(self, route: str) -> None:
        """Wait for a slot of the rate limiter, or raise ClientRateLimitError when it is far."""
        if self.rate_limiter is None:
            return
        for _ in range(_MAX_LIMITER_ROUNDS):
            wait = self.rate_limiter.acquire(route)
            if wait <= 0:
                return
            if wait > self.max_limiter_wait:
                raise ClientRateLimitError(route, wait)
            self._sleep(wait)
        raise ClientRateLimitError(route, self.rate_limiter.next_slot(route))

    def _hold_if_limited(self, route: str, error: APIStatusError) -> None:
        if error.status_code == 429 and error.retry_after and self.rate_limiter is not None:
            self.rate_limiter.hold(route, error.retry_after)

    def _json(self, response: httpx.Response, route: str) -> Any:
        try:
            return response.json()
        except ValueError:
            raise InvalidResponseError(f"{route}: the answer is not JSON") from None

    def _one(self, model: type[Model], data: Any) -> Model:
        try:
            return model.model_validate(data)
        except ValidationError as error:
            problem = error.errors()[0]
            where = ".".join(map(str, problem["loc"])) or "the body"
            message = f"unexpected answer: {where}: {problem['msg']}"
        raise InvalidResponseError(message)

    def _many(self, model: type[Model], data: Any) -> list[Model]:
        if not isinstance(data, list):
            raise InvalidResponseError(f"unexpected answer: a list was expected, not "
                                  f"{type(data).__name__}")
        return [self._one(model, item) for item in data]

    def _auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.api_key.reveal()}"}

    def _scrub(self, text: str) -> str:
        return text.replace(self.api_key.reveal(), REDACTED)


def _timeout(given: float | httpx.Timeout | None) -> httpx.Timeout:
    if given is None:
        return default_timeout()
    return given if isinstance(given, httpx.Timeout) else httpx.Timeout(given)


def _user_agent() -> str:
    return f"inkslop/{toolkit_version()}"
