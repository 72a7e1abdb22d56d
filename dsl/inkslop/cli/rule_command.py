"""`inkslop rule [CODE]`: the documentation of one rule, or the list of all of them."""

from __future__ import annotations

import json
import re

import click

from inkslop.lint.reference import ordered_rules, rule_data, rule_doc, rules_table
from inkslop.lint.rules import RULES
from inkslop.schema.near_miss import did_you_mean


@click.command()
@click.argument("code", required=False)
@click.option("--output-format", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="Plain text, or JSON with every field of the rule(s).")
def rule(code: str | None, output_format: str) -> None:
    """Explain the rule CODE (such as T008), or list every rule."""
    if code is None:
        if output_format == "json":
            click.echo(json.dumps([rule_data(r) for r in ordered_rules()], indent=2))
        else:
            click.echo(rules_table(), nl=False)
        return
    found = RULES.get(code.upper())
    if found is None:
        click.echo(f"inkslop rule: no rule has the code `{code}`.{_suggestion(code)} "
                   "`inkslop rule` lists them all.", err=True)
        raise SystemExit(2)
    if output_format == "json":
        click.echo(json.dumps(rule_data(found), indent=2))
    else:
        click.echo(rule_doc(found), nl=False)


def _suggestion(code: str) -> str:
    # did_you_mean lowers the word but not the candidates: compare in lower case, show codes upper.
    hint = did_you_mean(code.lower(), [known.lower() for known in RULES])
    return re.sub(r"`(\w+)`", lambda match: f"`{match[1].upper()}`", hint)
