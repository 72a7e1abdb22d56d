"""The toolkit's version, as installed (the one lookup that the CLI, the client's
User-Agent, SARIF output, the language server and the result cache share)."""

from __future__ import annotations

from functools import cache


@cache
def toolkit_version() -> str:
    """The installed distribution's version; "0" when running from a bare checkout."""
    try:  # written at install time (pyproject.toml: the version build hook)
        from inkslop._version import __version__

        return __version__
    except ImportError:
        pass
    from importlib.metadata import PackageNotFoundError, version  # ~15 ms: only when asked

    try:
        return version("inkslop")
    except PackageNotFoundError:
        return "0"
