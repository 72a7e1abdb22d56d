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
from inkslop.cli.options import JOURNAL_OPTION, plan_videos, var_option


@click.group()
def batch() -> None:
    """Submit many videos exactly once, pace them to InkSlop's limits, survive crashes."""


@batch.command(name="submit")
@api_options
@JOURNAL_OPTION
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
@click.option("--data", "data_path", type=click.Path(exists=True, dir_okay=False),
              help="With one template: one video per row (CSV, JSON array, JSON Lines).")
@var_option()
@click.option("--download", "download_dir", type=click.Path(file_okay=False),
              help="Save each finished video here.")
@click.option("--publish-channel", type=int, help="Publish each video to this channel.")
@click.option("--privacy", type=click.Choice(["public", "private", "unlisted"]))
@click.option("--ai-meta", is_flag=True, help="Let InkSlop write titles, descriptions, tags.")
@click.option("--no-wait", is_flag=True, help="Send, then return; `batch resume` follows up.")
def batch_submit(api_base: str | None, api_key: str | None, journal_path: str,
                 paths: tuple[str, ...], data_path: str | None, variables: dict[str, str],
                 download_dir: str | None, publish_channel: int | None, privacy: str | None,
                 ai_meta: bool, no_wait: bool) -> None:
    """Send scripts (files, directories) or a TEMPLATE with --data as one batch."""
    from inkslop.batch.journal import Journal, new_batch_id

    planned = plan_videos(list(paths), data_path, variables)
    publish = {"channel_id": publish_channel, "privacy": privacy,
               "ai_generate_meta": ai_meta or None} if publish_channel else None
    options = {"download_dir": str(Path(download_dir).resolve()) if download_dir else None,
               "publish": {k: v for k, v in publish.items() if v is not None} if publish
               else None}
    client = open_client(api_base, api_key)
    with Journal(Path(journal_path)) as journal:
        batch_id = new_batch_id()
        journal.create_batch(batch_id, planned, options)
        click.echo(f"Batch {batch_id}: {len(planned)} video(s), journal {journal_path}.",
                   err=True)
        run_batch(journal, client, batch_id, wait=not no_wait)


@batch.command(name="resume")
@api_options
@JOURNAL_OPTION
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
@JOURNAL_OPTION
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



