"""The toolkit's version, as installed (the one lookup that the CLI, the client's
User-Agent, SARIF output, the language server and the result cache share)."""

from __future__ import annotations

from functools import cache


@cache
def toolkit_version() -> str:
    """The installed distribution's version; "0" when running from a bare checkout."""
    from importlib.metadata import PackageNotFoundError, version  # ~5 ms: only when asked

    try:
        return version("inkslop")
    except PackageNotFoundError:
        return "0"
