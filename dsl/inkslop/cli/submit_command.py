"""`inkslop submit PATH`: the preflight (every finding and the estimate; errors refuse,
warnings refuse unless allowed, an estimate over the budget refuses), then compile, send,
wait, download, report. Exit 0 done (or sent, with --no-wait), 1 refused or failed,
2 usage, configuration or no connection, 130 interrupted.

A single video goes through the same journal as a batch, with every promise of the run
(the --download file, publishing, the name) recorded there, so a crash or Ctrl-C while it
is sent or rendered is finished by `inkslop batch resume` without spending twice.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from inkslop.batch.journal import Journal, new_batch_id
from inkslop.batch.submit import batch_options
from inkslop.cli.api_access import api_options, open_client
from inkslop.cli.batch_command import (
    ALLOW_WARNINGS_OPTION,
    DRY_RUN_OPTION,
    MAX_CREDITS_OPTION,
    finish_run,
    passed_preflight,
    run_batch,
)
from inkslop.cli.options import JOURNAL_OPTION, plan_videos, var_option
from inkslop.compile.preflight import Allowance


@click.command()
@api_options
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@var_option()
@click.option("--no-wait", is_flag=True, help="Send, print the task id, return.")
@click.option("--download", "download_to", type=click.Path(dir_okay=False),
              help="Save the finished video to this file (a broken download resumes; so does "
              "`inkslop batch resume` after an interruption).")
@DRY_RUN_OPTION
@click.option("--channel", "channel_id", type=int, help="Publish to this channel (overrides "
              "the front matter's [publish]).")
@click.option("--privacy", type=click.Choice(["public", "private", "unlisted"]))
@click.option("--title")
@click.option("--ai-meta", is_flag=True, help="Let InkSlop write the title and description.")
@ALLOW_WARNINGS_OPTION
@MAX_CREDITS_OPTION
@JOURNAL_OPTION
def submit(api_base: str | None, api_key: str | None, path: str, variables: dict[str, str],
           no_wait: bool, download_to: str | None, dry_run: bool, channel_id: int | None,
           privacy: str | None, title: str | None, ai_meta: bool, allow_warnings: bool,
           max_credits: float | None, journal_path: str) -> None:
    """Send a script to InkSlop and wait for its video."""
    plan = plan_videos([path], None, variables)
    allowance = Allowance(allow_warnings, max_credits)
    passed_preflight(plan.checks, allowance)
    (video,) = plan.videos
    if channel_id is not None:
        publish = {"channel_id": channel_id, "privacy": privacy, "title": title,
                   "ai_generate_meta": ai_meta or None}
        video.request["publish"] = {k: v for k, v in publish.items() if v is not None}
    if dry_run:
        click.echo(json.dumps(video.request, indent=2, ensure_ascii=False))
        return
    video.download_to = str(Path(download_to).resolve()) if download_to else None
    client = open_client(api_base, api_key, near=Path(path).resolve())
    with Journal(Path(journal_path)) as journal:
        batch_id = new_batch_id()
        journal.create_batch(batch_id, [video], batch_options(allowance))
        with _progress(video.video_name) as (show, downloading):
            jobs = run_batch(journal, client, batch_id, wait=not no_wait, report=show,
                             download_progress=downloading)
        _report(jobs[0])
        finish_run(journal, jobs, batch_id, wait=not no_wait)


def _report(job: Any) -> None:
    status = job.status or {}
    lines = [f"task: {job.task_id}", f"state: {job.state}"]
    if job.state == "done":
        lines += [f"video: {status.get('video_url')}", f"download: {status.get('download_url')}",
                  f"duration: {status.get('duration_seconds')} s",
                  f"credits used: {status.get('credits_used')}"]
    elif job.error:
        lines.append(f"error: {job.error}")
    click.echo("\n".join(lines))


@contextmanager
def _progress(name: str) -> Iterator[tuple[Any, Any]]:
    """The runner's `report` and `download_progress`: on a terminal, one rich display on
    stderr with a bar for the render and one for the download, the other events printed
    above them; elsewhere, every event as a line and no download bar."""
    if not sys.stderr.isatty():
        yield (lambda event: click.echo(event.message, err=True)), None
        return
    from rich.console import Console  # rich loads only for a terminal
    from rich.progress import DownloadColumn, Progress

    console = Console(stderr=True)
    with Progress(*Progress.get_default_columns(), DownloadColumn(), console=console,
                  transient=True) as bar:
        task = bar.add_task(f"{name}: sending", total=100)

        def show(event: Any) -> None:
            if event.kind == "status":
                bar.update(task, completed=event.data.get("progress") or 0,
                           description=f"{name}: {event.data.get('status')}")
            elif event.kind == "done":
                bar.update(task, completed=100, description=f"{name}: done")
            else:
                console.print(event.message)

        @contextmanager
        def downloading(file_name: str) -> Iterator[Any]:
            saving = bar.add_task(f"{file_name}: downloading", total=None)
            yield lambda done, total: bar.update(saving, completed=done, total=total)

        yield show, downloading
