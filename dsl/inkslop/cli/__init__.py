"""The `inkslop` command. Subcommands load lazily, so `inkslop check` imports only
what checking needs (it runs on every commit through pre-commit); and a plain
`inkslop check FILES` or `inkslop fmt FILES` does not even load click
(inkslop.cli.plain_arguments)."""

from __future__ import annotations

import sys
from typing import Any, NoReturn

from inkslop.cli.output import echo

COMMANDS = {
    "check": ("inkslop.cli.check_command", "check", "Report problems in scripts."),
    "compile": ("inkslop.cli.compile_command", "compile_", ("Compile a script into what InkSlop "
                "receives.")),
    "estimate": ("inkslop.cli.estimate_command", "estimate", "Estimate durations and credits."),
    "fmt": ("inkslop.cli.fmt_command", "fmt", "Format scripts in the canonical style."),
    "lsp": ("inkslop.cli.lsp_command", "lsp", "Run the language server for editors (stdio)."),
    "rule": ("inkslop.cli.rule_command", "rule", "Explain a rule, or list them all."),
    "auth": ("inkslop.cli.auth_command", "auth", "Save, remove or show the API key."),
    "videos": ("inkslop.cli.api_commands", "videos", "List, inspect and download your videos."),
    "publish": ("inkslop.cli.api_commands", "publish", "Publish a finished video to a channel."),
    "keys": ("inkslop.cli.api_commands", "keys", "List, create or revoke API keys."),
    "channels": ("inkslop.cli.api_commands", "channels", "List your connected channels."),
    "meta": ("inkslop.cli.api_commands", "meta", ("Have InkSlop write a title, description "
             "and tags for a script.")),
    "sandbox": ("inkslop.cli.sandbox_command", "sandbox", "Run a local emulator of the InkSlop API."),
    "submit": ("inkslop.cli.submit_command", "submit", ("Send a script to InkSlop and wait for "
               "its video.")),
    "batch": ("inkslop.cli.batch_command", "batch", ("Send many videos exactly once, through a "
              "journal that survives crashes.")),
    "speak": ("inkslop.cli.speak_command", "speak", ("Hear a script before paying: its narration "
              "with the local Kokoro engine, and subtitles.")),
    "demo": ("inkslop.cli.demo_command", "demo", ("Run an example script through check, fmt, "
             "estimate and submit, against a local sandbox.")),
}


def fail(message: str, status: int = 2) -> NoReturn:
    """Print `error: message` on stderr and exit (2: usage, file, configuration, network)."""
    echo(f"error: {message}", err=True)
    sys.exit(status)


def main(argv: list[str] | None = None) -> Any:
    """The console entry point: no traceback ever reaches the user."""
    args = sys.argv[1:] if argv is None else list(argv)
    try:
        from inkslop.cli.plain_arguments import plain_arguments, run_plain  # see the module

        plain = plain_arguments(args)
        if plain is not None:
            sys.exit(run_plain(*plain))
        from inkslop.cli.group import cli

        return cli.main(args=args, prog_name="inkslop")
    except KeyboardInterrupt:
        echo("Interrupted.", err=True)
        sys.exit(130)
    except BrokenPipeError:
        sys.stderr.close()  # the reader went away (`inkslop check | head`): nothing to say
        sys.exit(1)
    except Exception as error:  # noqa: BLE001 - the last line of defence
        echo(f"inkslop: internal error ({type(error).__name__}: {error}). "
             "Please report it with the command that caused it.", err=True)
        sys.exit(2)


def __getattr__(name: str) -> Any:
    # `from inkslop.cli import cli`: the click group, loaded when asked for.
    if name == "cli":
        from inkslop.cli.group import cli

        return cli
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
