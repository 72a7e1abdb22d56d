"""Hover: the schema's documentation of a tag, an attribute or a value, with its mark;
the value of a variable; and over a narrated block (`tts`), its words and
estimated seconds, from the library's estimator."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from lsprotocol import types

from inkslop.editor import cursor as context
from inkslop.estimate.clock import clock
from inkslop_lsp import docs

if TYPE_CHECKING:
    from inkslop.syntax.ast import Block
    from inkslop_lsp.scripts import Script
    from inkslop_lsp.session import Session


def hover(session: Session, params: types.HoverParams) -> types.Hover | None:
    script = session.scripts.get(params.text_document.uri)
    if script is None:
        return None
    target = context.target_at(script.document, script.offset(params.position))
    if target is None:
        return None
    found = _describe(script, target)
    if found is None:
        return None
    text, span = found
    return types.Hover(contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value=text),
                       range=script.span_range(span) if span is not None else None)


def _describe(script: Script, target: context.Target) -> tuple[str, Any] | None:
    schema = script.settings.schema
    node = target.tag
    spec = schema.tags.get(node.name) if node is not None else None
    if target.kind == context.VARIABLE and target.variable is not None:
        return _variable(script, target.variable.name), target.variable.span
    if target.kind in (context.TAG, context.CLOSING_TAG) and node is not None:
        span = node.name_span if target.kind == context.TAG else node.close_span  # type: ignore[union-attr]
        if spec is None:
            return f"`[{node.name}]` is not a tag the schema knows.", span
        parts = [docs.tag_markdown(spec)]
        narration = _narration(script, target.blocks)
        if narration:
            parts.insert(0, narration)
        return "\n\n---\n\n".join(parts), span
    attribute = target.attribute
    if target.kind in (context.ATTRIBUTE, context.VALUE) and attribute is not None and spec:
        attribute_spec = spec.attributes.get(attribute.name)
        if attribute_spec is None:
            return None
        text = docs.attribute_markdown(spec.name, attribute_spec)
        if target.kind == context.VALUE:
            value = _value(script, node, attribute_spec.type, attribute.value or "")
            text = f"{value}\n\n---\n\n{text}" if value else text
            return text, attribute.value_span
        return text, attribute.name_span
    if target.kind == context.BLOCK_TEXT:
        narration = _narration(script, target.blocks)
        return (narration, None) if narration else None
    return None


def _value(script: Script, node: Any, kind: str, value: str) -> str | None:
    schema = script.settings.schema
    if kind == "engine" and value in schema.engines:
        return docs.engine_markdown(schema.engines[value])
    if kind == "voice":
        engine_attribute = node.attribute("engine") if node is not None else None
        engine = schema.engines.get(engine_attribute.value or "") if engine_attribute else None
        if engine and value in engine.voices:
            return docs.voice_markdown(engine.name, engine.voices[value])
    return None


def _narration(script: Script, blocks: list[Block]) -> str | None:
    """Words and estimated seconds of the innermost narrated block among `blocks`."""
    narrated = {name for name, spec in script.settings.schema.tags.items() if spec.narrated}
    block = next((b for b in reversed(blocks) if b.name in narrated), None)
    if block is None:
        return None
    entry = next((e for e in script.estimate.blocks if e.span.start == block.span.start
                  and e.tag == block.name), None)
    if entry is None:
        return None
    words = "word" if entry.words == 1 else "words"
    return (f"**`[{entry.tag}]`**: {entry.words} {words}, about **{entry.seconds:.1f} s** "
            f"({clock(entry.start)}–{clock(entry.end)} on the timeline)")


def _variable(script: Script, name: str) -> str:
    front_matter = script.document.front_matter
    data = front_matter.data if front_matter else None
    defined = data.get("vars") if isinstance(data, dict) else None
    if isinstance(defined, dict) and name in defined:
        return f"**`{{{{ {name} }}}}`** = `{defined[name]!r}` (from `[vars]`)"
    return f"**`{{{{ {name} }}}}`** has no value in `[vars]`."
