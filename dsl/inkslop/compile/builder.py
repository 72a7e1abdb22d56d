"""Write scripts in code: a loop over rows of facts, a script per row.

    from inkslop import Script, music, tts

    script = Script(video_name="octopus-facts")
    script.add(music("music/Carefree.opus", tts("Octopuses have three hearts."), volume=0.3))
    print(script.render())

The builder makes the same typed tree the parser makes from the canonical text
(`parse(script.render()) == script.document()`), so what is built is checked
with the same rules as `inkslop check` (`script.check()`), formatted and
compiled the same way. Text that holds `[` or `]`, or an attribute value that
holds a quote or a line break, is refused where it is written.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any, Union

from inkslop.compile.compiler import compile_document
from inkslop.format.canonical import RenderOptions, canonical_order, render
from inkslop.lint.checker import check
from inkslop.schema.spec import Schema, default_schema
from inkslop.syntax.ast import (
    Attribute,
    Block,
    Comment,
    Document,
    FrontMatter,
    Text,
    Variable,
    VoidTag,
)
from inkslop.syntax.parser import parse
from inkslop.syntax.values import VARIABLE, quote_value, typed_value

_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_-]*")

Value = Union[str, int, float, bool, None]


@dataclass(slots=True)
class Element:
    """A block or void tag being built: its tag, attributes and what it holds."""

    name: str
    attributes: dict[str, str]
    children: list[Element | str | Comment] = field(default_factory=list)
    void: bool = False

    def add(self, *children: Element | str | Comment) -> Element:
        for child in children:
            if self.void:
                raise ValueError(f"[{self.name} /] is a void tag: it holds nothing")
            if isinstance(child, str):
                _check_text(child)
            self.children.append(child)
        return self


def block(name: str, *children: Element | str | Comment, **attributes: Value) -> Element:
    """Any block tag: `block("tts", "Hello", engine="kokoro_tts", voice="af_heart")`."""
    return Element(_name(name, "tag"), _attributes(attributes)).add(*children)


def void(name: str, **attributes: Value) -> Element:
    """A tag that holds nothing, written `[name ... /]`."""
    return Element(_name(name, "tag"), _attributes(attributes), void=True)


def _name(name: str, what: str) -> str:
    if not _NAME.fullmatch(name):
        raise ValueError(f"{name!r} is not {'an' if what[0] in 'aeiou' else 'a'} {what} name: "
                         "a letter, then letters, digits, _ or -")
    return name.lower()


def tts(text: str, *, voice: str = "af_heart", engine: str = "kokoro_tts",
        subtitles: bool | None = None, speed: float | None = None, **attributes: Value) -> Element:
    """Narration: `tts("Hello!", voice="am_adam", subtitles=True)`. Lines stay lines."""
    return block("tts", text, engine=engine, voice=voice, subtitles=subtitles, speed=speed,
                 **attributes)


def music(file: str, *children: Element | str | Comment, volume: float | None = None,
          fit: str | None = None, **attributes: Value) -> Element:
    """A background track under the blocks it holds."""
    return block("music", *children, file=file, volume=volume, fit=fit, **attributes)


def comment(text: str) -> Comment:
    """A toolkit comment, on a line of its own; dropped when compiled."""
    if "#]" in text:
        raise ValueError("a comment cannot hold `#]`, which would end it")
    return Comment(f" {text.strip()} ")


@dataclass(slots=True)
class Script:
    """A whole video job: front matter settings, variables, and the blocks of the script."""

    video_name: str | None = None
    resolution: str | None = None
    notify_on_complete: bool | None = None
    publish: dict[str, Any] | None = None
    vars: dict[str, Value] = field(default_factory=dict)
    children: list[Element | Comment] = field(default_factory=list)
    schema: Schema = field(default_factory=default_schema, repr=False)

    def add(self, *children: Element | Comment) -> Script:
        self.children.extend(children)
        return self

    def document(self) -> Document:
        """The typed tree, as the parser makes it from `render()`'s text."""
        front_matter = self._front_matter()
        # After front matter, the newline that ends its closing `+++` line.
        nodes: list[Any] = [Text("\n")] if front_matter else []
        for child in self.children:
            nodes += [self._node(child), Text("\n")]
        return Document(_merged(nodes), front_matter)

    def render(self) -> str:
        """The script's canonical text, front matter included."""
        return render(self.document(), RenderOptions(schema=self.schema))

    def check(self, settings: Any = None) -> list[Any]:
        """The diagnostics `inkslop check` reports for the rendered script."""
        return check(parse(self.render(), self.schema), settings)

    def compile(self, values: dict[str, Value] | None = None) -> str:
        """The script InkSlop receives (CompileError when it has errors)."""
        return compile_document(parse(self.render(), self.schema), values)

    def _node(self, element: Element | Comment) -> Any:
        if isinstance(element, Comment):
            return element
        attributes = canonical_order(element.name, [
            _attribute(element.name, name, value, self.schema)
            for name, value in element.attributes.items()], self.schema)
        if element.void:
            return VoidTag(element.name, attributes)
        children: list[Any] = []
        for child in element.children:
            if isinstance(child, str):
                children += _text_nodes(child)
            else:
                children += [Text("\n"), self._node(child)]
        children = _merged(children + [Text("\n")])
        return Block(element.name, attributes, children)

    def _settings(self) -> dict[str, Any]:
        settings = {"video_name": self.video_name, "resolution": self.resolution,
                    "notify_on_complete": self.notify_on_complete}
        return {k: v for k, v in settings.items() if v is not None}

    def _front_matter(self) -> FrontMatter | None:
        if not (self._settings() or self.publish or self.vars):
            return None
        return FrontMatter(self._toml())

    def _toml(self) -> str:
        lines = [f"{k} = {_toml_value(v)}" for k, v in self._settings().items()]
        for table, values in (("publish", self.publish), ("vars", self.vars)):
            if values:
                lines += ["", f"[{table}]"]
                lines += [f"{k} = {_toml_value(v)}" for k, v in values.items() if v is not None]
        text = "\n".join(lines).lstrip("\n")
        return text + "\n" if text else ""


def _attributes(attributes: dict[str, Value]) -> dict[str, str]:
    written = {}
    for name, value in attributes.items():
        if value is None:
            continue
        text = ("true" if value else "false") if isinstance(value, bool) else str(value)
        if any(c in text for c in '"\n\r'):
            raise ValueError(f"the value of {name} cannot hold a quote or a line break")
        written[_name(name, "attribute")] = text
    return written


def _attribute(tag: str, name: str, value: str, schema: Schema) -> Attribute:
    value = VARIABLE.sub(lambda m: "{{ " + m[1] + " }}", value)  # as the renderer writes it
    variables = tuple(Variable(m[1]) for m in VARIABLE.finditer(value))
    typed = None if variables else typed_value(value, schema.attribute_type(tag, name))
    return Attribute(name, value, quote_value(value), '"', typed, variables)


def _check_text(text: str) -> None:
    if "[" in text or "]" in text:
        raise ValueError(f"narration cannot hold `[` or `]` (they open and close tags): {text!r}")
    leftover = VARIABLE.sub("", text)
    if "{{" in leftover or "}}" in leftover:
        raise ValueError(f"`{{{{` must make a variable such as {{{{ animal }}}}: {text!r}")


def _text_nodes(text: str) -> list[Any]:
    """Narration as the parser reads it: text on lines of its own, variables apart."""
    lines = [line.strip() for line in text.strip().splitlines()]
    if not lines:
        return []
    body = "\n" + "\n".join(_collapse_blank(lines))
    nodes: list[Any] = []
    position = 0
    for match in VARIABLE.finditer(body):
        nodes += [Text(body[position:match.start()]), Variable(match[1])]
        position = match.end()
    nodes.append(Text(body[position:]))
    return [n for n in nodes if not isinstance(n, Text) or n.value]


def _collapse_blank(lines: list[str]) -> list[str]:
    kept: list[str] = []
    for line in lines:
        if line or kept and kept[-1]:
            kept.append(line)
    return kept


def _merged(nodes: list[Any]) -> list[Any]:
    merged: list[Any] = []
    for node in nodes:
        if isinstance(node, Text) and merged and isinstance(merged[-1], Text):
            merged[-1] = Text(merged[-1].value + node.value)
        else:
            merged.append(node)
    return merged


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    return json.dumps(str(value), ensure_ascii=False)  # a JSON string is a TOML basic string
