"""`inkslop fmt`: canonical formatting in place; exit 0 done, 1 `--check` found changes, 2 error."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from inkslop.cli.options import CONFIG_OPTION, STDIN_FILENAME_OPTION


@click.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--check", "check_only", is_flag=True,
              help="Write nothing; list the files that would change and exit 1 if any.")
@click.option("--diff", "show_diff", is_flag=True,
              help="Write nothing; print a unified diff of the changes (exit 1 if any).")
@STDIN_FILENAME_OPTION
@CONFIG_OPTION
def fmt(paths: tuple[str, ...], check_only: bool, show_diff: bool, stdin_filename: str | None,
        config_path: str | None) -> None:
    """Format scripts: files, directories (every *.inkslop below), or - (stdin to stdout).

    A script with syntax errors is never formatted: its errors are printed and
    the file is left as it is (exit 2).
    """
    from inkslop.config.loader import ConfigError, load_settings, settings_for
    from inkslop.files import (
        SourceError,
        decode,
        discover,
        display_path,
        read_source,
        write_atomically,
    )
    from inkslop.format.formatter import FormatError, format_text
    from inkslop.reporters import FileReport, render
    from inkslop.syntax.bom import split_bom
    from inkslop.syntax.spans import LineIndex

    trouble = False
    changed: list[str] = []
    refused: list[str] = []
    try:
        explicit = load_settings(Path(config_path).resolve()) if config_path else None
    except ConfigError as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(2)

    def formatted(text: str, name: str, where: Path) -> str | None:
        nonlocal trouble
        try:
            return format_text(text, explicit or settings_for(where))
        except ConfigError as error:
            click.echo(f"error: {error}", err=True)
        except FormatError as error:
            report = FileReport(name, LineIndex(text), error.diagnostics)
            click.echo(render("text", [report]), nl=False, err=True)
            click.echo(f"error: {name}: not formatted: fix the syntax errors first", err=True)
            refused.append(name)
        trouble = True
        return None

    def handle(text: str, name: str, new: str) -> None:
        if new == text:
            return
        changed.append(name)
        if show_diff:
            click.echo(_diff(text, new, name), nl=False)

    names = list(paths) or ["."]
    files, errors = discover([n for n in names if n != "-"])
    for error in errors:
        click.echo(f"error: {error}", err=True)
        trouble = True
    if "-" in names:
        name = stdin_filename or "-"
        try:
            text = decode(sys.stdin.buffer.read(), name)
        except SourceError as error:
            click.echo(f"error: {error}", err=True)
            sys.exit(2)
        new = formatted(text, name, Path(stdin_filename or "stdin.inkslop").resolve())
        if new is not None:
            handle(text, name, new)
            if not (check_only or show_diff):
                sys.stdout.write(new)
    for path in files:
        name = display_path(path)
        try:
            text = read_source(path)
        except SourceError as error:
            click.echo(f"error: {error}", err=True)
            trouble = True
            continue
        bom, text = split_bom(text)
        new = formatted(text, name, path)
        if new is None:
            continue
        handle(text, name, new)
        if new != text and not (check_only or show_diff):
            write_atomically(path, bom + new)
    _summarise(changed, len(files) - len(refused), check_only or show_diff, len(refused))
    sys.exit(2 if trouble else 1 if changed and (check_only or show_diff) else 0)


def _diff(old: str, new: str, name: str) -> str:
    from difflib import unified_diff

    lines = unified_diff(old.splitlines(keepends=True), new.splitlines(keepends=True),
                         fromfile=f"a/{name}", tofile=f"b/{name}")
    return "".join(line if line.endswith("\n") else line + "\n" for line in lines)


def _summarise(changed: list[str], total: int, dry: bool, refused: int) -> None:
    if dry:
        for name in changed:
            click.echo(f"Would reformat: {name}", err=True)
        verb = "would be reformatted"
    else:
        verb = "reformatted"
    if total or refused:
        left = total - len(changed)
        not_formatted = f", {refused} not formatted (syntax errors)" if refused else ""
        click.echo(f"{len(changed)} file{'s' * (len(changed) != 1)} {verb}, {left} left "
                   f"unchanged{not_formatted}.", err=True)
