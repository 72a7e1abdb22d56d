"""Front matter rules: the request settings at the top of a script (toolkit)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from inkslop.lint.rules.registry import CheckContext, Rule
from inkslop.schema.front_matter_shape import fits
from inkslop.schema.near_miss import near_misses
from inkslop.syntax.ast import FrontMatter
from inkslop.syntax.diagnostics import ERROR, WARNING, Edit, Fix
from inkslop.syntax.spans import Span

_TTS = '[tts engine="kokoro_tts" voice="af_heart"]\nHello.\n[/tts]\n'
_TABLE = re.compile(r"^\s*\[\s*([A-Za-z0-9_.\-]+)\s*\]\s*$")
_KEY = re.compile(r"\s*(\"?)([A-Za-z0-9_\-]+)\1\s*=")


def check(ctx: CheckContext) -> None:
    front_matter = ctx.document.front_matter
    if front_matter is None or front_matter.data is None:
        return
    data = front_matter.data
    if not fits(data):  # pydantic only for a wrong value, to word what is wrong
        _report_invalid(ctx, front_matter, data)
    if "estimated_duration" in data:
        span = key_span(ctx, front_matter, ("estimated_duration",))
        line = ctx.document.lines.span(span.start - span.column + 1, _line_end(ctx, span.end))
        ctx.report(HAND_WRITTEN_DURATION, "`estimated_duration` is computed from the script "
                   "when it is sent: remove it.", span,
                   Fix("Remove the line", (Edit(line, ""),)))
    publish = data.get("publish")
    if isinstance(publish, dict) and publish.get("ai_generate_meta") and publish.get("title"):
        ctx.report(TITLE_WITH_AI_META, "With `ai_generate_meta = true` InkSlop writes the title: "
                   "leave `title` out, or set `ai_generate_meta = false`.",
                   key_span(ctx, front_matter, ("publish", "title")))


def _report_invalid(ctx: CheckContext, front_matter: FrontMatter, data: dict[str, Any]) -> None:
    # pydantic and the models load only for front matter that does not fit
    from pydantic import ValidationError  # pydantic: only for front matter that is wrong

    from inkslop.schema.request import FrontMatterModel

    try:
        FrontMatterModel.model_validate(data)
    except ValidationError as error:
        problems = [{**p, "loc": _in_data(data, p["loc"])} for p in error.errors()]
        # A required key whose near miss is written is that key's F002, not a missing field.
        seen = {(*p["loc"][:-1], _meant_key(p["loc"])) for p in problems
                if p["type"] == "extra_forbidden" and _meant_key(p["loc"])}
        for problem in problems:
            # A value that fits no member of a union fails once per member: report it once.
            if problem["loc"] not in seen:
                seen.add(problem["loc"])
                _report_problem(ctx, front_matter, problem)


def _fields(location: tuple[str, ...]) -> Any:
    from inkslop.schema.request import FrontMatterModel, PublishSettings

    return (PublishSettings if location[:1] == ("publish",) else FrontMatterModel).model_fields


def _meant_key(location: tuple[str, ...]) -> str | None:
    """The known key that an unknown one is a near miss of, if any."""
    found = near_misses(location[-1], _fields(location))
    return found[0] if found else None


def _in_data(data: Any, location: tuple[Any, ...]) -> tuple[str, ...]:
    """The part of an error's location that names keys of the data (not union members)."""
    found: list[str] = []
    for part in location:
        if isinstance(data, dict) and part in data:
            data = data[part]
        elif isinstance(data, list) and isinstance(part, int) and part < len(data):
            data = data[part]
        elif isinstance(data, dict) and not found or isinstance(data, dict):
            found.append(str(part))  # a missing or extra key: still the place to point at
            break
        else:
            break
        found.append(str(part))
    return tuple(found)


def _report_problem(ctx: CheckContext, front_matter: FrontMatter, problem: dict[str, Any]) -> None:
    location = tuple(str(part) for part in problem["loc"])
    span = key_span(ctx, front_matter, location)
    dotted = ".".join(location)
    if problem["type"] == "extra_forbidden":
        meant = _meant_key(location)
        table = front_matter.data.get("publish") if location[:1] == ("publish",) else \
            front_matter.data
        fix = Fix(f"Rename to `{meant}`", (Edit(span, meant),), safe=False) \
            if meant and meant not in (table or {}) else None  # never a key twice
        ctx.report(UNKNOWN_FIELD, f"The front matter has no field `{dotted}`."
                   + (f" Did you mean `{meant}`?" if meant else ""), span, fix)
    elif location[:1] == ("vars",) and len(location) == 2:
        ctx.report(INVALID_FIELD, f"`{dotted}`: a variable's value is a text, a number or true "
                   "or false.", span)
    else:
        message = problem["msg"]
        ctx.report(INVALID_FIELD, f"`{dotted}`: {message[0].lower()}{message[1:]}.", span)


def key_span(ctx: CheckContext, front_matter: FrontMatter, location: tuple[str, ...]) -> Span:
    """The span of a key in the front matter's TOML (its line's key), found by its table."""
    keys = [k for k in location if not k.isdigit()]
    parents, key = tuple(keys[:-1]), keys[-1] if keys else ""
    index = _key_index(front_matter.body)  # one scan of the TOML for all the findings
    place = index.keys.get((parents, key))
    if place is None:  # the table's header, or the parent key holding an inline table
        candidates = [index.headers.get(tuple(keys)), index.keys.get(((), parents[0]))
                      if parents else None]
        place = min((c for c in candidates if c is not None), default=None)
    if place is None and len(keys) > 1:
        return key_span(ctx, front_matter, tuple(keys[:-1]))
    return _span_in(ctx, front_matter, *place) if place else front_matter.span


@dataclass(frozen=True, slots=True)
class _KeyIndex:
    """Where each key and table header first stands: (offset of its line, line, word)."""

    keys: dict[tuple[tuple[str, ...], str], tuple[int, str, str]]
    headers: dict[tuple[str, ...], tuple[int, str, str]]


@lru_cache(maxsize=8)
def _key_index(body: str) -> _KeyIndex:
    keys: dict[tuple[tuple[str, ...], str], tuple[int, str, str]] = {}
    headers: dict[tuple[str, ...], tuple[int, str, str]] = {}
    table: tuple[str, ...] = ()
    offset = 0
    for line in body.splitlines(keepends=True):
        header = _TABLE.match(line)
        if header:
            table = tuple(header[1].split("."))
            headers.setdefault(table, (offset, line, header[1]))
        else:
            match = _KEY.match(line)
            if match:
                keys.setdefault((table, match[2]), (offset, line, match[2]))
        offset += len(line)
    return _KeyIndex(keys, headers)


def _span_in(ctx: CheckContext, front_matter: FrontMatter, offset: int, line: str,
             word: str) -> Span:
    start = front_matter.body_span.start + offset + line.index(word)
    return ctx.document.lines.span(start, start + len(word))


def _line_end(ctx: CheckContext, offset: int) -> int:
    end = ctx.document.text.find("\n", offset)
    return len(ctx.document.text) if end == -1 else end + 1


INVALID_FIELD = Rule(
    "F001", "invalid-front-matter-field", ERROR, "A front matter field with a wrong value.",
    "The front matter becomes the request sent to InkSlop; a wrong value (a resolution of "
    '"4:3", a privacy of "secret") would be refused after the script was written.',
    bad='+++\nresolution = "4:3"\n+++\n' + _TTS, good='+++\nresolution = "16:9"\n+++\n' + _TTS)
UNKNOWN_FIELD = Rule(
    "F002", "unknown-front-matter-field", ERROR, "A front matter field the request does not have.",
    "Usually a typo (`video_nme`); the setting would be silently lost. A near miss of a known "
    "field gets a \"did you mean\" and a fix that renames the key.",
    bad='+++\nvideo_nme = "mantis"\n+++\n' + _TTS, good='+++\nvideo_name = "mantis"\n+++\n' + _TTS,
    fix="unsafe", rests_on="toolkit",
    severity_note="Error: the toolkit defines every field of the front matter, so a key it "
                  "does not know is never sent: whether a near miss (`video_nme`) or far from "
                  "every field, the setting is lost.")
HAND_WRITTEN_DURATION = Rule(
    "F003", "hand-written-duration", WARNING, "`estimated_duration` written in the front matter.",
    "The toolkit computes the duration from the narration for InkSlop's credit pre-check; a "
    "hand-written figure goes stale as soon as the script changes.",
    bad='+++\nestimated_duration = 15\n+++\n' + _TTS, good='+++\nvideo_name = "hello"\n+++\n' + _TTS,
    fix="safe", rests_on="toolkit")
TITLE_WITH_AI_META = Rule(
    "F004", "title-with-ai-meta", WARNING, "A publish title together with `ai_generate_meta`.",
    "InkSlop's documentation says to leave the title empty when AI generates the metadata.",
    bad='+++\n[publish]\nchannel_id = 3\ntitle = "Shrimp"\nai_generate_meta = true\n+++\n' + _TTS,
    good='+++\n[publish]\nchannel_id = 3\nai_generate_meta = true\n+++\n' + _TTS)

RULES = [INVALID_FIELD, UNKNOWN_FIELD, HAND_WRITTEN_DURATION, TITLE_WITH_AI_META]
