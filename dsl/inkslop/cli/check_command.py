"""`inkslop check`: diagnostics for scripts, exit 0 (clean or warnings), 1 (errors), 2 (trouble)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from inkslop.cli import fail
from inkslop.cli.options import CONFIG_OPTION, STDIN_FILENAME_OPTION
from inkslop.reporters import FORMATS, FileReport, render


def _codes(values: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(c.strip().upper() for v in values for c in v.split(",") if c.strip())


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(dir_okay=True, file_okay=True))
@click.option("--output-format", type=click.Choice(FORMATS), default="text", show_default=True,
              help="How to print the diagnostics.")
@click.option("--select", multiple=True, metavar="CODES",
              help="Only these rules (codes or prefixes, comma-separated); replaces the "
                   "configuration's `select`.")
@click.option("--ignore", multiple=True, metavar="CODES",
              help="Leave out these rules (codes or prefixes); adds to the configuration's.")
@click.option("--fix", "apply_fixes", is_flag=True, help="Apply the safe fixes, report what changed.")
@click.option("--unsafe-fixes", is_flag=True, help="With --fix, apply unsafe fixes too.")
@STDIN_FILENAME_OPTION
@CONFIG_OPTION
@click.option("--color", type=click.Choice(["auto", "always", "never"]), default="auto",
              show_default=True, help="Color in text output (auto: on a terminal, unless NO_COLOR).")
def check(paths: tuple[str, ...], output_format: str, select: tuple[str, ...],
          ignore: tuple[str, ...], apply_fixes: bool, unsafe_fixes: bool,
          stdin_filename: str | None, config_path: str | None, color: str) -> None:
    """Report problems in scripts: files, directories (every *.inkslop below), or - for stdin.

    Exit status: 0 no errors (warnings allowed), 1 errors found, 2 usage, I/O or
    configuration error.
    """
    from inkslop.config.loader import ConfigError, load_settings, settings_for
    from inkslop.config.selectors import check_selectors
    from inkslop.files import (
        SourceError,
        decode,
        discover,
        display_path,
        read_source,
        write_atomically,
    )
    from inkslop.lint.checker import check as check_document
    from inkslop.lint.checker import fix
    from inkslop.syntax.bom import without_bom
    from inkslop.syntax.parser import parse
    from inkslop.syntax.spans import LineIndex

    trouble: list[str] = []
    selected, ignored = _codes(select), _codes(ignore)
    problem = check_selectors(selected + ignored)
    if problem:
        raise click.UsageError(problem)
    explicit = None
    if config_path:
        try:
            explicit = load_settings(Path(config_path).resolve())
        except ConfigError as error:
            fail(str(error))

    def settings_of(path: Path):  # type: ignore[no-untyped-def]
        settings = explicit or settings_for(path)
        return settings.with_selection(selected or None, ignored)

    names = list(paths) or ["."]
    from_stdin = "-" in names
    files, errors = discover([n for n in names if n != "-"])
    trouble += [str(e) for e in errors]
    reports: list[FileReport] = []

    def check_text(text: str, display: str, where: Path, target: Path | None) -> None:
        try:
            settings = settings_of(where)
        except ConfigError as error:
            if str(error) not in trouble:  # once per broken configuration, not per file
                trouble.append(str(error))
            return
        if apply_fixes:
            result = fix(text, settings, unsafe=unsafe_fixes)
            if target is None:
                sys.stdout.write(result.text)  # stdin in, the script (fixed or not) out
            elif result.text != text:
                write_atomically(target, result.text)
            # The fixer checked the text it returns: report that, without parsing it again.
            lines = LineIndex(without_bom(result.text))
            reports.append(FileReport(display, lines, result.remaining, result.applied))
            return
        document = parse(text, settings.schema)
        reports.append(FileReport(display, document.lines, check_document(document, settings)))

    if from_stdin:
        name = stdin_filename or "-"
        try:
            text = decode(sys.stdin.buffer.read(), name)
            check_text(text, name, Path(stdin_filename or "stdin.inkslop").resolve(), None)
        except SourceError as error:
            trouble.append(str(error))
    for path in files:
        try:
            text = read_source(path)
        except SourceError as error:
            trouble.append(str(error))
            continue
        check_text(text, display_path(path), path, path)

    use_color = color == "always" or color == "auto" and _terminal_wants_color()
    # With --fix on stdin, stdout carries the fixed script; the report goes to stderr.
    report_to_stderr = from_stdin and apply_fixes
    click.echo(render(output_format, reports, color=use_color), nl=False, err=report_to_stderr,
               color=use_color)
    for message in trouble:
        click.echo(f"error: {message}", err=True)
    if trouble:
        sys.exit(2)
    sys.exit(1 if any(d.severity == "error" for r in reports for d in r.diagnostics) else 0)


def _terminal_wants_color() -> bool:
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return sys.stdout.isatty()
