"""Parse InkSlop script text into a Document. `parse` never raises.

Recovery strategy
-----------------
Parsing runs in two passes, and neither can fail.

1. Items. Lark's LALR(1) parser, with the contextual lexer and the tables
   generated from `grammars/inkslop.lark` at build time, reads the text as a
   flat sequence of items: opening, closing and void tags, comments,
   variables, text. The grammar is *total*: every broken form is a terminal of
   its own (`STRAY_BRACKET`, `UNTERMINATED_STRING`, `UNTERMINATED_COMMENT`,
   `BAD_VARIABLE`, `TAG_JUNK`, `TAG_END_MISSING` for a tag cut by a line end),
   so the lexer never stops and the problem is reported where it stands:

   - a `[` that opens no tag or comment is reported and kept as text;
   - inside a tag, an unterminated quote runs to the line's last `]` or end,
     a value with no name or a character that cannot stand there is skipped
     (adjacent ones reported once), an attribute without a value is kept
     valueless; the tag and its other attributes survive;
   - a tag cut by the end of a line or of the file is closed there;
   - an unterminated comment runs to the end of the file (as InkSlop's
     compiler would strip it), and the blocks it leaves open are not reported
     again;
   - front matter whose closing `+++` is missing ends before the first line
     that starts a tag or comment, so that the script below it still parses.

   The one error the grammar cannot express (the file ends inside a tag) is
   mended by Lark's `on_error` hook, which feeds the missing end of the tag.

2. Nesting. A stack pass turns the items into blocks, so nesting depth never
   recurses. A closing tag closes the innermost open block of its name; the
   blocks it skips are reported as unclosed, once each. A closing tag whose
   name no block has open is a typo for the innermost block's (reported as
   mismatched, and closes it) or, with nothing open, has no opener (reported,
   dropped). Blocks still open at the end of the file are reported at their
   opening tag.

So one typo yields one diagnostic, and separate typos yield one each.
"""

from __future__ import annotations

import gc
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from inkslop.schema.spec import Schema, default_schema
from inkslop.syntax import _lark_parser as lark_tables
from inkslop.syntax.ast import (
    Attribute,
    Block,
    Comment,
    Document,
    FrontMatter,
    Node,
    Text,
    Variable,
    VoidTag,
)
from inkslop.syntax.bom import without_bom
from inkslop.syntax.diagnostics import ERROR, WARNING, Diagnostic, Edit, Fix
from inkslop.syntax.spans import LineIndex, Span
from inkslop.syntax.values import VARIABLE, quote_value, typed_value, unescape

AttributeType = Callable[[str, str], "str | None"]

_TOML_HEADER = re.compile(r"\[\[?[A-Za-z0-9_.\-\" ]+\]\]?[ \t]*\r?$")
_TOML_ERROR_POSITION = re.compile(r"\(at line (\d+), column (\d+)\)")


def parse(text: str, schema: Schema | None = None) -> Document:
    """Parse script text into a Document with its syntax diagnostics.

    The schema (the built-in one by default) gives attribute values their
    typed form: a number, a boolean, or the string.
    """
    attribute_type = (schema or default_schema()).attribute_type
    text = without_bom(text)
    builder = _Builder(text, attribute_type)
    with collector_paused():
        try:
            items = _parse_items(text)
            builder.build(items)
        except Exception as error:  # a bug must not become a crash in a user's editor
            builder.internal_error(error)
    return builder.document()


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause CPython's cycle collector. The tree holds no reference cycles, so the
    collector has nothing to find in it; paused, it does not rescan millions of new
    nodes, and parsing and checking a big script stay linear in its size."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


# ---- pass 1: items, by Lark -------------------------------------------------


class _Items(lark_tables.Transformer):
    """Turns Lark's reductions into (kind, tokens) items; nothing more."""

    def start(self, children: list[Any]) -> list[Any]:
        return children

    def front_matter(self, c: list[Any]) -> Any:
        return ("front_matter", c[0])

    def open_tag(self, c: list[Any]) -> Any:
        return ("open", c)

    def void_tag(self, c: list[Any]) -> Any:
        return ("void", c)

    def close_tag(self, c: list[Any]) -> Any:
        return ("close", c)

    def attribute(self, c: list[Any]) -> Any:
        return ("attribute", c)

    def stray_part(self, c: list[Any]) -> Any:
        return ("stray", c[0])

    def comment(self, c: list[Any]) -> Any:
        return ("comment", c[0])

    def variable(self, c: list[Any]) -> Any:
        return ("variable", c[0])

    def bad_variable(self, c: list[Any]) -> Any:
        return ("bad_variable", c[0])

    def text(self, c: list[Any]) -> Any:
        return ("text", c[0])

    def stray_bracket(self, c: list[Any]) -> Any:
        return ("stray_bracket", c[0])


_parser: Any = None


def _lark() -> Any:
    global _parser
    if _parser is None:
        _parser = lark_tables.Lark_StandAlone(transformer=_Items())
    return _parser


def _parse_items(text: str) -> list[Any]:
    end = len(text)

    def on_error(error: Any) -> bool:
        # The grammar is total but for one case: the text ends inside a tag.
        if isinstance(error, lark_tables.UnexpectedToken) and error.token.type == "$END":
            missing = lark_tables.Token("TAG_END_MISSING", "", end, 0, 0, 0, 0, end)
            error.interactive_parser.feed_token(missing)
            return True
        # Should the grammar ever miss a case: report it, skip it, go on.
        position = getattr(error, "pos_in_stream", None)
        if position is None:
            position = getattr(getattr(error, "token", None), "start_pos", 0) or 0
        skipped.append(position)
        return True

    skipped: list[int] = []
    items = _lark().parse(text, on_error=on_error)
    return items + [("unexpected", position) for position in skipped]


# ---- pass 2: nodes and nesting ----------------------------------------------


class _OpenBlock:
    __slots__ = ("block", "children")

    def __init__(self, block: Block) -> None:
        self.block = block
        self.children = block.children


class _Builder:
    def __init__(self, text: str, attribute_type: AttributeType) -> None:
        self.text = text
        self.lines = LineIndex(text)
        self.attribute_type = attribute_type
        self.diagnostics: list[Diagnostic] = []
        self.front_matter: FrontMatter | None = None
        self.children: list[Node] = []
        self.stack: list[_OpenBlock] = []
        self.skip_until = 0
        self.swallowed_by_comment = False
        self.cut_tags: set[int] = set()  # offsets of tags cut by a line end (S009)
        self.open_names: dict[str, int] = {}  # how many blocks of each name are open

    # -- helpers --

    def span(self, start: int, end: int) -> Span:
        return self.lines.span(start, end)

    def report(self, code: str, message: str, start: int, end: int,
               fix: Fix | None = None, severity: str = ERROR,
               related: tuple[tuple[str, Span], ...] = ()) -> None:
        self.diagnostics.append(
            Diagnostic(code, severity, message, self.span(start, end), fix, related)
        )

    def insert_fix(self, message: str, offset: int, new_text: str, safe: bool = True) -> Fix:
        return Fix(message, (Edit(self.span(offset, offset), new_text),), safe)

    def replace_fix(self, message: str, start: int, end: int, new_text: str,
                    safe: bool = True) -> Fix:
        return Fix(message, (Edit(self.span(start, end), new_text),), safe)

    def current_children(self) -> list[Node]:
        return self.stack[-1].children if self.stack else self.children

    def add_text(self, start: int, end: int) -> None:
        if start >= end:
            return
        children = self.current_children()
        if children and isinstance(children[-1], Text) and children[-1].span.end == start:
            previous = children[-1]
            previous.value = self.text[previous.span.start:end]
            previous.span = self.span(previous.span.start, end)
        else:
            children.append(Text(self.text[start:end], self.span(start, end)))

    def internal_error(self, error: Exception) -> None:
        self.report("S000", f"The parser failed on this file ({type(error).__name__}: {error}); "
                    "please report it.", 0, 0)

    def document(self) -> Document:
        self.diagnostics.sort(key=lambda d: d.sort_key)
        return Document(self.children, self.front_matter, self.text, self.diagnostics, self.lines)

    # -- the pass --

    def build(self, items: list[Any]) -> None:
        handlers = {
            "front_matter": self.on_front_matter,
            "open": self.on_open,
            "void": self.on_void,
            "close": self.on_close,
            "comment": self.on_comment,
            "variable": self.on_variable,
            "bad_variable": self.on_bad_variable,
            "text": self.on_text,
            "stray_bracket": self.on_stray_bracket,
            "unexpected": self.on_unexpected,
        }
        for kind, payload in items:
            if self.skip_until and _start_of(payload) < self.skip_until:
                self.on_inside_unclosed_front_matter(kind, payload)
                continue
            handlers[kind](payload)
        self.close_all_at_end()

    def on_text(self, token: Any) -> None:
        self.add_text(token.start_pos, token.end_pos)

    def on_unexpected(self, position: int) -> None:
        self.report("S010", "The parser could not read this character here.", position,
                    min(position + 1, len(self.text)))

    def on_stray_bracket(self, token: Any) -> None:
        start = token.start_pos
        self.report("S008", "This `[` opens no tag or comment: write a tag such as "
                    "`[tts ...]`, or remove the bracket.", start, start + 1)
        self.add_text(start, start + 1)

    def on_comment(self, token: Any) -> None:
        value = str(token)
        if token.type == "UNTERMINATED_COMMENT":
            self.report("S005", "This comment is never closed: end it with `#]`.",
                        token.start_pos, token.start_pos + 2,
                        self.insert_fix("Close the comment at the end of the file",
                                        token.end_pos, " #]", safe=False))
            self.swallowed_by_comment = True
            body, closed = value[2:], False
        else:
            body, closed = value[2:-2], True
        self.current_children().append(
            Comment(body, closed, self.span(token.start_pos, token.end_pos)))

    def on_variable(self, token: Any) -> None:
        name = str(token)[2:-2].strip()
        self.current_children().append(Variable(name, self.span(token.start_pos, token.end_pos)))

    def on_bad_variable(self, token: Any) -> None:
        value = str(token)
        if value.endswith("}}"):
            message = (f"`{value}` is not a variable: a name is a letter or `_`, then letters, "
                       "digits or `_`, as in `{{ animal }}`.")
        else:
            message = "This variable is never closed: end it with `}}`, as in `{{ animal }}`."
        self.report("S011", message, token.start_pos, token.end_pos)
        self.add_text(token.start_pos, token.end_pos)

    # -- front matter --

    def on_front_matter(self, token: Any) -> None:
        if token.type == "FRONT_MATTER":
            self.closed_front_matter(token)
        else:
            self.unclosed_front_matter(token)

    def closed_front_matter(self, token: Any) -> None:
        value = str(token)
        body_start = value.index("\n") + 1
        body_end = value.rindex("\n", 0, len(value) - 3) + 1 if value.count("\n") > 1 else body_start
        body = value[body_start:body_end]
        start = token.start_pos
        data = self.parse_toml(body, start + body_start)
        self.front_matter = FrontMatter(
            body, data, True, self.span(start + body_start, start + body_end),
            self.span(start, token.end_pos))

    def unclosed_front_matter(self, token: Any) -> None:
        end = self.end_of_unclosed_front_matter(token.end_pos)
        body_start = min(token.end_pos + 1, end)
        newline = "\r\n" if self.text[token.end_pos:token.end_pos + 2] == "\r\n" else "\n"
        self.report("S007", "The front matter is never closed: add a line `+++` after it.",
                    token.start_pos, token.end_pos,
                    self.insert_fix("Close the front matter", end,
                                    f"+++{newline}" if end == 0 or self.text[end - 1] == "\n"
                                    else f"{newline}+++{newline}"))
        self.front_matter = FrontMatter(self.text[body_start:end], None, False,
                                        self.span(body_start, end),
                                        self.span(token.start_pos, end))
        self.skip_until = end

    def end_of_unclosed_front_matter(self, fence_end: int) -> int:
        position = self.text.find("\n", fence_end)
        while position != -1:
            line_start = position + 1
            if self.text.startswith("[", line_start):
                line_end = self.text.find("\n", line_start)
                line = self.text[line_start:line_end if line_end != -1 else len(self.text)]
                if not _TOML_HEADER.match(line):
                    return line_start
            position = self.text.find("\n", line_start)
        return len(self.text)

    def on_inside_unclosed_front_matter(self, kind: str, payload: Any) -> None:
        # Items lexed as script inside front matter that lacks its closing fence:
        # only the part of a text that reaches past the front matter is kept.
        if kind == "text" and payload.end_pos > self.skip_until:
            self.add_text(self.skip_until, payload.end_pos)

    def parse_toml(self, body: str, body_offset: int) -> dict[str, Any] | None:
        import tomllib  # only files with front matter pay for it

        try:
            return tomllib.loads(body)
        except tomllib.TOMLDecodeError as error:
            message = str(error)
            found = _TOML_ERROR_POSITION.search(message)
            body_lines = LineIndex(body)
            offset = body_lines.offset(int(found[1]), int(found[2])) if found else 0
            line_end = body.find("\n", offset)
            end = line_end if line_end != -1 else len(body)
            reason = _TOML_ERROR_POSITION.sub("", message).strip()
            self.report("S007", f"The front matter is not valid TOML: {reason}.",
                        body_offset + offset, body_offset + max(end, offset))
            return None

    # -- tags --

    def on_open(self, parts: list[Any]) -> None:
        name, name_span, attributes, start, end = self.read_tag(parts)
        block = Block(name, attributes, [], name_span, self.span(start, end), None,
                      self.span(start, end))
        self.current_children().append(block)
        self.stack.append(_OpenBlock(block))
        self.open_names[name] = self.open_names.get(name, 0) + 1
        self.keep_line_end(parts[-1])

    def keep_line_end(self, ending: Any) -> None:
        """The line end that cut a tag short (S009) is text, not part of the tag."""
        if ending.type == "TAG_END_MISSING" and ending.end_pos > ending.start_pos:
            self.add_text(ending.start_pos, ending.end_pos)

    def on_void(self, parts: list[Any]) -> None:
        name, name_span, attributes, start, end = self.read_tag(parts)
        self.current_children().append(VoidTag(name, attributes, name_span, self.span(start, end)))
        self.keep_line_end(parts[-1])

    def on_close(self, parts: list[Any]) -> None:
        name, _, attributes, start, end = self.read_tag(parts, closing=True)
        if parts[-1].type == "VOID_END":
            self.report("S014", f"A closing tag holds only its name: write `[/{name}]`.",
                        parts[-1].start_pos, parts[-1].end_pos,
                        self.replace_fix("Write `]`", parts[-1].start_pos, parts[-1].end_pos, "]"))
        elif attributes:
            self.report("S014", f"A closing tag holds only its name: write `[/{name}]`.",
                        attributes[0].span.start, attributes[-1].span.end,
                        self.replace_fix("Remove what follows the name",
                                         parts[0].end_pos, attributes[-1].span.end, ""))
        if not self.stack:
            self.keep_line_end(parts[-1])
            if start in self.cut_tags:
                return
            self.report("S002", f"`[/{name}]` closes nothing: no `[{name}]` is open here. "
                        "Remove it, or add the opening tag.", start, end,
                        self.replace_fix(f"Remove `[/{name}]`", start, end, "", safe=False))
            return
        if self.open_names.get(name):
            while self.stack[-1].block.name != name:
                skipped = self.pop_block()
                self.report_unclosed(skipped, start, f"before `[/{name}]`")
                self.finish_block(skipped, None, start)
        else:
            innermost = self.stack[-1].block
            self.report("S003", f"`[/{name}]` does not match the open `[{innermost.name}]`: "
                        f"write `[/{innermost.name}]`.", start, end,
                        self.replace_fix(f"Write `[/{innermost.name}]`", parts[0].start_pos + 2,
                                         parts[0].end_pos, innermost.name, safe=False),
                        related=(("opened here", innermost.open_span),))
        block = self.pop_block()
        self.finish_block(block, self.span(start, end), end)
        self.keep_line_end(parts[-1])

    def pop_block(self) -> Block:
        block = self.stack.pop().block
        self.open_names[block.name] -= 1
        return block

    def finish_block(self, block: Block, close_span: Span | None, end: int) -> None:
        block.close_span = close_span
        if close_span is None and block.children:
            end = max(block.open_span.end, _last_end(block))
        block.span = self.span(block.open_span.start, max(end, block.open_span.end))

    def report_unclosed(self, block: Block, at: int, where: str) -> None:
        if block.open_span.start in self.cut_tags:
            return  # its S009 is the one diagnostic for this typo
        insert_at = at
        prefix = "" if insert_at == 0 or self.text[insert_at - 1] == "\n" else "\n"
        suffix = "\n" if insert_at < len(self.text) and self.text[insert_at] != "\n" else ""
        self.report("S001", f"`[{block.name}]` is never closed {where}: add `[/{block.name}]`.",
                    block.open_span.start, block.open_span.end,
                    self.insert_fix(f"Close `[{block.name}]` here", insert_at,
                                    f"{prefix}[/{block.name}]{suffix}", safe=False))

    def close_all_at_end(self) -> None:
        end = len(self.text)
        while self.stack:
            block = self.pop_block()
            if not self.swallowed_by_comment:
                self.report_unclosed(block, end, "by the end of the file")
            self.finish_block(block, None, end)

    def read_tag(self, parts: list[Any], closing: bool = False
                 ) -> tuple[str, Span, list[Attribute], int, int]:
        reported_before = len(self.diagnostics)
        name, name_span, attributes, start, end = self.read_tag_parts(parts, closing)
        if start in self.cut_tags:
            # A tag cut by the line end may be prose after a stray `[`: its words
            # are not attributes to complain about; S009 says what is wrong.
            kept = [d for d in self.diagnostics[reported_before:] if d.code in ("S004", "S009")]
            del self.diagnostics[reported_before:]
            self.diagnostics.extend(kept)
        return name, name_span, attributes, start, end

    def read_tag_parts(self, parts: list[Any], closing: bool
                       ) -> tuple[str, Span, list[Attribute], int, int]:
        head, ending = parts[0], parts[-1]
        name_offset = 2 if closing else 1
        name = str(head)[name_offset:].lower()
        name_span = self.span(head.start_pos + name_offset, head.end_pos)
        start = head.start_pos
        attributes: list[Attribute] = []
        stray: list[Any] = []
        previous_end = head.end_pos
        previous_kind = "head"
        for part in parts[1:-1]:
            if isinstance(part, tuple):
                kind, payload = part
                if kind == "stray":
                    stray.append(payload)
                    previous_end, previous_kind = payload.end_pos, "stray"
                    continue
                self.report_stray(stray)
                stray = []
                attribute = self.read_attribute(name, payload, report=not closing,
                                                missing_end=ending.type == "TAG_END_MISSING")
                if previous_kind in ("attribute", "head") and attribute.span.start == previous_end \
                        and previous_kind == "attribute":
                    self.report("S013", "Separate attributes with a space.",
                                attribute.span.start, attribute.name_span.end,
                                self.insert_fix("Insert a space", attribute.span.start, " "),
                                severity=WARNING)
                attributes.append(attribute)
                previous_end, previous_kind = attribute.span.end, "attribute"
            else:  # TAG_SPACE
                self.report_stray(stray)
                stray = []
                previous_end, previous_kind = part.end_pos, "space"
        self.report_stray(stray)
        if ending.type == "TAG_END_MISSING":
            content_end = previous_end
            self.cut_tags.add(start)
            if attributes and attributes[-1].quote and attributes[-1].raw \
                    and attributes[-1].span.end == content_end and _unterminated(attributes[-1]):
                # The unterminated quote ate the `]`: reported once, as S004.
                return name, name_span, attributes, start, content_end
            written = _shortened(self.text[start:content_end].rstrip())
            if any(a.value is not None for a in attributes):
                message = f"This tag is missing its closing `]`: write `]` after `{written}`."
            else:
                message = (f"`{written}` opens a tag that is not closed by `]` on its line: "
                           "write the `]`, or remove the `[` if it belongs to the text.")
            self.report("S009", message, start, content_end,
                        self.insert_fix("Insert `]`", content_end, "]"))
            end = content_end
        else:
            end = ending.end_pos
        return name, name_span, attributes, start, end

    def report_stray(self, stray: list[Any]) -> None:
        if not stray:
            return
        first, last = stray[0], stray[-1]
        source = self.text[first.start_pos:last.end_pos].strip()
        if first.type in ("STRING", "SQ_STRING", "UNTERMINATED_STRING"):
            message = f"The value {source} has no attribute name: write `name={source}`."
        elif first.type == "EQUALS":
            message = "This `=` has no attribute name before it: write `name=\"value\"`."
        elif not source:
            raw = self.text[first.start_pos:last.end_pos]
            message = (f"{_describe(raw)} cannot stand in a tag: separate attributes with plain "
                       "spaces.")
        else:
            message = f"`{source}` cannot stand in a tag: write attributes as `name=\"value\"`."
        self.report("S010", message, first.start_pos, last.end_pos)

    def read_attribute(self, tag: str, parts: list[Any], report: bool = True,
                       missing_end: bool = False) -> Attribute:
        name_token = parts[0]
        name = str(name_token).lower()
        name_span = self.span(name_token.start_pos, name_token.end_pos)
        if len(parts) < 3:
            end = parts[-1].end_pos
            attribute = Attribute(name, None, None, None, None, (), name_span, None,
                                  self.span(name_token.start_pos, end))
            if report:
                self.report_missing_value(tag, attribute, has_equals=len(parts) == 2)
            return attribute
        token = parts[2]
        raw = str(token)
        value_span = self.span(token.start_pos, token.end_pos)
        if token.type == "STRING":
            quote, value = '"', unescape(raw[1:-1])
        elif token.type == "SQ_STRING":
            quote, value = "'", unescape(raw[1:-1])
        elif token.type == "UNTERMINATED_STRING":
            quote, value = raw[0], unescape(raw[1:])
            closing = quote + ("]" if missing_end else "")
            self.report("S004", f"This quoted value is never closed: end it with `{quote}`.",
                        token.start_pos, token.end_pos,
                        self.insert_fix(f"Insert `{closing}`", token.end_pos, closing))
        else:
            quote, value = "", raw
        variables = tuple(
            Variable(m[1], self.span(token.start_pos + m.start(), token.start_pos + m.end()))
            for m in VARIABLE.finditer(raw)
        )
        typed = None if variables else typed_value(value, self.attribute_type(tag, name))
        attribute = Attribute(name, value, raw, quote, typed, variables, name_span, value_span,
                              self.span(name_token.start_pos, token.end_pos))
        if report and token.type in ("SQ_STRING", "BARE_VALUE"):
            kind = "single quotes" if quote == "'" else "no quotes"
            self.report("S012", f"Write attribute values in double quotes (`{name}` has {kind}).",
                        token.start_pos, token.end_pos,
                        self.replace_fix("Use double quotes", token.start_pos, token.end_pos,
                                         quote_value(value)),
                        severity=WARNING)
        return attribute

    def report_missing_value(self, tag: str, attribute: Attribute, has_equals: bool) -> None:
        if has_equals:
            message = f"`{attribute.name}=` has no value: write a quoted value after `=`."
        else:
            message = f"`{attribute.name}` has no value: write `{attribute.name}=\"...\"`."
        fix = None
        if self.attribute_type(tag, attribute.name) == "boolean":
            text = '"true"' if has_equals else '="true"'
            fix = self.insert_fix(f"Write `{attribute.name}=\"true\"`", attribute.span.end, text)
        self.report("S006", message, attribute.span.start, attribute.span.end, fix)


def _describe(characters: str) -> str:
    from unicodedata import name

    names = [f"U+{ord(c):04X} {name(c, 'control character').title()}" for c in characters[:3]]
    return "The character " + ", ".join(names) if len(characters) == 1 else \
        "The characters " + ", ".join(names)


def _shortened(tag: str, limit: int = 40) -> str:
    """A tag as a message quotes it: whole, or its name and its last words."""
    if len(tag) <= limit:
        return tag
    head = tag.split(" ", 1)[0]
    tail = tag[-(limit - len(head) - 5):]
    tail = tail.split(" ", 1)[1] if " " in tail else tail
    return f"{head} … {tail}"


def _unterminated(attribute: Attribute) -> bool:
    raw = attribute.raw or ""
    return len(raw) < 2 or raw[-1] != raw[0] or raw.endswith("\\" + raw[0])


def _start_of(payload: Any) -> int:
    if isinstance(payload, int):
        return payload
    if isinstance(payload, list):
        return payload[0].start_pos
    return payload.start_pos


def _last_end(block: Block) -> int:
    return block.children[-1].span.end
