"""`inkslop lsp`: the command that runs the server, on stdio or TCP."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time


def test_the_command_line_offers_the_server():
    result = subprocess.run([sys.executable, "-m", "inkslop", "lsp", "--help"],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0 and "--tcp" in result.stdout


def test_the_server_listens_on_tcp_when_asked():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen([sys.executable, "-m", "inkslop", "lsp", "--tcp", "--port",
                               str(port)], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        connection = _connect(port)
        body = json.dumps({"jsonrpc": "2.0", "id": 1, "method": "initialize",
                           "params": {"processId": None, "rootUri": None, "capabilities": {}}})
        connection.sendall(f"Content-Length: {len(body)}\r\n\r\n{body}".encode())
        reply = b""
        while b'"capabilities"' not in reply:
            chunk = connection.recv(65536)
            assert chunk, reply
            reply += chunk
        assert b'"name":"inkslop"' in reply.replace(b" ", b"")
        connection.close()
    finally:
        server.kill()
        server.wait()


def _connect(port: int) -> socket.socket:
    deadline = time.monotonic() + 20
    while True:
        try:
            return socket.create_connection(("127.0.0.1", port), timeout=10)
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)
