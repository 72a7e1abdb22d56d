"""The front matter's fast validator says what pydantic says, and keeps pydantic off the
path of valid front matter."""

from __future__ import annotations

import datetime
import subprocess
import sys
import textwrap

from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from inkslop.lint.checker import check
from inkslop.schema.front_matter_shape import (
    FRONT_MATTER_FIELDS,
    PUBLISH_FIELDS,
    PUBLISH_REQUIRED,
    fits,
)
from inkslop.schema.request import FrontMatterModel, PublishSettings
from inkslop.syntax.parser import parse


def pydantic_accepts(data: object) -> bool:
    try:
        FrontMatterModel.model_validate(data)
    except ValidationError:
        return False
    return True


def test_the_fields_are_the_models_fields() -> None:
    assert set(FRONT_MATTER_FIELDS) == set(FrontMatterModel.model_fields)
    assert set(PUBLISH_FIELDS) == set(PublishSettings.model_fields)
    required = {name for name, field in PublishSettings.model_fields.items() if field.is_required()}
    assert required == PUBLISH_REQUIRED
    assert not any(field.is_required() for field in FrontMatterModel.model_fields.values())


# Values as TOML gives them (and a few it cannot, such as None, which the models accept
# for optional fields): every type, and the values that sit at the edges of the models.
_SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=True, allow_infinity=True), st.sampled_from([0, 0.0, -0.0, 1e-300]),
    st.text(max_size=6), st.sampled_from(["9:16", "16:9", "4:3", "public", "private",
                                          "unlisted", "secret", ""]),
    st.just(datetime.date(2026, 1, 2)), st.just(datetime.time(9, 30)),
)
_VALUES = st.recursive(
    _SCALARS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(
        st.text(max_size=4) | st.sampled_from(list(PUBLISH_FIELDS)), inner, max_size=3),
    max_leaves=6)
_PUBLISH = st.dictionaries(st.sampled_from([*PUBLISH_FIELDS, "titel"]), _VALUES, max_size=5) | \
    st.fixed_dictionaries({"channel_id": st.integers(0, 99) | _SCALARS}, optional={
        "title": st.text(max_size=5) | _SCALARS, "tags": st.lists(st.text(max_size=3)) | _VALUES,
        "privacy": st.sampled_from(["public", "private", "unlisted"]) | _SCALARS,
        "ai_generate_meta": st.booleans() | _SCALARS})
_VARS = st.dictionaries(st.text(max_size=4), st.one_of(
    st.text(max_size=4), st.integers(), st.floats(), st.booleans(), _VALUES), max_size=4)
_FIELD_VALUES = {
    "publish": _PUBLISH | _VALUES, "vars": _VARS | _VALUES,
    "resolution": st.sampled_from(["9:16", "16:9"]) | _SCALARS,
    "estimated_duration": st.floats() | st.integers(-3, 3) | _SCALARS,
}
_FRONT_MATTER = st.dictionaries(
    st.sampled_from([*FRONT_MATTER_FIELDS, "video_nme", "script"]), st.just(None), max_size=6,
).flatmap(lambda keys: st.fixed_dictionaries(
    {key: _FIELD_VALUES.get(key, _VALUES) for key in keys}))


@settings(max_examples=1000, deadline=None)
@given(_FRONT_MATTER)
def test_fits_says_what_pydantic_says(data: dict[str, object]) -> None:
    assert fits(data) == pydantic_accepts(data)


@given(st.one_of(_VALUES, st.lists(_FRONT_MATTER, max_size=1)))
def test_what_is_no_table_never_fits(data: object) -> None:
    assert fits(data) == pydantic_accepts(data)


VALID = '''+++
video_name = "mantis"
resolution = "16:9"
notify_on_complete = true
[vars]
animal = "mantis"
count = 3
[publish]
channel_id = 3
tags = ["sea", "shrimp"]
privacy = "unlisted"
+++
[tts engine="kokoro_tts" voice="af_heart"]
The {{ animal }} has {{ count }} hearts.
[/tts]
'''


def test_valid_front_matter_is_checked_without_pydantic() -> None:
    program = textwrap.dedent(f"""
        import sys
        from inkslop.lint.checker import check
        from inkslop.syntax.parser import parse
        found = check(parse({VALID!r}))
        assert [d.code for d in found] == [], found
        print("pydantic" in sys.modules)
    """)
    ran = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True,
                         check=True)
    assert ran.stdout.strip() == "False"


def test_a_wrong_value_is_still_worded_by_pydantic() -> None:
    text = VALID.replace('privacy = "unlisted"', 'privacy = "secret"').replace(
        "channel_id = 3", 'channel_id = "3"')
    found = [(d.code, d.message, d.span.line) for d in check(parse(text))]
    assert found == [
        ("F001", "`publish.channel_id`: input should be a valid integer.", 9),
        ("F001", "`publish.privacy`: input should be 'public', 'private' or 'unlisted'.", 11),
    ]
