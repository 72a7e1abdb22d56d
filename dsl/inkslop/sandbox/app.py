"""The sandbox's API, independent of HTTP: `SandboxApp.handle(Request) -> Response`.

The API routes are the endpoints table of the client (inkslop.api.endpoints): each
endpoint is served by the method named as its `operation`.

One lock guards the whole state, and the bookkeeping of every request runs under it. What
may take long runs outside it: parsing a body and checking its script (a 30 MB script takes
seconds), and the injected latency (slept by the server). Time is the injected clock plus
what the admin routes advanced it by; it drives the video life cycle and the rate limits,
so a test moves time forward instead of sleeping. Every answer carries it as its `Date`.

Order of a request. Before its body is read (`admit`): the route (404, 405), for admin
routes (`/_sandbox/`) the origin (403) and the content type (415), the body's size (413),
the API key (401). Then, outside the lock, the body is parsed and its script checked. Then,
under the lock: the injected 429/502 faults (API and file routes only), videos whose time
has come are settled, the key again (its `last_used_at`), the rate limit (429), the handler.
"""

from __future__ import annotations

import json
import math
import re
import secrets
import threading
import uuid
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from email.utils import formatdate
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from inkslop.api.endpoints import ENDPOINTS, match_path
from inkslop.api.models import (
    Channel,
    KeyCreate,
    KeyCreated,
    KeyInfo,
    KeyRevoked,
    MetaRequest,
    MetaResult,
    PublishRequest,
    PublishResult,
    TaskCreated,
    VideoRequest,
    VideoStatus,
    VideoSummary,
)
from inkslop.estimate.estimator import CREDITS_PER_SECOND
from inkslop.sandbox import media
from inkslop.sandbox.faults import Faults
from inkslop.sandbox.limits import AccountQuota
from inkslop.sandbox.meta import generate_meta
from inkslop.sandbox.received import Received, ReceivedLog, body_json
from inkslop.sandbox.scripts import ScriptReport, examine_script, problems_detail
from inkslop.sandbox.state import (
    MAX_CLOCK_JUMP,
    MAX_CLOCK_OFFSET,
    MAX_CREDITS,
    KeyRecord,
    PublishJob,
    State,
    VideoRecord,
    key_hash,
    load,
    save,
    state_problem,
)

BASE_PATH = "/api/v1"
KEY_PREFIX = "isk_"
PENDING_SHARE = 0.1  # the first tenth of the render time, a video is still queued
ERROR_PROGRESS = 50  # an injected render error strikes halfway through
DEFAULT_MAX_BODY = 64 * 1024 * 1024  # bytes: far above any script, far below harm
JSON_TYPE = "application/json"

CHANNELS = [
    {"id": 3, "platform": "youtube", "account_name": "Sandbox Channel",
     "channel_id": "UCsandbox0000000000000000", "is_oauth": True},
    {"id": 7, "platform": "tiktok", "account_name": "@sandbox", "channel_id": "sandbox_tiktok",
     "is_oauth": True},
]


@dataclass
class Request:
    method: str
    target: str  # the path and query, as sent
    headers: Mapping[str, str] = field(default_factory=dict)  # looked up case-insensitively
    body: bytes = b""
    head: bool = False  # a HEAD request, served as GET without its body


@dataclass
class Response:
    status: int
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds to wait before answering (injected latency)
    drop: bool = False  # close the connection without answering (drop after commit)
    cut: bool = False  # send the headers and half the body, then close (cut download)


class RefusedError(Exception):
    """Stops a handler with an error response."""

    def __init__(self, response: Response) -> None:
        super().__init__(response.status)
        self.response = response


def json_response(status: int, data: Any, headers: dict[str, str] | None = None) -> Response:
    body = json.dumps(data, ensure_ascii=False).encode("utf-8")
    return Response(status, body, {"Content-Type": "application/json", **(headers or {})})


def error_response(status: int, detail: str, headers: dict[str, str] | None = None) -> Response:
    """Every error, as InkSlop documents it: `{"detail": "..."}`."""
    return json_response(status, {"detail": detail}, headers)


def refuse(status: int, detail: str, headers: dict[str, str] | None = None) -> RefusedError:
    return RefusedError(error_response(status, detail, headers))


def iso(seconds: float) -> str:
    return datetime.fromtimestamp(seconds, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True)
class Route:
    method: str
    template: str  # as the documentation writes it, without the base path
    handler: str
    auth: bool = True

    @property
    def name(self) -> str:
        return f"{self.method} {self.template}"

    def match(self, path: str) -> dict[str, str] | None:
        return match_path(self.template, path)


API_ROUTES = [Route(e.method, e.template, e.operation) for e in ENDPOINTS]
# Outside the base path, as InkSlop's own file URLs are (https://inkslop.com/files/...).
FILE_ROUTES = [
    Route("GET", "/files/{file_id}", "video_page", auth=False),
    Route("GET", "/files/{file_id}/download", "download", auth=False),
]
ADMIN_ROUTES = [
    Route("GET", "/_sandbox/state", "admin_state", auth=False),
    Route("GET", "/_sandbox/videos", "admin_videos", auth=False),
    Route("GET", "/_sandbox/requests", "admin_requests", auth=False),
    Route("POST", "/_sandbox/faults", "admin_set_faults", auth=False),
    Route("DELETE", "/_sandbox/faults", "admin_reset_faults", auth=False),
    Route("POST", "/_sandbox/clock", "admin_clock", auth=False),
    Route("POST", "/_sandbox/credits", "admin_credits", auth=False),
]
ROUTE_NAMES = frozenset(r.name for r in API_ROUTES + FILE_ROUTES)


class ClockAdvance(BaseModel):
    """Body of POST /_sandbox/clock (sandbox-only): a number of seconds, not a string."""

    model_config = ConfigDict(extra="forbid")
    advance: float = Field(ge=0, le=MAX_CLOCK_JUMP, strict=True, allow_inf_nan=False)


class CreditsSet(BaseModel):
    """Body of POST /_sandbox/credits (sandbox-only)."""

    model_config = ConfigDict(extra="forbid")
    credits: float = Field(ge=0, le=MAX_CREDITS, strict=True, allow_inf_nan=False)


@dataclass
class Call:
    """What a handler gets: the path's parameters, the query, the body, the headers."""

    params: dict[str, str]
    query: dict[str, list[str]]
    body: bytes
    headers: Mapping[str, str]
    head: bool = False
    prepared: Any = None  # what was worked out outside the lock (a RefusedError to raise)

    def take_prepared(self) -> Any:
        if isinstance(self.prepared, RefusedError):
            raise self.prepared
        return self.prepared


class SandboxApp:
    """The emulated InkSlop account: one user, its keys, videos, publish jobs and credits."""

    def __init__(self, *, credits: float = 100.0, render_seconds: float = 30.0,
                 state_file: str | Path | None = None, faults: Faults | None = None,
                 clock: Callable[[], float], max_body: int = DEFAULT_MAX_BODY) -> None:
        self.lock = threading.RLock()
        self.clock = clock
        self.render_seconds = _finite(render_seconds, "render_seconds")
        self.max_body = max_body
        self.state_file = Path(state_file) if state_file is not None else None
        loaded = load(self.state_file) if self.state_file else None
        self.state = loaded or State(credits=_finite(credits, "credits"))
        problem = state_problem(self.state)
        if problem:
            raise ValueError(problem)
        self.faults = faults.model_copy() if faults else Faults()
        self.quota = AccountQuota()
        self.received = ReceivedLog()
        self.origin = "http://127.0.0.1"  # set to http://127.0.0.1:PORT when served
        self._save()

    # ---- the clock, the state file, keys --------------------------------------------------

    def now(self) -> float:
        return self.clock() + self.state.clock_offset

    def http_date(self) -> str:
        """The sandbox's time as an HTTP `Date` (RFC 7231)."""
        return formatdate(self.now(), usegmt=True)

    def advance(self, seconds: float) -> float:
        """Move the sandbox's time forward (for rendering and rate limits); the new time.
        ValueError for a jump that is not a number from 0 to 10 years, or that would take
        the sandbox more than 100 years ahead in all."""
        if not (isinstance(seconds, int | float) and math.isfinite(seconds)
                and 0 <= seconds <= MAX_CLOCK_JUMP):
            raise ValueError(f"advance: a number of seconds from 0 to {MAX_CLOCK_JUMP:g} "
                             "(10 years) is expected")
        with self.lock:
            if self.state.clock_offset + seconds > MAX_CLOCK_OFFSET:
                raise ValueError(f"advance: the sandbox's clock would be more than "
                                 f"{MAX_CLOCK_OFFSET:g} seconds (100 years) ahead")
            self.state.clock_offset += seconds
            self._save()
            return self.now()

    def _save(self) -> None:
        if self.state_file is not None:
            save(self.state, self.state_file)

    def register_key(self, api_key: str | None, name: str = "sandbox") -> str:
        """Register `api_key` (made when None) and return it; a key already known is kept."""
        api_key = api_key or _new_key()
        if not api_key.startswith(KEY_PREFIX) or len(api_key) <= len(KEY_PREFIX):
            raise ValueError(f"an InkSlop API key starts with {KEY_PREFIX!r}")
        with self.lock:
            if self._key_record(api_key) is None:
                self._add_key(api_key, name)
        return api_key

    def _add_key(self, api_key: str, name: str) -> KeyRecord:
        record = KeyRecord(key_id=secrets.token_hex(6), name=name, hash=key_hash(api_key),
                           created_at=iso(self.now()))
        self.state.keys.append(record)
        self._save()
        return record

    def _key_record(self, api_key: str) -> KeyRecord | None:
        digest = key_hash(api_key)
        return next((k for k in self.state.keys if secrets.compare_digest(k.hash, digest)), None)

    # ---- dispatch ---------------------------------------------------------------------------

    def admit(self, method: str, target: str, headers: Mapping[str, str],
              length: int) -> Response | None:
        """What can be answered before reading a body of `length` bytes: an unknown route,
        a forbidden admin request, a body too large, a missing or bad key. None: read it."""
        found = self._route("GET" if method == "HEAD" else method, target)
        if isinstance(found, Response):
            return found
        route, _, _, admin = found
        try:
            self._admission(route, admin, headers, length)
        except RefusedError as refusal:
            self._note(route, headers, refusal.response, size=length)
            return refusal.response
        return None

    def handle(self, request: Request) -> Response:
        """Answer one request (never raises for a client's mistake)."""
        found = self._route("GET" if request.head else request.method, request.target)
        if isinstance(found, Response):
            return found
        route, params, query, admin = found
        call = Call(params, query, request.body, request.headers, request.head)
        response = self._answer(route, call, admin)
        self._note(route, request.headers, response, size=len(request.body),
                   body=request.body)
        return response

    def _answer(self, route: Route, call: Call, admin: bool) -> Response:
        try:
            self._admission(route, admin, call.headers, len(call.body))
            call.prepared = self._prepare(route, call.body)
        except RefusedError as refusal:
            return refusal.response
        except Exception as error:  # noqa: BLE001 - a sandbox bug must still answer
            return error_response(500, f"Internal sandbox error ({type(error).__name__})")
        with self.lock:
            try:
                response = self._serve(route, call, admin)
            except RefusedError as refusal:
                response = refusal.response
            except Exception as error:  # noqa: BLE001 - a sandbox bug must still answer
                response = error_response(500, f"Internal sandbox error ({type(error).__name__})")
            if not admin:
                response.delay = self.faults.latency
        return response

    def _route(self, method: str, target: str) -> tuple[Route, dict[str, str],
                                                       dict[str, list[str]], bool] | Response:
        """The route of a request, its parameters, its query, whether it is an admin route;
        or the 404 or 405 answer."""
        parts = urlsplit(target)
        path, query = parts.path, parse_qs(parts.query)
        admin = path.startswith("/_sandbox/")
        if admin:
            routes, relative = ADMIN_ROUTES, path
        elif path.startswith(BASE_PATH + "/"):
            routes, relative = API_ROUTES, path[len(BASE_PATH):]
        else:
            routes, relative = FILE_ROUTES, path
        route, params, allowed = _match(routes, method, relative)
        if route is not None:
            return route, params, query, admin
        if allowed:
            return error_response(405, "Method Not Allowed", {"Allow": ", ".join(allowed)})
        return error_response(404, "Not Found")

    def _admission(self, route: Route, admin: bool, headers: Mapping[str, str],
                   length: int) -> None:
        """Refuse what needs no body to refuse (raises RefusedError)."""
        if admin:
            self._admin_request(route, headers, length)
        if length > self.max_body:
            raise refuse(413, f"Request body too large: {length} bytes, at most "
                         f"{self.max_body}", {"Connection": "close"})
        if route.auth:
            with self.lock:
                self._key_of(headers)

    def _admin_request(self, route: Route, headers: Mapping[str, str], length: int) -> None:
        """Only this sandbox's own pages or programs drive it: a request from a web page of
        another origin is refused, and a body must be JSON (which a page cannot send to
        another origin without asking first)."""
        origin = headers.get("Origin")
        if origin is not None and origin.rstrip("/") not in self._own_origins():
            raise refuse(403, f"Cross-origin request refused: {origin} is not the sandbox")
        kind = (headers.get("Content-Type") or "").partition(";")[0].strip().lower()
        if (length or route.method == "POST") and kind != JSON_TYPE:
            raise refuse(415, f"Send the body as {JSON_TYPE}", {"Accept": JSON_TYPE})

    def _own_origins(self) -> set[str]:
        return {self.origin, self.origin.replace("//127.0.0.1", "//localhost", 1)}

    def _prepare(self, route: Route, body: bytes) -> Any:
        """The work on a body that needs no state, done outside the lock: the parsed
        request, and for a video the check of its script. A refusal is kept, to be raised
        in turn (after the faults and the rate limit, as if the handler found it)."""
        preparing = {"create_video": _prepare_video, "generate_meta": _prepare_meta}
        if route.handler not in preparing:
            return None
        try:
            return preparing[route.handler](body)
        except RefusedError as refusal:
            return refusal

    def _serve(self, route: Route, call: Call, admin: bool) -> Response:
        if not admin:
            self._injected_failure(route)
        self.settle()
        if route.auth:
            self._authenticate(call.headers)
            refusal = self.quota.hit(route.name, self.now())
            if refusal:
                detail, wait = refusal
                raise refuse(429, detail, {"Retry-After": str(wait)})
        return getattr(self, route.handler)(call)

    def _injected_failure(self, route: Route) -> None:
        if self.faults.take("fail_429", route.name):
            raise refuse(429, "Rate limit exceeded (sandbox fault)",
                         {"Retry-After": str(self.faults.retry_after)})
        if self.faults.take("fail_502", route.name):
            raise refuse(502, "External service unavailable (sandbox fault)")

    def _authenticate(self, headers: Mapping[str, str]) -> KeyRecord:
        """The key of the request, its use noted, or 401."""
        record = self._key_of(headers)
        used = iso(self.now())
        if record.last_used_at != used:
            record.last_used_at = used
            self._save()
        return record

    def _key_of(self, headers: Mapping[str, str]) -> KeyRecord:
        """The key of the request, or 401. The header is read, never logged or echoed."""
        challenge = {"WWW-Authenticate": "Bearer"}
        api_key = _bearer(headers)
        if api_key is None:
            raise refuse(401, "Not authenticated: send the header Authorization: Bearer "
                         "isk_...", challenge)
        record = self._key_record(api_key)
        if record is None:
            raise refuse(401, "Invalid API key", challenge)
        if record.revoked:
            raise refuse(401, "API key has been revoked", challenge)
        return record

    # ---- the video life cycle ---------------------------------------------------------------

    def settle(self) -> None:
        """Finish every video whose render time is over: charge it, or fail it."""
        now = self.now()
        finished = [v for v in self.state.videos
                    if v.outcome is None and now >= _finish_time(v)]
        for video in finished:
            self._finish(video)
        if finished:
            self._save()

    def _finish(self, video: VideoRecord) -> None:
        video.reserved = 0.0
        if video.fails:
            video.outcome = "error"
            video.message = "Rendering failed (sandbox fault: render_errors)."
            return
        video.outcome = "done"
        video.message = "Generation complete."
        video.duration_seconds = round(video.seconds, 1)
        video.credits_used = round(video.duration_seconds * CREDITS_PER_SECOND, 2)
        self.state.credits = max(0.0, round(self.state.credits - video.credits_used, 6))
        video.user_file_id = self.state.next_user_file_id
        self.state.next_user_file_id += 1
        video.file_id = secrets.token_hex(8)
        if video.publish:
            self._enqueue_publish(video, video.publish)

    def _status(self, video: VideoRecord) -> tuple[str, int, str]:
        """(status, progress, message) of a video now."""
        if video.outcome == "done":
            return "done", 100, video.message or ""
        if video.outcome == "error":
            return "error", ERROR_PROGRESS, video.message or ""
        elapsed = self.now() - video.created_at
        if elapsed < PENDING_SHARE * video.render_seconds:
            return "pending", 0, "Queued, not started yet."
        progress = min(99, max(1, int(100 * elapsed / max(video.render_seconds, 1e-9))))
        return "processing", progress, "Rendering (sandbox: nothing is rendered)."

    def available(self) -> float:
        """Credits not held by a video still rendering."""
        held = sum(v.reserved for v in self.state.videos if v.outcome is None)
        return self.state.credits - held

    def _video(self, task_id: str) -> VideoRecord:
        video = next((v for v in self.state.videos if v.task_id == task_id), None)
        if video is None:
            raise refuse(404, "Video not found.")
        return video

    def _channel(self, channel_id: int) -> dict[str, Any]:
        channel = next((c for c in CHANNELS if c["id"] == channel_id), None)
        if channel is None:
            raise refuse(404, f"Channel {channel_id} not found.")
        return channel

    def _enqueue_publish(self, video: VideoRecord, settings: dict[str, Any]) -> PublishJob:
        channel = self._channel(settings["channel_id"])
        job = PublishJob(job_id=self.state.next_job_id, task_id=video.task_id,
                         channel_id=channel["id"], platform=channel["platform"],
                         status="pending", settings=settings)
        self.state.next_job_id += 1
        self.state.publish_jobs.append(job)
        video.publish_job_ids.append(job.job_id)
        return job

    def _file_urls(self, video: VideoRecord) -> tuple[str | None, str | None]:
        if video.file_id is None:
            return None, None
        page = f"{self.origin}/files/{video.file_id}"
        return page, page + "/download"

    def _video_status(self, video: VideoRecord) -> dict[str, Any]:
        status, progress, message = self._status(video)
        video_url, download_url = self._file_urls(video)
        data = VideoStatus(
            task_id=video.task_id, status=status, progress=progress, message=message,
            video_url=video_url, download_url=download_url, credits_used=video.credits_used,
            duration_seconds=video.duration_seconds, user_file_id=video.user_file_id,
        ).model_dump(mode="json")
        data["progress"] = progress  # a whole number, as documented (the model holds a float)
        return data

    def _summary(self, video: VideoRecord) -> dict[str, Any]:
        status, progress, _ = self._status(video)
        return VideoSummary(
            task_id=video.task_id, status=status, video_name=video.video_name,
            created_at=iso(video.created_at), progress=progress, resolution=video.resolution,
            credits_used=video.credits_used, duration_seconds=video.duration_seconds,
        ).model_dump(mode="json")

    # ---- API handlers -----------------------------------------------------------------------

    def create_key(self, call: Call) -> Response:
        request = _parse(KeyCreate, call.body)
        api_key = _new_key()
        record = self._add_key(api_key, request.name)
        return json_response(200, KeyCreated(key_id=record.key_id, name=record.name,
                                             api_key=api_key, created_at=record.created_at)
                             .model_dump(mode="json"))

    def list_keys(self, call: Call) -> Response:
        return json_response(200, [_key_info(k) for k in self.state.keys])

    def revoke_key(self, call: Call) -> Response:
        key_id = call.params["key_id"]
        record = next((k for k in self.state.keys if k.key_id == key_id), None)
        if record is None:
            raise refuse(404, "API key not found.")
        record.revoked = True
        self._save()
        return json_response(200, KeyRevoked(revoked=True, key_id=key_id).model_dump())

    def list_channels(self, call: Call) -> Response:
        return json_response(200, [Channel(**c).model_dump() for c in CHANNELS])

    def create_video(self, call: Call) -> Response:
        request, report = call.take_prepared()
        if report.problems:
            raise refuse(400, problems_detail(report.problems))
        if request.publish is not None:
            self._channel(request.publish.channel_id)
        required = round(request.estimated_duration * CREDITS_PER_SECOND, 2)
        balance = max(0.0, round(self.available(), 2))
        if required > balance:
            raise refuse(402, f"Insufficient credits. Balance: {balance}, required: {required}")
        video = self._new_video(request, report, required)
        response = json_response(200, TaskCreated(task_id=video.task_id, status="pending")
                                 .model_dump())
        response.drop = self.faults.take("drop_after_commit")
        return response

    def _new_video(self, request: VideoRequest, report: ScriptReport,
                   reserved: float) -> VideoRecord:
        publish = request.publish.model_dump(exclude_none=True) if request.publish else None
        video = VideoRecord(
            task_id=str(uuid.uuid4()), seq=self.state.next_seq, script=request.script,
            video_name=request.video_name, resolution=request.resolution,
            estimated_duration=request.estimated_duration,
            notify_on_complete=request.notify_on_complete, publish=publish,
            created_at=self.now(), render_seconds=self.render_seconds,
            seconds=report.seconds, reserved=reserved,
            fails=self.faults.take("render_errors"))
        self.state.next_seq += 1
        self.state.videos.append(video)
        self._save()
        return video

    def list_videos(self, call: Call) -> Response:
        limit = _int_query(call.query, "limit", 20, 1, 100)
        offset = _int_query(call.query, "offset", 0, 0, None)
        newest = sorted(self.state.videos, key=lambda v: v.seq, reverse=True)
        return json_response(200, [self._summary(v) for v in newest[offset:offset + limit]])

    def get_video(self, call: Call) -> Response:
        return json_response(200, self._video_status(self._video(call.params["task_id"])))

    def publish_video(self, call: Call) -> Response:
        request = _parse(PublishRequest, call.body)
        video = self._video(call.params["task_id"])
        self._channel(request.channel_id)
        status, _, _ = self._status(video)
        if status != "done":
            raise refuse(409, f"Video is not done yet (status: {status}).")
        job = self._enqueue_publish(video, request.model_dump(exclude_none=True))
        self._save()
        return json_response(200, PublishResult(platform=job.platform, job_id=job.job_id,
                                                status=job.status).model_dump())

    def generate_meta(self, call: Call) -> Response:
        return json_response(200, call.take_prepared())

    # ---- files ------------------------------------------------------------------------------

    def _video_by_file(self, file_id: str) -> VideoRecord:
        video = next((v for v in self.state.videos if v.file_id == file_id), None)
        if video is None:
            raise refuse(404, "File not found.")
        return video

    def video_page(self, call: Call) -> Response:
        video = self._video_by_file(call.params["file_id"])
        name = _html_escape(video.video_name or video.task_id)
        html = (f"<!doctype html><title>{name}</title><p>InkSlop sandbox: the video "
                f"&ldquo;{name}&rdquo; was not rendered (the sandbox renders no video). "
                f'<a href="/files/{video.file_id}/download">Download the placeholder</a>.')
        return Response(200, html.encode("utf-8"), {"Content-Type": "text/html; charset=utf-8"})

    def download(self, call: Call) -> Response:
        """The fake MP4, whole or one byte range (206), with an ETag for If-Range."""
        video = self._video_by_file(call.params["file_id"])
        data = media.fake_mp4(video.file_id)
        etag = f'"{video.file_id}"'
        headers = {"Content-Type": "video/mp4", "Accept-Ranges": "bytes", "ETag": etag,
                   "Content-Disposition": f'attachment; filename="{_file_name(video)}"'}
        wanted = call.headers.get("Range")
        if_range = call.headers.get("If-Range")
        if if_range is not None and if_range.strip() != etag:
            wanted = None  # the file changed since the client's copy: send all of it
        try:
            span = media.byte_range(wanted, len(data))
        except media.UnsatisfiableRangeError:
            raise refuse(416, "Range Not Satisfiable",
                         {"Content-Range": f"bytes */{len(data)}"}) from None
        status = 200
        if span is not None:
            first, last = span
            data = data[first:last + 1]
            headers["Content-Range"] = f"bytes {first}-{last}/{len(media.fake_mp4(video.file_id))}"
            status = 206
        cut = not call.head and self.faults.take("cut_downloads")
        return Response(status, data, headers, cut=cut)

    # ---- admin (sandbox-only) ---------------------------------------------------------------

    def snapshot(self) -> dict[str, Any]:
        """Everything a test may want to look at: credits, keys, videos, jobs, faults, time."""
        with self.lock:
            self.settle()
            videos = []
            for video in sorted(self.state.videos, key=lambda v: v.seq, reverse=True):
                status, progress, message = self._status(video)
                videos.append({**asdict(video), "status": status, "progress": progress,
                               "message": message})
            return {
                "sandbox": True, "renders_video": False, "now": self.now(),
                "credits": round(self.state.credits, 6),
                "reserved": round(self.state.credits - self.available(), 6),
                "available": round(self.available(), 6),
                "render_seconds": self.render_seconds,
                "faults": self.faults.model_dump(),
                "keys": [_key_info(k) for k in self.state.keys],
                "videos": videos,
                "publish_jobs": [asdict(j) for j in self.state.publish_jobs],
            }

    def set_faults(self, changes: dict[str, Any]) -> Faults:
        """Change some faults (the others stay); raises ValueError on a bad value or route."""
        for name in ("fail_429_route", "fail_502_route"):
            route = changes.get(name)
            if route is not None and route not in ROUTE_NAMES:
                raise ValueError(f"{name}: unknown route {route!r}; routes: "
                                 + ", ".join(sorted(ROUTE_NAMES)))
        with self.lock:
            try:
                self.faults = self.faults.changed(changes)
            except ValidationError as error:
                raise ValueError(_validation_detail(error)) from None
            return self.faults

    def created_videos(self) -> list[dict[str, Any]]:
        """Every POST /videos the sandbox accepted, oldest first: its task id, name, script
        and creation time (Unix seconds and ISO), so that a test can count duplicates."""
        with self.lock:
            return [{"task_id": v.task_id, "video_name": v.video_name, "script": v.script,
                     "created_at": iso(v.created_at), "created_at_seconds": v.created_at}
                    for v in sorted(self.state.videos, key=lambda v: v.seq)]

    def _note(self, route: Route, headers: Mapping[str, str], response: Response, *,
              size: int, body: bytes = b"") -> None:
        """Keep a request to an API route in the log of what was received (`size`: the
        body's length, announced when the body was refused unread)."""
        if route not in API_ROUTES:
            return
        api_key = _bearer(headers)
        with self.lock:
            record = self._key_record(api_key) if api_key else None
            now = self.now()
        self.received.add(Received(
            route=route.name, key_id=record.key_id if record else None,
            key_name=record.name if record else None, size=size, body=body_json(body),
            status=response.status, dropped=response.drop, at=now))

    def admin_requests(self, call: Call) -> Response:
        route = call.query.get("route", [None])[0]
        return json_response(200, self.received.entries(route))

    def admin_state(self, call: Call) -> Response:
        return json_response(200, self.snapshot())

    def admin_videos(self, call: Call) -> Response:
        return json_response(200, self.created_videos())

    def admin_set_faults(self, call: Call) -> Response:
        changes = _json_object(call.body)
        try:
            faults = self.set_faults(changes)
        except ValueError as error:
            raise refuse(400, str(error)) from None
        return json_response(200, faults.model_dump())

    def admin_reset_faults(self, call: Call) -> Response:
        self.faults = Faults()
        return json_response(200, self.faults.model_dump())

    def admin_clock(self, call: Call) -> Response:
        request = _parse(ClockAdvance, call.body)
        try:
            now = self.advance(request.advance)
        except ValueError as error:
            raise refuse(400, f"Invalid request body: {error}") from None
        self.settle()
        return json_response(200, {"now": now})

    def admin_credits(self, call: Call) -> Response:
        request = _parse(CreditsSet, call.body)
        self.state.credits = request.credits
        self._save()
        return json_response(200, {"credits": self.state.credits,
                                   "available": round(self.available(), 6)})


# ---- helpers ------------------------------------------------------------------------------


def _prepare_video(body: bytes) -> tuple[VideoRequest, ScriptReport]:
    request = _parse(VideoRequest, body)
    return request, examine_script(request.script)


def _prepare_meta(body: bytes) -> dict[str, Any]:
    request = _parse(MetaRequest, body)
    if not request.script.strip():
        raise refuse(400, "Invalid request body: script: must not be empty")
    return MetaResult(**generate_meta(request.script, request.platform)).model_dump()


def _finite(value: float, name: str) -> float:
    number = float(value)
    if not math.isfinite(number) or number < 0:
        raise ValueError(f"{name} must be a number of at least 0, not {value}")
    return number


def _bearer(headers: Mapping[str, str]) -> str | None:
    """The key of a `Authorization: Bearer` header, or None."""
    scheme, _, api_key = (headers.get("Authorization") or "").strip().partition(" ")
    if scheme.lower() != "bearer" or not api_key.strip():
        return None
    return api_key.strip()


def _new_key() -> str:
    return KEY_PREFIX + secrets.token_urlsafe(24)


def _finish_time(video: VideoRecord) -> float:
    share = ERROR_PROGRESS / 100 if video.fails else 1.0
    return video.created_at + share * video.render_seconds


def _match(routes: list[Route], method: str,
           path: str) -> tuple[Route | None, dict[str, str], list[str]]:
    """The route for (method, path), its parameters, and the methods the path allows."""
    allowed: list[str] = []
    for route in routes:
        params = route.match(path)
        if params is None:
            continue
        if route.method == method:
            return route, params, []
        allowed.append(route.method)
    return None, {}, allowed


def _parse(model: type[BaseModel], body: bytes) -> Any:
    """The body validated by `model` (JSON mode, as a web framework reads it), or 400."""
    try:
        return model.model_validate_json(body or b"")
    except ValidationError as error:
        raise refuse(400, _validation_detail(error)) from None


def _validation_detail(error: ValidationError) -> str:
    problems = [f"{'.'.join(str(p) for p in e['loc']) or 'body'}: {e['msg']}"
                for e in error.errors(include_url=False)]
    return "Invalid request body: " + "; ".join(problems)


def _json_object(body: bytes) -> dict[str, Any]:
    try:
        data = json.loads(body or b"{}")
    except ValueError:
        raise refuse(400, "Invalid request body: not JSON") from None
    if not isinstance(data, dict):
        raise refuse(400, "Invalid request body: a JSON object is expected")
    return data


def _int_query(query: dict[str, list[str]], name: str, default: int, low: int,
               high: int | None) -> int:
    values = query.get(name)
    if not values:
        return default
    bounds = f"from {low} to {high}" if high is not None else f"of at least {low}"
    try:
        value = int(values[-1])
    except ValueError:
        raise refuse(400, f"{name} must be an integer {bounds}") from None
    if value < low or (high is not None and value > high):
        raise refuse(400, f"{name} must be an integer {bounds}")
    return value


def _key_info(record: KeyRecord) -> dict[str, Any]:
    return KeyInfo(key_id=record.key_id, name=record.name, created_at=record.created_at,
                   last_used_at=record.last_used_at, revoked=record.revoked).model_dump()


def _file_name(video: VideoRecord) -> str:
    stem = re.sub(r"[^A-Za-z0-9._-]+", "-", video.video_name or "")[:80].strip("-.")
    return f"{stem or video.task_id}.mp4"


def _html_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


