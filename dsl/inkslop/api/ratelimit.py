"""A client-side rate limiter that keeps to InkSlop's documented per-user limits, shared by
every process and every run of the same user through one SQLite file.

What is counted: every request sent on a limited route (the limits of endpoints.py), in a
sliding-window log: a request may go when, for each of its route's windows, fewer than the
limit were sent in the last window (plus WINDOW_MARGIN seconds). A sliding window is at
least as strict as any fixed window the server may count in, so keeping to it never earns a
429. When InkSlop answers 429 all the same (other machines, other keys of the same user),
`hold` stops the route for every process until the server's Retry-After has passed.

Keyed by account, as InkSlop counts: its limits are per user across all API keys. The
client cannot ask which user a key belongs to, so it assumes one account per API base URL
on a machine (every key and process share one log), unless the configuration names the
account (`[api] account = "NAME"`) where one machine works for several users. Over-counting
is the safe side: two users counted as one only wait longer, never earn a 429.

Concurrency: each operation opens the file and runs in a `BEGIN IMMEDIATE` transaction,
which takes SQLite's write lock before reading, so "count, then record" is atomic across
processes (another waits up to LIMITER_BUSY_TIMEOUT). The default rollback journal is used,
not WAL, so that the file also works on network home directories.

Why not pyrate-limiter (evaluated at 4.5.1): its SQLiteBucket does take several rates per
bucket (one bucket per route would do), but counting and inserting are not one
transaction (DEFERRED isolation, count, then insert); safety across processes depends on
an optional `filelock` dependency, and that lock is thread-local; it starts a background
"leaker" thread; asking when the next slot frees without taking it means building a
RateItem and reading internal state; and its API has changed with each major version (2, 3,
4; its algorithm interface is "internal in v4", to change in v5). The log below is ~150
lines, has none of these problems, and answers `next_slot` and `eta` directly.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from platformdirs import user_state_path

from inkslop.api.constants import (
    APP_NAME,
    LIMITER_BUSY_TIMEOUT,
    LIMITER_FILE_NAME,
    WINDOW_MARGIN,
)
from inkslop.api.endpoints import Limits, rate_limits
from inkslop.api.errors import InkSlopError

DEFAULT_ACCOUNT = "default"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS sent (scope TEXT NOT NULL, route TEXT NOT NULL, at REAL NOT NULL);
CREATE INDEX IF NOT EXISTS sent_by_route ON sent (scope, route, at);
CREATE TABLE IF NOT EXISTS held (scope TEXT NOT NULL, route TEXT NOT NULL,
                                 until REAL NOT NULL, PRIMARY KEY (scope, route));
"""


class LimiterUnavailableError(InkSlopError):
    """The limiter's database cannot be opened or stays locked."""


def default_path() -> Path:
    """The limiter's file in the user's state directory (XDG_STATE_HOME on Linux)."""
    return user_state_path(APP_NAME) / LIMITER_FILE_NAME


def account_scope(base_url: str, account: str | None = None) -> str:
    """The limiter's key for one account: the base URL and the account's name (the
    configuration's `[api] account`; every key of the base URL shares the default one)."""
    return f"{base_url.rstrip('/')} account={account or DEFAULT_ACCOUNT}"


class RateLimiter:
    """The documented limits of one account (`scope`), kept in the SQLite file `path`.

    `acquire(route)` takes a slot if one is free now (0.0) or says how long until one is;
    `next_slot(route)` and `eta(route, n)` only look; `hold(route, s)` stops a route. Routes
    without a documented limit are free unless held. `clock` is a wall clock (Unix
    seconds): the log is shared between processes and runs, which share no monotonic clock.
    """

    def __init__(self, path: Path | str, scope: str, *,
                 limits: dict[str, Limits] | None = None,
                 clock: Callable[[], float] = time.time, margin: float = WINDOW_MARGIN) -> None:
        self.path = Path(path)
        self.scope = scope
        self.limits = rate_limits() if limits is None else limits
        self.clock = clock
        self.margin = margin
        self._ready = False

    def __repr__(self) -> str:
        return f"RateLimiter({str(self.path)!r})"

    # ---- the three questions -----------------------------------------------------------

    def acquire(self, route: str) -> float:
        """Take a slot for one request on `route` and return 0.0, or take nothing and return
        the seconds until a slot frees (a route without limits is free unless held)."""
        with self._transaction() as db:
            now = self.clock()
            self._forget_old(db, route, now)
            free_at = self._free_at(db, route, now, extra=0)
            if free_at > now:
                return free_at - now
            if route in self.limits:
                db.execute("INSERT INTO sent (scope, route, at) VALUES (?, ?, ?)",
                           (self.scope, route, now))
            return 0.0

    def next_slot(self, route: str) -> float:
        """Seconds until a request on `route` may be sent (0.0: now). Takes nothing."""
        return self.eta(route, 1)

    def eta(self, route: str, count: int) -> float:
        """Seconds until `count` more requests on `route` could all have been sent, each as
        soon as its slot frees (for a batch to say when it will finish). Takes nothing."""
        if count <= 0:
            return 0.0
        with self._transaction() as db:
            now = self.clock()
            return max(0.0, self._free_at(db, route, now, extra=count - 1) - now)

    def hold(self, route: str, seconds: float) -> None:
        """Send nothing on `route` for `seconds`, in every process: InkSlop said 429."""
        with self._transaction() as db:
            until = self.clock() + seconds
            db.execute("INSERT INTO held (scope, route, until) VALUES (?, ?, ?) "
                       "ON CONFLICT (scope, route) "
                       "DO UPDATE SET until = max(until, excluded.until)",
                       (self.scope, route, until))

    # ---- the log -----------------------------------------------------------------------

    def _free_at(self, db: sqlite3.Connection, route: str, now: float, extra: int) -> float:
        """When a request could go, after `extra` more were sent as early as possible."""
        rows = db.execute("SELECT at FROM sent WHERE scope = ? AND route = ? ORDER BY at",
                          (self.scope, route)).fetchall()
        held = db.execute("SELECT until FROM held WHERE scope = ? AND route = ?",
                          (self.scope, route)).fetchone()
        sent = [at for (at,) in rows]
        earliest = max(now, held[0]) if held else now
        windows = [(limit, window + self.margin)
                   for limit, window in self.limits.get(route, ())]
        for _ in range(extra):
            sent.append(first_free(sent, windows, earliest))
        return first_free(sent, windows, earliest)

    def _forget_old(self, db: sqlite3.Connection, route: str, now: float) -> None:
        db.execute("DELETE FROM held WHERE until <= ?", (now,))
        if route in self.limits:
            longest = max(window for _, window in self.limits[route]) + self.margin
            db.execute("DELETE FROM sent WHERE scope = ? AND route = ? AND at <= ?",
                       (self.scope, route, now - longest))

    # ---- the file ----------------------------------------------------------------------

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        """One connection, one `BEGIN IMMEDIATE` transaction: committed when the block ends,
        rolled back on an error."""
        try:
            db = self._connect()
        except (sqlite3.Error, OSError) as error:
            raise LimiterUnavailableError(f"the rate limiter's file {self.path} cannot be opened: "
                                     f"{error}") from None
        try:
            db.execute("BEGIN IMMEDIATE")
            yield db
            db.execute("COMMIT")
        except sqlite3.Error as error:
            if db.in_transaction:
                db.execute("ROLLBACK")
            raise LimiterUnavailableError(f"the rate limiter's file {self.path}: {error}") from None
        except BaseException:
            if db.in_transaction:
                db.execute("ROLLBACK")
            raise
        finally:
            db.close()

    def _connect(self) -> sqlite3.Connection:
        if not self._ready:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(self.path, timeout=LIMITER_BUSY_TIMEOUT, isolation_level=None)
        if not self._ready:
            try:
                db.executescript("BEGIN IMMEDIATE;" + _SCHEMA + "COMMIT;")
            except sqlite3.Error:
                db.close()
                raise
            self._ready = True
        return db


def first_free(sent: Sequence[float], windows: Sequence[tuple[int, float]],
               earliest: float) -> float:
    """The earliest time, not before `earliest`, at which one more request keeps every
    window: fewer than `limit` of the (sorted) times in `sent` lie in (t - window, t]."""
    moment = earliest
    moved = True
    while moved:
        moved = False
        for limit, window in windows:
            inside = sorted(at for at in sent if at > moment - window)
            if len(inside) >= limit:
                # The oldest entries must leave the window until limit - 1 remain.
                leaves_at = inside[len(inside) - limit] + window
                if leaves_at > moment:
                    moment, moved = leaves_at, True
    return moment
