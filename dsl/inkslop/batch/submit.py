"""Send one script from Python as `inkslop submit` does: the preflight first, then the
journal and the runner, so that nothing is paid for a refused script and a crash is
finished by `inkslop batch resume` without spending twice.

    with Client() as client:
        job = inkslop.submit("fact.inkslop", client, allow_warnings=["T005"], max_credits=5)
    print(job.state, job.task_id)

A refusal raises Refused (inkslop.batch.runner) with the whole verdict (`.verdict`: every
finding, the estimate, the reasons); nothing is recorded or sent. `Client.create_video` is
the raw endpoint: it sends what it is given, with no preflight.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from inkslop.batch.journal import DEFAULT_PATH, Job, Journal, new_batch_id
from inkslop.batch.plan import plan_files
from inkslop.batch.runner import BatchRunner, Event, Refused
from inkslop.compile.preflight import Allowance, preflight
from inkslop.files import read_source


def submit(path: str | Path, client: Any, *, values: dict[str, Any] | None = None,
           allow_warnings: bool | list[str] = False, max_credits: float | None = None,
           wait: bool = True,
           download_to: str | Path | None = None, publish: dict[str, Any] | None = None,
           journal_path: Path = DEFAULT_PATH,
           report: Callable[[Event], None] = lambda event: None) -> Job:
    """Preflight, send and (when `wait`) follow one script to its end; the job as the
    journal holds it. Refused when the preflight refuses; Stopped (runner.py) when InkSlop
    cannot be reached or refuses the key or the credits. `allow_warnings`: True, or the
    codes (or prefixes) let through, on top of the configuration's `[submit]`."""
    allowance = Allowance(allow_warnings if isinstance(allow_warnings, bool)
                          else tuple(allow_warnings), max_credits)
    plan = plan_files([Path(path)], read_source, publish, values)
    verdict = preflight(plan.checks, allowance)
    if not verdict.passed:
        raise Refused(verdict)
    (video,) = plan.videos
    video.download_to = str(Path(download_to).resolve()) if download_to else None
    with Journal(journal_path) as journal:
        batch_id = new_batch_id()
        journal.create_batch(batch_id, [video], batch_options(allowance))
        (job,) = BatchRunner(journal, client, report=report).run(batch_id, wait=wait,
                                                                  allowance=allowance)
    return job


def batch_options(allowance: Allowance, **options: Any) -> dict[str, Any]:
    """A batch's options as the journal keeps them for every resume: the allowance it was
    planned with, and `options` (download directory, publish settings)."""
    warnings = allowance.warnings if isinstance(allowance.warnings, bool) \
        else list(allowance.warnings)
    return {**options, "allow_warnings": warnings, "max_credits": allowance.max_credits}
