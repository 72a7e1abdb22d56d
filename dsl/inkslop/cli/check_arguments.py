"""`inkslop check`'s usual arguments, parsed without click.

pre-commit runs `inkslop check --color never FILES` on every commit, and loading click
is a third of that command's start-up. So the arguments of a plain check (paths and the
options below) are parsed here, and anything else (help, a bad value, an option not
listed, an environment variable that sets one) is left to click, which then reports it
as always. What is accepted here gives exactly the parameters click would give
(tests/cli/test_check_arguments.py compares the two on generated command lines).
"""

from __future__ import annotations

import os
from typing import Any

from inkslop.files import MAX_FILE_BYTES
from inkslop.lint.selectors import check_selectors
from inkslop.reporters import FORMATS
from inkslop.reporters.text import MAX_FINDINGS

COLORS = ("auto", "always", "never")
_FLAGS = {"--fix": "apply_fixes", "--unsafe-fixes": "unsafe_fixes", "--no-cache": "no_cache"}
_CHOICES = {"--color": ("color", COLORS), "--output-format": ("output_format", FORMATS)}
_REPEATED = {"--select": "select", "--ignore": "ignore"}
_TEXT = {"--stdin-filename": "stdin_filename", "--config": "config_path"}
# Read by click from the environment when its option is not given: left to click.
_ENVIRONMENT = ("INKSLOP_MAX_FILE_SIZE",)


def plain_check(args: list[str]) -> dict[str, Any] | None:
    """The parameters of `check` for these arguments (the command name first), as click
    would pass them; None when click must parse them."""
    if not args or args[0] != "check" or any(name in os.environ for name in _ENVIRONMENT):
        return None
    params: dict[str, Any] = {
        "output_format": "text", "apply_fixes": False, "unsafe_fixes": False,
        "stdin_filename": None, "config_path": None, "color": "auto",
        "max_findings": MAX_FINDINGS, "max_file_mb": MAX_FILE_BYTES / 1024 / 1024,
        "no_cache": False, "jobs": 0}
    paths: list[str] = []
    repeated: dict[str, list[str]] = {"select": [], "ignore": []}
    rest = iter(args[1:])
    for arg in rest:
        if arg == "-" or not arg.startswith("-"):
            paths.append(arg)
            continue
        option, equals, value = arg.partition("=")
        if option in _FLAGS and not equals:
            params[_FLAGS[option]] = True
            continue
        if not equals:
            value = next(rest, None)
            if value is None or value.startswith("-"):  # click's cases, and its messages
                return None
        if option in _CHOICES and value in _CHOICES[option][1]:
            params[_CHOICES[option][0]] = value
        elif option in _REPEATED:
            repeated[_REPEATED[option]].append(value)
        elif option in _TEXT:
            params[_TEXT[option]] = value
        else:
            return None
    params.update(paths=tuple(paths), select=tuple(repeated["select"]),
                  ignore=tuple(repeated["ignore"]))
    return params if _valid(params) else None


def _valid(params: dict[str, Any]) -> bool:
    """What click's types and the command check before it runs: readable paths, an
    existing `--config` file, known rule codes."""
    from inkslop.cli.check_run import rule_codes

    config = params["config_path"]
    if config is not None and not (os.path.isfile(config) and os.access(config, os.R_OK)):
        return False
    if any(os.path.exists(path) and not os.access(path, os.R_OK) for path in params["paths"]):
        return False
    return not check_selectors(rule_codes(params["select"]) + rule_codes(params["ignore"]))
