"""Duration rules: what the estimate says about the script (see inkslop.estimate.estimator)."""

from __future__ import annotations

from inkslop.estimate.clock import clock
from inkslop.lint.rules.registry import CheckContext, Rule
from inkslop.syntax.diagnostics import WARNING

_LINE = "Octopuses have three hearts, blue blood and nine brains.\n"


def check(ctx: CheckContext) -> None:
    settings = ctx.settings
    if settings is None or settings.max_seconds is None or not ctx.document.children:
        return
    from inkslop.estimate.estimator import estimate_document  # off the import path of check

    result = estimate_document(ctx.document, settings, narrations=ctx.narrations)
    if result.seconds <= settings.max_seconds:
        return
    narrated_tags = _narrated_tags(ctx)
    narrated = [b for b in result.blocks if b.tag in narrated_tags]
    crossing = next((b for b in narrated if b.end > settings.max_seconds), None)
    span = crossing.span if crossing else ctx.document.span
    where = (f" This block runs from {clock(crossing.start)} to {clock(crossing.end)}."
             if crossing else "")
    ctx.report(TOO_LONG, f"The script runs about {clock(result.seconds)}, over the "
               f"{clock(settings.max_seconds)} limit set by `max-seconds`.{where}",
               _opening_line(ctx, span))


def _narrated_tags(ctx: CheckContext) -> set[str]:
    return {name for name, spec in ctx.schema.tags.items() if spec.narrated}


def _opening_line(ctx: CheckContext, span):  # type: ignore[no-untyped-def]
    # The block's opening tag, not the whole block: editors underline less.
    end = ctx.document.text.find("\n", span.start)
    return ctx.document.lines.span(span.start, span.end if end == -1 else min(end, span.end))



TOO_LONG = Rule(
    "D001", "script-too-long", WARNING, "A script estimated to run longer than the project's "
    "limit.",
    "Platforms cap short videos (a YouTube Short, a TikTok), and every second costs credits. "
    "A script whose estimate runs over `max-seconds` (180 s, about what short-form platforms "
    "take, unless the project's `[estimate]` configuration says otherwise; `false` turns the "
    "rule off) is reported at the block that crosses the limit.",
    bad='[tts engine="kokoro_tts" voice="af_heart"]\n' + _LINE * 3 + "[/tts]\n",
    good='[tts engine="kokoro_tts" voice="af_heart"]\n' + _LINE + "[/tts]\n",
    rests_on="toolkit", example_config="[estimate]\nmax-seconds = 8\n")

RULES = [TOO_LONG]
