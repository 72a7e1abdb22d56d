"""Schema rules: tags, attributes and their values, engines and voices.

Every finding names the schema fact it rests on, so that one resting on an
assumed fact is never more than a warning.
"""

from __future__ import annotations

from inkslop.lint.rules.registry import CheckContext, Rule
from inkslop.schema.near_miss import closest, did_you_mean
from inkslop.schema.spec import AttributeSpec, TagSpec
from inkslop.syntax.ast import Attribute, Block, VoidTag, walk
from inkslop.syntax.diagnostics import ERROR, WARNING, Edit, Fix
from inkslop.syntax.values import quote_value

_TTS = '[tts engine="kokoro_tts" voice="af_heart"]\nHello.\n[/tts]\n'


def check(ctx: CheckContext) -> None:
    for node in walk(ctx.document):
        if isinstance(node, (Block, VoidTag)) and not ctx.is_broken(node):
            spec = ctx.schema.tags.get(node.name)
            if spec is None:
                _unknown_tag(ctx, node)
            else:
                _check_tag(ctx, node, spec)


def _unknown_tag(ctx: CheckContext, node: Block | VoidTag) -> None:
    found = closest(node.name, ctx.schema.tags)
    fix = None
    if found:
        edits = [Edit(node.name_span, found[0])]
        if isinstance(node, Block) and node.close_span is not None:
            close = node.close_span
            edits.append(Edit(ctx.document.lines.span(close.start + 2, close.end - 1), found[0]))
        fix = Fix(f"Rename to `{found[0]}`", tuple(edits), safe=False)
    ctx.report(UNKNOWN_TAG, f"Unknown tag `[{node.name}]`."
               + did_you_mean(node.name, ctx.schema.tags, "`[{}]`"), node.name_span, fix)


def _check_tag(ctx: CheckContext, node: Block | VoidTag, spec: TagSpec) -> None:
    seen: dict[str, Attribute] = {}
    misspelt: set[str] = set()  # required names an unknown attribute is a typo of
    for attribute in node.attributes:
        if attribute.name in seen:
            ctx.report(DUPLICATE_ATTRIBUTE, f"`{attribute.name}` is given twice in `[{node.name}]`; "
                       "keep one.", attribute.span,
                       Fix("Remove this one", (Edit(_with_leading_space(ctx, attribute), ""),),
                           safe=False))
            continue
        seen[attribute.name] = attribute
        attribute_spec = spec.attributes.get(attribute.name)
        if attribute_spec is None:
            misspelt.update(closest(attribute.name, spec.attributes))
            _unknown_attribute(ctx, node, attribute, spec)
        elif attribute.value is not None and not attribute.variables:
            _check_value(ctx, node, attribute, attribute_spec)
    for name, attribute_spec in spec.attributes.items():
        if attribute_spec.required and name not in seen and name not in misspelt:
            ctx.report(MISSING_ATTRIBUTE, f"`[{node.name}]` needs `{name}`: "
                       f"{_first_sentence(attribute_spec.doc)}", node.name_span,
                       rests_on=attribute_spec.required_mark)
    if isinstance(node, VoidTag) and spec.content != "none":
        ctx.report(VOID_WITH_CONTENT_MODEL, f"`[{node.name}]` must hold "
                   f"{'text' if spec.content == 'text' else 'blocks'}: write "
                   f"`[{node.name} ...]` ... `[/{node.name}]`, not `[{node.name} ... /]`.",
                   node.span, rests_on=spec.mark)
    if isinstance(node, Block) and spec.content == "none":
        ctx.report(BLOCK_WITHOUT_CONTENT_MODEL, f"`[{node.name}]` holds nothing: write it as "
                   f"`[{node.name} ... /]`.", node.open_span, rests_on=spec.content_mark)


def _unknown_attribute(ctx: CheckContext, node: Block | VoidTag, attribute: Attribute,
                       spec: TagSpec) -> None:
    found = closest(attribute.name, spec.attributes)
    fix = Fix(f"Rename to `{found[0]}`", (Edit(attribute.name_span, found[0]),), safe=False) \
        if found and found[0] not in {a.name for a in node.attributes} else None
    known = ", ".join(f"`{name}`" for name in spec.attributes)
    ctx.report(UNKNOWN_ATTRIBUTE, f"`[{node.name}]` has no attribute `{attribute.name}`."
               + (did_you_mean(attribute.name, spec.attributes) or f" It takes {known}."),
               attribute.name_span, fix)


def _check_value(ctx: CheckContext, node: Block | VoidTag, attribute: Attribute,
                 spec: AttributeSpec) -> None:
    value = attribute.value or ""
    span = attribute.value_span or attribute.span
    if spec.type == "boolean" and attribute.typed is None:
        lowered = value.strip().lower()
        guess = "true" if lowered in ("true", "yes", "on", "1") else \
            "false" if lowered in ("false", "no", "off", "0") else None
        fix = Fix(f'Write "{guess}"', (Edit(span, f'"{guess}"'),), safe=lowered in ("true", "false")) \
            if guess else None
        ctx.report(INVALID_VALUE, f'`{attribute.name}` is "true" or "false", not "{value}".',
                   span, fix, rests_on=spec.mark)
    elif spec.type in ("number", "volume") and attribute.typed is None:
        ctx.report(INVALID_VALUE, f'`{attribute.name}` is a number such as "{spec.default or 1}", '
                   f'not "{value}".', span, rests_on=spec.mark)
    elif spec.type in ("number", "volume"):
        _check_range(ctx, attribute, spec, float(attribute.typed))  # type: ignore[arg-type]
    elif spec.enum and value not in spec.enum:
        found = closest(value, spec.enum)
        fix = Fix(f'Write "{found[0]}"', (Edit(span, quote_value(found[0])),), safe=False) \
            if found else None
        allowed = ", ".join(f'"{v}"' for v in spec.enum)
        ctx.report(VALUE_NOT_ALLOWED, f'`{attribute.name}="{value}"` is not a value the toolkit '
                   f"knows: it knows {allowed}." + did_you_mean(value, spec.enum, '"{}"'), span, fix,
                   rests_on=spec.enum_mark)
    elif spec.type == "engine":
        _check_engine(ctx, attribute, span)
    elif spec.type == "voice":
        _check_voice(ctx, node, attribute, span)
    elif spec.type == "path" and ctx.music_library and value not in ctx.music_library:
        found = closest(value, ctx.music_library)
        fix = Fix(f'Write "{found[0]}"', (Edit(span, quote_value(found[0])),), safe=False) \
            if found else None
        ctx.report(UNKNOWN_TRACK, f'"{value}" is not in the configured music library.'
                   + did_you_mean(value, ctx.music_library, '"{}"'), span, fix)


def _check_range(ctx: CheckContext, attribute: Attribute, spec: AttributeSpec,
                 number: float) -> None:
    span = attribute.value_span or attribute.span
    if spec.type == "volume" and number == 0:
        ctx.report(MUTED_VOLUME, "A volume of 0 mutes the track: remove the `[music]` block or "
                   "raise the volume.", span)
    elif spec.max is not None and number > spec.max or spec.min is not None and number < spec.min:
        why = " (above 1 the track clips)" if spec.type == "volume" and number > 1 else ""
        ctx.report(OUT_OF_RANGE, f"`{attribute.name}` lies between {_number(spec.min)} and "
                   f"{_number(spec.max)}, not {_number(number)}{why}.", span,
                   rests_on=spec.range_mark)


def _check_engine(ctx: CheckContext, attribute: Attribute, span) -> None:  # type: ignore[no-untyped-def]
    value = attribute.value or ""
    if value in ctx.schema.engines:
        return
    found = closest(value, ctx.schema.engines)
    fix = Fix(f'Write "{found[0]}"', (Edit(span, quote_value(found[0])),), safe=False) \
        if found else None
    ctx.report(UNKNOWN_ENGINE, f'Unknown engine "{value}": the toolkit knows '
               + ", ".join(f'"{e}"' for e in ctx.schema.engines) + "."
               + did_you_mean(value, ctx.schema.engines, '"{}"')
               + " Declare other engines in the project's configuration.", span, fix)


def _check_voice(ctx: CheckContext, node: Block | VoidTag, attribute: Attribute, span) -> None:  # type: ignore[no-untyped-def]
    engine_attribute = node.attribute("engine")
    engine = ctx.schema.engines.get(engine_attribute.value or "") if engine_attribute else None
    value = attribute.value or ""
    if engine is None or not engine.voices or value in engine.voices:
        return
    found = closest(value, engine.voices)
    fix = Fix(f'Write "{found[0]}"', (Edit(span, quote_value(found[0])),), safe=False) \
        if found else None
    hint = did_you_mean(value, engine.voices, '"{}"') or (
        f" Its voices start with a language and gender, such as \"{next(iter(engine.voices))}\".")
    ctx.report(UNKNOWN_VOICE, f'"{value}" is not a voice of `{engine.name}`.' + hint, span, fix,
               rests_on=engine.voices_mark)


def _with_leading_space(ctx: CheckContext, attribute: Attribute):  # type: ignore[no-untyped-def]
    start = attribute.span.start
    text = ctx.document.text
    while start > 0 and text[start - 1] in " \t":
        start -= 1
    return ctx.document.lines.span(start, attribute.span.end)


def _first_sentence(doc: str) -> str:
    sentence = " ".join(doc.split()).split(". ")[0].rstrip(".")
    return sentence[0].lower() + sentence[1:] + "." if sentence else ""


def _number(value: float | None) -> str:
    return "?" if value is None else f"{value:g}"


UNKNOWN_TAG = Rule(
    "T001", "unknown-tag", WARNING, "A tag the schema does not know.",
    "Often a typo (`[tss]` for `[tts]`). InkSlop's full tag list is not documented, so an unknown "
    "tag may be real: declare it in the project's configuration to silence this.",
    bad='[tss engine="kokoro_tts" voice="af_heart"]\nHello.\n[/tss]\n', good=_TTS, fix="unsafe",
    rests_on="assumed")
UNKNOWN_ATTRIBUTE = Rule(
    "T002", "unknown-attribute", WARNING, "An attribute the tag does not take.",
    "Often a typo (`voise` for `voice`); InkSlop would ignore it, or reject the script.",
    bad='[tts engine="kokoro_tts" voise="af_heart"]\nHello.\n[/tts]\n', good=_TTS, fix="unsafe",
    rests_on="assumed")
MISSING_ATTRIBUTE = Rule(
    "T003", "missing-attribute", ERROR, "A tag lacks an attribute it needs.",
    "Without it InkSlop must guess (which voice? which track?) or refuse the script. Which "
    "attributes are required is assumed, so this is a warning unless the schema confirms it.",
    bad='[tts engine="kokoro_tts"]\nHello.\n[/tts]\n', good=_TTS, rests_on="assumed")
INVALID_VALUE = Rule(
    "T004", "invalid-value", ERROR, "A value of the wrong type: not a number, not true or false.",
    'InkSlop reads `volume` as a number and `subtitles` as "true" or "false"; anything else is '
    "a broken render or a refused script.",
    bad='[tts engine="kokoro_tts" voice="af_heart" subtitles="yes"]\nHello.\n[/tts]\n',
    good='[tts engine="kokoro_tts" voice="af_heart" subtitles="true"]\nHello.\n[/tts]\n',
    fix="sometimes safe")
VALUE_NOT_ALLOWED = Rule(
    "T005", "value-not-allowed", WARNING, "A value outside the values the toolkit knows.",
    'InkSlop\'s documentation shows `fit="loop"` only; other values may exist, so this is a '
    "warning.",
    bad='[music file="music/Carefree.opus" fit="lop"]\n' + _TTS + "[/music]\n",
    good='[music file="music/Carefree.opus" fit="loop"]\n' + _TTS + "[/music]\n", fix="unsafe",
    rests_on="assumed")
OUT_OF_RANGE = Rule(
    "T006", "value-out-of-range", WARNING, "A number outside its range.",
    "Kokoro speaks at speeds from 0.5 to 2.0; a volume above 1 clips. The ranges are assumed.",
    bad='[tts engine="kokoro_tts" voice="af_heart" speed="3"]\nHello.\n[/tts]\n',
    good='[tts engine="kokoro_tts" voice="af_heart" speed="1.2"]\nHello.\n[/tts]\n',
    rests_on="assumed")
UNKNOWN_ENGINE = Rule(
    "T007", "unknown-engine", WARNING, "A text-to-speech engine the toolkit does not know.",
    "InkSlop's documentation shows `kokoro_tts`. Other engines may exist: declare them, with "
    "their voices, in the project's configuration.",
    bad='[tts engine="kokoro" voice="af_heart"]\nHello.\n[/tts]\n', good=_TTS, fix="unsafe",
    rests_on="assumed")
UNKNOWN_VOICE = Rule(
    "T008", "unknown-voice", WARNING, "A voice the engine does not have.",
    "A misspelt voice (`af_hert`) is never right. The voice list of `kokoro_tts` is assumed to "
    "be Kokoro-82M's 54 voices, so this is a warning; raise it to an error in the project's "
    "configuration (`[tool.inkslop.severity] T008 = \"error\"`) to stop such a script in "
    "pre-commit.",
    bad='[tts engine="kokoro_tts" voice="af_hert"]\nHello.\n[/tts]\n', good=_TTS, fix="unsafe",
    rests_on="assumed")
DUPLICATE_ATTRIBUTE = Rule(
    "T009", "duplicate-attribute", ERROR, "The same attribute twice in one tag.",
    "Which of the two InkSlop would use is unknown.",
    bad='[tts engine="kokoro_tts" voice="af_heart" voice="am_adam"]\nHello.\n[/tts]\n', good=_TTS,
    fix="unsafe")
VOID_WITH_CONTENT_MODEL = Rule(
    "T010", "void-tag-needs-content", ERROR,
    "A tag that must hold something, written as a void tag `[name ... /]`.",
    "A `[tts ... /]` narrates nothing and a `[music ... /]` plays for no time.",
    bad='[tts engine="kokoro_tts" voice="af_heart" /]\n', good=_TTS)
BLOCK_WITHOUT_CONTENT_MODEL = Rule(
    "T011", "block-for-void-tag", WARNING, "A void tag written as a block.",
    "The schema declares the tag void; write it `[name ... /]`. (The built-in schema has no void "
    "tags; a project's configuration may declare some.)",
    bad='[pause seconds="1"][/pause]\n' + _TTS, good='[pause seconds="1" /]\n' + _TTS,
    rests_on="assumed", example_config=(
        '[schema.tags.pause]\nmark = "toolkit"\ncontent = "none"\n'
        '[schema.tags.pause.attributes.seconds]\ntype = "number"\nmark = "toolkit"\n'))
MUTED_VOLUME = Rule(
    "T012", "muted-volume", WARNING, "A music volume of 0.",
    "A muted track adds nothing to the video; it is most likely a mistake.",
    bad='[music file="music/Carefree.opus" volume="0"]\n' + _TTS + "[/music]\n",
    good='[music file="music/Carefree.opus" volume="0.3"]\n' + _TTS + "[/music]\n",
    rests_on="assumed")
UNKNOWN_TRACK = Rule(
    "T013", "unknown-track", WARNING, "A music file that is not in the configured music library.",
    "When the project lists the tracks of InkSlop's media library (`music-library` in its "
    "configuration), a name outside it is a typo or a track InkSlop does not have.",
    bad='[music file="music/Carefre.opus"]\n' + _TTS + "[/music]\n",
    good='[music file="music/Carefree.opus"]\n' + _TTS + "[/music]\n", fix="unsafe",
    rests_on="assumed", example_config='music-library = ["music/Carefree.opus"]\n')

RULES = [UNKNOWN_TAG, UNKNOWN_ATTRIBUTE, MISSING_ATTRIBUTE, INVALID_VALUE, VALUE_NOT_ALLOWED,
         OUT_OF_RANGE, UNKNOWN_ENGINE, UNKNOWN_VOICE, DUPLICATE_ATTRIBUTE, VOID_WITH_CONTENT_MODEL,
         BLOCK_WITHOUT_CONTENT_MODEL, MUTED_VOLUME, UNKNOWN_TRACK]
