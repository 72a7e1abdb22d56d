"""Fixtures shared by every test folder.

`sandbox`: a running sandbox of the InkSlop API on 127.0.0.1 (real HTTP), stopped
after the test. Its options come from a `sandbox` marker on the test or its module:

    pytestmark = pytest.mark.sandbox(credits=500, render_seconds=0.5)

`in_process_sandbox`: the same sandbox, never started: no port, no socket. Its
`transport()` hands httpx requests to the application in process, and its
`base_url` is then http://127.0.0.1/api/v1; for the client tests whose subject is
not the network:

    Client(sandbox.key, sandbox.base_url, transport=sandbox.transport())
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator

import pytest

from inkslop.estimate.measured import ENV_CACHE_DIR
from inkslop.sandbox import Sandbox

_CACHE = pytest.StashKey[str]()
DEFAULT_SANDBOX = {"credits": 100, "render_seconds": 10}


def pytest_configure(config: pytest.Config) -> None:
    # Durations measured on this machine (inkslop speak) would change every estimate: the
    # tests, and the commands they run, use a cache of their own.
    config.stash[_CACHE] = os.environ[ENV_CACHE_DIR] = tempfile.mkdtemp(prefix="inkslop-cache-")
    config.addinivalue_line("markers", "sandbox(**options): options of the `sandbox` fixture")
    config.addinivalue_line("markers", "over_http: a client test that needs a real socket")


def pytest_unconfigure(config: pytest.Config) -> None:
    if _CACHE in config.stash:
        shutil.rmtree(config.stash[_CACHE], ignore_errors=True)


def sandbox_options(request: pytest.FixtureRequest) -> dict:
    marker = request.node.get_closest_marker("sandbox")
    options = dict(DEFAULT_SANDBOX, **(marker.kwargs if marker else {}))
    clock = options.pop("clock_fixture", None)
    if clock:
        options["clock"] = request.getfixturevalue(clock)
    return options


@pytest.fixture
def sandbox(request: pytest.FixtureRequest) -> Iterator[Sandbox]:
    with Sandbox(**sandbox_options(request)) as running:
        yield running


@pytest.fixture
def in_process_sandbox(request: pytest.FixtureRequest) -> Sandbox:
    return Sandbox(**sandbox_options(request))
