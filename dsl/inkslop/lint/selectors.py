"""Validation of rule selectors (codes or prefixes), shared by the configuration and the CLI."""

from __future__ import annotations

from collections.abc import Iterable

from inkslop.lint.rules import RULES
from inkslop.schema.near_miss import closest


def check_selectors(codes: Iterable[str]) -> str | None:
    """A message for the first selector that matches no rule, or None when all match."""
    for code in codes:
        upper = code.upper()
        if upper != "ALL" and not any(known.startswith(upper) for known in RULES):
            found = closest(upper, RULES)
            hint = f" Did you mean `{found[0]}`?" if found else ""
            return f"no rule has the code `{code}`.{hint} `inkslop rule` lists them."
    return None
