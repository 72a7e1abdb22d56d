"""Attribute values and variables: one definition for every stage.

The variable pattern `{{ name }}`, how a value is quoted and unescaped, how a
value is read as the type its schema gives, and the values a document defines in
its front matter's `[vars]`. The parser, the renderer, the estimator, the compiler
and the builder all use these, so they agree on what a variable or a value is.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from inkslop.syntax.ast import Document

VARIABLE = re.compile(r"\{\{[ \t]*([A-Za-z_][A-Za-z0-9_]*)[ \t]*\}\}")
_ESCAPE = re.compile(r"\\(.)")


def variable_reference(name: str) -> str:
    """A variable as the formatter writes it: `{{ name }}`."""
    return "{{ " + name + " }}"


def fill_variables(value: str, values: dict[str, str]) -> str:
    """`value` with each `{{ name }}` that `values` defines replaced; the others kept."""
    if "{{" not in value:
        return value
    return VARIABLE.sub(lambda m: values.get(m[1], m[0]), value)


def quote_value(value: str) -> str:
    """A value as a double-quoted attribute value, with `\\` and `"` escaped."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def unescape(value: str) -> str:
    if "\\" not in value:
        return value
    return _ESCAPE.sub(lambda m: m[1] if m[1] in "\"'\\" else m[0], value)


def typed_value(value: str, kind: str | None) -> bool | float | str | None:
    """A value as its schema type reads it; None when it is not of that type."""
    if kind == "boolean":
        return True if value == "true" else False if value == "false" else None
    if kind in ("number", "volume"):
        try:
            number = float(value)
        except ValueError:
            return None
        return number if number == number and number not in (float("inf"), float("-inf")) else None
    return value


def variable_text(value: Any) -> str:
    """How a variable's value is written into the script (TOML and JSON values alike)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


def document_values(document: Document, given: dict[str, Any] | None = None) -> dict[str, str]:
    """The variables' values: the front matter's `[vars]`, then `given` over them."""
    data = document.front_matter.data if document.front_matter else None
    defined = data.get("vars") if isinstance(data, dict) else None
    if not isinstance(defined, dict):  # `vars = 3` is the front-matter rules' finding
        defined = {}
    values = {k: variable_text(v) for k, v in defined.items()}
    values.update({k: variable_text(v) for k, v in (given or {}).items()})
    return values


def variable_names(document: Document) -> set[str]:
    """Every variable a document knows: defined in `[vars]`, or used (in the text, in an
    attribute value, in a front matter setting). A value given for another name is a typo."""
    used = {variable.name for variable in document.variables()}
    if document.front_matter is not None:
        used.update(m[1] for m in VARIABLE.finditer(document.front_matter.body))
    return used | set(document_values(document))
