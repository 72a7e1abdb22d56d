"""`inkslop demo`: the main job on an embedded example, with no key and no network.

It runs the example script (dsl/inkslop/demo.inkslop, a copy of
examples/octopus-facts.inkslop) through check, fmt, estimate and compile, then submits
it to an in-process sandbox of the InkSlop API and waits for the video, printing each
step. The sandbox renders no video: its URLs point at itself.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import click

from inkslop.api.client import Client
from inkslop.batch.journal import Journal, PlannedVideo
from inkslop.batch.runner import BatchRunner
from inkslop.compile.compiler import compile_document, request_body
from inkslop.config.settings import default_settings
from inkslop.estimate.estimator import estimate_document
from inkslop.format.formatter import format_document
from inkslop.lint.checker import check
from inkslop.reporters import FileReport, render
from inkslop.reporters.estimate import estimate_json, estimate_table
from inkslop.sandbox import Sandbox
from inkslop.schema.resources import PACKAGE_DIR
from inkslop.syntax.parser import parse


def _step(number: int, title: str) -> None:
    click.echo(f"\n== {number}/5 {title} " + "=" * max(0, 60 - len(title)))


@click.command()
@click.option("--render-seconds", type=float, default=3.0, show_default=True,
              help="How long the sandbox takes to 'render' the video.")
def demo(render_seconds: float) -> None:
    """Run an example script through check, fmt, estimate, compile and submit to a sandbox."""
    name = "octopus-facts.inkslop"
    text = (PACKAGE_DIR / "demo.inkslop").read_text(encoding="utf-8")
    click.echo(f"The example script, {name}:\n")
    click.echo(text)
    settings = default_settings()
    document = parse(text, settings.schema)

    _step(1, "inkslop check")
    click.echo(render("text", [FileReport(name, document.lines, check(document, settings))]),
               nl=False)

    _step(2, "inkslop fmt --check")
    formatted = format_document(document, settings)
    click.echo("Already in the canonical style." if formatted == text else formatted)

    _step(3, "inkslop estimate")
    result = estimate_document(document, settings)
    click.echo(estimate_table(estimate_json(name, result)), nl=False)

    _step(4, "inkslop compile --output-format request")
    script = compile_document(document, None, settings)
    body = request_body(document, script, None, estimated_duration=result.estimated_duration)
    click.echo(json.dumps(body, indent=2, ensure_ascii=False))

    _step(5, "inkslop submit (to a local sandbox of the InkSlop API)")
    _submit(body, render_seconds)


def _submit(body: dict, render_seconds: float) -> None:
    with Sandbox(credits=50, render_seconds=render_seconds) as sandbox, \
            tempfile.TemporaryDirectory() as scratch:
        base_url = sandbox.base_url
        click.echo(f"Sandbox at {base_url} (it renders no video; its URLs point at itself).")
        # The demo's own key, journal and no shared rate limiter: it touches nothing of yours.
        with Client(sandbox.key, base_url, rate_limiter=False) as client, \
                Journal(Path(scratch) / "batches.sqlite3") as journal:
            journal.create_batch("demo", [PlannedVideo("demo", body["video_name"], body)], {})
            runner = BatchRunner(journal, client, poll_seconds=0.5,
                                 report=lambda event: click.echo(f"  {event.message}"))
            (job,) = runner.run("demo")
    status = job.status or {}
    click.echo(f"\nDone: {status.get('video_url')}\n"
               f"  duration {status.get('duration_seconds')} s, "
               f"{status.get('credits_used')} credits used (sandbox credits, not yours).")
