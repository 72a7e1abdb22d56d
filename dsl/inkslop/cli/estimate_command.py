"""`inkslop estimate`: how long each block runs, in all, and what it costs.

Exit 0; 1 when a script has syntax errors (as `check` does: its estimate covers what
parsed, and says so); 2 when a script could not be handled (unreadable, a broken
configuration) or on bad usage.
"""

from __future__ import annotations

import json
import sys
from typing import Any

import click

from inkslop.cli.inputs import InputError, Reader, Source, open_inputs
from inkslop.cli.options import (
    CONFIG_OPTION,
    STDIN_FILENAME_OPTION,
    max_file_size_option,
    reject_unknown_variables,
    var_option,
)
from inkslop.cli.output import exit_status
from inkslop.estimate.estimator import estimate_document
from inkslop.reporters.estimate import estimate_json, estimate_table
from inkslop.syntax.parser import parse
from inkslop.syntax.values import variable_names


@click.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--output-format", type=click.Choice(["text", "json"]), default="text",
              show_default=True)
@click.option("--engine", "engine", type=click.Choice(["model", "kokoro"]), default=None,
              help="kokoro: measure every block by synthesis with the local engine (the "
              "`speak` extra; figures cached). Default: `[estimate] engine`, else model.")
@var_option("A variable's value, for narration that uses it.")
@STDIN_FILENAME_OPTION
@CONFIG_OPTION
@max_file_size_option()
def estimate(paths: tuple[str, ...], output_format: str, engine: str | None,
             variables: dict[str, str], stdin_filename: str | None, config_path: str | None,
             max_file_mb: float) -> None:
    """Estimate the duration of scripts (per block, with its place on the timeline) and the
    credits they cost. Files, directories (every *.inkslop below), or - for stdin."""
    reader, sources, trouble = open_inputs(paths, stdin_filename, config_path, max_file_mb)
    for message in trouble:
        click.echo(f"error: {message}", err=True)
    parsed, failed = [], False
    for source in sources:
        try:
            parsed.append((source, *_parsed(reader, source)))
        except InputError as error:
            click.echo(f"error: {error}", err=True)
            failed = True
    if parsed:  # before any estimate: measuring with Kokoro takes a while
        reject_unknown_variables(variables, {name for *_, document in parsed
                                             for name in variable_names(document)})
    results: list[dict[str, Any]] = []
    syntax_errors = False
    for source, settings, document in parsed:
        result, broken_syntax = _estimate_one(source, settings, document, variables, engine)
        syntax_errors |= broken_syntax
        results.append(result)
    if output_format == "json":
        click.echo(json.dumps(results, indent=2, ensure_ascii=False))
    else:
        click.echo("\n".join(estimate_table(r) for r in results), nl=False)  # a blank line between
    sys.exit(exit_status(trouble=failed or bool(trouble), findings=syntax_errors))


def _parsed(reader: Reader, source: Source) -> tuple[Any, Any]:
    """A script's settings and document; InputError when it cannot be read."""
    script = reader.read(source)
    return script.settings, parse(script.text, script.settings.schema)


def _estimate_one(source: Source, settings: Any, document: Any, given: dict[str, str],
                  engine: str | None) -> tuple[dict[str, Any], bool]:
    """A script's estimate as JSON, and whether it has syntax errors (said on stderr)."""
    if (engine or settings.estimate_engine) == "kokoro":
        from inkslop.cli.speak_command import measured_estimate  # the engine: only when asked

        result = measured_estimate(document, settings, given, source.where.parent)
    else:
        result = estimate_document(document, settings, given)
    errors = [d for d in document.diagnostics if d.severity == "error"]
    if errors:
        click.echo(f"error: {source.name}: {len(errors)} syntax error(s) (`inkslop check "
                   f"{source.name}` shows them): the estimate covers what parsed", err=True)
    for warning in result.warnings:
        click.echo(f"warning: {source.name}: {warning}", err=True)
    return estimate_json(source.name, result), bool(errors)
