"""What `inkslop check` does, once its arguments are parsed (by click in
inkslop.cli.check_command, or without it by inkslop.cli.plain_arguments).

Each script is handled on its own (`check_source`): read, settings found, checked (or
its results taken from the cache), fixed and written back with `--fix`. A script that
cannot be handled is one line of trouble, and the run goes on. Many scripts are spread
over every core (inkslop.cli.workers); the output is the same, in the same order.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field

from inkslop.cli.inputs import InputError, Reader, Source, open_inputs
from inkslop.cli.output import echo, exit_status
from inkslop.cli.workers import run_all
from inkslop.files import SourceError, replace_source
from inkslop.reporters import FileReport, render
from inkslop.syntax.bom import without_bom
from inkslop.syntax.spans import LineIndex

CACHE_MIN_FILES = 2  # one small script checks faster than the cache loads


@dataclass(slots=True)
class CheckRun:
    """What checking one script needs, the same in every worker process."""

    reader: Reader
    selected: tuple[str, ...] = ()
    ignored: tuple[str, ...] = ()
    apply_fixes: bool = False
    unsafe_fixes: bool = False
    use_cache: bool = False
    _cache: object = field(default=None, repr=False)

    def cache(self):  # type: ignore[no-untyped-def]
        """The cache of results, opened on first use (its imports cost more than checking
        one small script, so a run of one file does not use it)."""
        if not self.use_cache or self.apply_fixes:
            return None
        if self._cache is None:
            from inkslop.cli.result_cache import ResultCache, default_directory  # see above

            self._cache = ResultCache(default_directory())
        return self._cache


@dataclass(slots=True)
class Outcome:
    """What checking one script gave: a report, or the reason it could not be handled;
    with `--fix` on standard input, the fixed text (printed instead of written)."""

    report: FileReport | None = None
    error: str | None = None
    stdout: str | None = None


def rule_codes(values: tuple[str, ...]) -> tuple[str, ...]:
    """`--select`/`--ignore` values as codes: comma-separated, any case."""
    return tuple(c.strip().upper() for v in values for c in v.split(",") if c.strip())


def run_check(paths: tuple[str, ...], output_format: str, select: tuple[str, ...],
              ignore: tuple[str, ...], apply_fixes: bool, unsafe_fixes: bool,
              stdin_filename: str | None, config_path: str | None, color: str,
              max_findings: int, max_file_mb: float, no_cache: bool, jobs: int) -> int:
    """Check (and fix) the scripts, print the results; the exit status. The rule codes
    are known to be valid (check_selectors)."""
    selected, ignored = rule_codes(select), rule_codes(ignore)
    reader, sources, trouble = open_inputs(paths, stdin_filename, config_path, max_file_mb)
    files = sum(source.path is not None for source in sources)
    run = CheckRun(reader, selected, ignored, apply_fixes or unsafe_fixes, unsafe_fixes,
                   use_cache=not no_cache and files >= CACHE_MIN_FILES)
    outcomes = _outcomes(run, sources, jobs)
    return _print_results(outcomes, trouble, output_format, color, max_findings)


def _outcomes(run: CheckRun, sources: list[Source], jobs: int) -> list[Outcome]:
    """Every source's outcome, in order. With the cache, a file known clean (unchanged,
    same settings) is not even read; the others are checked, on every core."""
    cache = run.cache()
    if cache is None:
        return run_all(check_source, run, sources, jobs)
    from inkslop.cli.result_cache import CleanFiles  # loaded with the cache itself

    clean = CleanFiles(cache)
    signatures = [_signature(clean, run, source) for source in sources]
    pending = [i for i, source in enumerate(sources)
               if not clean.is_clean(source.path, signatures[i])]
    outcomes = [Outcome(FileReport(source.name, _NO_LINES, [])) for source in sources]
    for i, outcome in zip(pending, run_all(check_source, run, [sources[i] for i in pending],
                                           jobs)):
        outcomes[i] = outcome
        if sources[i].path is not None:
            found_clean = outcome.error is None and outcome.report is not None \
                and not outcome.report.diagnostics
            clean.record(sources[i].path, signatures[i], found_clean)
    clean.save()
    return outcomes


_NO_LINES = LineIndex("")  # a clean file's report shows none of its lines


def _signature(clean, run: CheckRun, source: Source):  # type: ignore[no-untyped-def]
    """The status and settings under which a file would be known clean (taken before it is
    read), or None: standard input, or a file whose settings cannot be had."""
    if source.path is None:
        return None
    try:
        settings = run.reader.settings(source)
    except InputError:
        return None
    return clean.signature(source.path, settings.with_selection(run.selected or None,
                                                                 run.ignored))


def check_source(source: Source, run: CheckRun) -> Outcome:
    """Check one script (and fix it with --fix); never raises for a bad file."""
    try:
        script = run.reader.read(source)
    except InputError as error:
        return Outcome(error=str(error))
    settings = script.settings.with_selection(run.selected or None, run.ignored)
    if run.apply_fixes:
        return _fixed(source, script.text, settings, run.unsafe_fixes)
    return Outcome(FileReport(source.name, *_checked(script.text, settings, run.cache())))


def _checked(text: str, settings, cache):  # type: ignore[no-untyped-def]
    """The line index and diagnostics of a text, from the cache when it has them."""
    # The parser and the checker load only for a script the cache does not hold.
    from inkslop.lint.checker import check as check_document
    from inkslop.syntax.parser import parse

    key = cache.key(text, settings) if cache is not None else None
    found = cache.get(key) if key is not None else None
    if found is not None:
        return LineIndex(without_bom(text)), found
    document = parse(text, settings.schema)
    diagnostics = check_document(document, settings)
    if key is not None:
        cache.put(key, diagnostics)
    return document.lines, diagnostics


def _fixed(source: Source, text: str, settings, unsafe: bool) -> Outcome:  # type: ignore[no-untyped-def]
    from inkslop.lint.checker import fix  # like the checker in _checked: loaded when needed

    result = fix(text, settings, unsafe=unsafe)
    if source.path is not None and result.text != text:
        try:
            replace_source(source.path, result.text)
        except SourceError as error:  # not fixed: its findings are still there to show
            report = FileReport(source.name, *_checked(text, settings, None))
            return Outcome(report, error=f"{source.name}: {error.message}")
    # The fixer checked the text it returns: report that, without parsing it again.
    report = FileReport(source.name, LineIndex(without_bom(result.text)), result.remaining,
                        result.applied)
    return Outcome(report, stdout=result.text if source.path is None else None)


def _print_results(outcomes: list[Outcome], trouble: list[str], output_format: str, color: str,
                   max_findings: int) -> int:
    reports = [o.report for o in outcomes if o.report is not None]
    for outcome in outcomes:
        if outcome.stdout is not None:
            sys.stdout.write(outcome.stdout)  # stdin in, the script (fixed or not) out
        if outcome.error and outcome.error not in trouble:  # once per broken configuration
            trouble.append(outcome.error)
    use_color = color == "always" or color == "auto" and _terminal_wants_color()
    # With --fix on stdin, stdout carries the fixed script; the report goes to stderr.
    to_stderr = any(o.stdout is not None for o in outcomes)
    echo(render(output_format, reports, color=use_color, max_findings=max_findings or None),
         nl=False, err=to_stderr, color=use_color)
    for message in trouble:
        echo(f"error: {message}", err=True)
    errors = any(d.severity == "error" for r in reports for d in r.diagnostics)
    return exit_status(trouble=bool(trouble), findings=errors)


def _terminal_wants_color() -> bool:
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return sys.stdout.isatty()
