"""`inkslop compile`: the script InkSlop receives, or the whole request; exit 0, 1 (the
script has errors), 2 (other errors)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click
from pydantic import ValidationError

from inkslop.cli import fail
from inkslop.cli.inputs import InputError, Reader, one_source
from inkslop.cli.options import STDIN_FILENAME_OPTION, reject_unknown_variables, var_option
from inkslop.compile.compiler import CompileError, compile_document, request_body
from inkslop.compile.rows import DataError, load_rows
from inkslop.estimate.estimator import estimate_document
from inkslop.files import safe_file_name, write_new_file
from inkslop.reporters import FileReport, render
from inkslop.syntax.parser import parse
from inkslop.syntax.values import variable_names


@click.command(name="compile")
@click.argument("path", type=click.Path())
@click.option("--output-format", type=click.Choice(["script", "request"]), default="script",
              show_default=True, help="The script alone, or the JSON body of POST /videos.")
@var_option("A variable's value (overrides the front matter and the data file).")
@click.option("--data", "data_path", type=click.Path(exists=True, dir_okay=False),
              help="Variables from a data file: CSV with a header, JSON array, JSON Lines.")
@click.option("--row", type=click.IntRange(min=1), help="With --data: the row to use (1 = first).")
@click.option("--out-dir", type=click.Path(file_okay=False),
              help="With --data: compile every row into its own file in this directory.")
@click.option("--name", "name_template", default="{stem}-{row}", show_default=True,
              help="With --out-dir: file names, from {stem}, {row} and the row's variables.")
@click.option("-o", "--output", type=click.Path(dir_okay=False),
              help="Write to this file instead of standard output.")
@STDIN_FILENAME_OPTION
@click.option("--config", "config_path", type=click.Path(exists=True, dir_okay=False),
              help="Use this configuration file instead of finding one from the script.")
def compile_(path: str, output_format: str, variables: dict[str, str], data_path: str | None,
             row: int | None, out_dir: str | None, name_template: str, output: str | None,
             stdin_filename: str | None, config_path: str | None) -> None:
    """Compile a script into what InkSlop receives: front matter and comments removed,
    variables filled in, canonical form."""
    given = variables
    if (row or out_dir) and not data_path:
        raise click.UsageError("--row and --out-dir go with --data FILE")
    if data_path and not (row or out_dir):
        raise click.UsageError("with --data, choose a row (--row N) or every row (--out-dir DIR)")
    source = one_source(path, stdin_filename)
    name, where = source.name, source.where
    try:
        script = Reader(config_path).read(source)  # the shared reading of every command
        rows = load_rows(Path(data_path)) if data_path else [{}]
    except (InputError, DataError) as error:
        fail(str(error))
    text, settings = script.text, script.settings
    document = parse(text, settings.schema)
    reject_unknown_variables(given, variable_names(document))
    if out_dir:
        _compile_rows(document, rows, given, settings, output_format, name, Path(out_dir),
                      name_template, Path(where).stem)
        return
    if row is not None and row > len(rows):
        fail(f"{data_path} has {len(rows)} rows; there is no row {row}")
    values = {**rows[(row or 1) - 1], **given}
    result = _compile_one(document, values, settings, output_format, name, row)
    if output:
        write_new_file(Path(output), result)
    else:
        click.echo(result, nl=False)


def _compile_one(document: Any, values: dict[str, Any], settings: Any, output_format: str,
                 name: str, row: int | None = None) -> str:
    try:
        script = compile_document(document, values, settings)
        if output_format == "script":
            return script
        duration = estimate_document(document, settings, values).estimated_duration
        body = request_body(document, script, values, estimated_duration=duration)
    except CompileError as error:
        report_compile_errors(document, error.diagnostics, name, row)
    except ValidationError as error:  # a filled front matter value that the API would refuse
        problem = error.errors()[0]
        fail(f"{name}: the request's `{'.'.join(map(str, problem['loc']))}`: {problem['msg']}")
    return json.dumps(body, indent=2, ensure_ascii=False) + "\n"


def report_compile_errors(document: Any, diagnostics: list[Any], name: str,
                          row: int | None) -> None:
    click.echo(render("text", [FileReport(name, document.lines, diagnostics)]), nl=False, err=True)
    where = f" (data row {row})" if row else ""
    click.echo(f"error: {name}{where}: not compiled", err=True)
    sys.exit(1)


def _compile_rows(document: Any, rows: list[dict[str, Any]], given: dict[str, str], settings: Any,
                  output_format: str, name: str, out_dir: Path, template: str, stem: str) -> None:
    """Every row into its own file, all or nothing: no file is written if one row fails."""
    extension = ".txt" if output_format == "script" else ".json"
    results: dict[Path, str] = {}
    for number, row in enumerate(rows, start=1):
        values = {**row, **given}
        target = out_dir / (_file_name(template, stem, number, values) + extension)
        if target in results:
            fail(f"--name {template!r} gives rows the same file name {target.name!r}")
        results[target] = _compile_one(document, values, settings, output_format, name, number)
    out_dir.mkdir(parents=True, exist_ok=True)
    for target, content in results.items():
        write_new_file(target, content)
    click.echo(f"Compiled {len(results)} row{'s' * (len(results) != 1)} into {out_dir}.", err=True)


def _file_name(template: str, stem: str, row: int, values: dict[str, Any]) -> str:
    try:
        name = template.format(stem=stem, row=row, **values)
    except (KeyError, IndexError, ValueError) as error:
        fail(f"--name {template!r}: {error} is not a variable of row {row}")
    return safe_file_name(name, f"{stem}-{row}")
