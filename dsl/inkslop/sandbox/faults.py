"""Fault injection: deterministic failures a test asks for, consumed one request at a time.

Every fault is a counter (or the latency), so a test knows exactly which request fails:
"the next 3 requests to POST /videos answer 429". Faults apply to the API and file routes,
never to the sandbox's own admin routes (`/_sandbox/...`), so a test can always turn them
off again. They are not kept in the state file: a restarted sandbox starts without faults.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class Faults(BaseModel):
    """What to break, and how often. A sandbox-only model (InkSlop has no such thing).

    Routes are named as the documentation writes them, without the base path:
    "POST /videos", "GET /videos/{task_id}", "GET /files/{file_id}/download"...
    A fault with no route applies to every API and file request.
    """

    model_config = ConfigDict(extra="forbid", validate_assignment=True)

    latency: float = Field(0.0, ge=0, le=60,
                           description="Seconds added before every response (real time).")
    fail_429: int = Field(0, ge=0, description="The next N requests answer 429.")
    fail_429_route: str | None = Field(None, description="Only requests to this route.")
    fail_502: int = Field(0, ge=0, description="The next N requests answer 502.")
    fail_502_route: str | None = Field(None, description="Only requests to this route.")
    retry_after: int = Field(1, ge=0, le=86400,
                             description="Retry-After (seconds) of an injected 429, a day at most.")
    drop_after_commit: int = Field(
        0, ge=0, description="The next N POST /videos that create a video close the "
        "connection without a response: the video exists and its credits are reserved.")
    render_errors: int = Field(
        0, ge=0, description="The next N videos created end in status `error`.")
    cut_downloads: int = Field(
        0, ge=0, description="The next N full or ranged downloads stop halfway through "
        "the body and close the connection (a client resumes them with Range).")

    def changed(self, changes: dict) -> Faults:
        """A copy with `changes` applied and validated (raises pydantic's ValidationError)."""
        return Faults.model_validate({**self.model_dump(), **changes})

    def take(self, counter: str, route: str | None = None) -> bool:
        """Consume one unit of `counter` if it is armed (and, for 429/502, aimed at `route`)."""
        if getattr(self, counter) <= 0:
            return False
        aimed = getattr(self, f"{counter}_route", None)
        if aimed is not None and aimed != route:
            return False
        setattr(self, counter, getattr(self, counter) - 1)
        return True
