"""Which InkSlop the client talks to: the base URL given, else `INKSLOP_API_BASE`, else the
documented one; checked so that the key never travels in clear text to another machine."""

from __future__ import annotations

import os
from collections.abc import Mapping
from urllib.parse import urlsplit

from inkslop.api.constants import BASE_URL_ENV, DEFAULT_BASE_URL
from inkslop.api.errors import InkSlopError

_LOOPBACK = {"127.0.0.1", "localhost", "::1"}


class BaseUrlError(InkSlopError):
    """The base URL cannot be used."""


def resolve_base_url(given: str | None = None, environ: Mapping[str, str] | None = None) -> str:
    """The base URL to use, without a trailing slash."""
    environ = os.environ if environ is None else environ
    return check_base_url(given or environ.get(BASE_URL_ENV) or DEFAULT_BASE_URL)


def check_base_url(url: str) -> str:
    """`url` without its trailing slash, or BaseUrlError: it must be https, or plain http
    to this machine only (the local sandbox), since the key goes with every request."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise BaseUrlError(f"the API base URL {url!r} is not an http(s) URL")
    if parts.scheme == "http" and not is_loopback(parts.hostname):
        raise BaseUrlError(f"the API base URL {url!r} is plain http to another machine: the "
                           "API key would travel unencrypted; use https")
    if parts.query or parts.fragment:
        raise BaseUrlError(f"the API base URL {url!r} must not have a query or a fragment")
    return url.strip().rstrip("/")


def is_loopback(host: str) -> bool:
    return host in _LOOPBACK or host.startswith("127.")


def origin(url: str) -> tuple[str, str, int | None]:
    """Scheme, host and port: the key is sent only to the base URL's origin."""
    parts = urlsplit(url)
    default = {"http": 80, "https": 443}.get(parts.scheme)
    return parts.scheme, (parts.hostname or "").lower(), parts.port or default
