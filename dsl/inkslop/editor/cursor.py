"""What is at an offset of a script: for editors (completion, hover, definitions).

Two questions, answered from the text and its parsed Document:

- `cursor_at(document, offset)`: what is being *written* there, as a completion
  sees it. The tag on the cursor's line is read again from the text, because a
  half-typed tag (`[tts eng`, `[/`, `[music file="mu`) is exactly what the
  parser reports as broken. A tag never spans lines, so the cursor's line holds
  all of it; comments and front matter, which do span lines, come from the
  Document. The answer says which kind of word stands at the cursor (tag name,
  closing tag name, attribute name, attribute value, variable), what has been
  typed of it, the span it would replace, the other attributes of the tag, and
  the blocks open there (innermost last).
- `target_at(document, offset)`: which part of the parsed Document stands
  there: a tag's name, a closing tag, an attribute's name or value, a variable,
  or text inside blocks. Ends are inclusive, so a cursor just after a word
  still finds it.

Offsets are Python string indices into `document.text`, as in spans.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from inkslop.syntax.ast import Attribute, Block, Comment, Document, Variable, VoidTag, node_path_at

TEXT = "text"
TAG_NAME = "tag_name"
CLOSING_TAG_NAME = "closing_tag_name"
ATTRIBUTE_NAME = "attribute_name"
ATTRIBUTE_VALUE = "attribute_value"
INSIDE_TAG = "inside_tag"  # in a tag, where nothing can be written (`="x"|]`)
VARIABLE = "variable"
COMMENT = "comment"
FRONT_MATTER = "front_matter"

# The shapes of grammars/inkslop.lark, for one line: a tag's start, then its parts.
_TAG_START = re.compile(r"\[(/?)([A-Za-z][A-Za-z0-9_-]*)?")
_VALUE = r"""(?:"(?:[^"\\\r\n]|\\.)*"|'(?:[^'\\\r\n]|\\.)*'|["'][^\r\n\]]*|(?:[^\s"'\[\]=/]|/(?!\]))+)"""
_TAG_PART = re.compile(
    r"(?P<space>[ \t]+)"
    r"|(?P<end>/?\])"
    rf"|(?P<name>[A-Za-z][A-Za-z0-9_-]*)(?:(?P<equals>[ \t]*=[ \t]*)(?P<value>{_VALUE})?)?"
    rf"|(?P<junk>{_VALUE}|[ \t]*=[ \t]*|[^\]\n])")
_VARIABLE_START = re.compile(r"\{\{[ \t]*([A-Za-z0-9_]*)")


@dataclass(slots=True)
class Cursor:
    """What is being written at an offset.

    `prefix` is what has been typed of the word (from `start` to the offset);
    `start`..`end` is the whole word, which a completion replaces. For a value,
    `quote` is the quote it opened with, or '' when it has none (nothing typed
    yet after `=`, or a bare value): a completion then writes the quotes.
    `attributes` maps the tag's other attributes to their values as written
    (unquoted); `blocks` are the blocks open at the cursor, outermost first.
    """

    kind: str
    offset: int
    prefix: str = ""
    start: int = 0
    end: int = 0
    tag: str | None = None
    attribute: str | None = None
    quote: str = ""
    attributes: dict[str, str] = field(default_factory=dict)
    blocks: list[Block] = field(default_factory=list)
    tag_start: int | None = None  # the offset of the tag's `[`, in a tag

    @property
    def innermost(self) -> Block | None:
        return self.blocks[-1] if self.blocks else None


@dataclass(slots=True)
class _Part:
    kind: str  # space, end, attribute, junk
    start: int
    end: int
    name_end: int = 0
    equals_end: int | None = None
    value_start: int | None = None


@dataclass(slots=True)
class _Tag:
    start: int
    closing: bool
    name: str
    name_start: int
    name_end: int
    parts: list[_Part]
    end: int  # after `]`, or the end of the line when the tag is cut
    ended: bool  # closed by `]` or `/]`


def cursor_at(document: Document, offset: int) -> Cursor:
    """What is being written at `offset` (see the module's docstring)."""
    text = document.text
    offset = max(0, min(offset, len(text)))
    front_matter = document.front_matter
    if front_matter is not None and front_matter.span.start < offset and (
            offset < front_matter.span.end or not front_matter.closed):
        return Cursor(FRONT_MATTER, offset, start=offset, end=offset)
    comment = _comment_at(document, offset)
    if comment is not None and comment.span.start < offset:
        return Cursor(COMMENT, offset, start=offset, end=offset)
    line_start = text.rfind("\n", 0, offset) + 1
    line_end = text.find("\n", offset)
    line_end = len(text) if line_end == -1 else line_end
    scan_from = line_start
    covering = _comment_at(document, line_start)
    if covering is not None and covering.span.start < line_start:
        scan_from = covering.span.end  # the line starts inside a comment that ends on it
    cursor = _in_line(text, scan_from, line_end, offset)
    # In a tag, the blocks open where the tag starts: the tag itself is not one of them.
    cursor.blocks = open_blocks(document, offset if cursor.tag_start is None else cursor.tag_start)
    return cursor


def plainly_text(text: str, offset: int) -> bool:
    """Whether the cursor, just after a space, is in text by its line alone: nothing
    before it on the line can open a tag, a variable, a comment, a value or front
    matter. Editors ask for completions after each space; this spares them a parse."""
    line_start = text.rfind("\n", 0, offset) + 1
    before = text[line_start:offset]
    return before.endswith(" ") and not any(c in before for c in "[{+#=\"'")


def open_blocks(document: Document, offset: int) -> list[Block]:
    """The blocks open at `offset` (after their opening tag, not after their closing
    tag's start), outermost first."""
    return [node for node in node_path_at(document, offset)
            if isinstance(node, Block) and node.open_span.end <= offset
            and (node.close_span is None or offset <= node.close_span.start)]


def _comment_at(document: Document, offset: int) -> Comment | None:
    node = node_path_at(document, offset)[-1]
    if not isinstance(node, Comment):
        return None
    inside = offset < node.span.end or not node.closed
    return node if inside else None


def _in_line(text: str, start: int, end: int, offset: int) -> Cursor:
    """Read the line from `start` to `end` as the lexer would, up to the cursor's item."""
    position = start
    while position < end:
        character = text[position]
        if text.startswith("[#", position):
            close = text.find("#]", position + 2, end)
            stop = end if close == -1 else close + 2
            if position < offset and (offset < stop or close == -1):
                return Cursor(COMMENT, offset, start=offset, end=offset)
            position = stop
        elif text.startswith("{{", position):
            close = text.find("}}", position + 2, end)
            inner_end = end if close == -1 else close
            if position + 2 <= offset <= inner_end:
                return _variable_cursor(text, position, inner_end, offset)
            position = end if close == -1 else close + 2
        elif character == "[":
            tag = _read_tag(text, position, end)
            if tag is None:
                position += 1
                continue
            if tag.start < offset and (offset < tag.end or not tag.ended and offset <= tag.end):
                cursor = _tag_cursor(text, tag, offset)
                cursor.tag_start = tag.start
                return cursor
            position = max(tag.end, position + 1)
        elif position >= offset:
            break
        else:
            position += 1
    return Cursor(TEXT, offset, start=offset, end=offset)


def _read_tag(text: str, start: int, end: int) -> _Tag | None:
    head = _TAG_START.match(text, start, end)
    if head is None:
        return None
    closing, name = head[1] == "/", head[2]
    if name is None:
        # `[` or `[/` with no name yet: a tag being started, which ends right there
        # (a stray bracket before something that cannot start a name is not one).
        following = text[head.end():head.end() + 1]
        if following and following not in " \t\r\n]":
            return None
        return _Tag(start, closing, "", head.end(), head.end(), [], head.end(), False)
    parts: list[_Part] = []
    position = head.end()
    while position < end:
        match = _TAG_PART.match(text, position, end)
        if match is None:
            break
        if match["name"] is not None:
            part = _Part("attribute", match.start(), match.end(), match.end("name"))
            if match["equals"] is not None:
                part.equals_end = match.end("equals")
                part.value_start = match.start("value") if match["value"] is not None else None
        else:
            kind = "space" if match["space"] else "end" if match["end"] else "junk"
            part = _Part(kind, match.start(), match.end())
        parts.append(part)
        position = match.end()
        if part.kind == "end":
            return _Tag(start, closing, name.lower(), head.start(2), head.end(), parts, position,
                        True)
    return _Tag(start, closing, name.lower(), head.start(2), head.end(), parts, end, False)


def _tag_cursor(text: str, tag: _Tag, offset: int) -> Cursor:
    values = {text[p.start:p.name_end].lower(): _unquoted(text[p.value_start:p.end])
              for p in tag.parts if p.kind == "attribute" and p.value_start is not None}
    if offset <= tag.name_end:
        kind = CLOSING_TAG_NAME if tag.closing else TAG_NAME
        return Cursor(kind, offset, text[tag.name_start:offset], tag.name_start, tag.name_end,
                      tag=tag.name or None, attributes=values)
    for index, part in enumerate(tag.parts):
        if part.kind == "attribute" and part.start <= offset <= part.end:
            name = text[part.start:part.name_end].lower()
            others = {k: v for k, v in values.items() if k != name}
            if offset <= part.name_end:
                return Cursor(ATTRIBUTE_NAME, offset, text[part.start:offset], part.start,
                              part.name_end, tag=tag.name, attributes=others)
            value = _value_cursor(text, part, offset)
            if value is not None:
                value.tag, value.attribute, value.attributes = tag.name, name, others
                return value
        if part.kind == "space" and part.start < offset <= part.end:
            following = tag.parts[index + 1] if index + 1 < len(tag.parts) else None
            if following is not None and following.kind == "attribute" \
                    and following.start == offset:
                continue  # the cursor is at the start of the next name
            return Cursor(ATTRIBUTE_NAME, offset, "", offset, offset, tag=tag.name,
                          attributes=values)
    if tag.parts and tag.parts[-1].kind != "end" and not tag.ended and offset == tag.end \
            and tag.parts[-1].kind == "space":
        return Cursor(ATTRIBUTE_NAME, offset, "", offset, offset, tag=tag.name, attributes=values)
    return Cursor(INSIDE_TAG, offset, start=offset, end=offset, tag=tag.name, attributes=values)


def _value_cursor(text: str, part: _Part, offset: int) -> Cursor | None:
    if part.equals_end is None or offset < part.equals_end:
        return None
    if part.value_start is None:
        return Cursor(ATTRIBUTE_VALUE, offset, "", offset, offset) \
            if offset == part.equals_end else None
    raw = text[part.value_start:part.end]
    if raw[0] in "\"'":
        quote = raw[0]
        closed = len(raw) > 1 and raw[-1] == quote and not raw.endswith("\\" + quote)
        content_end = part.end - 1 if closed else part.end
        if part.value_start < offset <= content_end:
            return Cursor(ATTRIBUTE_VALUE, offset, text[part.value_start + 1:offset],
                          part.value_start + 1, content_end, quote=quote)
        return None
    return Cursor(ATTRIBUTE_VALUE, offset, text[part.value_start:offset], part.value_start,
                  part.end)


def _variable_cursor(text: str, start: int, inner_end: int, offset: int) -> Cursor:
    name = _VARIABLE_START.match(text, start, inner_end)
    name_start, name_end = (name.start(1), name.end(1)) if name else (start + 2, start + 2)
    if offset < name_start or offset > name_end:
        return Cursor(VARIABLE, offset, "", offset, offset)
    return Cursor(VARIABLE, offset, text[name_start:offset], name_start, name_end)


def _unquoted(raw: str) -> str:
    if raw[:1] in ("\"", "'"):
        raw = raw[1:-1] if len(raw) > 1 and raw[-1] == raw[0] else raw[1:]
    return raw


# ---- what stands in the parsed document ------------------------------------------------------

TAG = "tag"
CLOSING_TAG = "closing_tag"
ATTRIBUTE = "attribute"
VALUE = "value"
BLOCK_TEXT = "block"  # inside a block, on none of the above


@dataclass(slots=True)
class Target:
    """A part of the parsed document at an offset. `tag` is the tag the part belongs
    to; `blocks` are the blocks that contain the offset, outermost first."""

    kind: str
    tag: Block | VoidTag | None = None
    attribute: Attribute | None = None
    variable: Variable | None = None
    blocks: list[Block] = field(default_factory=list)


def target_at(document: Document, offset: int) -> Target | None:
    """The part of the document at `offset`, or None where there is only top-level text,
    a comment or front matter."""
    path = node_path_at(document, offset)
    blocks = [n for n in path if isinstance(n, Block)]
    tag = next((n for n in reversed(path) if isinstance(n, (Block, VoidTag))), None)
    innermost = path[-1]
    if isinstance(innermost, Variable):
        return Target(VARIABLE, tag, variable=innermost, blocks=blocks)
    if isinstance(innermost, Attribute):
        for variable in innermost.variables:
            if variable.span.contains(offset):
                return Target(VARIABLE, tag, innermost, variable, blocks)
        if innermost.name_span.contains(offset):
            return Target(ATTRIBUTE, tag, innermost, blocks=blocks)
        if innermost.value_span is not None and innermost.value_span.contains(offset):
            return Target(VALUE, tag, innermost, blocks=blocks)
    if isinstance(innermost, Comment):
        return None
    if tag is not None and tag.name_span.contains(offset) and tag is innermost:
        return Target(TAG, tag, blocks=blocks)
    if isinstance(tag, Block) and tag is innermost and tag.close_span is not None \
            and tag.close_span.contains(offset):
        return Target(CLOSING_TAG, tag, blocks=blocks)
    if blocks:
        return Target(BLOCK_TEXT, tag, blocks=blocks)
    return None
