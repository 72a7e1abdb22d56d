"""More ways to fix a diagnostic than the one fix it carries: for editors' quick fixes.

- `alternatives(document, diagnostic, settings)`: "did you mean" replacements. A
  diagnostic about a misspelt name carries the closest known name as its fix;
  these are the next closest ones too (up to `limit`), each an unsafe Fix: the
  tag (and its closing tag), the attribute, the engine, the voice of the tag's
  engine, the enum value or the music library track.
- `close_after_text(document, block)`: close a block that was never closed
  right after the text it narrates, instead of at the place the parser chose
  (the end of the file, or the closing tag of an outer block).
"""

from __future__ import annotations

from inkslop.config.settings import Settings, default_settings
from inkslop.editor.cursor import ATTRIBUTE, TAG, VALUE, target_at
from inkslop.schema.near_miss import closest
from inkslop.syntax.ast import Block, Document, Text, VoidTag
from inkslop.syntax.diagnostics import Diagnostic, Edit, Fix
from inkslop.syntax.values import quote_value


def alternatives(document: Document, diagnostic: Diagnostic, settings: Settings | None = None,
                 limit: int = 3) -> list[Fix]:
    """Replacements for a misspelt name, closest first (none for other diagnostics)."""
    settings = settings or default_settings()
    schema = settings.schema
    target = target_at(document, diagnostic.span.start)
    if target is None or target.tag is None:
        return []
    node = target.tag
    if diagnostic.code == "T001" and target.kind == TAG:
        return [_rename_tag(document, node, name)
                for name in closest(node.name, schema.tags, limit)]
    attribute = target.attribute
    if attribute is None:
        return []
    if diagnostic.code == "T002" and target.kind == ATTRIBUTE:
        spec = schema.tags.get(node.name)
        written = {a.name for a in node.attributes}
        names = [n for n in (spec.attributes if spec else {}) if n not in written]
        return [Fix(f"Change to `{name}`", (Edit(attribute.name_span, name),), safe=False)
                for name in closest(attribute.name, names, limit)]
    if target.kind != VALUE or attribute.value_span is None:
        return []
    candidates = _value_candidates(diagnostic.code, node, attribute.name, settings)
    return [Fix(f'Change to "{value}"', (Edit(attribute.value_span, quote_value(value)),),
                safe=False)
            for value in closest(attribute.value or "", candidates, limit)]


def _value_candidates(code: str, node: Block | VoidTag, name: str,
                      settings: Settings) -> list[str]:
    schema = settings.schema
    if code == "T005":
        spec = schema.tags.get(node.name)
        attribute = spec.attributes.get(name) if spec else None
        return list(attribute.enum) if attribute else []
    if code == "T007":
        return list(schema.engines)
    if code == "T008":
        engine_attribute = node.attribute("engine")
        engine = schema.engines.get(engine_attribute.value or "") if engine_attribute else None
        return list(engine.voices) if engine else []
    if code == "T013":
        return list(settings.music_library)
    return []


def _rename_tag(document: Document, node: Block | VoidTag, name: str) -> Fix:
    edits = [Edit(node.name_span, name)]
    if isinstance(node, Block) and node.close_span is not None:
        close = node.close_span
        edits.append(Edit(document.lines.span(close.start + 2, close.end - 1), name))
    return Fix(f"Change to `[{name}]`", tuple(edits), safe=False)


def close_after_text(document: Document, block: Block) -> Fix | None:
    """Insert `[/name]` on its own line after the text that opens the block (up to its
    first nested tag); None when the block holds no text or is closed."""
    if block.close_span is not None:
        return None
    text = document.text
    end = None
    for child in block.children:
        if isinstance(child, (Block, VoidTag)):
            break
        if isinstance(child, Text):
            stripped = child.value.rstrip()
            if stripped:
                end = child.span.start + len(stripped)
        else:  # a variable or a comment
            end = child.span.end
    if end is None:
        return None
    newline = "\r\n" if "\r\n" in text[end:end + 2] else "\n"
    rest = text[end:]
    after = "" if rest.startswith(("\n", "\r\n")) or not rest else newline
    return Fix(f"Close `[{block.name}]` after its text",
               (Edit(document.lines.span(end, end), f"{newline}[/{block.name}]{after}"),),
               safe=False)
