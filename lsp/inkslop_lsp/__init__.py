"""The InkSlop language server (`inkslop lsp`): a thin layer over the inkslop library.

See inkslop_lsp.server for how it is put together; `start()` runs it.
"""

from __future__ import annotations


def start(tcp: tuple[str, int] | None = None) -> None:
    """Run the language server on stdio, or on TCP at (host, port)."""
    from inkslop_lsp.server import start as run  # pygls loads only when the server starts

    run(tcp)
