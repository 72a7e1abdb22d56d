"""Render a Document as canonical text: what `fmt` writes and what `compile` sends.

The canonical style (docs/language.md, design section 6): one block tag per line,
opening and closing tags on lines of their own, nested blocks indented by
`indent` spaces a level (none by default), narrated text kept line for line with
the spaces at its ends removed, at most one blank line in a row and none just
inside a block's tags, one newline at the end, attributes double-quoted in the
schema's order (unknown ones after, in their order), names in lower case,
comments and front matter kept where they stand. A comment that follows a tag
on its line stays on that line: inline suppressions depend on it. For the same
reason a line that an `inkslop: ignore` directive covers (the directive's own
line, or the line after a directive alone on its line) is never split: its tags
stay on it, so the directive keeps suppressing what it did.

The compiler renders the same way with comments and front matter left out and
variables filled in; where a dropped comment leaves two runs of spaces side by
side, one space stays. The walk uses an explicit stack, never recursion.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from inkslop.schema.spec import Schema, default_schema
from inkslop.syntax.ast import Attribute, Block, Comment, Document, Text, Variable, VoidTag, walk
from inkslop.syntax.bom import BOM
from inkslop.syntax.fences import FENCE_LINE
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
    lines = _Lines(options, _pinned_lines(document) if options.comments else set())
    if document.front_matter is not None and options.front_matter:
        lines.verbatim("+++\n" + document.front_matter.body + "+++")
    for event, node, depth in _events(document):
        if event == "open":
            lines.tag(_open_tag(node, options), depth, "open", node.open_span.line)
        elif event == "close":
            line = node.close_span.line if node.close_span else node.span.end_line
            lines.tag(f"[/{node.name}]", depth, "close", line)
        elif event == "void":
            lines.tag(_void_tag(node, options), depth, "void", node.span.line)
        else:
            lines.inline(node, depth)
    return lines.finish()


_IGNORE_DIRECTIVE = re.compile(r"\s*inkslop\s*:\s*ignore(?![\w-])", re.I)


def _pinned_lines(document: Document) -> set[int]:
    """The source lines that `inkslop: ignore` directives cover (as inkslop.lint.suppression
    reads them): a directive beside other things covers its own lines, one alone on its
    line the next line that is not blank."""
    lines = document.lines
    pinned: set[int] = set()
    for comment in walk(document):
        if not (isinstance(comment, Comment) and _IGNORE_DIRECTIVE.match(comment.body)):
            continue
        first, last = comment.span.line, comment.span.end_line
        before = lines.line_text(first)[:comment.span.column - 1]
        after = lines.line_text(last)[comment.span.end_column - 1:]
        if before.strip() or after.strip():
            pinned.update((first, last))
            continue
        following = last + 1
        while following <= lines.line_count and not lines.line_text(following).strip():
            following += 1
        pinned.add(following)
    return pinned


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
    """Collects output lines with their kind, then settles blank lines.

    `pieces` is the line being written; `after_tag` says that the last line written is a
    tag whose source line is still going on (a comment there joins it). A tag or text
    on a pinned source line joins the line being written instead of starting one.
    """

    def __init__(self, options: RenderOptions, pinned: set[int]) -> None:
        self.options = options
        self.pinned = pinned
        self.lines: list[tuple[str, str]] = []  # (kind, text)
        self.pieces: list[str] = []
        self.depth = 0
        self.had_comment = False
        self.seam = False  # a dropped comment stands just before what comes next
        self.after_tag = False  # the source line of the last tag is still open

    def verbatim(self, text: str) -> None:
        for line in text.replace("\r\n", "\n").split("\n"):
            self.lines.append(("verbatim", line))
        self.after_tag = True

    def tag(self, text: str, depth: int, kind: str, line: int) -> None:
        if self.glued(line) or self.fence_pending():
            self.pieces.append(text)
            return
        self.end_line()
        self.had_comment = False
        self.lines.append((kind, " " * (self.options.indent * depth) + text))
        self.after_tag = True

    def glued(self, line: int) -> bool:
        """Whether what stands on source line `line` joins the line being written: the line
        is pinned and something of it is written already (a tag line is taken back)."""
        if line not in self.pinned:
            return False
        if not self.pieces and self.after_tag and self.lines and \
                self.lines[-1][0] in ("open", "close", "void"):
            _, written = self.lines.pop()
            self.pieces = [written.lstrip(" ")]
            self.depth = (len(written) - len(self.pieces[0])) // (self.options.indent or 1)
            self.after_tag = False
        return bool(self.pieces)

    def inline(self, node: Text | Comment | Variable, depth: int) -> None:
        if not isinstance(node, Comment) and (not isinstance(node, Text) or node.value.strip()):
            self.glued(node.span.line)  # spaces, and a comment after a tag, join its line anyway
        if isinstance(node, Comment):
            self.comment(node, depth)
        elif isinstance(node, Variable):
            self.content(self.variable(node), depth)
        elif self.options.comments:
            # A lone CR is kept: the toolkit's lines (and the directives that cover them)
            # end at LF only. The compiled script has it as the line break it reads as.
            self.text(node.value.replace("\r\n", "\n"), depth)
        else:
            self.text(_line_breaks(node.value), depth)

    def text(self, value: str, depth: int) -> None:
        if self.after_tag and value.lstrip(" \t").startswith("\r"):
            # A lone CR (after spaces) ends the tag's line, which fmt ends itself; a line
            # break right after it is then a blank line, as the compiler reads it.
            value = value.lstrip(" \t")[1:]
            self.after_tag = not value.startswith("\n")
        for index, part in enumerate(value.split("\n")):
            if index and self.after_tag:
                self.after_tag = False  # the newline that ends the tag's own line
                self.had_comment = False
            elif index:
                self.end_line(blank_if_empty=True)
            if part.strip() or part and self.pieces or "\r" in part:
                self.content(part, depth)  # a lone CR is a line break: end_line counts it

    def content(self, text: str, depth: int) -> None:
        if not self.pieces:
            self.depth = depth
        if self.seam and self.pieces and self.pieces[-1][-1:] in (" ", "\t") \
                and text[:1] in (" ", "\t"):
            text = text.lstrip(" \t")  # one space where a dropped comment stood
        self.seam = self.seam and not text
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
            self.seam = True
            return
        body = _comment_line_breaks(node.body)
        text = f"[#{body}#]" if node.closed else f"[#{body}"
        if self.after_tag and not self.pieces and self.lines:
            kind, line = self.lines[-1]
            self.lines[-1] = (kind, f"{line} {text}")
            return
        self.content(text, depth)

    def written(self) -> tuple[str, int]:
        """The line being written as it would be written, and how many lone CRs (line breaks
        to the compiler) stood at its end. The spaces at its ends go, unless removing them
        would make a Markdown code fence of it (a no-break space beside ```)."""
        joined = "".join(self.pieces)
        kept = joined.rstrip()
        line = _LEADING_SPACES.sub("", kept)  # a lone CR at the start is a line break: kept
        if FENCE_LINE.fullmatch(line) and not FENCE_LINE.fullmatch(joined):
            line = joined.lstrip(" \t").rstrip(" \t\r")
        return line, joined.count("\r", len(kept))

    def fence_pending(self) -> bool:
        """Whether the line being written would read as a Markdown code fence (S018) if it
        ended here; formatting keeps what stood beside it on its line."""
        return self.options.comments and FENCE_LINE.fullmatch(self.written()[0]) is not None

    def end_line(self, blank_if_empty: bool = False) -> None:
        """End the line being written: at a line break of the text (`blank_if_empty`), or
        because a tag or the end comes. Lone CRs at its end (kept by fmt, read as line
        breaks by the compiler) are written as the blank line they make, never left to
        merge with the newline into a CRLF."""
        line, breaks = self.written()
        blank_after = breaks > 0 if blank_if_empty else breaks > (1 if line else 0)
        if line and self.fence_pending() and self.lines \
                and self.lines[-1][0] not in ("blank", "verbatim"):
            # On a line of its own it would read as a Markdown code fence (S018): it stays
            # after what stood before it on its source line.
            # After an opening tag the line holds text now: a blank line below it stays.
            kind, previous = self.lines[-1]
            self.lines[-1] = ("text" if kind == "open" else kind,
                              previous + "".join(self.pieces).rstrip())
        elif line:
            self.lines.append(("text", " " * (self.options.indent * self.depth) + line))
        elif blank_if_empty and not self.had_comment:
            self.lines.append(("blank", ""))
        if blank_after:
            self.lines.append(("blank", ""))
        self.pieces = []
        self.had_comment = False
        self.seam = False

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
        if settled[0][0] == "text" and (settled[0][1].rstrip() == "+++"
                                        or settled[0][1].startswith(BOM)):
            # Text that would read as front matter, or as a byte-order mark, on the first
            # line keeps a line above it.
            settled.insert(0, ("blank", ""))
        newline = self.options.newline
        return newline.join(line.replace("\n", newline) for _, line in settled) + newline


_LEADING_SPACES = re.compile(r"^[^\S\r]+")


def _comment_line_breaks(body: str) -> str:
    """A comment's body as fmt writes it: CRLF as `\n`; a lone CR kept (the toolkit's lines
    end at LF only, and directives count lines), but not before a line break, where it
    would make a CRLF: there it is the line break it reads as."""
    return body.replace("\r\n", "\n").replace("\r\n", "\n\n")


def _line_breaks(text: str) -> str:
    """Every line break as `\n`: CRLF, and a lone CR as the parser's text reads it."""
    return text.replace("\r\n", "\n").replace("\r", "\n")
