"""The `inkslop` command. Subcommands load lazily, so `inkslop check` imports only
what checking needs (it runs on every commit through pre-commit)."""

from __future__ import annotations

import sys
from importlib import import_module
from typing import Any, NoReturn

import click

COMMANDS = {
    "check": ("inkslop.cli.check_command", "check", "Report problems in scripts."),
    "compile": ("inkslop.cli.compile_command", "compile_", "Compile a script into what InkSlop "
                "receives."),
    "estimate": ("inkslop.cli.estimate_command", "estimate", "Estimate durations and credits."),
    "fmt": ("inkslop.cli.fmt_command", "fmt", "Format scripts in the canonical style."),
    "lsp": ("inkslop.cli.lsp_command", "lsp", "Run the language server for editors (stdio)."),
    "rule": ("inkslop.cli.rule_command", "rule", "Explain a rule, or list them all."),
    "auth": ("inkslop.cli.auth_command", "auth", "Save, remove or show the API key."),
    "videos": ("inkslop.cli.api_commands", "videos", "List, inspect and download your videos."),
    "publish": ("inkslop.cli.api_commands", "publish", "Publish a finished video to a channel."),
    "keys": ("inkslop.cli.api_commands", "keys", "List, create or revoke API keys."),
    "channels": ("inkslop.cli.api_commands", "channels", "List your connected channels."),
    "meta": ("inkslop.cli.api_commands", "meta", "Have InkSlop write a title, description "
             "and tags for a script."),
    "sandbox": ("inkslop.cli.sandbox_command", "sandbox", "Run a local emulator of the InkSlop API."),
    "submit": ("inkslop.cli.submit_command", "submit", "Send a script to InkSlop and wait for "
               "its video."),
    "batch": ("inkslop.cli.batch_command", "batch", "Send many videos exactly once, through a "
              "journal that survives crashes."),
    "speak": ("inkslop.cli.speak_command", "speak", "Hear a script before paying: its narration "
              "with the local Kokoro engine, and subtitles."),
    "demo": ("inkslop.cli.demo_command", "demo", "Run an example script through check, fmt, "
             "estimate and submit, against a local sandbox."),
}


class LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in COMMANDS:
            return None
        module, attribute, _ = COMMANDS[name]
        return getattr(import_module(module), attribute)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        # Listing the commands must not import them all; their summaries live here.
        rows = [(name, COMMANDS[name][2]) for name in self.list_commands(ctx)]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="inkslop", message="inkslop %(version)s")
def cli() -> None:
    """Write InkSlop video scripts as source files: check, format, estimate, compile, submit."""


def fail(message: str, status: int = 2) -> NoReturn:
    """Print `error: message` on stderr and exit (2: usage, file, configuration, network)."""
    click.echo(f"error: {message}", err=True)
    sys.exit(status)


def main(argv: list[str] | None = None) -> Any:
    """The console entry point: no traceback ever reaches the user."""
    try:
        return cli.main(args=argv, prog_name="inkslop")
    except KeyboardInterrupt:
        click.echo("Interrupted.", err=True)
        sys.exit(130)
    except BrokenPipeError:
        sys.stderr.close()  # the reader went away (`inkslop check | head`): nothing to say
        sys.exit(1)
    except Exception as error:  # noqa: BLE001 - the last line of defence
        click.echo(f"inkslop: internal error ({type(error).__name__}: {error}). "
                   "Please report it with the command that caused it.", err=True)
        sys.exit(2)
