"""Schema rules: tags, attributes and their values, engines and voices.

A name that is a near miss of a known one (inkslop.schema.near_miss) is an error
with a "did you mean" fix: the author did not mean it. Any other finding names
the schema fact it rests on, so that one resting on an assumed fact (a name far
from every known one may be real) is never more than a warning. Values are
checked as their author meant them: without invisible characters (S021 reports
those) and without spaces at their ends (T014 reports those).
"""

from __future__ import annotations

import re
from typing import Any

from inkslop.lint.rules.registry import CheckContext, Rule
from inkslop.schema.near_miss import did_you_mean, near_misses, visible
from inkslop.schema.spec import AttributeSpec, TagSpec
from inkslop.syntax.ast import Attribute, Block, VoidTag, walk
from inkslop.syntax.diagnostics import ERROR, WARNING, Edit, Fix
from inkslop.syntax.values import quote_value, typed_value

_TTS = '[tts engine="kokoro_tts" voice="af_heart"]\nHello.\n[/tts]\n'


def check_node(ctx: CheckContext, top: Any) -> None:
    """The findings about one top-level node and the tags inside it: they depend on it alone
    (and on whether a syntax error touches each tag)."""
    for node in walk(top):
        if isinstance(node, (Block, VoidTag)) and not ctx.is_broken(node):
            spec = ctx.schema.tags.get(node.name)
            if spec is None:
                _unknown_tag(ctx, node)
            else:
                _check_tag(ctx, node, spec)


def _unknown_tag(ctx: CheckContext, node: Block | VoidTag) -> None:
    found = near_misses(node.name, ctx.schema.tags)
    fix = None
    if found:
        edits = [Edit(node.name_span, found[0])]
        if isinstance(node, Block) and node.close_span is not None:
            close = node.close_span
            edits.append(Edit(ctx.document.lines.span(close.start + 2, close.end - 1), found[0]))
        fix = Fix(f"Rename to `{found[0]}`", tuple(edits), safe=False)
    ctx.report(UNKNOWN_TAG, f"Unknown tag `[{node.name}]`."
               + did_you_mean(node.name, ctx.schema.tags, "`[{}]`"), node.name_span, fix,
               sure=bool(found))


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
            misspelt.update(near_misses(attribute.name, spec.attributes)[:1])
            _unknown_attribute(ctx, node, attribute, spec)
        elif attribute.value is not None and not attribute.variables:
            _check_ends(ctx, attribute)
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
    found = near_misses(attribute.name, spec.attributes)
    fix = Fix(f"Rename to `{found[0]}`", (Edit(attribute.name_span, found[0]),), safe=False) \
        if found and found[0] not in {a.name for a in node.attributes} else None
    known = ", ".join(f"`{name}`" for name in spec.attributes)
    ctx.report(UNKNOWN_ATTRIBUTE, f"`[{node.name}]` has no attribute `{attribute.name}`."
               + (did_you_mean(attribute.name, spec.attributes) or f" It takes {known}."),
               attribute.name_span, fix, sure=bool(found))


def _meant(attribute: Attribute) -> str:
    """A value as its author meant it: without invisible characters or spaces at its ends."""
    return visible(attribute.value or "").strip(" \t")


def _check_ends(ctx: CheckContext, attribute: Attribute) -> None:
    if attribute.value_span is None:
        return
    # Plain spaces as written, inside the quotes (a bare value holds none): a no-break space
    # at an end is S021's finding, not this one's.
    span = attribute.value_span
    written = ctx.document.text[span.start + 1:span.end - 1]
    starts, ends = written[:1] in (" ", "\t"), written[-1:] in (" ", "\t")
    if not (starts or ends):
        return
    value = visible(attribute.value or "")
    where = "at its start and end" if starts and ends else "at its start" if starts else \
        "at its end"
    ctx.report(SPACE_IN_VALUE, f'The value of `{attribute.name}` has spaces {where}: '
               f'"{value}" is sent with them. Write "{_meant(attribute)}".',
               attribute.value_span,
               Fix("Remove the spaces", (Edit(attribute.value_span,
                                              quote_value(_meant(attribute))),)))


def _check_value(ctx: CheckContext, node: Block | VoidTag, attribute: Attribute,
                 spec: AttributeSpec) -> None:
    value = _meant(attribute)
    span = attribute.value_span or attribute.span
    typed = typed_value(value, spec.type)
    if spec.type == "boolean" and typed is None:
        lowered = value.strip().lower()
        guess = "true" if lowered in ("true", "yes", "on", "1") else \
            "false" if lowered in ("false", "no", "off", "0") else None
        # Unsafe even for "TRUE": it changes the value InkSlop receives.
        fix = Fix(f'Write "{guess}"', (Edit(span, f'"{guess}"'),), safe=False) if guess else None
        ctx.report(INVALID_VALUE, f'`{attribute.name}` is "true" or "false", not "{value}".',
                   span, fix, rests_on=spec.mark)
    elif spec.type in ("number", "volume") and typed is None:
        _not_a_number(ctx, attribute, spec, value, span)
    elif spec.type in ("number", "volume"):
        _check_range(ctx, attribute, spec, float(typed))  # type: ignore[arg-type]
    elif spec.enum and value not in spec.enum:
        found = near_misses(value, spec.enum)
        fix = _write_first(span, found)
        allowed = ", ".join(f'"{v}"' for v in spec.enum)
        ctx.report(VALUE_NOT_ALLOWED, f'`{attribute.name}="{value}"` is not a value the toolkit '
                   f"knows: it knows {allowed}." + did_you_mean(value, spec.enum, '"{}"'), span, fix,
                   rests_on=spec.enum_mark, sure=bool(found))
    elif spec.type == "engine":
        _check_engine(ctx, value, span)
    elif spec.type == "voice":
        _check_voice(ctx, node, value, span)
    elif spec.type == "path" and _LOCAL_PATH.match(value):
        _local_path(ctx, value, span)
    elif spec.type == "path" and ctx.music_library and value not in ctx.music_library:
        found = near_misses(value, ctx.music_library)
        fix = _write_first(span, found)
        ctx.report(UNKNOWN_TRACK, f'"{value}" is not in the configured music library.'
                   + did_you_mean(value, ctx.music_library, '"{}"'), span, fix,
                   sure=bool(found))


# `1,1`: a number written with a decimal comma, as many languages write it.
_DECIMAL_COMMA = re.compile(r"[+-]?[0-9]+,[0-9]+")


def _not_a_number(ctx: CheckContext, attribute: Attribute, spec: AttributeSpec, value: str,
                  span) -> None:  # type: ignore[no-untyped-def]
    message = f'`{attribute.name}` is a number such as "{spec.default or 1}", not "{value}".'
    if _DECIMAL_COMMA.fullmatch(value):
        # Surely the number the author meant, which InkSlop would not read: an error.
        meant = value.replace(",", ".")
        ctx.report(INVALID_VALUE, message + f' Write "{meant}", with a decimal point.', span,
                   _write_first(span, [meant]), sure=True)
    else:
        ctx.report(INVALID_VALUE, message, span, rests_on=spec.mark)


def _write_first(span, found: list[str]) -> Fix | None:  # type: ignore[no-untyped-def]
    """The unsafe fix that writes the nearest known value, when there is one."""
    return Fix(f'Write "{found[0]}"', (Edit(span, quote_value(found[0])),), safe=False) \
        if found else None


# A path on the author's computer: a drive letter, a backslash, a home or system folder.
_LOCAL_PATH = re.compile(r"[A-Za-z]:[\\/]|~[\\/]|file:|/(?:home|Users|mnt|tmp|Volumes)/|.*\\",
                         re.IGNORECASE)


def _local_path(ctx: CheckContext, value: str, span) -> None:  # type: ignore[no-untyped-def]
    parts = [p for p in re.split(r"[\\/]+", value) if p]
    folders = [i for i, part in enumerate(parts[:-1]) if part.lower() == "music"]
    meant = "/".join(["music", *parts[folders[-1] + 1:]]) if folders else None
    ctx.report(LOCAL_PATH, f'"{value}" is a path on this computer, which InkSlop never sees: '
               "`file` names a track of InkSlop's media library, such as "
               '"music/Carefree.opus".' + (f' Did you mean "{meant}"?' if meant else ""),
               span, _write_first(span, [meant] if meant else []), sure=True)


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


def _check_engine(ctx: CheckContext, value: str, span) -> None:  # type: ignore[no-untyped-def]
    if value in ctx.schema.engines:
        return
    found = near_misses(value, ctx.schema.engines)
    fix = _write_first(span, found)
    ctx.report(UNKNOWN_ENGINE, f'Unknown engine "{value}": the toolkit knows '
               + ", ".join(f'"{e}"' for e in ctx.schema.engines) + "."
               + did_you_mean(value, ctx.schema.engines, '"{}"')
               + " Declare other engines in the project's configuration.", span, fix,
               sure=bool(found))


def _check_voice(ctx: CheckContext, node: Block | VoidTag, value: str, span) -> None:  # type: ignore[no-untyped-def]
    engine_attribute = node.attribute("engine")
    engine = ctx.schema.engines.get(_meant(engine_attribute)) if engine_attribute else None
    if engine is None or not engine.voices or value in engine.voices:
        return
    found = near_misses(value, engine.voices)
    fix = _write_first(span, found)
    hint = did_you_mean(value, engine.voices, '"{}"') or (
        f" Its voices start with a language and gender, such as \"{next(iter(engine.voices))}\".")
    ctx.report(UNKNOWN_VOICE, f'"{value}" is not a voice of `{engine.name}`.' + hint, span, fix,
               rests_on=engine.voices_mark, sure=bool(found))


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


_NEAR = ("A near miss of a known name is an error, with a \"did you mean\" fix: close to a "
         "known name and not itself known, it is almost surely a typo, whatever InkSlop's "
         "reference says. ")

UNKNOWN_TAG = Rule(
    "T001", "unknown-tag", ERROR, "A tag the schema does not know.",
    "Often a typo (`[tss]` for `[tts]`). InkSlop's full tag list is not documented, so an unknown "
    "tag far from every known one may be real: declare it in the project's configuration to "
    "silence this.",
    bad='[tss engine="kokoro_tts" voice="af_heart"]\nHello.\n[/tss]\n', good=_TTS, fix="unsafe",
    rests_on="assumed", near_miss=True,
    severity_note=_NEAR + "A tag far from every known one is a warning: InkSlop may have it.")
UNKNOWN_ATTRIBUTE = Rule(
    "T002", "unknown-attribute", ERROR, "An attribute the tag does not take.",
    "Often a typo (`voise` for `voice`); InkSlop would ignore it, or reject the script.",
    bad='[tts engine="kokoro_tts" voise="af_heart"]\nHello.\n[/tts]\n', good=_TTS, fix="unsafe",
    rests_on="assumed", near_miss=True,
    severity_note=_NEAR + "An attribute far from every one the tag takes is a warning: the "
                          "tag may take it.")
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
    fix="unsafe",
    severity_note="Error where InkSlop's documentation shows the attribute and its type "
                  '(`volume` is a number, `subtitles` is "true" or "false"), so the script '
                  "breaks a confirmed fact, and for a number written with a decimal comma "
                  '(`speed="1,1"`), which is surely the number its author meant, with a fix '
                  'to "1.1". A warning where the attribute itself is only assumed: the '
                  'documentation never shows `speed`, so whether it takes only a number '
                  '(`speed="fast"`) is a guess, and the script could be right.')
VALUE_NOT_ALLOWED = Rule(
    "T005", "value-not-allowed", ERROR, "A value outside the values the toolkit knows.",
    'InkSlop\'s documentation shows `fit="loop"` only; other values may exist.',
    bad='[music file="music/Carefree.opus" fit="lop"]\n' + _TTS + "[/music]\n",
    good='[music file="music/Carefree.opus" fit="loop"]\n' + _TTS + "[/music]\n", fix="unsafe",
    rests_on="assumed", near_miss=True,
    severity_note=_NEAR + "A value far from every known one is a warning: it may exist.")
OUT_OF_RANGE = Rule(
    "T006", "value-out-of-range", WARNING, "A number outside its range.",
    "Kokoro speaks at speeds from 0.5 to 2.0; a volume above 1 clips. The ranges are assumed.",
    bad='[tts engine="kokoro_tts" voice="af_heart" speed="3"]\nHello.\n[/tts]\n',
    good='[tts engine="kokoro_tts" voice="af_heart" speed="1.2"]\nHello.\n[/tts]\n',
    rests_on="assumed")
UNKNOWN_ENGINE = Rule(
    "T007", "unknown-engine", ERROR, "A text-to-speech engine the toolkit does not know.",
    "InkSlop's documentation shows `kokoro_tts`. Other engines may exist: declare them, with "
    "their voices, in the project's configuration.",
    bad='[tts engine="kokoro" voice="af_heart"]\nHello.\n[/tts]\n', good=_TTS, fix="unsafe",
    rests_on="assumed", near_miss=True,
    severity_note=_NEAR + "An engine far from every known one is a warning: InkSlop may offer "
                          "it.")
UNKNOWN_VOICE = Rule(
    "T008", "unknown-voice", ERROR, "A voice the engine does not have.",
    "A misspelt voice (`af_hert`) is never right. The voice list of `kokoro_tts` is assumed to "
    "be Kokoro-82M's 54 voices, so a voice far from all of them may be real: declare it in the "
    "project's configuration.",
    bad='[tts engine="kokoro_tts" voice="af_hert"]\nHello.\n[/tts]\n', good=_TTS, fix="unsafe",
    rests_on="assumed", near_miss=True,
    severity_note=_NEAR + "A voice far from every voice of the engine is a warning: InkSlop may "
                          "offer it.")
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
    "T013", "unknown-track", ERROR, "A music file that is not in the configured music library.",
    "When the project lists the tracks of InkSlop's media library (`music-library` in its "
    "configuration), a name outside it is a typo or a track InkSlop does not have.",
    bad='[music file="music/Carefre.opus"]\n' + _TTS + "[/music]\n",
    good='[music file="music/Carefree.opus"]\n' + _TTS + "[/music]\n", fix="unsafe",
    rests_on="assumed", example_config='music-library = ["music/Carefree.opus"]\n',
    near_miss=True,
    severity_note=_NEAR + "A track far from every track of the library is a warning: the "
                          "library the project lists may be incomplete.")
SPACE_IN_VALUE = Rule(
    "T014", "space-at-value-end", WARNING, "A value with spaces at its start or end.",
    'A value is sent as it is written: `file="music/Carefree.opus "` names a track whose name '
    "ends with a space. The rules check the value without the spaces.",
    bad='[music file="music/Carefree.opus "]\n' + _TTS + "[/music]\n",
    good='[music file="music/Carefree.opus"]\n' + _TTS + "[/music]\n", fix="safe",
    rests_on="assumed",
    severity_note="Warning: InkSlop may trim the spaces, or keep them and miss the name.")
LOCAL_PATH = Rule(
    "T015", "local-music-path", ERROR, "A music file given as a path on the author's computer.",
    "`file` names a track of InkSlop's media library (`music/Carefree.opus`). A path with a "
    "drive letter, backslashes or a home folder (`C:\\music\\Carefree.opus`) names a file on "
    "the author's computer, which InkSlop never receives.",
    bad='[music file="C:\\music\\Carefree.opus"]\n' + _TTS + "[/music]\n",
    good='[music file="music/Carefree.opus"]\n' + _TTS + "[/music]\n", fix="unsafe",
    rests_on="assumed",
    severity_note="Error: whatever InkSlop's media library holds, it cannot hold a file on the "
                  "author's own disk, so the script is almost surely not what its author meant.")

RULES = [UNKNOWN_TAG, UNKNOWN_ATTRIBUTE, MISSING_ATTRIBUTE, INVALID_VALUE, VALUE_NOT_ALLOWED,
         OUT_OF_RANGE, UNKNOWN_ENGINE, UNKNOWN_VOICE, DUPLICATE_ATTRIBUTE, VOID_WITH_CONTENT_MODEL,
         BLOCK_WITHOUT_CONTENT_MODEL, MUTED_VOLUME, UNKNOWN_TRACK, SPACE_IN_VALUE, LOCAL_PATH]
