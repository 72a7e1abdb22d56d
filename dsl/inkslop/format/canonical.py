"""Render a Document as canonical text: what `fmt` writes and what `compile` sends.

The canonical style (docs/language.md, design section 6): one block tag per line,
opening and closing tags on lines of their own, nested blocks indented by
`indent` spaces a level (none by default), narrated text kept line for line with
the spaces at its ends removed, at most one blank line in a row and none just
inside a block's tags, one newline at the end, attributes double-quoted in the
schema's order (unknown ones after, in their order), names in lower case,
comments and front matter kept where they stand. A comment that follows a tag
on its line stays on that line: inline suppressions depend on it.

The compiler renders the same way with comments and front matter left out and
variables filled in. The walk uses an explicit stack, never recursion.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from inkslop.schema.spec import Schema, default_schema
from inkslop.syntax.ast import Attribute, Block, Comment, Document, Text, Variable, VoidTag
from inkslop.syntax.values import VARIABLE, quote_value


@dataclass(slots=True)
class RenderOptions:
    indent: int = 0
    newline: str = "\n"
    comments: bool = True  # keep comments (format) or drop them (compile)
    front_matter: bool = True
    values: dict[str, str] | None = None  # fill variables (compile)
    schema: Schema = field(default_factory=default_schema)


def render(document: Document, options: RenderOptions | None = None) -> str:
    options = options or RenderOptions()
    lines = _Lines(options)
    if document.front_matter is not None and options.front_matter:
        lines.verbatim("+++\n" + document.front_matter.body + "+++")
    for event, node, depth in _events(document):
        if event == "open":
            lines.tag(_open_tag(node, options), depth, "open")
        elif event == "close":
            lines.tag(f"[/{node.name}]", depth, "close")
        elif event == "void":
            lines.tag(_void_tag(node, options), depth, "void")
        else:
            lines.inline(node, depth)
    return lines.finish()


def _events(document: Document) -> Iterator[tuple[str, Any, int]]:
    stack: list[tuple[Iterator[Any], Block | None, int]] = [(iter(document.children), None, 0)]
    while stack:
        children, block, depth = stack[-1]
        node = next(children, None)
        if node is None:
            stack.pop()
            if block is not None:
                yield "close", block, depth - 1
        elif isinstance(node, Block):
            yield "open", node, depth
            stack.append((iter(node.children), node, depth + 1))
        elif isinstance(node, VoidTag):
            yield "void", node, depth
        else:
            yield "inline", node, depth


def _open_tag(block: Block, options: RenderOptions) -> str:
    return f"[{block.name}{_attributes(block.name, block.attributes, options)}]"


def _void_tag(tag: VoidTag, options: RenderOptions) -> str:
    return f"[{tag.name}{_attributes(tag.name, tag.attributes, options)} /]"


def canonical_order(tag: str, attributes: list[Attribute], schema: Schema) -> list[Attribute]:
    """Attributes in the schema's order for the tag, unknown ones after in their own order."""
    spec = schema.tags.get(tag)
    order = list(spec.attributes) if spec else []
    ranked = sorted(enumerate(attributes), key=lambda pair: (
        order.index(pair[1].name) if pair[1].name in order else len(order), pair[0]))
    return [attribute for _, attribute in ranked]


def _attributes(tag: str, attributes: list[Attribute], options: RenderOptions) -> str:
    ordered = canonical_order(tag, attributes, options.schema)
    return "".join(f" {a.name}={_value(a, options)}" for a in ordered)


def _value(attribute: Attribute, options: RenderOptions) -> str:
    value = attribute.value or ""
    if options.values is not None:
        value = VARIABLE.sub(lambda m: options.values.get(m[1], m[0]), value)  # type: ignore[union-attr]
    else:
        value = VARIABLE.sub(lambda m: "{{ " + m[1] + " }}", value)
    return quote_value(value)


class _Lines:
    """Collects output lines with their kind, then settles blank lines."""

    def __init__(self, options: RenderOptions) -> None:
        self.options = options
        self.lines: list[tuple[str, str]] = []  # (kind, text)
        self.pieces: list[str] = []
        self.depth = 0
        self.had_comment = False
        self.after_tag = False  # the source line of the last tag is still open

    def verbatim(self, text: str) -> None:
        for line in text.replace("\r\n", "\n").split("\n"):
            self.lines.append(("verbatim", line))
        self.after_tag = True

    def tag(self, text: str, depth: int, kind: str) -> None:
        self.end_line()
        self.had_comment = False
        self.lines.append((kind, " " * (self.options.indent * depth) + text))
        self.after_tag = True

    def inline(self, node: Text | Comment | Variable, depth: int) -> None:
        if isinstance(node, Comment):
            self.comment(node, depth)
        elif isinstance(node, Variable):
            self.content(self.variable(node), depth)
        else:
            self.text(node.value.replace("\r\n", "\n").replace("\r", "\n"), depth)

    def text(self, value: str, depth: int) -> None:
        for index, part in enumerate(value.split("\n")):
            if index and self.after_tag:
                self.after_tag = False  # the newline that ends the tag's own line
                self.had_comment = False
            elif index:
                self.end_line(blank_if_empty=True)
            if part.strip() or part and self.pieces:
                self.content(part, depth)

    def content(self, text: str, depth: int) -> None:
        if not self.pieces:
            self.depth = depth
        self.pieces.append(text)
        self.after_tag = False

    def variable(self, node: Variable) -> str:
        values = self.options.values
        if values is not None and node.name in values:
            return str(values[node.name])
        return "{{ " + node.name + " }}"

    def comment(self, node: Comment, depth: int) -> None:
        if not self.options.comments:
            self.had_comment = True
            return
        body = node.body.replace("\r\n", "\n")
        text = f"[#{body}#]" if node.closed else f"[#{body}"
        if self.after_tag and not self.pieces and self.lines:
            kind, line = self.lines[-1]
            self.lines[-1] = (kind, f"{line} {text}")
            return
        self.content(text, depth)

    def end_line(self, blank_if_empty: bool = False) -> None:
        line = "".join(self.pieces).strip()
        if self.had_comment:
            line = re.sub(r"[ \t]{2,}", " ", line)  # where a dropped comment stood
        if line:
            self.lines.append(("text", " " * (self.options.indent * self.depth) + line))
        elif blank_if_empty and not self.had_comment:
            self.lines.append(("blank", ""))
        self.pieces = []
        self.had_comment = False

    def finish(self) -> str:
        self.end_line()
        settled: list[tuple[str, str]] = []
        for kind, line in self.lines:
            if kind == "blank" and (not settled or settled[-1][0] in ("blank", "open")):
                continue
            if kind == "close" and settled and settled[-1][0] == "blank":
                settled.pop()
            settled.append((kind, line))
        while settled and settled[-1][0] == "blank":
            settled.pop()
        if not settled:
            return ""
        if settled[0][0] == "text" and settled[0][1].rstrip() == "+++":
            # Text that would read as front matter on the first line keeps a line above it.
            settled.insert(0, ("blank", ""))
        newline = self.options.newline
        return newline.join(line.replace("\n", newline) for _, line in settled) + newline
