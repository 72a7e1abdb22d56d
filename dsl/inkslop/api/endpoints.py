"""InkSlop's endpoints, one entry each: the only place their method and path are written.

Each entry says what the client needs to call it (method, path template), whether sending
it again after it may have arrived is safe (the retry policy), and its documented rate
limits (the limiter on the client's side; the sandbox enforces the same ones). The sandbox
routes by this table too: its handler of an endpoint is the method named `operation`, as is
the client's method that calls it.

Safe to repeat: reads; `DELETE /keys/{key_id}` (revoking twice leaves the key revoked);
`POST /meta/generate` (it spends no credits and creates nothing; a second answer is another
suggestion, and it counts against its limit, which the limiter keeps). Not safe:
`POST /videos` (spends credits), `POST /videos/{task_id}/publish` (a second upload),
`POST /keys` (a second key whose secret nobody sees).

The limits are InkSlop's documented ones, per user across all API keys.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from urllib.parse import quote

MINUTE, HOUR, DAY = 60.0, 3600.0, 86400.0

Limits = tuple[tuple[int, float], ...]  # (requests, window in seconds), every one kept
_PARAMETER = re.compile(r"\{(\w+)\}")


@dataclass(frozen=True)
class Endpoint:
    """One endpoint of the API, relative to its base URL."""

    operation: str  # the client's method and the sandbox's handler
    method: str
    template: str  # as the documentation writes it: "/videos/{task_id}"
    repeatable: bool  # may be sent again once it may have arrived
    limits: Limits = ()

    @property
    def name(self) -> str:
        """"POST /videos": how the documentation, the limiter and the faults name it."""
        return f"{self.method} {self.template}"

    def path(self, **params: str) -> str:
        """The template filled in, each value quoted whole so that an id can never reach
        another endpoint (`../keys` stays one segment)."""
        def segment(found: re.Match[str]) -> str:
            value = str(params[found[1]])
            if not value:
                raise ValueError(f"{found[1]} must not be empty")
            return quote(value, safe="")
        return _PARAMETER.sub(segment, self.template)


def match_path(template: str, path: str) -> dict[str, str] | None:
    """The parameters of `path` when it fits `template` ("/videos/{task_id}": each
    `{name}` one segment), else None."""
    found = _pattern(template).fullmatch(path)
    return found.groupdict() if found else None


@cache
def _pattern(template: str) -> re.Pattern[str]:
    return re.compile(_PARAMETER.sub(r"(?P<\1>[^/]+)", template))


CREATE_KEY = Endpoint("create_key", "POST", "/keys", repeatable=False, limits=((5, MINUTE),))
LIST_KEYS = Endpoint("list_keys", "GET", "/keys", repeatable=True)
REVOKE_KEY = Endpoint("revoke_key", "DELETE", "/keys/{key_id}", repeatable=True)
LIST_CHANNELS = Endpoint("list_channels", "GET", "/channels", repeatable=True)
CREATE_VIDEO = Endpoint("create_video", "POST", "/videos", repeatable=False,
                        limits=((10, MINUTE), (25, HOUR), (50, DAY)))
LIST_VIDEOS = Endpoint("list_videos", "GET", "/videos", repeatable=True, limits=((60, MINUTE),))
GET_VIDEO = Endpoint("get_video", "GET", "/videos/{task_id}", repeatable=True,
                     limits=((60, MINUTE),))
PUBLISH_VIDEO = Endpoint("publish_video", "POST", "/videos/{task_id}/publish",
                         repeatable=False)
GENERATE_META = Endpoint("generate_meta", "POST", "/meta/generate", repeatable=True,
                         limits=((10, MINUTE), (60, HOUR)))

ENDPOINTS: tuple[Endpoint, ...] = (
    CREATE_KEY, LIST_KEYS, REVOKE_KEY, LIST_CHANNELS, CREATE_VIDEO, LIST_VIDEOS, GET_VIDEO,
    PUBLISH_VIDEO, GENERATE_META,
)
BY_NAME: dict[str, Endpoint] = {endpoint.name: endpoint for endpoint in ENDPOINTS}


def rate_limits() -> dict[str, Limits]:
    """The documented limits by endpoint name, for the endpoints that have any."""
    return {endpoint.name: endpoint.limits for endpoint in ENDPOINTS if endpoint.limits}

