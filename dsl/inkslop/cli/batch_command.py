"""`inkslop batch submit|resume|status|settle`: many videos through a journal that survives
crashes, and that several processes may run at once.

Before anything is sent (`submit`, and `resume` for videos not sent yet) the preflight shows
every finding of every script and the estimate; errors refuse, warnings refuse unless
allowed (`--allow-warnings`, or `[submit] allow-warnings`), and so does an estimate over
`--max-credits` (or `[submit] max-credits`).

Exit status: 0 every video reached the run's goal (done, and saved when asked; or sent,
with --no-wait); 1 the preflight refused, InkSlop refused a video or its render failed, or
videos are still open (the exact `inkslop batch resume` command is printed); 2 usage,
configuration, or no connection to InkSlop; 130 interrupted.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

import click

from inkslop.batch.journal import (
    DEFAULT_PATH,
    FAILED,
    UNKNOWN,
    Journal,
    JournalConflict,
    new_batch_id,
)
from inkslop.batch.runner import POLL_SECONDS, BatchRunner, Refused, Stopped, reached_goal
from inkslop.batch.submit import batch_options
from inkslop.cli.api_access import (
    api_options,
    fail,
    open_client,
    print_table,
    reported_errors,
    text,
)
from inkslop.cli.options import JOURNAL_OPTION, plan_videos, var_option
from inkslop.compile.preflight import Allowance, preflight
from inkslop.reporters.preflight import render_preflight

INTERRUPTED = 130
POLL_ENV = "INKSLOP_POLL_SECONDS"

ALLOW_WARNINGS_OPTION = click.option(
    "--allow-warnings", is_flag=True,
    help="Send scripts that have warnings (never errors). In the configuration: "
    "`[submit] allow-warnings = true`, or a list of codes.")
MAX_CREDITS_OPTION = click.option(
    "--max-credits", type=click.FloatRange(min=0, min_open=True), metavar="N",
    help="Refuse when the estimate is over N credits (the video; a batch in all). In the "
    "configuration: `[submit] max-credits`.")
DRY_RUN_OPTION = click.option(
    "--dry-run", is_flag=True,
    help="Run the whole preflight and print the request(s); send nothing. Exits as the "
    "real run would have.")


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
@ALLOW_WARNINGS_OPTION
@MAX_CREDITS_OPTION
@DRY_RUN_OPTION
def batch_submit(api_base: str | None, api_key: str | None, journal_path: str,
                 paths: tuple[str, ...], data_path: str | None, variables: dict[str, str],
                 download_dir: str | None, publish_channel: int | None, privacy: str | None,
                 ai_meta: bool, no_wait: bool, allow_warnings: bool, max_credits: float | None,
                 dry_run: bool) -> None:
    """Send scripts (files, directories) or a TEMPLATE with --data as one batch."""
    plan = plan_videos(list(paths), data_path, variables)
    allowance = Allowance(allow_warnings, max_credits)
    passed_preflight(plan.checks, allowance)
    if dry_run:
        click.echo(json.dumps([v.request for v in plan.videos], indent=2, ensure_ascii=False))
        return
    publish = {"channel_id": publish_channel, "privacy": privacy,
               "ai_generate_meta": ai_meta or None} if publish_channel else None
    options = batch_options(
        allowance, download_dir=str(Path(download_dir).resolve()) if download_dir else None,
        publish={k: v for k, v in publish.items() if v is not None} if publish else None)
    client = open_client(api_base, api_key, near=first_script(plan.videos))
    with Journal(Path(journal_path)) as journal:
        batch_id = new_batch_id()
        journal.create_batch(batch_id, plan.videos, options)
        click.echo(f"Batch {batch_id}: {len(plan.videos)} video(s), journal {journal_path}.",
                   err=True)
        finish_run(journal, run_batch(journal, client, batch_id, wait=not no_wait), batch_id,
                   wait=not no_wait)


@batch.command(name="resume")
@api_options
@JOURNAL_OPTION
@click.argument("batch_id", required=False)
@click.option("--no-wait", is_flag=True, help="Send what is left, then return.")
@ALLOW_WARNINGS_OPTION
@MAX_CREDITS_OPTION
def batch_resume(api_base: str | None, api_key: str | None, journal_path: str,
                 batch_id: str | None, no_wait: bool, allow_warnings: bool,
                 max_credits: float | None) -> None:
    """Go on with a batch (the latest by default): nothing is sent twice, nothing lost, and
    every promise of the first run kept (downloads, publishing, names, allowances)."""
    with Journal(existing_journal(journal_path)) as journal:
        batch_id = known_batch(journal, batch_id)
        allowance = Allowance(allow_warnings, max_credits)
        verdict = BatchRunner(journal, None).preflight(batch_id, allowance)
        if verdict.scripts:  # videos not sent yet: show what would be sent
            show_preflight(verdict)
        if not verdict.passed:
            sys.exit(1)
        client = open_client(api_base, api_key, near=first_script(journal.jobs(batch_id)))
        jobs = run_batch(journal, client, batch_id, wait=not no_wait, allowance=allowance)
        finish_run(journal, jobs, batch_id, wait=not no_wait)


@batch.command(name="status")
@JOURNAL_OPTION
@click.argument("batch_id", required=False)
@click.option("--output-format", type=click.Choice(["text", "json"]), default="text")
def batch_status(journal_path: str, batch_id: str | None, output_format: str) -> None:
    """A table of a batch's videos (the latest batch by default), from the journal."""
    with Journal(existing_journal(journal_path)) as journal:
        batch_id = known_batch(journal, batch_id)
        jobs = journal.jobs(batch_id)
    if output_format == "json":
        click.echo(json.dumps([{k: getattr(j, k) for k in j.__slots__} for j in jobs], indent=2))
        return
    click.echo(f"Batch {batch_id}")
    print_table(("job", "source", "video", "state", "task", "progress", "credits", "published"),
                [(str(j.id), j.source, j.video_name, j.state, text(j.task_id),
                  text((j.status or {}).get("progress")),
                  text((j.status or {}).get("credits_used")), text(j.publish_state))
                 for j in jobs])


@batch.command(name="settle")
@JOURNAL_OPTION
@click.argument("job_id", type=int)
@click.option("--sent", "task_id", metavar="TASK_ID",
              help="The video InkSlop made for this job (see `inkslop videos list`).")
@click.option("--not-sent", is_flag=True, help="InkSlop made no video for it: send it again.")
def batch_settle(journal_path: str, job_id: int, task_id: str | None, not_sent: bool) -> None:
    """Settle by hand a job whose sending could not be reconciled (state `unknown`): JOB is
    the number `batch status` shows. Then `inkslop batch resume` goes on."""
    if (task_id is None) == (not not_sent):
        fail("say what happened: --sent TASK_ID, or --not-sent")
    with Journal(existing_journal(journal_path)) as journal:
        try:
            job = journal.job(job_id)
            journal.settle(job, None if not_sent else task_id)
        except KeyError:
            fail(f"no job {job_id} in {journal_path} (see `inkslop batch status`)")
        except JournalConflict as conflict:
            fail(str(conflict), 1)
        what = f"sent as {task_id}" if task_id else "not sent: it will be sent"
        click.echo(f"Job {job_id} ({job.source}): settled, {what}. Go on with: "
                   f"{resume_command(journal, job.batch_id)}", err=True)


# ---- shared with submit --------------------------------------------------------------------

def passed_preflight(checks: list[Any], allowance: Any) -> Any:
    """The preflight of planned scripts, shown on stderr; when it refuses, exit 2 if a
    script could not be read or configured (as every command does), else 1."""
    verdict = preflight(checks, allowance)
    show_preflight(verdict)
    if not verdict.passed:
        sys.exit(2 if any(check.lines is None for check in checks) else 1)
    return verdict


def show_preflight(verdict: Any) -> None:
    click.echo(render_preflight(verdict, color=sys.stderr.isatty()), nl=False, err=True)


def run_batch(journal: Any, client: Any, batch_id: str, wait: bool, report: Any = None,
              allowance: Any = None, download_progress: Any = None) -> list[Any]:
    """Run a batch with its events on stderr (or given to `report`); exits with the status
    a refused preflight (1), a stopped run (1 or 2) or Ctrl-C (130) deserves, saying how to
    go on."""
    runner = BatchRunner(journal, client, download_progress=download_progress,
                         report=report or (lambda event: click.echo(event.message, err=True)),
                         poll_seconds=poll_seconds())
    try:
        with reported_errors():
            return runner.run(batch_id, wait=wait, allowance=allowance or Allowance())
    except Refused as refusal:
        show_preflight(refusal.verdict)
        sys.exit(1)
    except Stopped as stop:
        click.echo(f"error: {stop}", err=True)
        fail(f"go on later with: {resume_command(journal, batch_id)}", stop.status)
    except JournalConflict as conflict:
        fail(f"{conflict}; see `inkslop batch status`", 1)
    except KeyboardInterrupt:
        fail(f"interrupted: `{resume_command(journal, batch_id)}` goes on where this "
             "stopped", INTERRUPTED)


def finish_run(journal: Any, jobs: list[Any], batch_id: str, wait: bool) -> None:
    """The run's summary on stderr; exit 0 only when every video reached the run's goal,
    else 1 with what is left and the command that goes on."""
    options = journal.options(batch_id)
    failed = [j for j in jobs if j.state == FAILED]
    unknown = [j for j in jobs if j.state == UNKNOWN]
    short = [j for j in jobs if j not in failed and not reached_goal(j, options, wait)]
    done = sum(j.state == "done" for j in jobs)
    click.echo(f"Batch {batch_id}: {done} done, {len(failed)} failed, {len(short)} open"
               + (f" ({len(unknown)} to settle by hand)" if unknown else "") + ".", err=True)
    if short:
        click.echo(f"Not finished: go on with `{resume_command(journal, batch_id)}`"
                   + (" once the unknown ones are settled" if unknown else "") + ".", err=True)
    if failed or short:
        sys.exit(1)


def first_script(videos: list[Any]) -> Path | None:
    """The first script file of a batch: `[api] account` is read from its configuration
    (none, for scripts without a file: the current directory's)."""
    return next((Path(v.path) for v in videos if v.path), None)


def poll_seconds() -> float:
    """Seconds between two looks at a rendering video: InkSlop asks for 5 to 10 (8); a
    sandbox may be polled faster with INKSLOP_POLL_SECONDS."""
    try:
        return max(0.05, float(os.environ.get(POLL_ENV, POLL_SECONDS)))
    except ValueError:
        fail(f"{POLL_ENV} must be a number of seconds")


def resume_command(journal: Any, batch_id: str) -> str:
    where = "" if Path(journal.path) == DEFAULT_PATH else f" --journal {journal.path}"
    return f"inkslop batch resume {batch_id}{where}"


def existing_journal(journal_path: str) -> Path:
    if not Path(journal_path).exists():
        fail(f"no journal at {journal_path}")
    return Path(journal_path)


def known_batch(journal: Any, batch_id: str | None) -> str:
    batch_id = batch_id or journal.latest_batch()
    if batch_id is None:
        fail(f"{journal.path} holds no batch")
    try:
        journal.options(batch_id)
    except KeyError:
        fail(f"no batch {batch_id} in {journal.path}")
    return batch_id
