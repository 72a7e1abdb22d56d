"""Completion: tag names, closing tags, attribute names and values, variables, and
snippets that write a whole block.

What is being written at the cursor comes from the library
(`inkslop.editor.cursor.cursor_at`); this module turns the schema and the settings
into completion items for it:

- after `[`: the tag names (those allowed where the cursor stands first), and a
  snippet per tag that writes the whole block with its required attributes and
  its closing tag;
- after `[/`: the innermost open tag first, then the other open ones;
- in a tag: the attributes not yet written, required ones first;
- in a value: the engines; the voices of the tag's engine, with their language
  and gender; `true`/`false`; the values of an enum; music tracks from the
  configured library (`music-library`) and from the workspace;
- in `{{ }}`: the variables of the front matter's `[vars]`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from lsprotocol import types

from inkslop.editor import cursor as context
from inkslop.schema.spec import DOCUMENT, AttributeSpec, Schema, TagSpec
from inkslop_lsp import docs, workspace_files

if TYPE_CHECKING:
    from inkslop.editor.cursor import Cursor
    from inkslop_lsp.scripts import Script
    from inkslop_lsp.session import Session

TRIGGERS = ["[", "/", "=", '"', "{", " "]

Items = list[types.CompletionItem]


def complete(session: Session, params: types.CompletionParams) -> types.CompletionList | None:
    script = session.scripts.get(params.text_document.uri)
    if script is None:
        return None
    offset = script.offset(params.position)
    if context.plainly_text(script.source, offset):
        return None  # a space typed in narration: nothing to complete, no parse needed
    cursor = context.cursor_at(script.document, offset)
    builders = {
        context.TAG_NAME: _tag_names,
        context.CLOSING_TAG_NAME: _closing_tag_names,
        context.ATTRIBUTE_NAME: _attribute_names,
        context.ATTRIBUTE_VALUE: _attribute_values,
        context.VARIABLE: _variables,
    }
    build = builders.get(cursor.kind)
    if build is None:
        return None
    return types.CompletionList(is_incomplete=False, items=build(session, script, cursor))


def _edit(script: Script, cursor: Cursor, new_text: str, start: int | None = None) -> types.TextEdit:
    return types.TextEdit(range=script.range(cursor.start if start is None else start, cursor.end),
                          new_text=new_text)


def _markdown(value: str) -> types.MarkupContent:
    return types.MarkupContent(kind=types.MarkupKind.Markdown, value=value)


# ---- tags --------------------------------------------------------------------------------


def _allowed(spec: TagSpec, cursor: Cursor) -> bool:
    parent = cursor.innermost.name if cursor.innermost else DOCUMENT
    return parent in spec.parents


def _tag_names(session: Session, script: Script, cursor: Cursor) -> Items:
    schema = script.settings.schema
    items: Items = []
    for index, spec in enumerate(schema.tags.values()):
        rank = 0 if _allowed(spec, cursor) else 1
        items.append(types.CompletionItem(
            label=spec.name, kind=types.CompletionItemKind.Keyword, detail=spec.summary,
            documentation=_markdown(docs.tag_markdown(spec)), sort_text=f"{rank}{index:03d}",
            text_edit=_edit(script, cursor, spec.name)))
    if _alone_on_line(script.source, cursor):
        for index, spec in enumerate(schema.tags.values()):
            rank = 0 if _allowed(spec, cursor) else 1
            items.append(_block_snippet(session, script, cursor, spec, schema, f"{rank}{index:03d}z"))
    return items


def _alone_on_line(text: str, cursor: Cursor) -> bool:
    """Whether nothing but the tag name stands after the cursor on its line."""
    line_end = text.find("\n", cursor.end)
    return not text[cursor.end:len(text) if line_end == -1 else line_end].strip()


def _block_snippet(session: Session, script: Script, cursor: Cursor, spec: TagSpec,
                   schema: Schema, sort_text: str) -> types.CompletionItem:
    snippets = session.snippets
    attributes = ""
    number = 1
    for name, attribute in spec.attributes.items():
        if not attribute.required:
            continue
        value = _default_value(attribute, schema, script)
        if snippets:
            value = "${" + str(number) + ":" + _snippet_escape(value) + "}"
            number += 1
        attributes += f' {name}="{value}"'
    body = "$0" if snippets else ""
    if spec.content == "none":
        text = f"[{spec.name}{attributes} /]{body}"
    else:
        text = f"[{spec.name}{attributes}]\n{body}\n[/{spec.name}]"
    return types.CompletionItem(
        label=f"{spec.name} block", kind=types.CompletionItemKind.Snippet,
        detail=f"[{spec.name}] … [/{spec.name}]", documentation=_markdown(docs.tag_markdown(spec)),
        sort_text=sort_text, filter_text=f"[{spec.name}",
        insert_text_format=types.InsertTextFormat.Snippet if snippets
        else types.InsertTextFormat.PlainText,
        text_edit=_edit(script, cursor, text, start=cursor.start - 1))


def _default_value(attribute: AttributeSpec, schema: Schema, script: Script) -> str:
    if attribute.type == "engine" and schema.engines:
        return next(iter(schema.engines))
    if attribute.type == "voice":
        for engine in schema.engines.values():
            if engine.voices:
                return next(iter(engine.voices))
    if attribute.type == "path":
        library = script.settings.music_library or schema.music_library
        return library[0] if library else "music/"
    if attribute.enum:
        return attribute.enum[0]
    return attribute.default or ("true" if attribute.type == "boolean" else "")


def _snippet_escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace("$", "\\$").replace("}", "\\}")


def _closing_tag_names(session: Session, script: Script, cursor: Cursor) -> Items:
    text = script.source
    suffix = "" if text[cursor.end:cursor.end + 1] == "]" else "]"
    names: list[str] = []
    for block in reversed(cursor.blocks):  # innermost first
        if block.name not in names:
            names.append(block.name)
    names += [n for n in script.settings.schema.tags if n not in names]
    open_names = {b.name for b in cursor.blocks}
    return [types.CompletionItem(
        label=name, kind=types.CompletionItemKind.Keyword,
        detail="closes the innermost open block" if index == 0 and name in open_names
        else "open here" if name in open_names else None,
        sort_text=f"{index:03d}", preselect=index == 0 and name in open_names or None,
        text_edit=_edit(script, cursor, name + suffix)) for index, name in enumerate(names)]


# ---- attributes --------------------------------------------------------------------------


def _attribute_names(session: Session, script: Script, cursor: Cursor) -> Items:
    spec = script.settings.schema.tags.get(cursor.tag or "")
    if spec is None:
        return []
    has_value = script.source[cursor.end:cursor.end + 1] == "="
    items: Items = []
    for index, (name, attribute) in enumerate(spec.attributes.items()):
        if name in cursor.attributes:
            continue
        if has_value:
            text, format_ = name, types.InsertTextFormat.PlainText
        elif session.snippets:
            text, format_ = f'{name}="$1"', types.InsertTextFormat.Snippet
        else:
            text, format_ = f'{name}=""', types.InsertTextFormat.PlainText
        items.append(types.CompletionItem(
            label=name, kind=types.CompletionItemKind.Property,
            detail=f"{attribute.type}" + (", required" if attribute.required else ""),
            documentation=_markdown(docs.attribute_markdown(spec.name, attribute)),
            sort_text=f"{0 if attribute.required else 1}{index:03d}",
            insert_text_format=format_, text_edit=_edit(script, cursor, text)))
    return items


def _attribute_values(session: Session, script: Script, cursor: Cursor) -> Items:
    schema = script.settings.schema
    tag = schema.tags.get(cursor.tag or "")
    spec = tag.attributes.get(cursor.attribute or "") if tag else None
    if spec is None:
        return []
    candidates: list[tuple[str, str | None, str | None, types.CompletionItemKind]] = []
    value_kind = types.CompletionItemKind.Value
    if spec.type == "engine":
        candidates = [(name, engine.summary or None, docs.engine_markdown(engine), value_kind)
                      for name, engine in schema.engines.items()]
    elif spec.type == "voice":
        chosen = schema.engines.get(cursor.attributes.get("engine", ""))
        engines = [chosen] if chosen else list(schema.engines.values())
        candidates = [(voice.name, docs.voice_detail(voice),
                       docs.voice_markdown(engine.name, voice), value_kind)
                      for engine in engines for voice in engine.voices.values()]
    elif spec.type == "boolean":
        candidates = [("true", None, None, value_kind), ("false", None, None, value_kind)]
    elif spec.enum:
        candidates = [(value, None, None, types.CompletionItemKind.EnumMember)
                      for value in spec.enum]
    elif spec.type == "path":
        candidates = _music_files(script)
    elif spec.default is not None:
        candidates = [(spec.default, "default", None, value_kind)]
    items: Items = []
    for index, (value, detail, documentation, kind) in enumerate(candidates):
        items.append(types.CompletionItem(
            label=value, kind=kind, detail=detail,
            label_details=types.CompletionItemLabelDetails(description=detail)
            if spec.type == "voice" else None,
            documentation=_markdown(documentation) if documentation else None,
            sort_text=f"{index:04d}", text_edit=_edit(script, cursor, _value_text(value, cursor))))
    return items


def _music_files(script: Script) -> list[tuple[str, str | None, str | None,
                                               types.CompletionItemKind]]:
    found: list[tuple[str, str | None, str | None, types.CompletionItemKind]] = []
    seen: set[str] = set()
    library = script.settings.music_library or script.settings.schema.music_library
    for track in library:
        if track not in seen:
            seen.add(track)
            found.append((track, "music library", None, types.CompletionItemKind.File))
    for folder in script.folders or ((script.path.parent,) if script.path else ()):
        for track in workspace_files.audio_files(folder):
            if track not in seen:
                seen.add(track)
                found.append((track, "workspace", None, types.CompletionItemKind.File))
    return found


def _value_text(value: str, cursor: Cursor) -> str:
    """The value as it replaces what was typed: inside the quotes already written, or
    with its own quotes."""
    escaped = value.replace("\\", "\\\\")
    if cursor.quote:
        return escaped.replace(cursor.quote, "\\" + cursor.quote)
    return '"' + escaped.replace('"', '\\"') + '"'


# ---- variables ---------------------------------------------------------------------------


def _variables(session: Session, script: Script, cursor: Cursor) -> Items:
    front_matter = script.document.front_matter
    data = front_matter.data if front_matter else None
    defined = data.get("vars") if isinstance(data, dict) else None
    if not isinstance(defined, dict):
        return []
    return [types.CompletionItem(label=name, kind=types.CompletionItemKind.Variable,
                                 detail=str(value)[:60], text_edit=_edit(script, cursor, name))
            for name, value in defined.items()]
