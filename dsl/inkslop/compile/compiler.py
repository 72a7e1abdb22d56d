"""`compile`: the exact script InkSlop receives, and the request that carries it.

The script is the canonical form of the document (inkslop.format.canonical) with front
matter and comments left out and every variable filled in: from the front
matter's `[vars]`, overridden by the values given (the command line's `--var`,
a row of a data file). A script that `check` finds errors in does not compile;
neither does one with a variable left unfilled, or a value that would change
the script's structure (a `[`, `]` or `{{` in a value; a quote or line break in
an attribute's value), which is never sent silently.

Compile checks what it produces: the script with its values filled in goes
through the same checker, as if written by hand, and every finding the values
bring (an unknown voice, an empty narration...) is an error reported at the
`{{ }}` that produced it. Nor is toolkit syntax ever sent: where dropping a
comment or filling a value would join `{` and `{` (or `[` and `#`), compile
refuses at that place.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from typing import Any

from inkslop.config.settings import Settings, default_settings
from inkslop.format.canonical import RenderOptions, render
from inkslop.lint.checker import check
from inkslop.syntax.ast import Attribute, Block, Comment, Document, Text, Variable, walk
from inkslop.syntax.diagnostics import ERROR, Diagnostic
from inkslop.syntax.parser import parse
from inkslop.syntax.values import VARIABLE, document_values, quote_value

_BREAKS_TEXT = ("[", "]", "{{", "}}")
_BREAKS_ATTRIBUTE = (*_BREAKS_TEXT, '"', "\n", "\r")


class CompileError(Exception):
    """The document cannot be compiled; `diagnostics` says why, each with its place."""

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        self.diagnostics = diagnostics
        super().__init__(f"{len(diagnostics)} error(s): the script is not compiled")


def compile_document(document: Document, given: dict[str, Any] | None = None,
                     settings: Settings | None = None) -> str:
    """The script to send; CompileError when it has errors or a variable cannot be filled."""
    settings = settings or default_settings()
    values = document_values(document, given)
    errors = _variable_errors(document, values)
    if not errors:
        errors = _filled_findings(document, values, settings) + _joined_syntax(document, values)
    if errors:
        raise CompileError(sorted(errors, key=lambda d: d.sort_key))
    return render(document, RenderOptions(comments=False, front_matter=False, values=values,
                                          schema=settings.schema))


@dataclass(slots=True)
class _Filling:
    """One place of the source that filling rewrites: a variable in text, or an attribute's
    whole value (quoted anew) when it holds variables."""

    start: int
    end: int
    text: str
    variables: tuple[Variable, ...]


def _fillings(document: Document, values: dict[str, str]) -> list[_Filling]:
    fillings = []
    for node in walk(document):
        if isinstance(node, Variable):
            fillings.append(_Filling(node.span.start, node.span.end, values[node.name], (node,)))
        elif isinstance(node, Attribute) and node.variables and node.value_span is not None:
            value = VARIABLE.sub(lambda m: values[m[1]], node.value or "")
            fillings.append(_Filling(node.value_span.start, node.value_span.end,
                                     quote_value(value), node.variables))
    return sorted(fillings, key=lambda f: f.start)


def _filled_findings(document: Document, values: dict[str, str],
                     settings: Settings) -> list[Diagnostic]:
    """The errors of the script as written, and every finding that its filled-in form has
    and the written one has not, placed at the variable that brought it."""
    own = check(document, settings)
    errors = [d for d in own if d.severity == ERROR and d.code != "V001"]
    fillings = _fillings(document, values)
    if not fillings:
        return errors
    known = {(d.code, d.span.start, d.span.end) for d in own}
    places = _Places(fillings)
    tries = _TRIED_ALONE  # re-checks left for findings that stand on no single variable
    for finding, source_span in _new_findings(document, places, settings, known):
        culprit = places.standing_on(*source_span)
        if culprit is None and tries > 0:
            tries -= 1
            culprit = _alone(document, finding.code, source_span, places, settings)
        errors.append(_at_variable(finding, culprit or places.nearest(*source_span), values))
    return errors


def _new_findings(document: Document, places: _Places, settings: Settings,
                  known: set[tuple[str, int, int]]) -> list[tuple[Diagnostic, tuple[int, int]]]:
    """The findings of the text with `places` filled in that `known` lacks, each with its
    span mapped to the source."""
    found = []
    filled = parse(_filled(document.text, places.fillings), settings.schema)
    for finding in check(filled, settings):
        span = (places.to_source(finding.span.start), places.to_source(finding.span.end))
        if finding.code not in _NOT_FROM_VALUES and (finding.code, *span) not in known:
            found.append((finding, span))
    return found


def _alone(document: Document, code: str, source_span: tuple[int, int], places: _Places,
           settings: Settings) -> _Filling | None:
    """Of the few fillings from where a finding starts (an empty narration is reported at
    its tag, before the variable that emptied it), the first that brings it filled alone."""
    for filling in places.from_(source_span[0], _TRIED_ALONE):
        alone = _new_findings(document, _Places([filling]), settings, set())
        if any(f.code == code and span == source_span for f, span in alone):
            return filling
    return None


# A bound on those re-checks (each a whole check), so that compile stays linear.
_TRIED_ALONE = 4


def _filled(text: str, fillings: list[_Filling]) -> str:
    pieces, position = [], 0
    for filling in fillings:
        pieces += [text[position:filling.start], filling.text]
        position = filling.end
    return "".join(pieces) + text[position:]


# V001 is compile's own finding; once filled, no `[vars]` entry is used (V002); N001 and
# N002 are about directives: none of them is about what the values bring. A `{{` that a
# value makes with the text beside it (S011 once filled) is V003 (_joined_syntax).
_NOT_FROM_VALUES = frozenset({"V001", "V002", "N001", "N002", "S011"})


class _Places:
    """Where the fillings stand in the filled-in text, to map its offsets back to the
    source (by bisection: a script with thousands of variables compiles in linear time)."""

    def __init__(self, fillings: list[_Filling]) -> None:
        self.fillings = fillings
        self.starts: list[int] = []  # each filling's start in the filled-in text
        self.ends: list[int] = []
        self.shifts: list[int] = []  # how far the text after each filling has moved
        self.source_starts = [filling.start for filling in fillings]
        self.source_ends = [filling.end for filling in fillings]
        shift = 0
        for filling in fillings:
            self.starts.append(filling.start + shift)
            self.ends.append(filling.start + shift + len(filling.text))
            shift += len(filling.text) - (filling.end - filling.start)
            self.shifts.append(shift)

    def to_source(self, offset: int) -> int:
        """An offset of the filled-in text in the source (a filled place: its start)."""
        index = bisect_right(self.starts, offset) - 1
        if index < 0:
            return offset
        if offset < self.ends[index]:
            return self.fillings[index].start
        return offset - self.shifts[index]

    def standing_on(self, start: int, end: int) -> _Filling | None:
        """The filling whose source place holds start..end, if one does."""
        index = bisect_right(self.source_starts, start) - 1
        if index >= 0 and end <= self.source_ends[index]:
            return self.fillings[index]
        return None

    def from_(self, start: int, count: int) -> list[_Filling]:
        """`count` fillings from the one nearest before `start`."""
        first = max(bisect_left(self.source_ends, start) - 1, 0)
        return self.fillings[first:first + count]

    def nearest(self, start: int, end: int) -> _Filling:
        index = bisect_left(self.source_ends, start)
        nearby = [i for i in (index - 1, index) if 0 <= i < len(self.fillings)]
        return self.fillings[min(nearby, key=lambda i: max(self.source_starts[i] - end,
                                                           start - self.source_ends[i]))]


def _at_variable(finding: Diagnostic, filling: _Filling, values: dict[str, str]) -> Diagnostic:
    variable = filling.variables[0]
    shown = ", ".join(f"`{v.name}` = {values[v.name][:40]!r}" for v in filling.variables)
    return Diagnostic(finding.code, ERROR, f"With {shown}: {finding.message}", variable.span)


def _joined_syntax(document: Document, values: dict[str, str]) -> list[Diagnostic]:
    """Where the compiled text would join `{` and `{` (or `[` and `#`) across a dropped
    comment or a filled value: toolkit syntax that InkSlop must never receive."""
    problems = []
    for container in walk(document):
        if isinstance(container, (Document, Block)):
            for run in _inline_runs(container.children, values):
                problems += _joins_in(run, document)
    return problems


def _inline_runs(children: list[Any], values: dict[str, str]
                 ) -> list[list[tuple[str, Text | Variable | Comment]]]:
    """The children as runs of (compiled text, node) between tags."""
    runs: list[list[tuple[str, Any]]] = [[]]
    for node in children:
        if isinstance(node, Text):
            runs[-1].append((node.value, node))
        elif isinstance(node, Variable):
            runs[-1].append((values.get(node.name, ""), node))
        elif isinstance(node, Comment):
            runs[-1].append(("", node))
        else:
            runs.append([])
    return [run for run in runs if len(run) > 1]


def _joins_in(run: list[tuple[str, Any]], document: Document) -> list[Diagnostic]:
    """Each `{{` or `[#` that two neighbouring pieces of compiled text make, where a value
    or a dropped comment brought them together."""
    problems = []
    previous: tuple[str, Any, int] | None = None  # the last piece with text, and its index
    for index, (text, node) in enumerate(run):
        if not text:
            continue
        if previous is not None:
            before, before_node, before_index = previous
            pair = before[-1] + text[0]
            from_value = isinstance(before_node, Variable) or isinstance(node, Variable)
            # `{` and `{` joined by a dropped comment is the parser's own S011, found by check.
            if pair in ("{{", "[#") and (from_value or index - before_index > 1 and pair == "[#"):
                problems.append(_joined(pair, before_node, node, from_value, document))
        previous = (text, node, index)
    return problems


def _joined(pair: str, before: Any, after: Any, from_value: bool,
            document: Document) -> Diagnostic:
    start = before.span.end - 1 if isinstance(before, Text) else before.span.start
    end = after.span.start + 1 if isinstance(after, Text) else after.span.end
    cause = "a filled value" if from_value else "the comment removed between them"
    return Diagnostic("V003" if from_value else "S011", ERROR,
                      f"The compiled script would read `{pair}` here ({cause} joins "
                      f"`{pair[0]}` and `{pair[1]}`), which InkSlop takes for toolkit syntax: "
                      "put a space between them.", document.lines.span(start, end))


def _variable_errors(document: Document, values: dict[str, str]) -> list[Diagnostic]:
    errors = []
    for node in walk(document):
        references: tuple[Variable, ...] = ()
        breaking = _BREAKS_TEXT
        if isinstance(node, Variable):
            references = (node,)
        elif isinstance(node, Attribute):
            references, breaking = node.variables, _BREAKS_ATTRIBUTE
        for variable in references:
            errors += _problems_of(variable, values, breaking)
    return errors


def _problems_of(variable: Variable, values: dict[str, str],
                 breaking: tuple[str, ...]) -> list[Diagnostic]:
    if variable.name not in values:
        return [Diagnostic("V001", ERROR, f"`{{{{ {variable.name} }}}}` has no value: define it "
                           "in `[vars]`, or give it with `--var` or a data file.", variable.span)]
    value = values[variable.name]
    bad = [b for b in breaking if b in value]
    if bad:
        shown = ", ".join(repr(b) for b in bad)
        return [Diagnostic("V003", ERROR, f"The value of `{variable.name}` ({value[:40]!r}) holds "
                           f"{shown}, which would change the script's structure here.",
                           variable.span)]
    return []


def request_body(document: Document, script: str, given: dict[str, Any] | None = None,
                 estimated_duration: float | None = None) -> dict[str, Any]:
    """The JSON body of `POST /api/v1/videos`: the script and the front matter's settings,
    validated by the same models the API client sends (variables filled in string fields)."""
    from inkslop.schema.request import VideoRequest  # pydantic: only to build a request

    data = dict(document.front_matter.data or {}) if document.front_matter else {}
    values = document_values(document, given)
    data.pop("vars", None)
    data.pop("estimated_duration", None)
    unfilled = _unfilled_in_front_matter(document, data, values)
    if unfilled:
        raise CompileError(unfilled)
    fields = _fill_strings(data, values)
    fields["script"] = script
    if estimated_duration is not None:
        fields["estimated_duration"] = estimated_duration
    return VideoRequest.model_validate(fields).model_dump(mode="json", exclude_none=True)


def _unfilled_in_front_matter(document: Document, data: dict[str, Any],
                              values: dict[str, str]) -> list[Diagnostic]:
    """A V001 for each variable in a front matter setting that has no value."""
    front_matter = document.front_matter
    if front_matter is None:
        return []
    missing = sorted({m[1] for text in _strings(data) for m in VARIABLE.finditer(text)
                      if m[1] not in values})
    problems = []
    for name in missing:
        found = re.search(r"\{\{[ \t]*" + name + r"[ \t]*\}\}", front_matter.body)
        start = front_matter.body_span.start + (found.start() if found else 0)
        end = front_matter.body_span.start + (found.end() if found else 0)
        problems.append(Diagnostic("V001", ERROR, f"`{{{{ {name} }}}}` in the front matter has no "
                                   "value: define it in `[vars]`, or give it with `--var` or a "
                                   "data file.", document.lines.span(start, end)))
    return problems


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def _fill_strings(value: Any, values: dict[str, str]) -> Any:
    if isinstance(value, str):
        return VARIABLE.sub(lambda m: values.get(m[1], m[0]), value)
    if isinstance(value, dict):
        return {k: _fill_strings(v, values) for k, v in value.items()}
    if isinstance(value, list):
        return [_fill_strings(v, values) for v in value]
    return value
