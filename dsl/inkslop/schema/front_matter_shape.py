"""Whether front matter fits `inkslop.schema.request.FrontMatterModel`, without pydantic.

Importing pydantic and building the request models costs about a hundred milliseconds, for
a validation that takes a twentieth of one: more than the rest of `inkslop check`'s
start-up. Most front matter is valid, so `fits` answers that case with plain Python, and
the front matter rule asks pydantic only when `fits` says no, so that the messages of a
wrong value stay pydantic's own.

`fits` says yes exactly when pydantic accepts the data: the models are strict (no
coercion: `true` is no number, `3` is no text, but an integer is a float) and forbid
unknown keys. tests/schema/test_front_matter_shape.py compares both verdicts on generated
front matter, and checks that the fields below are the models' fields.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Check = Callable[[Any], bool]


def _text(value: Any) -> bool:
    return type(value) is str


def _integer(value: Any) -> bool:
    return type(value) is int


def _real(value: Any) -> bool:
    return type(value) in (int, float)


def _boolean(value: Any) -> bool:
    return type(value) is bool


def _optional(check: Check) -> Check:
    return lambda value: value is None or check(value)


def _one_of(*choices: str) -> Check:
    return lambda value: type(value) is str and value in choices


def _texts(value: Any) -> bool:
    return type(value) is list and all(type(item) is str for item in value)


def _positive(value: Any) -> bool:
    return _real(value) and value > 0  # NaN is not > 0


def _variables(value: Any) -> bool:
    return type(value) is dict and all(
        type(name) is str and type(item) in (str, int, float, bool) for name, item in value.items())


def _table(fields: dict[str, Check], required: frozenset[str] = frozenset()) -> Check:
    def check(value: Any) -> bool:
        return (type(value) is dict and required <= value.keys()
                and all(name in fields and fields[name](item) for name, item in value.items()))
    return check


PRIVACY = ("public", "private", "unlisted")
RESOLUTIONS = ("9:16", "16:9")

# PublishSettings: channel_id is the one required field.
PUBLISH_FIELDS: dict[str, Check] = {
    "channel_id": _integer,
    "title": _optional(_text),
    "description": _optional(_text),
    "tags": _optional(_texts),
    "privacy": _optional(_one_of(*PRIVACY)),
    "review_before_publish": _optional(_boolean),
    "ai_generate_meta": _optional(_boolean),
}
PUBLISH_REQUIRED = frozenset({"channel_id"})

# FrontMatterModel: RequestSettings, plus estimated_duration and vars.
FRONT_MATTER_FIELDS: dict[str, Check] = {
    "video_name": _optional(_text),
    "resolution": _one_of(*RESOLUTIONS),
    "notify_on_complete": _optional(_boolean),
    "publish": _optional(_table(PUBLISH_FIELDS, PUBLISH_REQUIRED)),
    "estimated_duration": _optional(_positive),
    "vars": _variables,
}

_FRONT_MATTER = _table(FRONT_MATTER_FIELDS)


def fits(data: Any) -> bool:
    """Whether pydantic's FrontMatterModel accepts `data` (a TOML table)."""
    return _FRONT_MATTER(data)
