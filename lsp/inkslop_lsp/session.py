"""The session: what every feature of the language server works with.

A feature is a plain function of a `Session` and the request's parameters. The session
holds the open scripts, what the client said it can do (its capabilities, whether it
takes snippets, whether it pulls diagnostics), and the few things a feature may send
the client, as functions that inkslop_lsp.server plugs in (over pygls) and a test may
plug in directly. So no feature imports the server module, and each can be called with
a session made in a test.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from lsprotocol import types
from pygls.capabilities import get_capability

from inkslop_lsp.diagnostics import Publisher
from inkslop_lsp.scripts import Scripts

DEFAULT_DIAGNOSTICS_DELAY = 0.05  # seconds without a change before a script is checked


def _ignored(*_: Any) -> None:
    return None


async def _refused(*_: Any) -> None:
    raise RuntimeError("this session cannot register capabilities with the client")


@dataclass
class Session:
    """One client's session: its scripts, its capabilities, and how to reach it."""

    version: str = ""
    # textDocument/publishDiagnostics
    send_diagnostics: Callable[[types.PublishDiagnosticsParams], None] = _ignored
    # workspace/diagnostic/refresh
    refresh_diagnostics: Callable[[], None] = _ignored
    # window/showMessage (the local narration's preview says where it wrote)
    show_message: Callable[[types.ShowMessageParams], None] = _ignored
    # client/registerCapability
    register_capability: Callable[[types.RegistrationParams], Awaitable[Any]] = _refused
    scripts: Scripts = field(default_factory=Scripts)
    capabilities: types.ClientCapabilities = field(default_factory=types.ClientCapabilities)
    position_encoding: str = "utf-16"
    snippets: bool = False  # whether the client takes snippets in completions
    pull_diagnostics: bool = False  # whether the client asks for diagnostics itself
    publisher: Publisher = field(init=False)

    def __post_init__(self) -> None:
        self.publisher = Publisher(self, DEFAULT_DIAGNOSTICS_DELAY)

    def can(self, capability: str) -> bool:
        """Whether the client declared a capability (a dotted path, as pygls spells it)."""
        return bool(get_capability(self.capabilities, capability, False))
