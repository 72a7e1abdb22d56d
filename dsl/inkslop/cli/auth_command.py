"""`inkslop auth login|logout|status`: the API key kept in the user's config directory.

`login` reads the key with a hidden prompt (or from standard input when it is not a
terminal: `inkslop auth login < key.txt`), refuses one that does not start `isk_`, checks it
with `GET /keys` when InkSlop can be reached (a 401 refuses it; no answer saves it with a
warning), and writes it to the key file with mode 0600, for one API base URL. The key is
never printed: `status` says where it comes from and shows `isk_…`."""

from __future__ import annotations

import sys

import click

from inkslop.api.credentials import (
    ApiKey,
    CredentialsError,
    is_private,
    key_file_path,
    remove_key,
    resolve_api_key,
    save_key,
)
from inkslop.api.errors import AuthenticationError, InkSlopError
from inkslop.cli.api_access import (
    REFUSED,
    api_base_option,
    api_options,
    base_url,
    explain,
    fail,
)


@click.group()
def auth() -> None:
    """Save, remove or show the API key the other commands use."""


@auth.command()
@api_base_option
@click.option("--no-verify", is_flag=True, help="Save the key without asking InkSlop.")
def login(api_base: str | None, no_verify: bool) -> None:
    """Save an API key for the API base URL (hidden prompt, or standard input)."""
    base = base_url(api_base)
    try:
        key = ApiKey(_read_key())
        if not no_verify:
            _verify(key, base)
        path = save_key(base, key)
    except CredentialsError as error:
        fail(str(error))
    click.echo(f"Saved the API key for {base} in {path} (readable by you only).", err=True)


def _read_key() -> str:
    if sys.stdin.isatty():
        return click.prompt("InkSlop API key (isk_...)", hide_input=True, err=True)
    return sys.stdin.readline()


def _verify(key: object, base: str) -> None:
    """Ask InkSlop whether the key works: refuse it on 401, warn when it cannot say."""
    # httpx and pydantic come with the client: `auth status` without --check needs neither
    from inkslop.api.client import Client

    try:
        with Client(key, base, max_retries=1, rate_limiter=False) as client:
            count = len(client.list_keys())
    except AuthenticationError as error:
        fail(f"InkSlop refused this key (401: {error.detail}); it was not saved", REFUSED)
    except InkSlopError as error:
        message, _ = explain(error)
        click.echo(f"warning: the key could not be checked ({message}); saving it anyway",
                   err=True)
        return
    click.echo(f"The key works ({count} key{'s' * (count != 1)} on the account).", err=True)


@auth.command()
@api_base_option
def logout(api_base: str | None) -> None:
    """Forget the API key saved for the API base URL."""
    base = base_url(api_base)
    try:
        removed = remove_key(base)
    except CredentialsError as error:
        fail(str(error))
    if removed:
        click.echo(f"Removed the API key for {base} from {key_file_path()}.", err=True)
    else:
        click.echo(f"No API key was saved for {base}.", err=True)


@auth.command()
@api_options
@click.option("--check", is_flag=True, help="Also ask InkSlop whether the key works.")
def status(api_base: str | None, api_key: str | None, check: bool) -> None:
    """Say which API key the commands use, and where it comes from (never the key)."""
    base = base_url(api_base)
    click.echo(f"API base: {base}")
    try:
        key, source = resolve_api_key(api_key, base)
    except CredentialsError as error:
        fail(str(error), REFUSED)
    click.echo(f"API key: {key} (from {source})")
    path = key_file_path()
    if source.startswith("the key file") and not is_private(path):
        click.echo(f"warning: {path} can be read by other users: chmod 600 it", err=True)
    if check:
        _check(key, base)


def _check(key: object, base: str) -> None:
    # httpx and pydantic come with the client: only a check needs them
    from inkslop.api.client import Client

    try:
        with Client(key, base, max_retries=1, rate_limiter=False) as client:
            client.list_keys()
    except InkSlopError as error:
        message, code = explain(error)
        fail(message, code)
    click.echo("The key works.")
