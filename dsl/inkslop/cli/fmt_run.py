"""What `inkslop fmt` does, once its arguments are parsed (by click in
inkslop.cli.fmt_command, or without it by inkslop.cli.plain_arguments).

Each script is handled on its own (`format_source`): read, formatted, written back (or
compared, with --check and --diff). A script that cannot be handled (unreadable, read-
only, a disk that is full, syntax errors) is reported and the run goes on; the files
are only ever replaced whole (inkslop.files.replace_source), never left half-written.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from difflib import unified_diff

from inkslop.cli.inputs import InputError, Reader, Source, open_inputs
from inkslop.cli.output import echo, exit_status
from inkslop.cli.workers import run_all
from inkslop.files import SourceError, replace_source
from inkslop.format.formatter import FormatError, format_text
from inkslop.reporters import FileReport, render
from inkslop.reporters.text import MAX_FINDINGS
from inkslop.syntax.bom import split_bom
from inkslop.syntax.spans import LineIndex


@dataclass(frozen=True, slots=True)
class FormatRun:
    """What formatting one script needs, the same in every worker process."""

    reader: Reader
    write: bool  # False with --check or --diff
    diff: bool


@dataclass(frozen=True, slots=True)
class Outcome:
    """What became of one script. `changed`: its canonical form differs; `refused`: it
    has syntax errors (`report` shows them); `error`: it could not be handled."""

    name: str
    changed: bool = False
    refused: bool = False
    error: str | None = None
    report: str = ""  # the syntax errors, as text, or the diff
    stdout: str | None = None  # for standard input: the formatted script
    from_stdin: bool = False


def run_fmt(paths: tuple[str, ...], check_only: bool, show_diff: bool,
            stdin_filename: str | None, config_path: str | None, max_file_mb: float,
            jobs: int) -> int:
    """Format (or compare) the scripts, print what became of them; the exit status."""
    reader, sources, trouble = open_inputs(paths, stdin_filename, config_path, max_file_mb)
    dry = check_only or show_diff
    outcomes = run_all(format_source, FormatRun(reader, not dry, show_diff), sources, jobs)
    for message in trouble:
        echo(f"error: {message}", err=True)
    _print_outcomes(outcomes, show_diff)
    _summarise(outcomes, dry)
    failed = bool(trouble) or any(o.error or o.refused for o in outcomes)
    return exit_status(trouble=failed, findings=dry and any(o.changed for o in outcomes))


def format_source(source: Source, run: FormatRun) -> Outcome:
    """Format one script (and write it back unless dry); never raises for a bad file."""
    stdin = source.path is None
    try:
        script = run.reader.read(source)
    except InputError as error:
        return Outcome(source.name, error=str(error), from_stdin=stdin)
    bom, text = split_bom(script.text)
    try:
        new = format_text(text, script.settings)
    except FormatError as error:
        return Outcome(source.name, refused=True, report=_syntax_errors(source.name, text, error),
                       from_stdin=stdin)
    changed = new != text
    diff = _diff(text, new, source.name) if run.diff and changed else ""
    if stdin:  # the script goes to standard output
        return Outcome(source.name, changed, report=diff, stdout=new if run.write else None,
                       from_stdin=True)
    if changed and run.write:
        try:
            replace_source(source.path, bom + new)
        except SourceError as error:
            return Outcome(source.name, error=f"{source.name}: {error.message}")
    return Outcome(source.name, changed, report=diff)


def _syntax_errors(name: str, text: str, error) -> str:  # type: ignore[no-untyped-def]
    return render("text", [FileReport(name, LineIndex(text), error.diagnostics)],
                  max_findings=MAX_FINDINGS)


def _print_outcomes(outcomes: list[Outcome], show_diff: bool) -> None:
    for outcome in outcomes:
        if outcome.stdout is not None:
            sys.stdout.write(outcome.stdout)
        if outcome.refused:
            echo(outcome.report, nl=False, err=True)
            echo(f"error: {outcome.name}: not formatted: fix the syntax errors first",
                       err=True)
        elif outcome.error:
            echo(f"error: {outcome.error}", err=True)
        elif show_diff and outcome.report:
            echo(outcome.report, nl=False)


def _diff(old: str, new: str, name: str) -> str:
    lines = unified_diff(old.splitlines(keepends=True), new.splitlines(keepends=True),
                         fromfile=f"a/{name}", tofile=f"b/{name}")
    return "".join(line if line.endswith("\n") else line + "\n" for line in lines)


def _summarise(outcomes: list[Outcome], dry: bool) -> None:
    """`N files reformatted, M left unchanged`, with the refused and failed ones counted
    apart. Standard input counts only with --check or --diff: otherwise its result is the
    output itself (and an editor piping a buffer through wants nothing more)."""
    files = [o for o in outcomes if dry or not o.from_stdin]
    changed = [o.name for o in files if o.changed]
    if dry:
        for name in changed:
            echo(f"Would reformat: {name}", err=True)
    refused = sum(o.refused for o in files)
    failed = sum(o.error is not None for o in files)
    if not files:
        return
    left = len(files) - len(changed) - refused - failed
    verb = "would be reformatted" if dry else "reformatted"
    tail = f", {refused} not formatted (syntax errors)" if refused else ""
    tail += f", {failed} could not be handled" if failed else ""
    echo(f"{len(changed)} file{'s' * (len(changed) != 1)} {verb}, {left} left "
               f"unchanged{tail}.", err=True)
