"""The documented rate limits, per user across all API keys, as sliding windows.

InkSlop's documentation gives the limits but not how they are counted; the sandbox counts
every authenticated request that reaches a limited route (a 400 or a 402 counts too, a
request refused with 429 or 401 does not) in sliding windows over the injected clock. The
`Retry-After` header is the sandbox's choice: InkSlop's documentation does not mention it.
"""

from __future__ import annotations

import math
from collections import deque

from inkslop.api.endpoints import DAY, HOUR, MINUTE, Limits, rate_limits

_WINDOW_NAMES = {MINUTE: "1 minute", HOUR: "1 hour", DAY: "1 day"}


class AccountQuota:
    """The server's side of the limits: the emulated account's requests per route, refused
    with 429 beyond the documented limits (the endpoints table, the client's too). Not
    thread-safe: the sandbox calls it under its lock."""

    def __init__(self, limits: dict[str, Limits] | None = None) -> None:
        self.limits = rate_limits() if limits is None else limits
        self.hits: dict[str, deque[float]] = {}

    def hit(self, route: str, now: float) -> tuple[str, int] | None:
        """Count a request to `route` at `now`: None when allowed, else the 429's detail and
        its Retry-After in whole seconds (when the oldest request of the full window leaves)."""
        rules = self.limits.get(route)
        if not rules:
            return None
        hits = self.hits.setdefault(route, deque())
        longest = max(window for _, window in rules)
        while hits and hits[0] <= now - longest:
            hits.popleft()
        refusal: tuple[str, int] | None = None
        for count, window in rules:
            inside = [t for t in hits if t > now - window]
            if len(inside) >= count:
                wait = max(1, math.ceil(inside[-count] + window - now))
                if refusal is None or wait > refusal[1]:
                    refusal = (f"Rate limit exceeded: {count} per {_WINDOW_NAMES[window]}", wait)
        if refusal is None:
            hits.append(now)
        return refusal
