"""`compile`: the exact script InkSlop receives, and the request that carries it.

The script is the canonical form of the document (inkslop.format.canonical) with front
matter and comments left out and every variable filled in: from the front
matter's `[vars]`, overridden by the values given (the command line's `--var`,
a row of a data file). A script that `check` finds errors in does not compile;
neither does one with a variable left unfilled, or a value that would change
the script's structure (a `[`, `]` or `{{` in a value; a quote or line break in
an attribute's value), which is never sent silently.
"""

from __future__ import annotations

import re
from typing import Any

from inkslop.config.settings import Settings, default_settings
from inkslop.format.canonical import RenderOptions, render
from inkslop.lint.checker import check
from inkslop.syntax.ast import Attribute, Block, Document, Variable, VoidTag, walk
from inkslop.syntax.diagnostics import ERROR, Diagnostic
from inkslop.syntax.parser import parse
from inkslop.syntax.values import VARIABLE, document_values, typed_value

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
        # Checked with the values in place, so a bad value from a data row (an unknown
        # voice, say) is found where its variable stands; compile reports V001 itself.
        filled = _with_filled_attributes(document, values, settings)
        errors = [d for d in check(filled, settings) if d.severity == ERROR and d.code != "V001"]
    if errors:
        raise CompileError(sorted(errors, key=lambda d: d.sort_key))
    return render(document, RenderOptions(comments=False, front_matter=False, values=values,
                                          schema=settings.schema))


def _with_filled_attributes(document: Document, values: dict[str, str],
                            settings: Settings) -> Document:
    """A fresh parse of the document whose attribute values have their variables filled."""
    filled = parse(document.text, settings.schema)
    for block in walk(filled):
        if isinstance(block, (Block, VoidTag)):
            for attribute in block.attributes:
                if attribute.variables and attribute.value is not None:
                    attribute.value = VARIABLE.sub(lambda m: values[m[1]], attribute.value)
                    attribute.typed = typed_value(
                        attribute.value, settings.schema.attribute_type(block.name, attribute.name))
                    attribute.variables = ()
    return filled


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
    from inkslop.schema.request import VideoRequest

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
