"""`inkslop check`: diagnostics for scripts, exit 0 (clean or warnings), 1 (errors), 2 (trouble).

The command's options; what a check does is inkslop.cli.check_run.
"""

from __future__ import annotations

import sys

import click

from inkslop.cli.check_run import rule_codes, run_check
from inkslop.cli.options import (
    CONFIG_OPTION,
    STDIN_FILENAME_OPTION,
    jobs_option,
    max_file_size_option,
)
from inkslop.lint.selectors import check_selectors
from inkslop.reporters import FORMATS
from inkslop.reporters.text import MAX_FINDINGS


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
@click.option("--unsafe-fixes", is_flag=True,
              help="Apply unsafe fixes too (implies --fix); review what they change.")
@STDIN_FILENAME_OPTION
@CONFIG_OPTION
@click.option("--color", type=click.Choice(["auto", "always", "never"]), default="auto",
              show_default=True, help="Color in text output (auto: on a terminal, unless NO_COLOR).")
@click.option("--max-findings", type=click.IntRange(min=0), default=MAX_FINDINGS,
              show_default=True, help="Findings printed per file in text output (0: all); "
              "the rest are counted. Other formats list every finding.")
@max_file_size_option()
@click.option("--no-cache", is_flag=True, help="Check every script again, ignoring the "
              "cache of results (INKSLOP_CACHE_DIR, or .inkslop_cache in the project).")
@jobs_option()
def check(paths: tuple[str, ...], output_format: str, select: tuple[str, ...],
          ignore: tuple[str, ...], apply_fixes: bool, unsafe_fixes: bool,
          stdin_filename: str | None, config_path: str | None, color: str, max_findings: int,
          max_file_mb: float, no_cache: bool, jobs: int) -> None:
    """Report problems in scripts: files, directories (every *.inkslop below), or - for stdin.

    Exit status: 0 no errors (warnings allowed), 1 errors found, 2 usage, I/O or
    configuration error (any script that could not be read, checked or written).
    """
    problem = check_selectors(rule_codes(select) + rule_codes(ignore))
    if problem:
        raise click.UsageError(problem)
    sys.exit(run_check(paths, output_format, select, ignore, apply_fixes, unsafe_fixes,
                       stdin_filename, config_path, color, max_findings, max_file_mb, no_cache,
                       jobs))
