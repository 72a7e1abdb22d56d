"""`inkslop sandbox`: run a local emulator of the InkSlop API until interrupted.

The first line of output is the base URL (flushed at once, so a script or a test can read
it), then the key, then a line saying that nothing is rendered. A key given with `--key` is
a secret its owner already has: it is never printed; a key the sandbox makes is printed,
once, since that is how its user learns it.
"""

from __future__ import annotations

import signal
import sys
import time
from typing import Any

import click

MIB = 1024 * 1024


def _say(line: str) -> None:
    click.echo(line)
    sys.stdout.flush()


def _check_key(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is not None and (not value.startswith("isk_") or len(value) <= 4):
        raise click.BadParameter("an InkSlop API key starts with isk_")
    return value


def _stop_on_sigterm(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt


@click.command()
@click.option("--port", type=click.IntRange(0, 65535), default=8787, show_default=True,
              help="The port on 127.0.0.1 (0: a free one).")
@click.option("--key", envvar="INKSLOP_SANDBOX_KEY", callback=_check_key, metavar="isk_...",
              help="Register this API key (never printed); otherwise one is made and printed. "
                   "Also read from INKSLOP_SANDBOX_KEY.")
@click.option("--credits", type=click.FloatRange(min=0), default=100.0, show_default=True,
              help="The starting balance (a state file's balance wins).")
@click.option("--render-seconds", type=click.FloatRange(min=0), default=30.0,
              show_default=True, help="How long a video takes from pending to done.")
@click.option("--state", "state_file", type=click.Path(dir_okay=False), metavar="FILE",
              help="Keep keys (hashed), videos and credits in this JSON file across restarts.")
@click.option("--latency", type=click.FloatRange(0, 60), default=0.0,
              help="Fault: seconds added to every response.")
@click.option("--fail-429", type=click.IntRange(min=0), default=0, metavar="N",
              help="Fault: the next N requests answer 429.")
@click.option("--fail-502", type=click.IntRange(min=0), default=0, metavar="N",
              help="Fault: the next N requests answer 502.")
@click.option("--fault-route", metavar='"METHOD /path"',
              help='Aim --fail-429 and --fail-502 at one route, e.g. "POST /videos".')
@click.option("--drop-after-commit", type=click.IntRange(min=0), default=0, metavar="N",
              help="Fault: the next N POST /videos create the video, then close the "
                   "connection without answering.")
@click.option("--render-errors", type=click.IntRange(min=0), default=0, metavar="N",
              help="Fault: the next N videos end in status error.")
@click.option("--cut-downloads", type=click.IntRange(min=0), default=0, metavar="N",
              help="Fault: the next N downloads stop halfway (resume them with Range).")
@click.option("--max-body", type=click.FloatRange(min=0, min_open=True), default=64.0,
              show_default=True, metavar="MIB",
              help="The largest request body, in MiB: a larger one is refused with 413 "
                   "before it is read.")
@click.option("--quiet", is_flag=True, help="Do not log requests to stderr.")
def sandbox(port: int, key: str | None, credits: float, render_seconds: float,
            state_file: str | None, latency: float, fail_429: int, fail_502: int,
            fault_route: str | None, drop_after_commit: int, render_errors: int,
            cut_downloads: int, max_body: float, quiet: bool) -> None:
    """Run a local emulator of the InkSlop API on 127.0.0.1, until Ctrl-C.

    It answers like InkSlop's documented API (keys, channels, videos, publishing,
    metadata, errors, rate limits) but renders no video. Sandbox-only admin routes live
    under /_sandbox/ (state, clock, faults, credits): see docs/sandbox.md.
    """
    # the sandbox pulls in pydantic and the checker: only this command needs them
    from inkslop.sandbox import NO_VIDEO, Faults, Sandbox, StateFileError
    from inkslop.sandbox.app import ROUTE_NAMES

    if fault_route is not None and fault_route not in ROUTE_NAMES:
        raise click.BadParameter(f"unknown route; one of: {', '.join(sorted(ROUTE_NAMES))}",
                                 param_hint="--fault-route")
    faults = Faults(latency=latency, fail_429=fail_429, fail_502=fail_502,
                    fail_429_route=fault_route, fail_502_route=fault_route,
                    drop_after_commit=drop_after_commit, render_errors=render_errors,
                    cut_downloads=cut_downloads)
    try:
        emulator = Sandbox(credits=credits, render_seconds=render_seconds, key=key,
                           state_file=state_file, faults=faults, log=not quiet,
                           max_body=int(max_body * MIB))
        base_url = emulator.start(port)
    except StateFileError as error:
        raise click.ClickException(str(error)) from None
    except ValueError as error:  # a starting value the sandbox cannot run with
        raise click.BadParameter(str(error)) from None
    except OSError as error:
        raise click.ClickException(f"cannot listen on 127.0.0.1:{port}: {error.strerror} "
                                   "(--port 0 picks a free port)") from None
    signal.signal(signal.SIGTERM, _stop_on_sigterm)
    try:
        _say(base_url)
        _say("key: given with --key (not shown)" if key else f"key: {emulator.key}")
        _say(NO_VIDEO)
        if state_file:
            _say(f"state: {state_file} (credits {emulator.state()['credits']})")
        _say(f"sandbox-only admin: {emulator.origin}/_sandbox/state (Ctrl-C stops it)")
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        emulator.stop()
    click.echo("Sandbox stopped.", err=True)
