"""Options and helpers that several commands share, written once.

`--var` (parsed into a dict by its callback), `--journal`, `--config`,
`--stdin-filename`, the download progress bar, and how submit and batch turn their
arguments into planned videos.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from inkslop.cli import fail

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def parse_vars(values: tuple[str, ...]) -> dict[str, str]:
    """`NAME=VALUE` pairs as a dict; a usage error names the bad one."""
    pairs = {}
    for item in values:
        name, equals, value = item.partition("=")
        if not equals or not _NAME.fullmatch(name.strip()):
            raise click.BadParameter(f"{item!r}: write NAME=VALUE, such as animal=narwhal",
                                     param_hint="--var")
        pairs[name.strip()] = value
    return pairs


def var_option(help: str = "A variable's value (overrides the front matter and the data file)."
               ) -> Any:
    """`--var NAME=VALUE`, repeatable; the command receives a dict."""
    return click.option("--var", "variables", multiple=True, metavar="NAME=VALUE", help=help,
                        callback=lambda _ctx, _param, values: parse_vars(values))


JOURNAL_OPTION = click.option("--journal", "journal_path", type=click.Path(dir_okay=False),
                              default=".inkslop/batches.sqlite3", show_default=True,
                              help="The batch journal (SQLite).")
CONFIG_OPTION = click.option("--config", "config_path",
                             type=click.Path(exists=True, dir_okay=False),
                             help="Use this configuration file instead of finding one from each "
                             "script.")
STDIN_FILENAME_OPTION = click.option(
    "--stdin-filename", metavar="PATH",
    help="The name of the script read from `-` (for messages and configuration).")


@contextmanager
def download_progress(name: str) -> Iterator[Any]:
    """A rich progress bar on a terminal's stderr (the progress callback), else None."""
    if not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console  # rich loads only for a download on a terminal
    from rich.progress import DownloadColumn, Progress, TransferSpeedColumn

    with Progress(*Progress.get_default_columns(), DownloadColumn(), TransferSpeedColumn(),
                  console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task(name, total=None)
        yield lambda done, total: bar.update(task, completed=done, total=total)


def plan_videos(paths: list[str], data_path: str | None, given: dict[str, str]) -> list[Any]:
    """The videos that submit and batch would send: scripts (files, directories), or one
    template with a data file; a script with errors stops everything with its findings."""
    # the planning stages (compile, estimate) load only for submit and batch
    from inkslop.batch.plan import PlanError, plan_files, plan_template
    from inkslop.compile.rows import DataError, load_rows
    from inkslop.files import SourceError, discover, read_source

    files, errors = discover(paths)
    if errors:
        fail(str(errors[0]))
    try:
        if data_path:
            if len(files) != 1:
                fail("--data goes with exactly one template script")
            return plan_template(files[0], read_source(files[0]), load_rows(Path(data_path)),
                                 given=given)
        return plan_files(files, read_source, values=given)
    except (DataError, SourceError) as error:
        fail(str(error))
    except PlanError as error:
        report_problems(error)
        fail("nothing was sent: fix these scripts first", 1)


def report_problems(error: Any) -> None:
    from inkslop.reporters import FileReport, render

    for problem in error.problems:
        if problem.diagnostics:
            click.echo(render("text", [FileReport(problem.source, problem.lines,
                                                  problem.diagnostics)]), nl=False, err=True)
        else:
            click.echo(f"error: {problem.source}: {problem.message}", err=True)
