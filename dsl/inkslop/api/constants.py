"""The API client's numbers in one place: where InkSlop is, how long to wait, how often to
try again, how the rate limiter counts. The endpoints and their limits: endpoints.py."""

from __future__ import annotations

# ---- where -------------------------------------------------------------------------------

DEFAULT_BASE_URL = "https://inkslop.com/api/proxy/api/v1"
BASE_URL_ENV = "INKSLOP_API_BASE"
API_KEY_ENV = "INKSLOP_API_KEY"
API_KEY_PREFIX = "isk_"
APP_NAME = "inkslop"  # the platformdirs name: config (the key file) and state (the limiter)
KEY_FILE_NAME = "credentials.json"
LIMITER_FILE_NAME = "ratelimit.sqlite3"

# ---- timeouts (seconds) ------------------------------------------------------------------

CONNECT_TIMEOUT = 10.0
READ_TIMEOUT = 60.0  # between two reads: POST /meta/generate may take a while to answer
WRITE_TIMEOUT = 30.0
POOL_TIMEOUT = 10.0

# ---- retries -----------------------------------------------------------------------------

DEFAULT_MAX_RETRIES = 3
INITIAL_RETRY_DELAY = 0.5  # the first backoff; doubled on every further attempt
MAX_RETRY_DELAY = 8.0  # backoff never waits longer than this
JITTER = 0.25  # a backoff is shortened by up to this fraction, at random
MAX_RETRY_AFTER = 60.0  # a longer Retry-After is not waited out: the error is raised with it
# 408 Request Timeout, 429 Too Many Requests and every 5xx. Not 409: InkSlop's conflicts
# ("video not done yet") do not clear in the seconds a retry waits; the caller polls.
RETRY_STATUSES = frozenset({408, 429})

# ---- pagination --------------------------------------------------------------------------

DEFAULT_PAGE_LIMIT = 20
MAX_PAGE_LIMIT = 100

# ---- downloads ---------------------------------------------------------------------------

PART_SUFFIX = ".part"

# ---- rate limits -------------------------------------------------------------------------

# The documented limits themselves are in endpoints.py, with their endpoints.
# Every window is counted this much longer, so that the client's and InkSlop's clocks and
# the request's time in flight never make a request land inside the server's window.
WINDOW_MARGIN = 1.0
# The client waits for a free slot of its own limiter at most this long; beyond it,
# ClientRateLimitError is raised at once with the wait (a batch paces itself with next_slot).
MAX_LIMITER_WAIT = 70.0
LIMITER_BUSY_TIMEOUT = 30.0  # how long one process waits for another's lock on the database
