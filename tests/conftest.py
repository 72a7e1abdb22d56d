"""Fixtures shared by every test folder.

`sandbox`: a running sandbox of the InkSlop API on 127.0.0.1 (real HTTP), stopped
after the test. Its options come from a `sandbox` marker on the test or its module:

    pytestmark = pytest.mark.sandbox(credits=500, render_seconds=0.5)

`sandbox_transport`: the same sandbox application in process, as an httpx
transport, for client tests that need no port.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from inkslop.sandbox import Sandbox

DEFAULT_SANDBOX = {"credits": 100, "render_seconds": 10}


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "sandbox(**options): options of the `sandbox` fixture")


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
