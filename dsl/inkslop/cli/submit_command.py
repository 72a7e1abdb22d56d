"""`inkslop submit PATH`: check, compile, estimate, send, wait, report; exit 0 done, 1 refused
or failed, 2 usage or configuration.

A single video goes through the same journal as a batch, so a crash while it is sent is
settled by `inkslop batch resume` without spending twice.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from inkslop.cli.api_access import api_options, open_client
from inkslop.cli.options import JOURNAL_OPTION, download_progress, plan_videos, var_option


@click.command()
@api_options
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@var_option()
@click.option("--no-wait", is_flag=True, help="Send, print the task id, return.")
@click.option("--download", "download_to", type=click.Path(dir_okay=False),
              help="Save the finished video to this file (a broken download resumes).")
@click.option("--dry-run", is_flag=True, help="Print the request instead of sending it.")
@click.option("--channel", "channel_id", type=int, help="Publish to this channel (overrides "
              "the front matter's [publish]).")
@click.option("--privacy", type=click.Choice(["public", "private", "unlisted"]))
@click.option("--title")
@click.option("--ai-meta", is_flag=True, help="Let InkSlop write the title and description.")
@JOURNAL_OPTION
def submit(api_base: str | None, api_key: str | None, path: str, variables: dict[str, str],
           no_wait: bool, download_to: str | None, dry_run: bool, channel_id: int | None,
           privacy: str | None, title: str | None, ai_meta: bool, journal_path: str) -> None:
    """Send a script to InkSlop and wait for its video."""
    from inkslop.batch.journal import Journal, new_batch_id
    from inkslop.cli.batch_command import run_batch

    (video,) = plan_videos([path], None, variables)
    if channel_id is not None:
        publish = {"channel_id": channel_id, "privacy": privacy, "title": title,
                   "ai_generate_meta": ai_meta or None}
        video.request["publish"] = {k: v for k, v in publish.items() if v is not None}
    if dry_run:
        click.echo(json.dumps(video.request, indent=2, ensure_ascii=False))
        return
    client = open_client(api_base, api_key)
    with Journal(Path(journal_path)) as journal, _progress(video.video_name) as show:
        batch_id = new_batch_id()
        journal.create_batch(batch_id, [video], {})
        (job,) = run_batch(journal, client, batch_id, wait=not no_wait, report=show)
    _report(job)
    if download_to and job.state == "done":
        _download(client, job, Path(download_to))
    sys.exit(0 if job.state in ("done", "sent") else 1)


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


def _download(client: Any, job: Any, target: Path) -> None:
    from inkslop.cli.api_access import reported_errors

    with reported_errors(), download_progress(target.name) as progress:
        client.download(job.status["download_url"], target, progress)
    click.echo(f"saved: {target}")


@contextmanager
def _progress(name: str) -> Iterator[Any]:
    """On a terminal, a progress bar of the render (the events' progress) on stderr, with the
    other events printed above it; elsewhere, every event as a line."""
    if not sys.stderr.isatty():
        yield lambda event: click.echo(event.message, err=True)
        return
    from rich.console import Console
    from rich.progress import Progress

    console = Console(stderr=True)
    with Progress(*Progress.get_default_columns(), console=console, transient=True) as bar:
        task = bar.add_task(f"{name}: sending", total=100)

        def show(event: Any) -> None:
            if event.kind == "status":
                bar.update(task, completed=event.data.get("progress") or 0,
                           description=f"{name}: {event.data.get('status')}")
            elif event.kind == "done":
                bar.update(task, completed=100, description=f"{name}: done")
            else:
                console.print(event.message)

        yield show
