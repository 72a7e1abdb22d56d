"""Helpers of the editor tests: where things are, and the tools they need.

The tools come from tests/install-editor-tools.sh (Debian's neovim and emacs, npm ci in
editors/vscode); a test never skips for a missing tool, it fails and says to run it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
EDITORS = ROOT / "editors"
INSTALL = "bash tests/install-editor-tools.sh"


def tool(name: str) -> str:
    """The path of an installed tool, or a failure that says how to install it."""
    path = shutil.which(name)
    if path is None:
        pytest.fail(f"{name} is not installed: run `{INSTALL}`", pytrace=False)
    return path


def server_env() -> dict[str, str]:
    """The environment of an editor started by a test: the `inkslop` of this Python first
    on PATH, as a user's install would put it."""
    bin_dir = Path(sys.executable).parent
    if not (bin_dir / "inkslop").exists():
        pytest.fail(f"no inkslop executable beside {sys.executable}: pip install -e '.[test]'",
                    pytrace=False)
    env = dict(os.environ)
    env["PATH"] = f"{bin_dir}{os.pathsep}{env.get('PATH', '')}"
    return env


def run(command: list[str], cwd: Path, timeout: float = 120,
        **kwargs) -> subprocess.CompletedProcess:
    """Run a command; if it fails, an assertion that shows its output."""
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=timeout,
                            **kwargs)
    assert result.returncode == 0, (
        f"{' '.join(map(str, command))} exited {result.returncode}\n{result.stdout}\n{result.stderr}")
    return result


def lsp_session(command: list[str], folder: Path, env: dict[str, str], script: str,
                timeout: float = 30) -> dict:
    """Start a language server as an editor's config says (`command`), initialize it, open
    `script` in `folder`, and wait for its diagnostics: what an editor does first.
    Returns the initialize result and the diagnostics."""
    import json
    import queue
    import threading

    process = subprocess.Popen(command, cwd=folder, env=env, stdin=subprocess.PIPE,
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    messages: queue.Queue = queue.Queue()

    def read() -> None:
        while True:
            headers = {}
            while (line := process.stdout.readline().decode()) not in ("\r\n", ""):
                name, _, value = line.partition(":")
                headers[name.lower()] = value.strip()
            if not headers:
                return
            messages.put(json.loads(process.stdout.read(int(headers["content-length"]))))

    def send(message: dict) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode()
        process.stdin.write(b"Content-Length: %d\r\n\r\n%s" % (len(body), body))
        process.stdin.flush()

    def wait_for(found) -> dict:
        while True:
            message = messages.get(timeout=timeout)
            if "method" in message and "id" in message:  # a request of the server's
                send({"id": message["id"], "result": None})
            elif found(message):
                return message

    threading.Thread(target=read, daemon=True).start()
    uri = (folder / "script.inkslop").as_uri()
    try:
        send({"id": 1, "method": "initialize", "params": {
            "processId": os.getpid(), "rootUri": folder.as_uri(), "capabilities": {},
            "workspaceFolders": [{"uri": folder.as_uri(), "name": folder.name}]}})
        initialize = wait_for(lambda m: m.get("id") == 1)["result"]
        send({"method": "initialized", "params": {}})
        send({"method": "textDocument/didOpen", "params": {"textDocument": {
            "uri": uri, "languageId": "inkslop", "version": 1, "text": script}}})
        published = wait_for(lambda m: m.get("method") == "textDocument/publishDiagnostics"
                             and m["params"]["uri"] == uri)
        send({"id": 2, "method": "shutdown"})
        wait_for(lambda m: m.get("id") == 2)
        send({"method": "exit"})
        process.wait(timeout=timeout)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    return {"initialize": initialize, "diagnostics": published["params"]["diagnostics"],
            "exit_code": process.returncode}
