"""The API key: where it comes from, how it is kept, and how it stays secret.

Looked for in this order: the key given (`--api-key`), `INKSLOP_API_KEY`, then the key file
that `inkslop auth login` writes in the user's config directory (mode 0600, one key per API
base URL, so a sandbox key and the real one live side by side).

An `ApiKey` never shows itself: its `repr` and `str` are `isk_…`, it refuses to be
pickled, and the secret comes out only through `reveal()` (for the Authorization header)
and `fingerprint()` (a hash, to tell keys apart).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any, NoReturn

from platformdirs import user_config_path

from inkslop.api.constants import API_KEY_ENV, API_KEY_PREFIX, APP_NAME, KEY_FILE_NAME
from inkslop.api.errors import InkSlopError
from inkslop.files import write_atomically

REDACTED = f"{API_KEY_PREFIX}…"


class CredentialsError(InkSlopError):
    """No usable API key; the message says what to do, and never holds the key."""


class ApiKey:
    """An InkSlop API key (`isk_…`) that does not print itself."""

    __slots__ = ("_secret",)

    def __init__(self, secret: str | ApiKey) -> None:
        if isinstance(secret, ApiKey):
            secret = secret.reveal()
        if not isinstance(secret, str):
            raise TypeError("an API key is a str")
        self._secret = _checked(secret.strip())

    def reveal(self) -> str:
        """The secret itself: for the Authorization header and nothing else."""
        return self._secret

    def fingerprint(self) -> str:
        """A non-reversible name for this key: the first 128 bits of a domain-separated
        SHA-256 (to tell keys apart without holding them)."""
        return hashlib.sha256(b"inkslop rate limiter\0" + self._secret.encode()).hexdigest()[:32]

    def __repr__(self) -> str:
        return f"ApiKey({REDACTED!r})"

    def __str__(self) -> str:
        return REDACTED

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ApiKey) and hmac.compare_digest(self._secret, other._secret)

    def __hash__(self) -> int:
        return hash(self.fingerprint())

    def __reduce__(self) -> NoReturn:
        raise TypeError("an API key is not pickled (it would be written out in clear)")


def _checked(secret: str) -> str:
    if not secret:
        raise CredentialsError("the API key is empty")
    if not secret.startswith(API_KEY_PREFIX):
        raise CredentialsError(f"that is not an InkSlop API key: keys start with "
                               f"`{API_KEY_PREFIX}` (create one in the dashboard's Accounts "
                               f"tab, or with `inkslop keys create`)")
    if len(secret) == len(API_KEY_PREFIX):
        raise CredentialsError(f"the API key is only its prefix `{API_KEY_PREFIX}`")
    if not all(33 <= ord(character) < 127 for character in secret):
        raise CredentialsError("the API key contains spaces or characters that are not "
                               "printable ASCII; was it pasted whole?")
    return secret


def resolve_api_key(given: str | ApiKey | None, base_url: str,
                    environ: Mapping[str, str] | None = None,
                    key_file: Path | None = None) -> tuple[ApiKey, str]:
    """The key to use and where it came from (for `inkslop auth status`), or
    CredentialsError saying how to give one."""
    environ = os.environ if environ is None else environ
    if given:
        return ApiKey(given), "--api-key"
    if environ.get(API_KEY_ENV):
        return ApiKey(environ[API_KEY_ENV]), API_KEY_ENV
    key_file = key_file or key_file_path()
    saved = load_saved_key(base_url, key_file)
    if saved:
        return ApiKey(saved), f"the key file {key_file}"
    raise CredentialsError(f"no API key for {base_url}: run `inkslop auth login`, set "
                           f"{API_KEY_ENV}, or pass --api-key")


# ---- the key file ------------------------------------------------------------------------

def key_file_path() -> Path:
    """The key file in the user's config directory (XDG_CONFIG_HOME on Linux)."""
    return user_config_path(APP_NAME) / KEY_FILE_NAME


def load_saved_key(base_url: str, key_file: Path | None = None) -> str | None:
    """The key saved for `base_url`, or None."""
    return _read_keys(key_file or key_file_path()).get(base_url.rstrip("/"))


def save_key(base_url: str, key: ApiKey, key_file: Path | None = None) -> Path:
    """Save `key` for `base_url` (replacing any other), readable by the user only."""
    key_file = key_file or key_file_path()
    keys = _read_keys(key_file)
    keys[base_url.rstrip("/")] = key.reveal()
    try:
        _write_keys(key_file, keys)
    except OSError as error:
        raise CredentialsError(f"the key file {key_file} cannot be written: "
                               f"{error.strerror}") from None
    return key_file


def remove_key(base_url: str, key_file: Path | None = None) -> bool:
    """Forget the key saved for `base_url`; False when there was none. The file goes when
    it holds no key any more."""
    key_file = key_file or key_file_path()
    keys = _read_keys(key_file)
    if keys.pop(base_url.rstrip("/"), None) is None:
        return False
    if keys:
        _write_keys(key_file, keys)
    else:
        key_file.unlink(missing_ok=True)
    return True


def is_private(key_file: Path) -> bool:
    """Whether only its owner may read or write the file (mode 0600 or stricter)."""
    return key_file.stat().st_mode & 0o077 == 0


def _read_keys(key_file: Path) -> dict[str, str]:
    try:
        text = key_file.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    except OSError as error:
        raise CredentialsError(f"the key file {key_file} cannot be read: "
                               f"{error.strerror}") from None
    try:
        data: Any = json.loads(text)
    except ValueError:
        data = None
    keys = data.get("keys") if isinstance(data, dict) else None
    if not isinstance(keys, dict) or not all(isinstance(v, str) for v in keys.values()):
        raise CredentialsError(f"the key file {key_file} is damaged: run `inkslop auth "
                               f"logout`, then `inkslop auth login`")
    return dict(keys)


def _write_keys(key_file: Path, keys: dict[str, str]) -> None:
    """Write atomically: a private temporary file beside it, then a rename."""
    key_file.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    text = json.dumps({"version": 1, "keys": keys}, indent=2) + "\n"
    write_atomically(key_file, text, mode=0o600)
