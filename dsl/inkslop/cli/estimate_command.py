"""`inkslop estimate`: how long each block runs, in all, and what it costs; exit 0, or 2 on
an error (a file that cannot be read, a broken configuration, a script with syntax errors:
its estimate covers what parsed and says so)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from inkslop.cli.options import CONFIG_OPTION, STDIN_FILENAME_OPTION, var_option
from inkslop.reporters.estimate import estimate_json, estimate_table


@click.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--output-format", type=click.Choice(["text", "json"]), default="text",
              show_default=True)
@var_option("A variable's value, for narration that uses it.")
@STDIN_FILENAME_OPTION
@CONFIG_OPTION
def estimate(paths: tuple[str, ...], output_format: str, variables: dict[str, str],
             stdin_filename: str | None, config_path: str | None) -> None:
    """Estimate the duration of scripts (per block, with its place on the timeline) and the
    credits they cost. Files, directories (every *.inkslop below), or - for stdin."""
    from inkslop.config.loader import ConfigError, load_settings, settings_for
    from inkslop.estimate.estimator import estimate_document
    from inkslop.files import SourceError, decode, discover, display_path, read_source
    from inkslop.syntax.parser import parse

    given = variables
    trouble = False
    results: list[dict[str, Any]] = []
    names = list(paths) or ["."]
    files, errors = discover([n for n in names if n != "-"])
    for error in errors:
        click.echo(f"error: {error}", err=True)
        trouble = True
    sources: list[tuple[str, Path, Any]] = []
    if "-" in names:
        sources.append((stdin_filename or "-", Path(stdin_filename or "stdin.inkslop"), None))
    sources += [(display_path(path), path, path) for path in files]
    for name, where, path in sources:
        try:
            text = read_source(path) if path else decode(sys.stdin.buffer.read(), name)
            settings = load_settings(Path(config_path).resolve()) if config_path \
                else settings_for(where.resolve())
        except (SourceError, ConfigError) as error:
            click.echo(f"error: {error}", err=True)
            trouble = True
            continue
        document = parse(text, settings.schema)
        result = estimate_document(document, settings, given)
        syntax_errors = [d for d in document.diagnostics if d.severity == "error"]
        if syntax_errors:
            click.echo(f"error: {name}: {len(syntax_errors)} syntax error(s) (`inkslop check "
                       f"{name}` shows them): the estimate covers what parsed", err=True)
            trouble = True
        for warning in result.warnings:
            click.echo(f"warning: {name}: {warning}", err=True)
        results.append(estimate_json(name, result))
    if output_format == "json":
        click.echo(json.dumps(results, indent=2, ensure_ascii=False))
    else:
        click.echo("\n".join(estimate_table(r) for r in results), nl=False)  # a blank line between
    sys.exit(2 if trouble else 0)
