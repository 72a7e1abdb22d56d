"""`inkslop batch submit|resume|status`: many videos through a journal that survives crashes.

Exit status: 0 every video done (or sent, with --no-wait), 1 some were refused or failed,
2 usage, configuration, network.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from inkslop.cli.api_access import api_options, fail, open_client, print_table, text

JOURNAL = click.option("--journal", "journal_path", type=click.Path(dir_okay=False),
                       default=".inkslop/batches.sqlite3", show_default=True,
                       help="The batch journal (SQLite).")


@click.group()
def batch() -> None:
    """Submit many videos exactly once, pace them to InkSlop's limits, survive crashes."""


@batch.command(name="submit")
@api_options
@JOURNAL
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
@click.option("--data", "data_path", type=click.Path(exists=True, dir_okay=False),
              help="With one template: one video per row (CSV, JSON array, JSON Lines).")
@click.option("--var", "variables", multiple=True, metavar="NAME=VALUE")
@click.option("--download", "download_dir", type=click.Path(file_okay=False),
              help="Save each finished video here.")
@click.option("--publish-channel", type=int, help="Publish each video to this channel.")
@click.option("--privacy", type=click.Choice(["public", "private", "unlisted"]))
@click.option("--ai-meta", is_flag=True, help="Let InkSlop write titles, descriptions, tags.")
@click.option("--no-wait", is_flag=True, help="Send, then return; `batch resume` follows up.")
def batch_submit(api_base: str | None, api_key: str | None, journal_path: str,
                 paths: tuple[str, ...], data_path: str | None, variables: tuple[str, ...],
                 download_dir: str | None, publish_channel: int | None, privacy: str | None,
                 ai_meta: bool, no_wait: bool) -> None:
    """Send scripts (files, directories) or a TEMPLATE with --data as one batch."""
    from inkslop.batch.journal import Journal
    from inkslop.cli.compile_command import _var

    planned = _plan(list(paths), data_path, _var(variables))
    publish = {"channel_id": publish_channel, "privacy": privacy,
               "ai_generate_meta": ai_meta or None} if publish_channel else None
    options = {"download_dir": str(Path(download_dir).resolve()) if download_dir else None,
               "publish": {k: v for k, v in publish.items() if v is not None} if publish
               else None}
    client = open_client(api_base, api_key)
    with Journal(Path(journal_path)) as journal:
        batch_id = _new_batch_id()
        journal.create_batch(batch_id, planned, options)
        click.echo(f"Batch {batch_id}: {len(planned)} video(s), journal {journal_path}.",
                   err=True)
        run_batch(journal, client, batch_id, wait=not no_wait)


@batch.command(name="resume")
@api_options
@JOURNAL
@click.argument("batch_id", required=False)
@click.option("--no-wait", is_flag=True, help="Send what is left, then return.")
def batch_resume(api_base: str | None, api_key: str | None, journal_path: str,
                 batch_id: str | None, no_wait: bool) -> None:
    """Go on with a batch (the latest by default): nothing is sent twice, nothing lost."""
    from inkslop.batch.journal import Journal

    if not Path(journal_path).exists():
        fail(f"no journal at {journal_path}")
    client = open_client(api_base, api_key)
    with Journal(Path(journal_path)) as journal:
        batch_id = batch_id or journal.latest_batch()
        if batch_id is None:
            fail(f"{journal_path} holds no batch")
        run_batch(journal, client, batch_id, wait=not no_wait)


@batch.command(name="status")
@JOURNAL
@click.argument("batch_id", required=False)
@click.option("--output-format", type=click.Choice(["text", "json"]), default="text")
def batch_status(journal_path: str, batch_id: str | None, output_format: str) -> None:
    """A table of a batch's videos (the latest batch by default), from the journal."""
    import json

    from inkslop.batch.journal import Journal

    if not Path(journal_path).exists():
        fail(f"no journal at {journal_path}")
    with Journal(Path(journal_path)) as journal:
        batch_id = batch_id or journal.latest_batch()
        if batch_id is None:
            fail(f"{journal_path} holds no batch")
        try:
            jobs = journal.jobs(batch_id)
        except KeyError:
            fail(f"no batch {batch_id} in {journal_path}")
    if output_format == "json":
        click.echo(json.dumps([{k: getattr(j, k) for k in j.__slots__} for j in jobs], indent=2))
        return
    click.echo(f"Batch {batch_id}")
    print_table(("#", "source", "video", "state", "task", "progress", "credits", "published"),
                [(str(j.position), j.source, j.video_name, j.state, text(j.task_id),
                  text((j.status or {}).get("progress")),
                  text((j.status or {}).get("credits_used")), text(j.publish_state))
                 for j in jobs])


def run_batch(journal: Any, client: Any, batch_id: str, wait: bool,
              report: Any = None) -> list[Any]:
    """Run a batch with its events on stderr (or given to `report`); exit 1 if a video was
    refused or failed."""
    from inkslop.batch.journal import FAILED
    from inkslop.batch.runner import BatchRunner, Stopped
    from inkslop.cli.api_access import reported_errors

    runner = BatchRunner(journal, client, report=report or (
        lambda event: click.echo(event.message, err=True)))
    try:
        with reported_errors():
            jobs = runner.run(batch_id, wait=wait)
    except Stopped as stop:
        fail(f"{stop}", 1)
    except KeyboardInterrupt:
        fail(f"interrupted: `inkslop batch resume {batch_id}` goes on where this stopped", 1)
    failed = [j for j in jobs if j.state == FAILED]
    done = sum(j.state == "done" for j in jobs)
    click.echo(f"Batch {batch_id}: {done} done, {len(failed)} failed, "
               f"{len(jobs) - done - len(failed)} open.", err=True)
    if failed:
        sys.exit(1)
    return jobs


def _plan(paths: list[str], data_path: str | None, given: dict[str, str]) -> list[Any]:
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


def _new_batch_id() -> str:
    import secrets
    from datetime import datetime

    return f"{datetime.now():%Y%m%d-%H%M%S}-{secrets.token_hex(2)}"
