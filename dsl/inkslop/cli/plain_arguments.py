"""The usual arguments of `inkslop check` and `inkslop fmt`, parsed without click.

pre-commit runs `inkslop check --color never FILES` and `inkslop fmt FILES` on every
commit, and loading click is a third of such a command's start-up. So their usual
arguments (paths and the options below) are parsed here, and anything else (help, a
bad value, an option not listed, an environment variable that sets one) is left to
click, which then reports it as always. What is accepted here gives exactly the
parameters click would give (tests/cli/test_plain_arguments.py compares the two on
generated command lines).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any

from inkslop.files import MAX_FILE_BYTES

_SHARED_DEFAULTS = {"stdin_filename": None, "config_path": None,
                    "max_file_mb": MAX_FILE_BYTES / 1024 / 1024, "jobs": 0}
_TEXT = {"--stdin-filename": "stdin_filename", "--config": "config_path"}
# Read by click from the environment when its option is not given: left to click.
_ENVIRONMENT = ("INKSLOP_MAX_FILE_SIZE",)


@dataclass(frozen=True)
class Grammar:
    """A command's options that are parsed here, by kind, and the parameters' defaults."""

    defaults: dict[str, Any]
    flags: dict[str, str] = field(default_factory=dict)
    choices: dict[str, tuple[str, tuple[str, ...]]] = field(default_factory=dict)
    repeated: dict[str, str] = field(default_factory=dict)


def _grammar(command: str) -> Grammar | None:
    if command == "check":
        from inkslop.reporters import FORMATS
        from inkslop.reporters.text import MAX_FINDINGS

        return Grammar(
            {**_SHARED_DEFAULTS, "output_format": "text", "apply_fixes": False,
             "unsafe_fixes": False, "color": "auto", "max_findings": MAX_FINDINGS,
             "no_cache": False},
            flags={"--fix": "apply_fixes", "--unsafe-fixes": "unsafe_fixes",
                   "--no-cache": "no_cache"},
            choices={"--color": ("color", ("auto", "always", "never")),
                     "--output-format": ("output_format", FORMATS)},
            repeated={"--select": "select", "--ignore": "ignore"})
    if command == "fmt":
        return Grammar({**_SHARED_DEFAULTS, "check_only": False, "show_diff": False},
                       flags={"--check": "check_only", "--diff": "show_diff"})
    return None


def plain_arguments(args: list[str]) -> tuple[str, dict[str, Any]] | None:
    """The command (`check` or `fmt`) and its parameters for these arguments (the command
    name first), as click would pass them; None when click must parse them."""
    grammar = _grammar(args[0]) if args else None
    if grammar is None or any(name in os.environ for name in _ENVIRONMENT):
        return None
    params = dict(grammar.defaults)
    paths: list[str] = []
    repeated: dict[str, list[str]] = {name: [] for name in grammar.repeated.values()}
    rest = iter(args[1:])
    for arg in rest:
        if arg == "-" or not arg.startswith("-"):
            paths.append(arg)
            continue
        option, equals, value = arg.partition("=")
        if option in grammar.flags and not equals:
            params[grammar.flags[option]] = True
            continue
        if not equals:
            value = next(rest, None)
            if value is None or value.startswith("-"):  # click's cases, and its messages
                return None
        if option in grammar.choices and value in grammar.choices[option][1]:
            params[grammar.choices[option][0]] = value
        elif option in grammar.repeated:
            repeated[grammar.repeated[option]].append(value)
        elif option in _TEXT:
            params[_TEXT[option]] = value
        else:
            return None
    params.update(paths=tuple(paths), **{name: tuple(v) for name, v in repeated.items()})
    return (args[0], params) if _valid(params) else None


def _valid(params: dict[str, Any]) -> bool:
    """What click's types and the command check before it runs: readable paths, an
    existing `--config` file, known rule codes."""
    config = params["config_path"]
    if config is not None and not (os.path.isfile(config) and os.access(config, os.R_OK)):
        return False
    if any(os.path.exists(path) and not os.access(path, os.R_OK) for path in params["paths"]):
        return False
    if "select" not in params:
        return True
    from inkslop.cli.check_run import rule_codes
    from inkslop.lint.selectors import check_selectors

    return not check_selectors(rule_codes(params["select"]) + rule_codes(params["ignore"]))


def run_plain(command: str, params: dict[str, Any]) -> int:
    """Run a command whose arguments were parsed here; its exit status."""
    if command == "check":
        from inkslop.cli.check_run import run_check

        return run_check(**params)
    from inkslop.cli.fmt_run import run_fmt

    return run_fmt(**params)
