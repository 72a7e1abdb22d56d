"""The schema's documentation as Markdown, for hovers and completion items.

Every entry says its mark (confirmed, assumed, toolkit) and what that means,
in the words of the reference documentation (inkslop.lint.reference).
"""

from __future__ import annotations

from inkslop.lint.reference import MARK_MEANINGS
from inkslop.schema.spec import AttributeSpec, EngineSpec, TagSpec, VoiceSpec


def mark_line(mark: str) -> str:
    return f"*{mark.capitalize()}*: {MARK_MEANINGS.get(mark, '')}"


def tag_markdown(spec: TagSpec) -> str:
    parts = [f"**`[{spec.name}]`** — {spec.summary}".rstrip(" —")]
    if spec.doc:
        parts.append(spec.doc)
    if spec.attributes:
        parts.append("Attributes: " + ", ".join(
            f"`{name}`" + (" (required)" if a.required else "")
            for name, a in spec.attributes.items()))
    if spec.example:
        parts.append(f"```inkslop\n{spec.example}\n```")
    parts.append(mark_line(spec.mark))
    return "\n\n".join(parts)


def attribute_markdown(tag: str, spec: AttributeSpec) -> str:
    facts = [f"type: {spec.type}"]
    if spec.required:
        facts.append(f"required ({spec.required_mark})")
    if spec.default is not None:
        facts.append(f"default: `{spec.default}`")
    if spec.enum:
        facts.append("values: " + ", ".join(f"`{v}`" for v in spec.enum))
    if spec.min is not None or spec.max is not None:
        facts.append(f"from {_number(spec.min)} to {_number(spec.max)}")
    parts = [f"**`{spec.name}`** of `[{tag}]` — " + "; ".join(facts)]
    if spec.doc:
        parts.append(spec.doc)
    parts.append(mark_line(spec.mark))
    return "\n\n".join(parts)


def engine_markdown(spec: EngineSpec) -> str:
    parts = [f"**Engine `{spec.name}`** — {len(spec.voices)} voices"]
    if spec.summary:
        parts.append(spec.summary)
    if spec.doc:
        parts.append(spec.doc)
    parts.append(mark_line(spec.mark))
    return "\n\n".join(parts)


def voice_detail(voice: VoiceSpec) -> str:
    return f"{voice.language}, {voice.gender}"


def voice_markdown(engine: str, voice: VoiceSpec) -> str:
    return (f"**Voice `{voice.name}`** of `{engine}` — {voice_detail(voice)}\n\n"
            f"{mark_line(voice.mark)}")


def _number(value: float | None) -> str:
    return "?" if value is None else f"{value:g}"
