"""`inkslop lsp`: run the language server (inkslop_lsp) on stdio, or on TCP."""

from __future__ import annotations

import click


@click.command()
@click.option("--tcp", "tcp", is_flag=True, help="Listen on TCP instead of stdio.")
@click.option("--host", default="127.0.0.1", show_default=True, help="The address to listen on "
              "with --tcp.")
@click.option("--port", default=2087, show_default=True, type=int, help="The port to listen on "
              "with --tcp.")
def lsp(tcp: bool, host: str, port: int) -> None:
    """Run the language server for editors, speaking LSP on stdio (or TCP with --tcp).

    Logs go to stderr and to the editor's log; stdout carries the protocol.
    """
    from inkslop_lsp import start  # the server's dependencies load only for this command

    start((host, port) if tcp else None)
