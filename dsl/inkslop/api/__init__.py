"""The InkSlop API client (`Client`), its models and its errors.

Names are imported on first use: `inkslop.api.errors` and `inkslop.api.models` stay cheap,
and only `Client` pulls in httpx.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

# public name: its module
_EXPORTS = {
    "Client": "inkslop.api.client",
    "ApiKey": "inkslop.api.credentials",
    "CredentialsError": "inkslop.api.credentials",
    "RateLimiter": "inkslop.api.ratelimit",
    **{name: "inkslop.api.errors" for name in (
        "InkSlopError", "APIConnectionError", "APITimeoutError", "OutcomeUnknownError",
        "InvalidResponseError", "ClientRateLimitError", "APIStatusError", "BadRequestError",
        "AuthenticationError", "InsufficientCreditsError", "NotFoundError", "ConflictError",
        "RateLimitError", "ExternalServiceError", "ServerError")},
    **{name: "inkslop.api.models" for name in (
        "Channel", "KeyCreated", "KeyInfo", "KeyRevoked", "MetaResult", "PublishRequest",
        "PublishResult", "TaskCreated", "VideoRequest", "VideoStatus", "VideoSummary")},
}

__all__ = tuple(sorted(_EXPORTS))


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'inkslop.api' has no attribute {name!r}")
