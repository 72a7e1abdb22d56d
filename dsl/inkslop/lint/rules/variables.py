"""Variable rules: `{{ name }}` references and the front matter's `[vars]` (toolkit)."""

from __future__ import annotations

import re
from collections.abc import Iterable

from inkslop.lint.rules.front_matter import key_span
from inkslop.lint.rules.registry import CheckContext, Rule
from inkslop.schema.near_miss import did_you_mean, near_misses
from inkslop.syntax.ast import Variable
from inkslop.syntax.diagnostics import ERROR, INFO

_TTS_VAR = '[tts engine="kokoro_tts" voice="af_heart"]\nThe {{ animal }} is fast.\n[/tts]\n'


def check(ctx: CheckContext, variables: Iterable[Variable] | None = None) -> None:
    """`variables`: the document's variable references, when already collected."""
    front_matter = ctx.document.front_matter
    if front_matter is not None and front_matter.data is None:
        return  # broken front matter: its variables are unknown, S007 says so
    data = front_matter.data if front_matter else {}
    defined = data.get("vars") if isinstance(data, dict) else None
    defined = defined if isinstance(defined, dict) else {}
    used = _meant_by_malformed(ctx)  # S011 says what is wrong with those, not V002
    for variable in ctx.document.variables() if variables is None else variables:
        used.add(variable.name)
        if variable.name not in defined:
            used.update(near_misses(variable.name, defined)[:1])  # a typo: V001 says it
            ctx.report(UNDEFINED_VARIABLE, f"`{{{{ {variable.name} }}}}` has no value in `[vars]`: "
                       "define it there, or give it when compiling (`--var`, `--data`)."
                       + did_you_mean(variable.name, defined), variable.span)
    for name, value in defined.items():
        # Values that are not text, a number or a boolean are F001's business.
        text = value if isinstance(value, (str, int, float, bool)) else ""
        breaking = [b for b in ("[", "]", "{{", "}}") if b in str(text)]
        if breaking and front_matter is not None:
            ctx.report(UNSAFE_VALUE, f"The value of `{name}` holds "
                       + ", ".join(f"`{b}`" for b in breaking)
                       + ", which would change the script's structure where it is used.",
                       key_span(ctx, front_matter, ("vars", name)))
        if name not in used and front_matter is not None:
            ctx.report(UNUSED_VARIABLE, f"`{name}` is defined in `[vars]` but never used.",
                       key_span(ctx, front_matter, ("vars", name)))


# The name a malformed variable was meant to read: `{{ animal.`, `{[# c #]{ animal }}`.
_MEANT_NAME = re.compile(r"\{[ \t]*([A-Za-z_][A-Za-z0-9_]*)")


def _meant_by_malformed(ctx: CheckContext) -> set[str]:
    text = ctx.document.text
    names = set()
    for diagnostic in ctx.document.diagnostics:
        if diagnostic.code == "S011":
            line_end = text.find("\n", diagnostic.span.start)
            found = _MEANT_NAME.search(text, diagnostic.span.start,
                                       len(text) if line_end == -1 else line_end)
            names.update(found.groups() if found else ())
    return names


UNDEFINED_VARIABLE = Rule(
    "V001", "undefined-variable", ERROR, "A variable with no value in the front matter.",
    "The compiler needs a value for every variable, and refuses a script with one left "
    "unfilled: `check`, which is given no data, reports it as the same error. Give each "
    "variable a default in `[vars]` (a row of a data file or `--var` overrides it when "
    "compiling), or, for a template filled only from data, lower V001 to a warning in the "
    "project's configuration.",
    bad=_TTS_VAR, good='+++\n[vars]\nanimal = "mantis shrimp"\n+++\n' + _TTS_VAR,
    rests_on="toolkit",
    severity_note="Error: `compile` and everything that spends credits refuse a variable "
                  "with no value, so `check` does too; the values a data row brings are "
                  "checked by `compile`.")
UNUSED_VARIABLE = Rule(
    "V002", "unused-variable", INFO, "A variable defined in `[vars]` and never used.",
    "Usually a leftover, or a reference with a misspelt name.",
    bad='+++\n[vars]\nanimal = "mantis shrimp"\ncolour = "red"\n+++\n' + _TTS_VAR,
    good='+++\n[vars]\nanimal = "mantis shrimp"\n+++\n' + _TTS_VAR, rests_on="toolkit")

UNSAFE_VALUE = Rule(
    "V003", "unsafe-variable-value", ERROR, "A variable's value that would break the script.",
    "A value is written into the script as it is. A `[` or `]` in it would open or close a tag, "
    "`{{` a variable; in an attribute's value a quote or a line break would end the value. "
    "`check` finds such values in `[vars]`; `compile` finds them in every value it is given.",
    bad='+++\n[vars]\nanimal = "[mantis] shrimp"\n+++\n' + _TTS_VAR,
    good='+++\n[vars]\nanimal = "mantis shrimp"\n+++\n' + _TTS_VAR, rests_on="toolkit")

RULES = [UNDEFINED_VARIABLE, UNUSED_VARIABLE, UNSAFE_VALUE]
