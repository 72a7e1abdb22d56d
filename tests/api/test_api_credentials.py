"""The API key: refused unless `isk_…`, never shown, found in the documented order, and kept
in a private file per API base URL."""

from __future__ import annotations

import copy
import pickle
import stat

import pytest

from inkslop.api.base_url import BaseUrlError, check_base_url, resolve_base_url
from inkslop.api.credentials import (
    ApiKey,
    CredentialsError,
    is_private,
    key_file_path,
    load_saved_key,
    remove_key,
    resolve_api_key,
    save_key,
)

SECRET = "isk_Zm9vYmFyYmF6cXV4cXV1eDEyMzQ1Njc4OTA"
OTHER = "isk_b3RoZXJrZXlvdGhlcmtleW90aGVya2V5MDA"
BASE = "https://inkslop.com/api/proxy/api/v1"
SANDBOX = "http://127.0.0.1:8765/api/v1"


@pytest.fixture
def key_file(tmp_path):
    return tmp_path / "config" / "inkslop" / "credentials.json"


# ---- ApiKey ------------------------------------------------------------------------------

def test_a_key_shows_only_its_prefix():
    key = ApiKey(SECRET)
    formatted = "{}".format(key)  # noqa: UP032 - every way of formatting
    percent = "%s" % key  # noqa: UP031
    shown = [repr(key), str(key), f"{key}", f"{key!r}", formatted, percent, repr([key]),
             repr({"key": key})]
    for text in shown:
        assert SECRET not in text
        assert SECRET[4:10] not in text and SECRET[-4:] not in text
    assert str(key) == "isk_…"
    assert key.reveal() == SECRET


def test_a_key_is_never_pickled_but_may_be_copied():
    with pytest.raises(TypeError, match="not pickled"):
        pickle.dumps(ApiKey(SECRET))
    with pytest.raises(TypeError):
        copy.copy(ApiKey(SECRET))


def test_keys_compare_by_secret_and_hash_by_fingerprint():
    assert ApiKey(SECRET) == ApiKey(f"  {SECRET}\n")  # pasted with spaces, read with a newline
    assert ApiKey(SECRET) != ApiKey(OTHER)
    assert ApiKey(SECRET) != SECRET
    assert len({ApiKey(SECRET), ApiKey(SECRET), ApiKey(OTHER)}) == 2
    assert ApiKey(ApiKey(SECRET)) == ApiKey(SECRET)


def test_the_fingerprint_is_stable_and_does_not_contain_the_key():
    fingerprint = ApiKey(SECRET).fingerprint()
    assert fingerprint == ApiKey(SECRET).fingerprint() != ApiKey(OTHER).fingerprint()
    assert SECRET[4:12] not in fingerprint and len(fingerprint) == 32


@pytest.mark.parametrize(("value", "message"), [
    ("", "empty"),
    ("   \n", "empty"),
    ("sk_live_abcdef", "start with `isk_`"),
    ("Bearer isk_abcdef", "start with `isk_`"),
    ("ISK_abcdef", "start with `isk_`"),
    ("isk_", "only its prefix"),
    ("isk_abc def", "spaces"),
    ("isk_abc\x00def", "printable ASCII"),
    ("isk_abc\r\nX-Evil: 1", "printable ASCII"),
    ("isk_café", "printable ASCII"),
])
def test_keys_that_are_not_inkslop_keys_are_refused_without_echoing_them(value, message):
    with pytest.raises(CredentialsError, match=message) as caught:
        ApiKey(value)
    if value.strip() not in ("", "isk_"):
        assert value.strip() not in str(caught.value)


def test_a_key_must_be_text():
    with pytest.raises(TypeError):
        ApiKey(b"isk_abc")  # type: ignore[arg-type]


# ---- where the key comes from ------------------------------------------------------------

def test_the_given_key_wins_then_the_environment_then_the_file(key_file):
    save_key(BASE, ApiKey(OTHER), key_file)
    env = {"INKSLOP_API_KEY": SECRET}
    key, source = resolve_api_key("isk_given123", BASE, env, key_file)
    assert key.reveal() == "isk_given123" and source == "--api-key"
    key, source = resolve_api_key(None, BASE, env, key_file)
    assert key.reveal() == SECRET and source == "INKSLOP_API_KEY"
    key, source = resolve_api_key(None, BASE, {}, key_file)
    assert key.reveal() == OTHER and source == f"the key file {key_file}"


def test_no_key_anywhere_says_how_to_give_one(key_file):
    with pytest.raises(CredentialsError, match="inkslop auth login.*INKSLOP_API_KEY.*--api-key"):
        resolve_api_key(None, BASE, {}, key_file)


def test_a_bad_key_in_the_environment_is_refused(key_file):
    with pytest.raises(CredentialsError, match="isk_"):
        resolve_api_key(None, BASE, {"INKSLOP_API_KEY": "sk_live_nope"}, key_file)


# ---- the key file ------------------------------------------------------------------------

def test_the_key_file_is_private_and_keeps_one_key_per_base_url(key_file):
    save_key(BASE, ApiKey(SECRET), key_file)
    save_key(SANDBOX + "/", ApiKey(OTHER), key_file)
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert stat.S_IMODE(key_file.parent.stat().st_mode) == 0o700
    assert is_private(key_file)
    assert load_saved_key(BASE, key_file) == SECRET
    assert load_saved_key(SANDBOX, key_file) == OTHER
    assert load_saved_key("https://elsewhere.example/api", key_file) is None
    assert not [p for p in key_file.parent.iterdir() if p != key_file]  # no temporary left


def test_saving_again_replaces_the_key_and_keeps_the_mode(key_file):
    save_key(BASE, ApiKey(SECRET), key_file)
    key_file.chmod(0o644)
    assert not is_private(key_file)
    save_key(BASE, ApiKey(OTHER), key_file)
    assert load_saved_key(BASE, key_file) == OTHER
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600


def test_removing_keys_one_base_url_at_a_time(key_file):
    save_key(BASE, ApiKey(SECRET), key_file)
    save_key(SANDBOX, ApiKey(OTHER), key_file)
    assert remove_key(SANDBOX, key_file)
    assert not remove_key(SANDBOX, key_file)
    assert load_saved_key(BASE, key_file) == SECRET
    assert remove_key(BASE, key_file)
    assert not key_file.exists()


def test_a_damaged_key_file_is_a_clear_error_without_its_content(key_file):
    key_file.parent.mkdir(parents=True)
    key_file.write_text('{"keys": {"x": "isk_leaky_but_broken"')
    with pytest.raises(CredentialsError, match="damaged") as caught:
        load_saved_key(BASE, key_file)
    assert "isk_leaky" not in str(caught.value)


def test_the_key_file_is_in_the_user_config_directory(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    assert key_file_path() == tmp_path / "inkslop" / "credentials.json"


# ---- the base URL ------------------------------------------------------------------------

def test_the_base_url_given_then_the_environment_then_the_documented_one():
    assert resolve_base_url(None, {}) == BASE
    assert resolve_base_url(None, {"INKSLOP_API_BASE": SANDBOX + "/"}) == SANDBOX
    assert resolve_base_url("https://x.example/v1", {"INKSLOP_API_BASE": SANDBOX}) \
        == "https://x.example/v1"


@pytest.mark.parametrize("url", [
    "http://127.0.0.1:8000/api/v1", "http://localhost:1/api", "http://[::1]:8000/api/v1",
    "https://inkslop.com/api/proxy/api/v1/",
])
def test_usable_base_urls(url):
    assert check_base_url(url) == url.rstrip("/")


@pytest.mark.parametrize(("url", "message"), [
    ("http://inkslop.com/api/proxy/api/v1", "unencrypted"),
    ("http://192.168.1.5/api/v1", "unencrypted"),
    ("ftp://inkslop.com/", "not an http"),
    ("inkslop.com/api", "not an http"),
    ("https://inkslop.com/api?key=1", "query"),
])
def test_unusable_base_urls(url, message):
    with pytest.raises(BaseUrlError, match=message):
        check_base_url(url)
