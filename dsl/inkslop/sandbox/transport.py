"""The sandbox in process: an httpx transport that hands each request to the sandbox's
application object, with no socket and no port.

    sandbox = Sandbox(credits=10)                 # not started
    client = Client(sandbox.key, sandbox.base_url, transport=sandbox.transport())

It answers as the HTTP server does: the same admission (size, origin, key), the same
`Date` from the sandbox's clock, and the same faults in httpx's own terms: a dropped answer
raises httpx.RemoteProtocolError once the request was handled, and a cut download sends its
headers and half its body before raising it. Injected latency is slept, as over HTTP.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import httpx

from inkslop.sandbox.app import Request, Response, SandboxApp


class SandboxTransport(httpx.BaseTransport):
    """Serves httpx requests with a SandboxApp (thread-safe, as the app is)."""

    def __init__(self, app: SandboxApp) -> None:
        self.app = app

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        target = request.url.raw_path.decode("ascii")
        body = request.read()
        head = request.method == "HEAD"
        refusal = self.app.admit(request.method, target, request.headers, len(body))
        response = refusal or self.app.handle(
            Request(request.method, target, request.headers, body, head=head))
        if response.delay:
            time.sleep(response.delay)
        if response.drop:
            raise httpx.RemoteProtocolError("Server disconnected without sending a response.",
                                            request=request)
        return self._httpx_response(response, request, head)

    def _httpx_response(self, response: Response, request: httpx.Request,
                        head: bool) -> httpx.Response:
        headers = {**response.headers, "Date": self.app.http_date(),
                   "Content-Length": str(len(response.body))}
        if head:
            return httpx.Response(response.status, headers=headers, request=request)
        if response.cut:
            half = response.body[:len(response.body) // 2]
            return httpx.Response(response.status, headers=headers,
                                  stream=_CutStream(half, request), request=request)
        return httpx.Response(response.status, headers=headers, content=response.body,
                              request=request)


class _CutStream(httpx.SyncByteStream):
    """Half a body, then the connection "closes" as a real one would."""

    def __init__(self, data: bytes, request: httpx.Request) -> None:
        self.data = data
        self.request = request

    def __iter__(self) -> Iterator[bytes]:
        yield self.data
        raise httpx.RemoteProtocolError("peer closed connection without sending complete "
                                        "message body", request=self.request)
