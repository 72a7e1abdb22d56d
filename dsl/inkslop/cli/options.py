"""Options and helpers that several commands share, written once.

`--var` (parsed into a dict by its callback), `--journal`, `--config`,
`--stdin-filename`, `--jobs`, `--max-file-size`, the download
progress bar, and how submit and batch turn their arguments into planned videos.
Reading the scripts themselves is inkslop.cli.inputs.
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
from inkslop.files import MAX_FILE_BYTES
from inkslop.schema.near_miss import did_you_mean

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


def reject_unknown_variables(given: dict[str, str], known: set[str]) -> None:
    """Exit 2 when a `--var` names a variable no script defines or uses (a typo would
    otherwise be ignored in silence), saying which name was probably meant."""
    unknown = [name for name in given if name not in known]
    if unknown:
        fail(" ".join(f"--var {name}: no script defines or uses `{name}`."
                       f"{did_you_mean(name, sorted(known))}" for name in unknown))


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


def jobs_option() -> Any:
    """`--jobs N`: worker processes for many scripts (0: every core; 1: none)."""
    return click.option("--jobs", "-j", type=click.IntRange(min=0), default=0, metavar="N",
                        help="Processes for many scripts: 0 uses every core, 1 none.")


def max_file_size_option() -> Any:
    """`--max-file-size MB` (or INKSLOP_MAX_FILE_SIZE): larger scripts are refused before
    they are read."""
    return click.option("--max-file-size", "max_file_mb", type=click.FloatRange(min=0.001),
                        default=MAX_FILE_BYTES / 1024 / 1024, show_default=True, metavar="MB",
                        envvar="INKSLOP_MAX_FILE_SIZE",
                        help="Refuse scripts larger than this many megabytes.")


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


def plan_videos(paths: list[str], data_path: str | None, given: dict[str, str]) -> Any:
    """What submit and batch would send (an inkslop.batch.plan.Plan): scripts (files,
    directories), or one template with a data file, each checked, compiled and estimated;
    the caller shows the preflight. Exit 2 for what cannot be read or configured."""
    # the planning stages (compile, estimate) load only for submit and batch
    from inkslop.batch.plan import plan_files, plan_template
    from inkslop.compile.rows import DataError, load_rows
    from inkslop.config.loader import ConfigError
    from inkslop.files import SourceError, discover, read_source

    files, errors = discover(paths)
    if errors:
        fail(str(errors[0]))
    if not files:  # an empty folder: nothing to send is a mistake, not a batch of none
        fail(f"no scripts found in {', '.join(paths)}: no *.inkslop file there")
    try:
        if data_path:
            if len(files) != 1:
                fail("--data goes with exactly one template script")
            plan = plan_template(files[0], read_source(files[0]), load_rows(Path(data_path)),
                                 given=given)
        else:
            plan = plan_files(files, read_source, values=given)
    except (DataError, SourceError, ConfigError) as error:
        fail(str(error))
    if all(c.lines is not None for c in plan.checks):  # else the preflight names the unread
        reject_unknown_variables(given, {name for c in plan.checks for name in c.variables})
    return plan
