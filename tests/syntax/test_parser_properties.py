"""Property tests of the parser: it never fails, its spans are right, it loses nothing.

Three families of input:

- any text at all (`st.text()`);
- text biased toward the language's own characters and words (`[`, `]`, `/`,
  `#`, `{{`, `"`, `+++`, tag names...), which is where a parser breaks;
- well-formed scripts generated from the grammar's shape, together with the
  tree they must parse to.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from inkslop.lint.checker import check, fix
from inkslop.schema.near_miss import visible
from inkslop.syntax.ast import (
    Attribute,
    Block,
    Comment,
    Document,
    FrontMatter,
    Text,
    Variable,
    VoidTag,
    dump,
    narrated_text,
    walk,
)
from inkslop.syntax.parser import parse

FAST = settings(max_examples=600, deadline=None,
                suppress_health_check=[HealthCheck.too_slow])
SLOWER = settings(max_examples=200, deadline=None,
                  suppress_health_check=[HealthCheck.too_slow])

# ---- strategies -------------------------------------------------------------

_PIECES = [
    "[", "]", "/", "#", "{", "}", "{{", "}}", '"', "'", "=", "+++", "\n", "\r\n", " ", "\t",
    "\\", "tts", "music", "x", "[tts", "[music", "[/tts]", "[/music]", "[#", "#]", "/]",
    'engine="kokoro_tts"', 'voice="af_heart"', "voice", "{{ animal }}", "😀", "é", "\ufeff",
    "+++\n", "\n+++\n", "Hello.", "[pause /]", "[Tts", "1", "_",
]

language_text = st.lists(
    st.one_of(st.sampled_from(_PIECES), st.text(max_size=3)), max_size=40
).map("".join)

any_text = st.one_of(st.text(), language_text)


# ---- span helpers -----------------------------------------------------------


def position(text: str, offset: int) -> tuple[int, int]:
    """Line and column (1-based, in code points) of an offset, recomputed naively."""
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, column


def assert_span_ok(text: str, span, what: object) -> None:
    assert 0 <= span.start <= span.end <= len(text), (what, span)
    assert (span.line, span.column) == position(text, span.start), (what, span)
    assert (span.end_line, span.end_column) == position(text, span.end), (what, span)


def every_span(document: Document):
    """Every span of every node of a document, with the node it belongs to."""
    for node in walk(document):
        if isinstance(node, Document):
            continue
        yield node, node.span
        if isinstance(node, (Block, VoidTag, Attribute)):
            yield node, node.name_span
        if isinstance(node, Block):
            yield node, node.open_span
            if node.close_span is not None:
                yield node, node.close_span
        if isinstance(node, Attribute):
            if node.value_span is not None:
                yield node, node.value_span
            for variable in node.variables:
                yield variable, variable.span
        if isinstance(node, FrontMatter):
            yield node, node.body_span


def assert_children_in_order(document: Document) -> None:
    for node in walk(document):
        if isinstance(node, Document):
            children = ([node.front_matter] if node.front_matter else []) + node.children
            low, high = 0, len(document.text)
        elif isinstance(node, Block):
            children = node.children
            low = node.open_span.end
            high = node.close_span.start if node.close_span else node.span.end
            assert node.span.start == node.open_span.start
            assert node.open_span.end <= node.span.end
            previous = node.open_span.start
            for attribute in node.attributes:  # attributes stand in the opening tag, in order
                assert previous <= attribute.span.start <= attribute.span.end <= node.open_span.end
                previous = attribute.span.end
        else:
            continue
        for child in children:
            assert low <= child.span.start <= child.span.end <= high, (node, child)
            low = child.span.end


# ---- any input --------------------------------------------------------------


@FAST
@given(any_text)
def test_parse_never_raises_nor_reports_an_internal_failure(text):
    document = parse(text)
    assert isinstance(document, Document)
    # The parser turns its own exceptions into S000: that must never happen either.
    assert "S000" not in {d.code for d in document.diagnostics}


@FAST
@given(any_text)
def test_every_span_lies_in_the_text_with_the_right_line_and_column(text):
    document = parse(text)
    source = document.text
    assert source == (text[1:] if text.startswith("\ufeff") else text)
    for node, span in every_span(document):
        assert_span_ok(source, span, node)
    for diagnostic in document.diagnostics:
        assert_span_ok(source, diagnostic.span, diagnostic)
        for edit in diagnostic.fix.edits if diagnostic.fix else ():
            assert_span_ok(source, edit.span, diagnostic)
        for _, span in diagnostic.related:
            assert_span_ok(source, span, diagnostic)


@FAST
@given(any_text)
def test_children_are_in_order_and_do_not_overlap(text):
    assert_children_in_order(parse(text))


@FAST
@given(any_text)
def test_text_nodes_hold_exactly_the_source_they_span(text):
    document = parse(text)
    for node in walk(document):
        if isinstance(node, Text):
            assert node.value == document.text[node.span.start:node.span.end]
            assert node.value
        elif isinstance(node, Comment):
            source = document.text[node.span.start:node.span.end]
            assert source == "[#" + node.body + ("#]" if node.closed else "")


@FAST
@given(any_text)
def test_parsing_twice_gives_the_same_tree_and_diagnostics(text):
    first, second = parse(text), parse(text)
    assert json.dumps(dump(first)) == json.dumps(dump(second))
    assert first == second
    assert [(d.code, d.span, d.message) for d in first.diagnostics] == \
        [(d.code, d.span, d.message) for d in second.diagnostics]


@SLOWER
@given(language_text)
def test_check_never_raises_and_keeps_diagnostics_in_the_text(text):
    document = parse(text)
    for diagnostic in check(document):
        assert_span_ok(document.text, diagnostic.span, diagnostic)
        assert diagnostic.severity in ("error", "warning", "info")


@SLOWER
@given(language_text)
def test_fix_is_idempotent(text):
    fixed = fix(text)
    again = fix(fixed.text)
    assert again.text == fixed.text
    assert again.applied == []


@FAST
@given(language_text)
def test_a_byte_order_mark_changes_nothing(text):
    assume(not text.startswith("\ufeff"))  # a second mark is a character of the text
    assert json.dumps(dump(parse("\ufeff" + text))) == json.dumps(dump(parse(text)))


@SLOWER
@given(language_text)
def test_a_byte_order_mark_changes_no_fix(text):
    assume(not text.startswith("\ufeff"))
    assert fix("\ufeff" + text).text.lstrip("\ufeff") == fix(text).text.lstrip("\ufeff")


# ---- well-formed scripts, from the grammar's shape --------------------------


@dataclass
class Script:
    source: str
    children: list  # the expected top-level nodes (spans are not compared)
    front_matter: FrontMatter | None = None


_NAME_START = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
_NAME_REST = _NAME_START + "0123456789_-"
names = st.builds(lambda a, b: a + b, st.sampled_from(_NAME_START),
                  st.text(_NAME_REST, max_size=6))
variable_names = st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,6}", fullmatch=True)
_NARRATION = st.characters(
    codec="utf-8", exclude_characters="[{+\r\n\ufeff",
    exclude_categories=("Cs", "Cc"))
newline = st.sampled_from(["\n", "\r\n"])


@st.composite
def text_pieces(draw):
    """Narration: words, `]`, `}` and quotes, emoji; never `[` nor `{`."""
    lines = draw(st.lists(st.text(_NARRATION, min_size=1, max_size=12), min_size=1, max_size=3))
    ending = draw(newline)
    return ending.join(lines) + draw(st.sampled_from(["", ending]))


@st.composite
def variables(draw):
    name = draw(variable_names)
    left, right = draw(st.sampled_from(["", " ", "  ", "\t"])), draw(st.sampled_from(["", " "]))
    return "{{" + left + name + right + "}}", Variable(name)


@st.composite
def comments(draw):
    body = draw(st.text(st.characters(codec="utf-8", exclude_characters="#\ufeff",
                                      exclude_categories=("Cs",)), max_size=20))
    return "[#" + body + "#]", Comment(body)


@st.composite
def attribute_values(draw):
    """A double-quoted value, as written and as decoded."""
    # Invisible characters in a value are a finding (S021): not in a well-formed script.
    plain = st.text(st.characters(codec="utf-8", exclude_characters='"\\\r\n\ufeff{',
                                  exclude_categories=("Cs",)), min_size=1, max_size=8
                    ).filter(lambda p: visible(p) == p)
    escape = st.sampled_from([('\\"', '"'), ("\\\\", "\\")])
    variable = variable_names.map(lambda n: "{{ " + n + " }}")
    parts = draw(st.lists(st.one_of(plain.map(lambda p: (p, p)), escape,
                                    variable.map(lambda v: (v, v))), max_size=4))
    return '"' + "".join(r for r, _ in parts) + '"', "".join(d for _, d in parts)


@st.composite
def attributes(draw):
    found, source, seen = [], "", set()
    for _ in range(draw(st.integers(0, 3))):
        name = draw(names)
        if name.lower() in seen:
            continue
        seen.add(name.lower())
        raw, value = draw(attribute_values())
        equals = draw(st.sampled_from(["=", " = ", "=\t"]))
        source += draw(st.sampled_from([" ", "  ", "\t"])) + name + equals + raw
        found.append(Attribute(name.lower(), value, raw, '"'))
    return source, found


def _merge_text(nodes: list) -> list:
    merged: list = []
    for node in nodes:
        if isinstance(node, Text) and merged and isinstance(merged[-1], Text):
            merged[-1] = Text(merged[-1].value + node.value)
        else:
            merged.append(node)
    return merged


@st.composite
def narration(draw):
    """What a `tts` block holds: text, variables, comments."""
    source, nodes = "", []
    for _ in range(draw(st.integers(0, 4))):
        kind = draw(st.sampled_from(["text", "text", "variable", "comment"]))
        if kind == "text":
            piece = draw(text_pieces())
            source, nodes = source + piece, nodes + [Text(piece)]
        else:
            piece, node = draw(variables() if kind == "variable" else comments())
            source, nodes = source + piece, nodes + [node]
    return source, _merge_text(nodes)


@st.composite
def tts_blocks(draw):
    name = draw(st.sampled_from(["tts", "TTS", "Tts"]))
    attrs_source, attrs = draw(attributes())
    inner, children = draw(narration())
    closing = draw(st.sampled_from(["tts", "TTS"]))
    source = f"[{name}{attrs_source}]{inner}[/{closing}]"
    return source, Block("tts", attrs, children)


@st.composite
def void_tags(draw):
    name = draw(names)
    attrs_source, attrs = draw(attributes())
    space = draw(st.sampled_from(["", " "]))
    return f"[{name}{attrs_source}{space}/]", VoidTag(name.lower(), attrs)


@st.composite
def items(draw, depth: int = 0):
    """A sequence of top-level (or music-level) items, as source and nodes."""
    source, nodes = "", []
    for _ in range(draw(st.integers(0, 4 if depth == 0 else 3))):
        choices = ["tts", "text", "comment", "variable", "void"] + (["music"] if depth < 3 else [])
        kind = draw(st.sampled_from(choices))
        if kind == "music":
            attrs_source, attrs = draw(attributes())
            inner, children = draw(items(depth + 1))
            piece = f"[music{attrs_source}]{inner}[/music]"
            node = Block("music", attrs, children)
        elif kind == "tts":
            piece, node = draw(tts_blocks())
        elif kind == "text":
            piece = draw(text_pieces())
            node = Text(piece)
        elif kind == "comment":
            piece, node = draw(comments())
        elif kind == "variable":
            piece, node = draw(variables())
        else:
            piece, node = draw(void_tags())
        source += piece
        nodes.append(node)
        if draw(st.booleans()):
            line_end = draw(newline)
            source += line_end
            nodes.append(Text(line_end))
    return source, _merge_text(nodes)


@st.composite
def scripts(draw):
    source, front_matter = "", None
    if draw(st.booleans()):
        keys = draw(st.lists(st.from_regex(r"[a-z][a-z_]{0,5}", fullmatch=True),
                             unique=True, max_size=3))
        values = [draw(st.text("abc xyz!", max_size=6)) for _ in keys]
        body = "".join(f'{k} = "{v}"\n' for k, v in zip(keys, values))
        source = "+++\n" + body + "+++"
        front_matter = FrontMatter(body, dict(zip(keys, values)))
    body_source, nodes = draw(items())
    if front_matter is not None:
        # The closing fence ends its line; that line end is the script's first text.
        body_source = "\n" + body_source
        nodes = _merge_text([Text("\n"), *nodes])
    return Script(source + body_source, nodes, front_matter)


def leaf_and_tag_spans(document: Document) -> list[tuple[int, int]]:
    """The spans that should tile the text: leaves, tags, front matter."""
    spans = []
    for node in walk(document):
        if isinstance(node, (Text, Comment, Variable, VoidTag, FrontMatter)):
            spans.append((node.span.start, node.span.end))
        elif isinstance(node, Block):
            spans.append((node.open_span.start, node.open_span.end))
            if node.close_span is not None:
                spans.append((node.close_span.start, node.close_span.end))
    return sorted(spans)


@SLOWER
@given(scripts())
def test_well_formed_scripts_parse_to_the_expected_tree_without_diagnostics(script):
    document = parse(script.source)
    assert document.diagnostics == []
    assert document.children == script.children
    assert document.front_matter == script.front_matter
    if script.front_matter is not None:
        assert document.front_matter.data == script.front_matter.data


@SLOWER
@given(scripts())
def test_well_formed_scripts_are_tiled_by_their_leaves_and_tags(script):
    document = parse(script.source)
    text = document.text
    spans = leaf_and_tag_spans(document)
    position_ = 0
    for start, end in spans:
        assert start == position_, (start, end, spans)
        position_ = end
    assert position_ == len(text)
    assert "".join(text[s:e] for s, e in spans) == text
    for node in walk(document):
        if isinstance(node, Text):
            assert text[node.span.start:node.span.end] == node.value
        elif isinstance(node, Variable):
            assert re.fullmatch(r"\{\{[ \t]*" + node.name + r"[ \t]*\}\}",
                                text[node.span.start:node.span.end])
        elif isinstance(node, (Block, VoidTag)):
            assert text[node.name_span.start:node.name_span.end].lower() == node.name
            for attribute in node.attributes:
                assert text[attribute.value_span.start:attribute.value_span.end] == attribute.raw
                assert text[attribute.name_span.start:attribute.name_span.end].lower() \
                    == attribute.name


@SLOWER
@given(tts_blocks())
def test_narrated_text_is_the_text_and_variables_of_the_block(generated):
    source, expected = generated
    block = parse(source).children[0]
    wanted = "".join(n.value if isinstance(n, Text) else "{{ " + n.name + " }}"
                     for n in expected.children if not isinstance(n, Comment))
    assert narrated_text(block) == wanted
    values = {v.name: f"<{v.name}>" for v in expected.children if isinstance(v, Variable)}
    filled = "".join(n.value if isinstance(n, Text) else values[n.name]
                     for n in expected.children if not isinstance(n, Comment))
    assert narrated_text(block, values) == filled
