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
from dataclasses import replace
from typing import Any

from inkslop.schema.near_miss import (
    character_name,
    invisible_runs,
    is_invisible,
    is_near_miss,
    without_invisible,
)
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
    walk,
)
from inkslop.syntax.bom import without_bom
from inkslop.syntax.diagnostics import ERROR, WARNING, Diagnostic, Edit, Fix
from inkslop.syntax.spans import LineIndex, Span
from inkslop.syntax.values import VARIABLE, quote_value, typed_value, unescape

AttributeType = Callable[[str, str], "str | None"]

_TOML_HEADER = re.compile(r"\[\[?[A-Za-z0-9_.\-\" ]+\]\]?[ \t]*\r?$")
_LINE = re.compile(r"[^\n]*(?:\n|$)")
_FENCE = re.compile(r"[ \t]*(?:```|~~~)[ \t]*[A-Za-z0-9_+.-]*[ \t]*\r?\n?")
_TOML_FENCE = re.compile(r"\+\+\+[ \t]*\r?\n?")
_YAML_FENCE = re.compile(r"---[ \t]*\r?\n?")
_YAML_FIELD = re.compile(r"[ \t]*[A-Za-z_][A-Za-z0-9_-]*[ \t]*:(?:[ \t]|\r?\n|$)")
_TAG_LINE = re.compile(r"[ \t]*(?:\[/?[A-Za-z]|\+\+\+)")
_LINK_TARGET = re.compile(r"\([^()\s]*\)")
# A line that ends a tag cut above it: no `[`, a `]` at its end.
_GOES_ON = re.compile(r"[^\[\]\n]*\][ \t]*\r?(?:\n|$)")
_QUOTES = "\u2018\u2019\u201a\u201b\u201c\u201d\u201e\u201f\u00ab\u00bb"
# Fixes that rewrite the quotes around a value (curly, single, none; a missing space).
_REQUOTING = frozenset({"S012", "S013", "S015"})
_BACKSLASH_CLOSE = re.compile(r"\[\\([A-Za-z][A-Za-z0-9_-]*)\]")
_TOML_ERROR_POSITION = re.compile(r"\(at line (\d+), column (\d+)\)")


def parse(text: str, schema: Schema | None = None) -> Document:
    """Parse script text into a Document with its syntax diagnostics.

    The schema (the built-in one by default) gives attribute values their
    typed form: a number, a boolean, or the string.
    """
    schema = schema or default_schema()
    text = without_bom(text)
    narrated = frozenset(name for name, spec in schema.tags.items() if spec.narrated)
    builder = _Builder(text, schema.attribute_type, frozenset(schema.tags), narrated)
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
    def __init__(self, text: str, attribute_type: AttributeType,
                 known_tags: frozenset[str] = frozenset(),
                 narrated_tags: frozenset[str] = frozenset()) -> None:
        self.text = text
        self.lines = LineIndex(text)
        self.attribute_type = attribute_type
        self.known_tags = known_tags
        self.narrated_tags = narrated_tags
        self.diagnostics: list[Diagnostic] = []
        self.front_matter: FrontMatter | None = None
        self.children: list[Node] = []
        self.stack: list[_OpenBlock] = []
        self.skip_until = 0  # the end of front matter that the items lexed as script
        self.swallowed_by_comment = False
        self.cut_tags: set[int] = set()  # offsets of tags cut by a line end (S009)
        self.cut_line_ends: set[int] = set()  # where the lines that cut a tag end
        self.open_names: dict[str, int] = {}  # how many blocks of each name are open
        self.resume_at = 0  # the end of a closing tag read from text (`[\tts]`)
        # S017 by name, while only text follows it at the top level: a closing tag that then
        # closes nothing is part of the same mistake.
        self.slashless: dict[str, Diagnostic] = {}

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
        self.report_pasted_wrappers()
        self.requoting_unsafe_after_recovery()
        self.diagnostics.sort(key=lambda d: d.sort_key)
        return Document(self.children, self.front_matter, self.text, self.diagnostics, self.lines)

    def requoting_unsafe_after_recovery(self) -> None:
        requoting_unsafe_after_recovery(self.diagnostics)

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
        if not items or items[0][0] != "front_matter":
            self.misplaced_front_matter()
        for kind, payload in items:
            if self.skip_until and _start_of(payload) < self.skip_until:
                self.on_inside_unclosed_front_matter(kind, payload)
                continue
            if not self.stack and kind in ("open", "void", "comment"):
                self.slashless.clear()  # what stands at the top level ends the text after it
            handlers[kind](payload)
        self.close_all_at_end()

    def on_text(self, token: Any) -> None:
        self.report_joined_by_comment(token)
        self.add_text(max(token.start_pos, self.resume_at), token.end_pos)

    def report_joined_by_comment(self, token: Any) -> None:
        """`{[# TODO #]{ animal }}`: the compiler drops the comment, and the `{` on each side
        of it join into `{{`, toolkit syntax that InkSlop would receive (S011)."""
        children = self.current_children()
        index = len(children) - 1
        while index >= 0 and isinstance(children[index], Comment):
            index -= 1
        before = children[index] if index >= 0 else None
        if index == len(children) - 1 or not isinstance(before, Text) \
                or not before.value.endswith("{") or not str(token).startswith("{"):
            return
        self.report("S011", "The compiled script would read `{{` here (the comment removed "
                    "between them joins `{` and `{`), which InkSlop takes for toolkit syntax: "
                    "put a space between them.", before.span.end - 1, token.start_pos + 1)

    def on_unexpected(self, position: int) -> None:
        self.report("S010", "The parser could not read this character here.", position,
                    min(position + 1, len(self.text)))

    def on_stray_bracket(self, token: Any) -> None:
        start = token.start_pos
        backslash = _BACKSLASH_CLOSE.match(self.text, start)
        if backslash and self.open_names.get(backslash[1].lower()):
            # `[\tts]`: a closing tag written with a backslash, read as the one it means.
            name = backslash[1].lower()
            self.report("S017", f"`{backslash[0]}` is written with a backslash: did you mean "
                        f"`[/{name}]`?", start, backslash.end(),
                        self.replace_fix(f"Write `[/{name}]`", start, backslash.end(),
                                         f"[/{name}]", safe=False),
                        related=(("opened here", self.innermost_open(name)),))
            self.close_open(name, start, backslash.end())
            self.resume_at = backslash.end()
            return
        self.report_stray_bracket(start)
        self.add_text(start, start + 1)

    def report_stray_bracket(self, start: int) -> None:
        self.report("S008", "This `[` opens no tag or comment: write a tag such as "
                    "`[tts ...]`, or remove the bracket.", start, start + 1)

    def on_comment(self, token: Any) -> None:
        value = str(token)
        if token.type == "UNTERMINATED_COMMENT":
            self.report("S005", "This comment is never closed, so everything after it, to the "
                        "end of the file, is a comment and never sent: end it with `#]`.",
                        token.start_pos, token.start_pos + 2, self.close_comment_fix(token))
            self.swallowed_by_comment = True
            body, closed = value[2:], False
        else:
            body, closed = value[2:-2], True
        self.current_children().append(
            Comment(body, closed, self.span(token.start_pos, token.end_pos)))

    def close_comment_fix(self, token: Any) -> Fix | None:
        """Close an unterminated comment at the end of the line before the first line that
        starts a tag or front matter: never at the end of the file, which would hide the
        whole script in the comment. None when no tag follows."""
        line_start = self.text.find("\n", token.start_pos)
        while line_start != -1:
            line_start += 1
            if _TAG_LINE.match(self.text, line_start):
                end = line_start - 1
                end -= self.text[end - 1:end] == "\r"
                return self.insert_fix(f"Close the comment at the end of line "
                                       f"{self.lines.span(end, end).line}", end, " #]", safe=False)
            line_start = self.text.find("\n", line_start)
        return None

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
        newline = "\r\n" if self.text[token.end_pos:token.end_pos + 2] == "\r\n" else "\n"
        body_start = min(token.end_pos + len(newline), end)  # after the whole line break
        self.report("S007", "The front matter is never closed: add a line `+++` after it.",
                    token.start_pos, token.end_pos,
                    self.insert_fix("Close the front matter", end,
                                    f"+++{newline}" if end == 0 or self.text[end - 1] == "\n"
                                    else f"{newline}+++{newline}"))
        self.front_matter = FrontMatter(self.text[body_start:end], None, False,
                                        self.span(body_start, end),
                                        self.span(token.start_pos, end))
        self.skip_until = end

    def misplaced_front_matter(self) -> None:
        """Front matter below blank lines, or written as YAML between `---` lines: read as
        the front matter it is meant to be (so that its lines are not narration or tags),
        and reported once (S019). Code fence lines before it are S018's business."""
        position, below = 0, False  # below blank lines or a code fence
        line = ""
        while position < len(self.text):
            line = _LINE.match(self.text, position)[0]  # type: ignore[index]
            if line.strip() and not _FENCE.fullmatch(line):
                break
            below = True
            position += len(line)
        body_start = position + len(line)
        if _TOML_FENCE.fullmatch(line) and below:
            closing = re.compile(r"^\+\+\+[ \t]*\r?$", re.MULTILINE).search(self.text, body_start)
        elif _YAML_FENCE.fullmatch(line) and _YAML_FIELD.match(self.text, body_start):
            closing = re.compile(r"^---[ \t]*\r?$", re.MULTILINE).search(self.text, body_start)
        else:
            return
        if closing is None:
            return
        end = closing.end() - (closing[0].endswith("\r"))
        body = self.text[body_start:closing.start()]
        toml = line.startswith("+++")
        data = self.parse_toml(body, body_start) if toml else None
        # The lines before it belong to it: the front matter stays the document's first part.
        self.front_matter = FrontMatter(body, data, True, self.span(body_start, closing.start()),
                                        self.span(0, end))
        self.skip_until = end
        self.report_fences(0, position)
        fence_end = position + len(line.rstrip("\r\n"))
        if toml:
            before = self.text[:position]
            fix = None if before.strip() else self.replace_fix(
                "Remove the blank lines before `+++`", 0, position, "")
            self.report("S019", "Front matter starts on the first line of the file, with "
                        "`+++`: below other lines it is not front matter, and InkSlop would "
                        "receive it as part of the script. Remove the lines before `+++`.",
                        position, fence_end, fix)
        else:
            self.report("S019", "This is YAML front matter between `---` lines: the toolkit's "
                        "front matter is TOML between two `+++` lines, on the first line of the "
                        "file (`video_name = \"...\"`). Rewrite it as TOML.", position, fence_end)

    def report_pasted_wrappers(self) -> None:
        """Markdown code fences (```, ```inkslop), around the script or inside a block: not
        part of the script, reported with a fix that removes their lines (S018)."""
        for node in (n for top in self.children for n in walk(top)):
            if isinstance(node, Text) and ("```" in node.value or "~~~" in node.value):
                self.report_fences(node.span.start, node.span.end)

    def report_fences(self, start: int, end: int) -> None:
        position = start
        while position < end:
            line_end = self.text.find("\n", position, end)
            stop = end if line_end == -1 else line_end + 1
            whole_line = (position == 0 or self.text[position - 1] == "\n") and \
                (stop == len(self.text) or self.text[stop - 1] == "\n")
            line = self.text[position:stop]
            if whole_line and _FENCE.fullmatch(line):
                # Removed after a line that leaves a `[` open, the fence would let that line's
                # words become a tag with the next line's: then the fix is unsafe.
                above = self.text[self.text.rfind("\n", 0, max(position - 1, 0)) + 1:position]
                safe = "[" not in above.rsplit("]", 1)[-1] and position not in self.cut_line_ends
                # Removed from the top, it would make the `+++` lines below front matter, unless
                # they are read as front matter already (S019).
                safe = safe and not (position == 0 and self.front_matter is None
                                     and _TOML_FENCE.match(self.text, stop))
                self.report("S018", f"`{line.strip()}` is a Markdown code fence, not part of "
                            "the script: InkSlop would receive it as text. Remove the line.",
                            position, position + len(line.rstrip("\r\n")),
                            self.replace_fix("Remove the fence line", position, stop, "", safe))
            position = stop

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
        elif kind == "comment" and payload.end_pos > self.skip_until:
            # A comment begun inside hides the script after it: closing the front matter
            # would bring that back, so the fix (S007) is not safe.
            for diagnostic in self.diagnostics:
                if diagnostic.code == "S007" and diagnostic.fix is not None:
                    diagnostic.fix = replace(diagnostic.fix, safe=False)

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
        reported = len(self.diagnostics)
        parts = self.colon_attributes(parts)
        name, name_span, attributes, start, end = self.read_tag(parts)
        if self.closing_without_slash(parts, name, start, end, reported):
            return
        if self.is_prose(parts, name, start, end):
            self.read_as_prose(parts, start, end, reported)
            return
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
        reported = len(self.diagnostics)
        parts = self.colon_attributes(parts)
        name, name_span, attributes, start, end = self.read_tag(parts)
        if self.closing_without_slash(parts, name, start, end, reported):
            return
        self.current_children().append(VoidTag(name, attributes, name_span, self.span(start, end)))
        self.keep_line_end(parts[-1])

    def on_close(self, parts: list[Any]) -> None:
        reported = len(self.diagnostics)
        name, _, attributes, start, end = self.read_tag(parts, closing=True)
        if name not in self.known_tags and not self.open_names.get(name) and (_spaced(parts[0])
                or self.in_narration() and not is_near_miss(name, self.known_tags)):
            # `[/emph]` after a bracketed `[emph]` in narration: words in brackets too (S016);
            # `[/tss]` is a typo of a closing tag (S003)
            self.read_as_prose(parts, start, end, reported)
            return
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
            if start in self.cut_tags or self.closes_after_slashless(name, start, end):
                return
            self.report("S002", f"`[/{name}]` closes nothing: no `[{name}]` is open here. "
                        "Remove it, or add the opening tag.", start, end,
                        self.replace_fix(f"Remove `[/{name}]`", start, end, "", safe=False))
            return
        if not self.open_names.get(name):
            innermost = self.stack[-1].block
            self.report("S003", f"`[/{name}]` does not match the open `[{innermost.name}]`: "
                        f"write `[/{innermost.name}]`.", start, end,
                        self.replace_fix(f"Write `[/{innermost.name}]`",
                                         parts[0].start_pos + _name_offset(parts[0]),
                                         parts[0].end_pos, innermost.name, safe=False),
                        related=(("opened here", innermost.open_span),))
            name = innermost.name
        self.close_open(name, start, end)
        self.keep_line_end(parts[-1])

    def close_open(self, name: str, start: int, end: int) -> None:
        """Close the innermost open block called `name`; the blocks inside it that are
        still open are reported as unclosed."""
        while self.stack[-1].block.name != name:
            skipped = self.pop_block()
            self.report_unclosed(skipped, start, f"before `[/{name}]`")
            self.finish_block(skipped, None, start)
        block = self.pop_block()
        self.finish_block(block, self.span(start, end), end)

    def closing_without_slash(self, parts: list[Any], name: str, start: int, end: int,
                              reported: int) -> bool:
        """`[tts]` (or `[tts/]`) with nothing in it while a `[tts]` is open (a block of
        narration, which holds no blocks): the author meant `[/tts]`. It is read as the closing tag and reported once (S017)."""
        if name not in self.narrated_tags or not self.open_names.get(name) or len(parts) > 2 \
                or parts[-1].type == "TAG_END_MISSING":
            return False  # blocks that hold blocks may nest: `[music]` in `[music]` is C003
        del self.diagnostics[reported:]
        self.report("S017", f"`{self.text[start:end]}` opens a `[{name}]` inside the open "
                    f"`[{name}]`: did you mean `[/{name}]`?", start, end,
                    self.replace_fix(f"Write `[/{name}]`", start, end, f"[/{name}]", safe=False),
                    related=(("opened here", self.innermost_open(name)),))
        self.slashless[name] = self.diagnostics[-1]
        self.close_open(name, start, end)
        self.keep_line_end(parts[-1])
        return True

    def closes_after_slashless(self, name: str, start: int, end: int) -> bool:
        """`[tts …]` Hello `[tts]` More `[/tts]`: the `[/tts]` that closes nothing after an
        S017 is the same mistake, which has two readings. One finding for both, over the
        text between them (which is then not reported as outside every block)."""
        first = self.slashless.pop(name, None)
        if first is None:
            return False
        written = self.text[first.span.start:first.span.end]
        index = next(i for i, d in enumerate(self.diagnostics) if d is first)
        self.diagnostics[index] = Diagnostic(
            "S017", ERROR, f"`{written}` opens a `[{name}]` inside the open `[{name}]`, and the "
            f"`[/{name}]` below it closes nothing: if the text between them is a new block, "
            f"close the first one with `[/{name}]` before `{written}` and give `{written}` its "
            f"attributes; if it is not narration, write `[/{name}]` for `{written}` and remove "
            f"the `[/{name}]` below.", self.span(first.span.start, end), None, first.related)
        return True

    def innermost_open(self, name: str) -> Span:
        return next(o.block.open_span for o in reversed(self.stack) if o.block.name == name)

    def is_prose(self, parts: list[Any], name: str, start: int, end: int) -> bool:
        """Whether an opening tag is words in square brackets, not a tag: a stage direction
        (`[laughs]`, `[Music fades]`, `[SFX: whoosh]`), a Markdown link (`[here](...)`) or
        a lone `[`. Such a tag has no `name="value"` attribute, and holds something a tag
        cannot (`:`, digits, words the tag does not take), or names an unknown tag followed
        by a link target `(...)`, or inside narration (where no tag can stand), or ending at
        its line's end with no `]`. Only what the tag and its place show decides: the reading
        of a tag never depends on text far after it (inkslop.syntax.incremental relies on
        that)."""
        inner = [part for part in parts[1:-1] if isinstance(part, tuple)]
        if any(kind == "attribute" and len(tokens) > 1 for kind, tokens in inner):
            return False
        if any(kind == "stray" for kind, _ in inner):
            return True
        if name not in self.known_tags and _spaced(parts[0]):
            return True  # `[ laughs ]`: a tag's name follows its `[` at once
        if name not in self.known_tags and _LINK_TARGET.match(self.text, end):
            return True
        words = [_tag_name(tokens[0], 0) for kind, tokens in inner if kind == "attribute"]
        if any(self.attribute_type(name, word) is None for word in words):
            return True
        cut = parts[-1].type == "TAG_END_MISSING"
        return name not in self.known_tags and (cut or self.in_narration())

    def in_narration(self) -> bool:
        return bool(self.stack) and self.stack[-1].block.name in self.narrated_tags

    def read_as_prose(self, parts: list[Any], start: int, end: int, reported: int) -> None:
        """Keep bracketed words as the text they are, with one finding (S016) and no other."""
        del self.diagnostics[reported:]
        self.cut_tags.discard(start)
        written = _shortened(self.text[start:end].rstrip())
        link = _LINK_TARGET.match(self.text, end)
        if _spaced(parts[0]):  # `[ laughs ]`: a `[` that opens no tag, as ever
            self.report_stray_bracket(start)
            self.add_text(start, end)
            self.keep_line_end(parts[-1])
            return
        if link:
            message = (f"`{written}(…)` is a Markdown link, and "
                       "square brackets in narration are read as tags: keep only its words, or "
                       "rephrase.")
            fix = self.replace_fix(f"Keep only `{self.text[start + 1:end - 1]}`", start,
                                   link.end(), self.text[start + 1:end - 1], safe=False)
        elif parts[-1].type == "TAG_END_MISSING":
            message = (f"Square brackets in narration are read as tags: `{written}` opens a tag "
                       "that never ends. Remove the `[`, or rephrase.")
            fix = self.replace_fix("Remove the `[`", start, start + 1, "", safe=False)
        else:
            message = (f"Square brackets in narration are read as tags: `{written}` would be "
                       "read as a tag, not spoken. Remove it, or rephrase it without brackets.")
            removed_start, removed_end = self.removal(start, end)
            fix = self.replace_fix(f"Remove `{written}`", removed_start, removed_end, "",
                                   safe=False)
        self.report("S016", message, start, end, fix)
        self.add_text(start, end)
        self.keep_line_end(parts[-1])

    def removal(self, start: int, end: int) -> tuple[int, int]:
        """What removing the words from start to end removes: their line when they stand
        alone on it, else one space next to them."""
        line_start = self.text.rfind("\n", 0, start) + 1
        line_end = self.text.find("\n", end)
        line_end = len(self.text) if line_end == -1 else line_end + 1
        if not self.text[line_start:start].strip() and not self.text[end:line_end].strip():
            return line_start, line_end
        before, after = self.text[start - 1:start] if start else "", self.text[end:end + 1]
        if after == " " and before in ("", " ", "\n"):
            return start, end + 1  # `him [laughs] and` -> `him and`
        if before == " " and not after.isalnum():
            return start - 1, end  # `wait [pause].` -> `wait.`
        return start, end  # `Hello [emph]world` -> `Hello world`

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
        if block.name not in self.known_tags:
            # Maybe words in brackets (`[laughs]`): closing it would wrap narration in a tag.
            self.report("S001", f"`[{block.name}]` is never closed {where}: if it is words in "
                        "square brackets, remove the brackets or rephrase; if it is a tag, add "
                        f"`[/{block.name}]`.", block.open_span.start, block.open_span.end)
            return
        self.report("S001", f"`[{block.name}]` is never closed {where}: add `[/{block.name}]`.",
                    block.open_span.start, block.open_span.end,
                    self.insert_fix(f"Close `[{block.name}]` here", insert_at,
                                    f"{prefix}[/{block.name}]{suffix}", safe=False))

    def close_all_at_end(self) -> None:
        end = len(self.text)
        slashless = self.slashless_at_end()
        closed_by_it = self.stack[-2].block if slashless else None  # had it been `[/name]`
        while self.stack:
            block = self.pop_block()
            if block is slashless:
                self.report_slashless_at_end(block)
            elif not self.swallowed_by_comment and block is not closed_by_it:
                self.report_unclosed(block, end, "by the end of the file")
            self.finish_block(block, None, end)

    def slashless_at_end(self) -> Block | None:
        """`[music …]` … `[music]` with neither closed by the end: a bare tag inside an open
        block of its name, where a block that holds blocks may nest (`closing_without_slash`
        reads narration's at once). Only the end shows that `[/music]` was meant."""
        if len(self.stack) < 2 or self.swallowed_by_comment:
            return None
        inner, outer = self.stack[-1].block, self.stack[-2].block
        written = self.text[inner.open_span.start:inner.open_span.end]
        if inner.name != outer.name or inner.attributes or \
                written.strip("[] \t/").lower() != inner.name:
            return None
        return inner

    def report_slashless_at_end(self, block: Block) -> None:
        span = block.open_span
        written = self.text[span.start:span.end]
        self.report("S017", f"`{written}` opens a `[{block.name}]` inside the open "
                    f"`[{block.name}]`, and neither is closed by the end of the file: did you "
                    f"mean `[/{block.name}]`?", span.start, span.end,
                    self.replace_fix(f"Write `[/{block.name}]`", span.start, span.end,
                                     f"[/{block.name}]", safe=False),
                    related=(("opened here", self.innermost_open(block.name)),))

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
        name_offset = _name_offset(head)
        name = _tag_name(head, name_offset)
        self.report_spaced_head(head, name_offset, closing)
        name_span = self.span(head.start_pos + name_offset, head.end_pos)
        self.report_invisible(head.start_pos + name_offset, str(head)[name_offset:],
                              f"The tag name `{name}`")
        start = head.start_pos
        line_breaks: list[Any] = []
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
            else:  # TAG_SPACE or TAG_LINE_BREAK
                self.report_stray(stray)
                stray = []
                previous_end, previous_kind = part.end_pos, "space"
                if part.type == "TAG_LINE_BREAK":
                    line_breaks.append(part)
        self.report_stray(stray)
        if line_breaks:
            self.report_cut_across_lines(start, line_breaks)
        if ending.type == "TAG_END_MISSING":
            content_end = previous_end
            self.cut_tags.add(start)
            self.cut_line_ends.add(ending.end_pos)
            if attributes and attributes[-1].quote and attributes[-1].raw \
                    and attributes[-1].span.end == content_end and _unterminated(attributes[-1]):
                # The unterminated quote ate the `]`: reported once, as S004.
                return name, name_span, attributes, start, content_end
            written = _shortened(self.text[start:content_end].rstrip())
            # With no attribute, `[` may belong to the text, or `[name]` close a block (S017).
            surely_a_tag = any(a.value is not None for a in attributes)
            if _GOES_ON.match(self.text, ending.end_pos):
                # `speed=1.2 voice="af_heart"]` below: closing the tag here would make that
                # line narration, so the fix joins the lines, and is unsafe.
                self.report("S009", f"`{written}` is not closed by `]` on its line; the next "
                            "line seems to go on with it: a tag stands on one line. Join them.",
                            start, content_end, Fix("Join the tag's lines", (Edit(
                                self.span(content_end, ending.end_pos), " "),), safe=False))
                return name, name_span, attributes, start, content_end
            if surely_a_tag:
                message = f"This tag is missing its closing `]`: write `]` after `{written}`."
            else:
                message = (f"`{written}` opens a tag that is not closed by `]` on its line: "
                           "write the `]`, or remove the `[` if it belongs to the text.")
            # After a stray `/`, the `]` would make `[tts … /]`, a void tag: not safe.
            safe = surely_a_tag and not self.text[start:content_end].rstrip().endswith("/")
            self.report("S009", message, start, content_end,
                        self.insert_fix("Insert `]`", content_end, "]", safe=safe))
            end = content_end
        else:
            end = ending.end_pos
        return name, name_span, attributes, start, end

    def colon_attributes(self, parts: list[Any]) -> list[Any]:
        """`engine: "kokoro_tts"`, as YAML or JSON write it: read as the attribute it is meant
        to be, reported once (S022) with a fix that writes `=`."""
        tag = _tag_name(parts[0], _name_offset(parts[0]))
        read: list[Any] = []
        index = 0
        while index < len(parts):
            part = parts[index]
            # Only a name the tag takes: `[Music fades: "slowly"]` is words in brackets (S016).
            found = _colon_value(parts, index) if _is_bare_name(part) and self.attribute_type(
                tag, _tag_name(part[1][0], 0)) is not None else None
            if found is None:
                read.append(part)
                index += 1
                continue
            colon, value, index = found
            name = part[1][0]
            written = f"{name}{self.text[colon.start_pos:value.end_pos]}"
            meant = f"{name}={value}"
            self.report("S022", f"`{written}` is written with `:`: an attribute takes `=`. "
                        f"Write `{meant}`.", name.start_pos, value.end_pos,
                        self.replace_fix("Write `=`", name.end_pos, value.start_pos, "="))
            read.append(("attribute", [name, colon, value]))
        return read

    def report_spaced_head(self, head: Any, name_offset: int, closing: bool) -> None:
        """`[ tts` or `[/ tts`: spaces after the `[` (S023), read as the tag meant."""
        if not _spaced(head):
            return
        written = str(head)[:name_offset]
        meant = "[/" if closing else "["
        name = _tag_name(head, name_offset)
        self.report("S023", f"`{written}{name}`: a tag starts with `{meant}` and its name, with no "
                    f"space between them. Write `{meant}{name}`.", head.start_pos,
                    head.start_pos + name_offset,
                    self.replace_fix("Remove the space", head.start_pos,
                                     head.start_pos + name_offset, meant))

    def report_cut_across_lines(self, start: int, line_breaks: list[Any]) -> None:
        """A tag whose attributes go on over the next lines: read as one tag (S020), with a
        fix that joins its lines, which the parser already reads as one."""
        first = line_breaks[0]
        edits = tuple(Edit(self.span(b.start_pos, b.end_pos), " ") for b in line_breaks)
        self.report("S020", "This tag goes on over the next line: a tag stands on one line, "
                    "from `[` to `]`. Join its lines.", start, first.start_pos,
                    Fix("Join the tag's lines", edits))

    def report_invisible(self, offset: int, written: str, holder: str) -> None:
        """S021 for each run of invisible characters in `written` (found at `offset`), which
        the parser reads as its author meant: format characters removed, spaces plain."""
        if written.isascii() and written.isprintable():
            return
        for run_start, index in invisible_runs(written):
            run = written[run_start:index]
            names = ", ".join(character_name(c) for c in dict.fromkeys(run))
            what = ("looks like a space but is not one" if without_invisible(run).strip() == ""
                    and " " in without_invisible(run) else "is invisible")
            self.report("S021", f"{holder} holds {names}, which {what}: "
                        + ("write a plain space." if what.startswith("looks") else
                           "remove it."),
                        offset + run_start, offset + index,
                        self.replace_fix("Write a plain space" if what.startswith("looks")
                                         else "Remove it", offset + run_start, offset + index,
                                         without_invisible(run)))

    def report_stray(self, stray: list[Any]) -> None:
        if not stray:
            return
        first, last = stray[0], stray[-1]
        between = self.text[first.start_pos:last.end_pos]
        if all(is_invisible(c) for c in between):
            self.report_invisible(first.start_pos, between, "The space between two attributes")
            return
        source = self.text[first.start_pos:last.end_pos].strip()
        if first.type in ("STRING", "SQ_STRING", "MIXED_STRING", "UNTERMINATED_STRING"):
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
        name = _tag_name(name_token, 0)
        name_span = self.span(name_token.start_pos, name_token.end_pos)
        if report:
            self.report_invisible(name_token.start_pos, str(name_token),
                                  f"The attribute name `{name}`")
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
            # Without its `]` on the line, the tag may go on over the next line (a quote or
            # `]` there says so): ended here, the rest of it would become narration.
            below = self.text[token.end_pos:].split("\n", 2)[1:2]
            going_on = missing_end and bool(below) and ('"' in below[0] or "]" in below[0])
            self.report("S004", f"This quoted value is never closed: end it with `{quote}`.",
                        token.start_pos, token.end_pos,
                        self.insert_fix(f"Insert `{closing}`", token.end_pos, closing,
                                        safe=not going_on))
        elif token.type in ("CURLY_STRING", "MIXED_STRING"):
            quote, value = raw[0], raw[1:-1]
            quotes = f"ends with the typographic quote {raw[-1]}" if raw[0] == '"' else \
                f"is in typographic quotes {raw[0]}{raw[-1]}"
            self.report("S015", f"The value of `{name}` {quotes}: InkSlop reads only straight "
                        f"double quotes. Write {quote_value(without_invisible(value))}.",
                        token.start_pos, token.end_pos,
                        self.replace_fix("Use straight double quotes", token.start_pos,
                                         token.end_pos, quote_value(value)))
        else:
            quote, value = "", raw
        if report:
            self.report_invisible(token.start_pos, raw, f"The value of `{name}`")
        value = without_invisible(value)
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
            # A bare name means nothing to InkSlop: that `true` is meant is a guess, and the
            # fix changes the value sent (the meaning properties, issue 11), so it is unsafe.
            fix = self.insert_fix(f"Write `{attribute.name}=\"true\"`", attribute.span.end, text,
                                  safe=False)
        self.report("S006", message, attribute.span.start, attribute.span.end, fix)


def recovered(diagnostics: list[Diagnostic]) -> bool:
    """Whether the parser had to recover from an error other than a value's quotes."""
    return any(d.severity == ERROR and d.code not in _REQUOTING for d in diagnostics)


def requoting_unsafe_after_recovery(diagnostics: list[Diagnostic]) -> None:
    """Where the parser had to recover from another error, which quote ends which value
    is a guess: a fix that rewrites quotes could change how the rest is read (a tag
    becoming narration), so it is no longer safe. It depends on the whole document:
    inkslop.syntax.incremental applies it again after splicing a region in."""
    if recovered(diagnostics):
        for diagnostic in diagnostics:
            if diagnostic.code in _REQUOTING and diagnostic.fix is not None:
                diagnostic.fix = replace(diagnostic.fix, safe=False)


def _is_bare_name(part: Any) -> bool:
    return isinstance(part, tuple) and part[0] == "attribute" and len(part[1]) == 1


def _colon_value(parts: list[Any], index: int) -> tuple[Any, Any, int] | None:
    """After the bare attribute name at `index`: `:`, maybe a space, a quoted value
    (`engine: "x"`). Its `:` and value tokens, and the index after them."""
    following = parts[index + 1:index + 4]
    if not following or not _is_stray(following[0], ":"):
        return None
    skip = 2 if len(following) > 1 and getattr(following[1], "type", "") == "TAG_SPACE" else 1
    value = following[skip] if len(following) > skip else None
    if not _is_stray(value) or value[1].type not in _QUOTED:
        return None
    return following[0][1], value[1], index + skip + 2


_QUOTED = frozenset({"STRING", "SQ_STRING", "CURLY_STRING", "MIXED_STRING"})


def _is_stray(part: Any, value: str | None = None) -> bool:
    return isinstance(part, tuple) and part[0] == "stray" and (value is None
                                                               or str(part[1]) == value)


def _name_offset(head: Any) -> int:
    """Where the name starts in a tag's head: after `[`, `/` and any spaces between."""
    return len(head) - len(head.lstrip("[/ \t"))


def _spaced(head: Any) -> bool:
    """Whether a tag's head has spaces after its `[` or `[/` (`[ tts`)."""
    return str(head)[:_name_offset(head)] not in ("[", "[/")


def _tag_name(token: Any, offset: int) -> str:
    """A tag's or attribute's name as read: lower case, without invisible characters."""
    return without_invisible(str(token)[offset:]).replace(" ", "").lower()


def _describe(characters: str) -> str:
    names = [character_name(c) for c in characters[:3]]
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
