"""What every command that talks to InkSlop shares: the `--api-base` and `--api-key`
options, opening a client, and turning the client's errors into one line and an exit status
(1: InkSlop refused; 2: usage, configuration or network). Never a traceback, never the key.

Imports nothing heavy at module level: httpx and pydantic come with the client, inside the
command.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import click

from inkslop.api import errors
from inkslop.api.base_url import BaseUrlError, resolve_base_url
from inkslop.api.errors import InkSlopError
from inkslop.cli import fail
from inkslop.config.loader import ConfigError, settings_for
from inkslop.estimate.clock import wait_in_words

Function = TypeVar("Function", bound=Callable[..., Any])

REFUSED, TROUBLE = 1, 2


def api_options(function: Function) -> Function:
    """Add `--api-base` (or INKSLOP_API_BASE) and `--api-key` (or INKSLOP_API_KEY)."""
    function = click.option(
        "--api-key", metavar="KEY",
        help="The API key (isk_...). Better: INKSLOP_API_KEY or `inkslop auth login`, since "
             "a command line can be seen by other users of the machine.")(function)
    return api_base_option(function)


def api_base_option(function: Function) -> Function:
    return click.option(
        "--api-base", metavar="URL", envvar="INKSLOP_API_BASE", show_envvar=True,
        help="The API's base URL (default: https://inkslop.com/api/proxy/api/v1).")(function)


def base_url(api_base: str | None) -> str:
    """The checked base URL, or exit 2 saying what is wrong with it."""
    try:
        return resolve_base_url(api_base)
    except BaseUrlError as error:
        fail(str(error))


def open_client(api_base: str | None, api_key: str | None, *, account: str | None = None,
                near: Path | None = None, **options: Any) -> Any:
    """A Client for the options given, or exit 2 (no key, a bad key or URL, a broken
    configuration). Its rate limits count for `account`, else the `[api] account` of the
    configuration nearest to `near` (a script; default: the current directory)."""
    # httpx and pydantic come with the client: only commands that talk to InkSlop load them
    from inkslop.api.client import Client

    account = account or configured_account(near or Path.cwd())
    with reported_errors():
        return Client(api_key, base_url(api_base), account=account, **options)


def configured_account(near: Path) -> str | None:
    """The `[api] account` of the configuration that applies at `near`, or None; exit 2
    when that configuration is broken."""
    try:
        return settings_for(near).api_account
    except ConfigError as error:
        fail(str(error))


@contextmanager
def reported_errors() -> Iterator[None]:
    """Exit with one line for any error of the API client."""
    try:
        yield
    except InkSlopError as error:
        message, status = explain(error)
    else:
        return
    fail(message, status)


def explain(error: Exception) -> tuple[str, int]:
    """The line to print for an error of the API client, and the exit status."""
    if isinstance(error, errors.APIStatusError):
        return describe_refusal(error), REFUSED
    if isinstance(error, errors.ClientRateLimitError):
        return f"{error}; try again then", REFUSED
    if isinstance(error, errors.APIConnectionError):
        return f"cannot reach InkSlop: {error}", TROUBLE
    return str(error), TROUBLE


def describe_refusal(error: Any) -> str:
    """One line for an error status, with what to do about the common ones."""
    detail = str(error.detail).strip() or "(no detail)"
    if error.status_code == 401:
        return (f"InkSlop refused the API key (401: {detail}); check it with "
                "`inkslop auth status`")
    if error.status_code == 402 and getattr(error, "balance", None) is not None:
        return (f"not enough credits (402): the balance is {error.balance:g}, "
                f"{error.required:g} are needed")
    if error.status_code == 429 and error.retry_after is not None:
        return f"rate limited (429: {detail}); try again in {wait_in_words(error.retry_after)}"
    return f"InkSlop refused ({error.status_code}: {detail})"


def print_table(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> None:
    """Columns aligned on the widest cell; nothing but the header when there are no rows."""
    widths = [max(len(cell) for cell in column) for column in zip(header, *rows)]
    for row in (header, *rows):
        cells = [cell.ljust(width) for cell, width in zip(row, widths)]
        click.echo("  ".join(cells).rstrip())


def text(value: Any) -> str:
    """A cell: `-` for nothing."""
    if value is None or value == "":
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)
