"""Front matter rules: the request settings at the top of a script (toolkit)."""

from __future__ import annotations

import re
from typing import Any

from inkslop.lint.rules.registry import CheckContext, Rule
from inkslop.schema.near_miss import did_you_mean
from inkslop.syntax.ast import FrontMatter
from inkslop.syntax.diagnostics import ERROR, WARNING, Edit, Fix
from inkslop.syntax.spans import Span

_TTS = '[tts engine="kokoro_tts" voice="af_heart"]\nHello.\n[/tts]\n'
_TABLE = re.compile(r"^\s*\[\s*([A-Za-z0-9_.\-]+)\s*\]\s*$")


def check(ctx: CheckContext) -> None:
    front_matter = ctx.document.front_matter
    if front_matter is None or front_matter.data is None:
        return
    from pydantic import ValidationError

    from inkslop.schema.request import FrontMatterModel

    data = front_matter.data
    try:
        FrontMatterModel.model_validate(data)
    except ValidationError as error:
        seen: set[tuple[str, ...]] = set()
        for problem in error.errors():
            # A value that fits no member of a union fails once per member: report it once.
            location = _in_data(data, problem["loc"])
            if location not in seen:
                seen.add(location)
                _report_problem(ctx, front_matter, {**problem, "loc": location})
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
        from inkslop.schema.request import FrontMatterModel, PublishSettings

        model = PublishSettings if location[:1] == ("publish",) else FrontMatterModel
        ctx.report(UNKNOWN_FIELD, f"The front matter has no field `{dotted}`."
                   + did_you_mean(location[-1], model.model_fields), span)
    elif location[:1] == ("vars",) and len(location) == 2:
        ctx.report(INVALID_FIELD, f"`{dotted}`: a variable's value is a text, a number or true "
                   "or false.", span)
    else:
        message = problem["msg"]
        ctx.report(INVALID_FIELD, f"`{dotted}`: {message[0].lower()}{message[1:]}.", span)


def key_span(ctx: CheckContext, front_matter: FrontMatter, location: tuple[str, ...]) -> Span:
    """The span of a key in the front matter's TOML (its line's key), found by its table."""
    body = front_matter.body
    table: tuple[str, ...] = ()
    offset = 0
    keys = [k for k in location if not k.isdigit()]
    parents, key = tuple(keys[:-1]), keys[-1] if keys else ""
    found: Span | None = None
    for line in body.splitlines(keepends=True):
        header = _TABLE.match(line)
        if header:
            table = tuple(header[1].split("."))
            if table == tuple(keys):
                found = found or _span_in(ctx, front_matter, offset, line, header[1])
        else:
            match = re.match(r"\s*(\"?)([A-Za-z0-9_\-]+)\1\s*=", line)
            if match and table == parents and match[2] == key:
                return _span_in(ctx, front_matter, offset, line, match[2])
            if match and table == () and parents and match[2] == parents[0] and found is None:
                found = _span_in(ctx, front_matter, offset, line, match[2])
        offset += len(line)
    if found is None and len(keys) > 1:
        return key_span(ctx, front_matter, tuple(keys[:-1]))
    return found or front_matter.span


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
    "Usually a typo (`video_nme`); the setting would be silently lost.",
    bad='+++\nvideo_nme = "mantis"\n+++\n' + _TTS, good='+++\nvideo_name = "mantis"\n+++\n' + _TTS,
    rests_on="toolkit")
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
