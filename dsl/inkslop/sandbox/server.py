"""The sandbox over HTTP: the standard library's ThreadingHTTPServer on 127.0.0.1, one thread
per connection (HTTP/1.1 keep-alive), serving inkslop.sandbox.app in a background thread.

Access lines (when logging is on) hold the request line and the status only: never a
header, so never an API key. A client that goes away mid-request costs one log line (none
when logging is off), never a traceback.

A body is read only once the request is admitted (inkslop.sandbox.app's `admit`: route,
origin, size, key), and only as long as its `Content-Length` says; a request whose body has
no length (or a bad one) is refused and its connection closed, since what follows it on the
connection cannot be told apart from the body.
"""

from __future__ import annotations

import contextlib
import socket
import sys
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Self

from inkslop.sandbox.app import BASE_PATH, DEFAULT_MAX_BODY, Request, Response, SandboxApp
from inkslop.sandbox.faults import Faults

HOST = "127.0.0.1"
IN_PROCESS_ORIGIN = "http://127.0.0.1"  # the origin of a sandbox served without a socket
_BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})
NO_VIDEO = ("This sandbox renders no video: statuses, credits and downloads are simulated, "
            "and a download is placeholder bytes shaped like an MP4.")


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, port: int, app: SandboxApp, log: bool) -> None:
        super().__init__((HOST, port), _Handler)
        self.app = app
        self.log = log
        self.connections: set[socket.socket] = set()
        self.connections_lock = threading.Lock()
        self.closed_connections = 0

    def handle_error(self, request: Any, client_address: tuple[str, int]) -> None:
        """One line instead of socketserver's traceback (a client that went away)."""
        error = sys.exc_info()[1]
        if self.log:
            what = "disconnected" if isinstance(error, OSError) else "request failed"
            sys.stderr.write(f"sandbox: client {client_address[0]}:{client_address[1]} "
                             f"{what} ({type(error).__name__})\n")

    def shutdown_request(self, request: Any) -> None:
        """Close a client's connection, once its thread (and any error line) is done."""
        super().shutdown_request(request)
        with self.connections_lock:
            self.closed_connections += 1

    def close_connections(self) -> None:
        """End the keep-alive connections still open, so nothing is served after stop()."""
        with self.connections_lock:
            open_now = list(self.connections)
        for connection in open_now:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "InkSlopSandbox/1"
    sys_version = ""
    timeout = 60  # an idle keep-alive connection is closed after a minute
    server: _Server

    def setup(self) -> None:
        super().setup()
        # Headers and body go out in separate writes: without this, Nagle's algorithm and
        # delayed ACKs would add 40 ms to every response on a keep-alive connection.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        with self.server.connections_lock:
            self.server.connections.add(self.connection)

    def finish(self) -> None:
        with self.server.connections_lock:
            self.server.connections.discard(self.connection)
        super().finish()

    def do_GET(self) -> None:
        self._serve()

    def do_HEAD(self) -> None:
        self._serve(head=True)

    def do_POST(self) -> None:
        self._serve()

    def do_DELETE(self) -> None:
        self._serve()

    def do_PUT(self) -> None:
        self._serve()

    def do_PATCH(self) -> None:
        self._serve()

    def date_time_string(self, timestamp: float | None = None) -> str:
        """Every answer's `Date`: the sandbox's own (possibly moved) clock."""
        return self.server.app.http_date()

    def _serve(self, head: bool = False) -> None:
        length = self._body_length()
        if length is None:
            return
        refusal = self.server.app.admit(self.command, self.path, self.headers, length)
        if refusal is not None:
            if length:  # the body stays unread: nothing after it on this connection counts
                self.close_connection = True
                refusal.headers["Connection"] = "close"
            self._write(refusal, head)
            return
        body = self.rfile.read(length) if length else b""
        if len(body) < length:  # the client went away mid-body: nothing to answer
            self.close_connection = True
            self.log_message("client disconnected before the end of the body of %r",
                             self.requestline)
            return
        request = Request(self.command, self.path, self.headers, body, head=head)
        response = self.server.app.handle(request)
        if response.delay:
            time.sleep(response.delay)
        if response.drop:
            self.close_connection = True  # the work is done; the answer is never sent
            return
        self._write(response, head)

    def _body_length(self) -> int | None:
        """The body's length from `Content-Length`, or None once the request is refused
        (and its connection closed): a chunked body, a bad or repeated length, or a
        POST/PUT/PATCH without one."""
        lengths = self.headers.get_all("Content-Length") or []
        problem = None
        if self.headers.get("Transfer-Encoding"):
            problem = 411, "Send the body with a Content-Length"
        elif not lengths:
            if self.command not in _BODY_METHODS:
                return 0
            problem = 411, "Send a Content-Length (0 for no body)"
        elif len(set(lengths)) > 1 or not lengths[0].strip().isdigit():
            problem = 400, "Bad Content-Length"
        if problem is None:
            return int(lengths[0])
        self.close_connection = True
        self.send_error(*problem)
        return None

    def _write(self, response: Response, head: bool) -> None:
        self.send_response(response.status)
        for name, value in response.headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(response.body)))
        if response.cut:
            self.send_header("Connection", "close")
        self.end_headers()
        if head:
            return
        if response.cut:
            self.wfile.write(response.body[:len(response.body) // 2])
            self.close_connection = True
            return
        self.wfile.write(response.body)

    def log_message(self, format: str, *args: Any) -> None:
        if self.server.log:
            sys.stderr.write(f"sandbox: {format % args}\n")


class Sandbox:
    """A local emulator of the InkSlop API, for tests and demos. It renders no video.

        with Sandbox(credits=10, render_seconds=5) as sandbox:
            client = httpx.Client(base_url=sandbox.base_url,
                                  headers={"Authorization": f"Bearer {sandbox.key}"})

    `key` is the registered `isk_` key (made when not given). `clock` returns seconds and
    drives rendering and rate limits (time.time by default); `advance()` moves it forward.
    `faults` (a Faults, or a dict of its fields) sets the injected failures at start;
    `set_faults()` changes them later. With `state_file`, keys (as hashes), videos and
    credits are kept in that JSON file, so a new Sandbox on the same file carries on; its
    credits then come from the file, not from `credits`. `max_body`: the largest request
    body in bytes (413 above it).

    Not started, it serves in process: `transport()` is an httpx transport that hands
    requests to the application without a socket, and `base_url` is then
    http://127.0.0.1/api/v1 (any host would do: nothing is resolved).
    """

    def __init__(self, credits: float = 100.0, render_seconds: float = 30.0,
                 key: str | None = None, state_file: str | Path | None = None,
                 faults: Faults | dict[str, Any] | None = None,
                 clock: Callable[[], float] = time.time, log: bool = False,
                 max_body: int = DEFAULT_MAX_BODY) -> None:
        if isinstance(faults, dict):
            faults = Faults.model_validate(faults)
        self.app = SandboxApp(credits=credits, render_seconds=render_seconds,
                              state_file=state_file, faults=faults, clock=clock,
                              max_body=max_body)
        self.key = self.app.register_key(key)
        self.log = log
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    def __repr__(self) -> str:  # never shows the key
        where = self.base_url if self._server else "not started"
        return f"<Sandbox {where}>"

    @property
    def port(self) -> int:
        if self._server is None:
            raise RuntimeError("the sandbox is not started")
        return self._server.server_address[1]

    @property
    def serving(self) -> bool:
        """Whether it listens on a port (else it serves only in process)."""
        return self._server is not None

    @property
    def origin(self) -> str:
        if self._server is None:
            return IN_PROCESS_ORIGIN
        return f"http://{HOST}:{self.port}"

    @property
    def base_url(self) -> str:
        """The API's base URL, like https://inkslop.com/api/proxy/api/v1 for InkSlop."""
        return self.origin + BASE_PATH

    def start(self, port: int = 0) -> str:
        """Serve on 127.0.0.1:`port` (0: a free port) in a background thread; the base URL."""
        if self._server is not None:
            raise RuntimeError("the sandbox is already started")
        self._server = _Server(port, self.app, self.log)
        self.app.origin = self.origin
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.25,),
                                        name=f"inkslop-sandbox-{self.port}", daemon=True)
        self._thread.start()
        return self.base_url

    def stop(self) -> None:
        """Stop serving and close every connection; the state stays (and its file)."""
        server, thread = self._server, self._thread
        if server is None:
            return
        stopper = threading.Thread(target=server.shutdown)
        stopper.start()
        with contextlib.suppress(OSError):  # wake serve_forever() now, not at its next poll
            socket.create_connection(server.server_address, timeout=1).close()
        stopper.join()
        server.server_close()
        server.close_connections()
        if thread is not None:
            thread.join(timeout=5)
        self._server = self._thread = None
        self.app.origin = IN_PROCESS_ORIGIN

    def __enter__(self) -> Self:
        if self._server is None:
            self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    # ---- for tests: the same things the admin routes do ---------------------------------------

    def advance(self, seconds: float) -> float:
        """Move the sandbox's clock forward by `seconds`; the new time."""
        return self.app.advance(seconds)

    def set_faults(self, **changes: Any) -> Faults:
        """Change some injected faults (the others stay), for instance
        set_faults(fail_429=2, fail_429_route="POST /videos")."""
        return self.app.set_faults(changes)

    def state(self) -> dict[str, Any]:
        """A snapshot: credits, reserved and available credits, keys, videos, jobs, faults."""
        return self.app.snapshot()

    def closed_connections(self) -> int:
        """How many client connections it has finished serving (a test waits on it)."""
        if self._server is None:
            return 0
        with self._server.connections_lock:
            return self._server.closed_connections

    def created_videos(self) -> list[dict[str, Any]]:
        """Every POST /videos accepted, oldest first: task_id, video_name, script,
        created_at (ISO) and created_at_seconds (the sandbox's clock)."""
        return self.app.created_videos()

    def received(self, route: str | None = None) -> list[dict[str, Any]]:
        """Every request to an API route (to `route` only, such as "POST /videos", when
        given), oldest first, refused ones too: route, key_id and key_name (None for a
        missing or unknown key), size and body (its JSON, when at most 64 KiB), status,
        dropped, at (the sandbox's clock). The newest 1,000, in memory only."""
        return self.app.received.entries(route)

    def transport(self) -> Any:
        """An httpx transport to this sandbox's application, in process (no socket)."""
        # httpx stays off the sandbox's start-up: only in-process users need it
        from inkslop.sandbox.transport import SandboxTransport

        return SandboxTransport(self.app)
