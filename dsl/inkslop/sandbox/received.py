"""What the sandbox received: every request to an API route, with the key that sent it, its
body and the status it was answered with, so that a test can tell what a command really
sent (nothing at all, once, twice; with which key) and not only what the sandbox accepted.

Kept in memory only (never in the state file): the newest MAX_RECEIVED requests, and a body
only up to MAX_KEPT_BODY bytes (a script is a few kilobytes), so that the log stays small
whatever clients send. The key is named by its `key_id` and `name`, never by its secret.
"""

from __future__ import annotations

import json
import threading
from collections import deque
from dataclasses import asdict, dataclass
from typing import Any

MAX_RECEIVED = 1_000
MAX_KEPT_BODY = 64 * 1024  # bytes


@dataclass(frozen=True)
class Received:
    """One request: its route ("POST /videos"), the key's id and name (None when the key
    is missing or unknown), its body's size and the body as JSON (None when empty, not
    JSON, not read or too large to keep), the status answered, whether the answer was
    dropped (a fault), and when (the sandbox's clock)."""

    route: str
    key_id: str | None
    key_name: str | None
    size: int
    body: Any
    status: int
    dropped: bool
    at: float


class ReceivedLog:
    """The requests received, oldest first; thread-safe."""

    def __init__(self, size: int = MAX_RECEIVED) -> None:
        self._entries: deque[Received] = deque(maxlen=size)
        self._lock = threading.Lock()

    def add(self, entry: Received) -> None:
        with self._lock:
            self._entries.append(entry)

    def entries(self, route: str | None = None) -> list[dict[str, Any]]:
        """Every request kept (to `route` only, when given), as plain dicts."""
        with self._lock:
            return [asdict(e) for e in self._entries if route is None or e.route == route]


def body_json(body: bytes) -> Any:
    """The body as JSON, or None when it is empty, too large to keep or not JSON."""
    if not body or len(body) > MAX_KEPT_BODY:
        return None
    try:
        return json.loads(body)
    except (ValueError, RecursionError):
        return None
