"""`inkslop fmt`: canonical formatting in place; exit 0 done, 1 `--check` found changes, 2 error.

The command's options; what formatting does is inkslop.cli.fmt_run.
"""

from __future__ import annotations

import sys

import click

from inkslop.cli.fmt_run import run_fmt
from inkslop.cli.options import (
    CONFIG_OPTION,
    STDIN_FILENAME_OPTION,
    jobs_option,
    max_file_size_option,
)


@click.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--check", "check_only", is_flag=True,
              help="Write nothing; list the files that would change and exit 1 if any.")
@click.option("--diff", "show_diff", is_flag=True,
              help="Write nothing; print a unified diff of the changes (exit 1 if any).")
@STDIN_FILENAME_OPTION
@CONFIG_OPTION
@max_file_size_option()
@jobs_option()
def fmt(paths: tuple[str, ...], check_only: bool, show_diff: bool, stdin_filename: str | None,
        config_path: str | None, max_file_mb: float, jobs: int) -> None:
    """Format scripts: files, directories (every *.inkslop below), or - (stdin to stdout).

    A script with syntax errors is never formatted: its errors are printed and
    the file is left as it is (exit 2). A read-only file is reported, not rewritten.
    """
    sys.exit(run_fmt(paths, check_only, show_diff, stdin_filename, config_path, max_file_mb,
                     jobs))
