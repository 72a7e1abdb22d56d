"""The parts of a script by kind, for an editor to colour (the language server's
semantic tokens), without a grammar of the editor's own.

`highlights(document)` returns (start, end, kind) in document order, never
overlapping, from the parsed Document: tags (their brackets and names, and
closing tags), attribute names, attribute values (split around the variables
they hold), variables, comments, and the front matter (its `+++` lines and
table headers, its keys, values and TOML comments, read line by line).
Offsets are Python string indices into `document.text`.
"""

from __future__ import annotations

import re

from inkslop.syntax.ast import Attribute, Block, Comment, Document, Variable, VoidTag, walk

TAG = "tag"
ATTRIBUTE = "attribute"
VALUE = "value"
VARIABLE = "variable"
COMMENT = "comment"
FRONT_MATTER = "front_matter"  # the `+++` lines and TOML table headers
KEY = "key"  # a key in the front matter
KINDS = (TAG, ATTRIBUTE, VALUE, VARIABLE, COMMENT, FRONT_MATTER, KEY)

Highlight = tuple[int, int, str]

_TOML_COMMENT = re.compile(r"[ \t]*(#.*)")
_TOML_HEADER = re.compile(r"[ \t]*(\[\[?[^\]\n]*\]\]?)")
_TOML_KEY = re.compile(r"[ \t]*((?:\"[^\"\n]*\"|'[^'\n]*'|[A-Za-z0-9_\-]+)"
                       r"(?:[ \t]*\.[ \t]*(?:\"[^\"\n]*\"|'[^'\n]*'|[A-Za-z0-9_\-]+))*)[ \t]*=[ \t]*")


def highlights(document: Document) -> list[Highlight]:
    """Every highlighted part of the document, in order (see the module's docstring)."""
    found: list[Highlight] = []
    if document.front_matter is not None:
        found += _front_matter(document)
    text = document.text
    for node in walk(document):
        if isinstance(node, Block):
            found.append((node.open_span.start, node.name_span.end, TAG))
            found += _tag_end(text, node.open_span.start, node.open_span.end)
            if node.close_span is not None:
                found.append((node.close_span.start, node.close_span.end, TAG))
        elif isinstance(node, VoidTag):
            found.append((node.span.start, node.name_span.end, TAG))
            found += _tag_end(text, node.span.start, node.span.end)
        elif isinstance(node, Attribute):
            found.append((node.name_span.start, node.name_span.end, ATTRIBUTE))
            if node.value_span is not None:
                found += _value(node)
        elif isinstance(node, Variable):
            found.append((node.span.start, node.span.end, VARIABLE))
        elif isinstance(node, Comment):
            found.append((node.span.start, node.span.end, COMMENT))
    found.sort()
    return [h for h in found if h[1] > h[0]]


def _tag_end(text: str, start: int, end: int) -> list[Highlight]:
    """The `]` or `/]` that ends a tag, when it was written."""
    if end - start >= 2 and text[end - 2:end] == "/]":
        return [(end - 2, end, TAG)]
    if end > start and text[end - 1] == "]":
        return [(end - 1, end, TAG)]
    return []


def _value(attribute: Attribute) -> list[Highlight]:
    span = attribute.value_span
    assert span is not None
    parts: list[Highlight] = []
    position = span.start
    for variable in attribute.variables:
        parts.append((position, variable.span.start, VALUE))
        parts.append((variable.span.start, variable.span.end, VARIABLE))
        position = variable.span.end
    parts.append((position, span.end, VALUE))
    return parts


def _front_matter(document: Document) -> list[Highlight]:
    front_matter = document.front_matter
    assert front_matter is not None
    text = document.text
    found: list[Highlight] = []
    start, end = front_matter.span.start, front_matter.span.end
    body_start, body_end = front_matter.body_span.start, front_matter.body_span.end
    opening_end = text.find("\n", start, end)
    found.append((start, opening_end if opening_end != -1 else end, FRONT_MATTER))
    if front_matter.closed and body_end < end:
        found.append((body_end, end, FRONT_MATTER))
    position = body_start
    while position < body_end:
        line_end = text.find("\n", position, body_end)
        line_end = body_end if line_end == -1 else line_end
        found += _toml_line(text, position, line_end)
        position = line_end + 1
    return found


def _toml_line(text: str, start: int, end: int) -> list[Highlight]:
    line_end = end - 1 if end > start and text[end - 1] == "\r" else end
    comment = _TOML_COMMENT.fullmatch(text, start, line_end)
    if comment:
        return [(comment.start(1), line_end, COMMENT)]
    header = _TOML_HEADER.match(text, start, line_end)
    if header:
        return [(header.start(1), header.end(1), FRONT_MATTER)]
    key = _TOML_KEY.match(text, start, line_end)
    if key:
        value_end = line_end
        while value_end > key.end() and text[value_end - 1] in " \t":
            value_end -= 1
        return [(key.start(1), key.end(1), KEY), (key.end(), value_end, VALUE)]
    return []
