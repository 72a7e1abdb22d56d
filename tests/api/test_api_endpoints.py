"""The one table of endpoints: what the documentation says of each (path, limits), which
may be repeated, and that the client, its limiter and the sandbox all follow it."""

from __future__ import annotations

import pytest

from inkslop.api import endpoints
from inkslop.api.client import Client
from inkslop.api.endpoints import BY_NAME, ENDPOINTS, match_path, rate_limits
from inkslop.api.ratelimit import RateLimiter
from inkslop.sandbox.app import API_ROUTES, SandboxApp
from inkslop.sandbox.limits import AccountQuota


def test_the_documented_limits_are_the_ones_kept():
    assert rate_limits() == {
        "POST /videos": ((10, 60), (25, 3600), (50, 86400)),
        "GET /videos/{task_id}": ((60, 60),),
        "GET /videos": ((60, 60),),
        "POST /meta/generate": ((10, 60), (60, 3600)),
        "POST /keys": ((5, 60),),
    }


def test_the_documented_endpoints_are_all_there():
    assert set(BY_NAME) == {
        "POST /keys", "GET /keys", "DELETE /keys/{key_id}", "GET /channels", "POST /videos",
        "GET /videos/{task_id}", "GET /videos", "POST /videos/{task_id}/publish",
        "POST /meta/generate",
    }


@pytest.mark.parametrize("name", [
    "GET /keys", "GET /channels", "GET /videos", "GET /videos/{task_id}",
    "DELETE /keys/{key_id}", "POST /meta/generate",
])
def test_safe_requests_are_repeatable(name):
    assert BY_NAME[name].repeatable


@pytest.mark.parametrize("name", [
    "POST /videos", "POST /videos/{task_id}/publish", "POST /keys",
])
def test_requests_that_spend_publish_or_create_are_not(name):
    assert not BY_NAME[name].repeatable


def test_the_client_the_limiters_and_the_sandbox_read_the_same_table(tmp_path):
    for endpoint in ENDPOINTS:
        assert callable(getattr(Client, endpoint.operation)), endpoint.name
        assert callable(getattr(SandboxApp, endpoint.operation)), endpoint.name
    assert {route.name for route in API_ROUTES} == set(BY_NAME)
    assert RateLimiter(tmp_path / "l.sqlite3", "me").limits == rate_limits()
    assert AccountQuota().limits == rate_limits()


def test_paths_are_filled_with_whole_segments():
    assert endpoints.GET_VIDEO.path(task_id="t-1") == "/videos/t-1"
    assert endpoints.REVOKE_KEY.path(key_id="../videos") == "/keys/..%2Fvideos"
    assert match_path(endpoints.PUBLISH_VIDEO.template, "/videos/a b/publish") == {
        "task_id": "a b"}
    assert match_path(endpoints.GET_VIDEO.template, "/videos/a/publish") is None
    with pytest.raises(ValueError, match="task_id must not be empty"):
        endpoints.GET_VIDEO.path(task_id="")
