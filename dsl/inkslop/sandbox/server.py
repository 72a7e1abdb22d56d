"""The sandbox over HTTP: the standard library's ThreadingHTTPServer on 127.0.0.1, one thread
per connection (HTTP/1.1 keep-alive), serving inkslop.sandbox.app in a background thread.

Access lines (when logging is on) hold the request line and the status only: never a
header, so never an API key.
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

from inkslop.sandbox.app import BASE_PATH, Request, Response, SandboxApp
from inkslop.sandbox.faults import Faults

HOST = "127.0.0.1"
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

    def _serve(self, head: bool = False) -> None:
        if self.headers.get("Transfer-Encoding"):
            self.close_connection = True  # the body cannot be skipped: the connection ends
            self.send_error(411, "Send the body with a Content-Length")
            return
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = -1
        if length < 0:
            self.send_error(400, "Bad Content-Length")
            return
        body = self.rfile.read(length) if length else b""
        request = Request(self.command, self.path, self.headers, body, head=head)
        response = self.server.app.handle(request)
        if response.delay:
            time.sleep(response.delay)
        if response.drop:
            self.close_connection = True  # the work is done; the answer is never sent
            return
        self._write(response, head)

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
    credits then come from the file, not from `credits`.
    """

    def __init__(self, credits: float = 100.0, render_seconds: float = 30.0,
                 key: str | None = None, state_file: str | Path | None = None,
                 faults: Faults | dict[str, Any] | None = None,
                 clock: Callable[[], float] = time.time, log: bool = False) -> None:
        if isinstance(faults, dict):
            faults = Faults.model_validate(faults)
        self.app = SandboxApp(credits=credits, render_seconds=render_seconds,
                              state_file=state_file, faults=faults, clock=clock)
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
    def origin(self) -> str:
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
