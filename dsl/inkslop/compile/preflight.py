"""The preflight: what every request that spends credits goes through first.

`submit`, `batch submit`, `batch resume` and the batch runner itself (the library's way to
send) check each script the way `check` does, compile it, estimate it, and then ask
`preflight` whether the whole lot may go:

    checks = [check_script(text, "a.inkslop", settings_for(path))]
    verdict = preflight(checks, Allowance(warnings=False, max_credits=10))
    if not verdict.passed:
        print(verdict.refusals)          # nothing is sent

Errors always refuse. Warnings refuse unless allowed: by the caller (`--allow-warnings`:
all, or some codes) or by each script's configuration (`[submit] allow-warnings = true`,
or a list of codes or prefixes). A script with nothing to narrate is refused (InkSlop
would charge for a silent video): by check's error C006, or here when a project ignores or
lowers it. A budget (`--max-credits`, else the smallest `[submit] max-credits` of the
scripts' configurations) refuses a video, or a batch, whose estimate is over it. Library
code: it returns values; the command line renders them (inkslop.reporters.preflight).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from inkslop.compile.compiler import CompileError, compile_document, request_body
from inkslop.config.settings import Settings, default_settings
from inkslop.estimate.estimator import CREDITS_PER_SECOND, Estimate, estimate_document
from inkslop.lint.checker import check
from inkslop.syntax.diagnostics import ERROR, WARNING, Diagnostic
from inkslop.syntax.parser import parse
from inkslop.syntax.spans import LineIndex
from inkslop.syntax.values import variable_names

NOTHING_TO_NARRATE = ("nothing to narrate: the script sent would hold no narrated text (no "
                      "words inside a `tts` block), and InkSlop would charge for a silent video")
SILENT_RULE = "C006"  # check's own finding for a script with nothing to narrate
_NAMED = 8  # findings named in a refusal; the rest are counted


@dataclass(slots=True)
class ScriptCheck:
    """One script before it is sent: every finding, and when it compiles, its request and
    estimate. `problems` are refusals with no place in the text (unreadable, silent)."""

    source: str
    lines: LineIndex | None
    findings: list[Diagnostic] = field(default_factory=list)
    request: dict[str, Any] | None = None
    seconds: float = 0.0
    credits: float = 0.0
    problems: list[str] = field(default_factory=list)
    allowed: bool | tuple[str, ...] = False  # `[submit] allow-warnings` of its configuration
    max_credits: float | None = None  # `[submit] max-credits` of its configuration
    config: str | None = None  # the configuration file it came from
    variables: set[str] = field(default_factory=set)  # those it defines or uses

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.findings if d.severity == ERROR]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.findings if d.severity == WARNING]


@dataclass(frozen=True, slots=True)
class Allowance:
    """What the caller lets through: warnings (True: all; a tuple: these codes or prefixes)
    and a budget in credits that overrides the configurations' `max-credits`."""

    warnings: bool | tuple[str, ...] = False
    max_credits: float | None = None


@dataclass(slots=True)
class Preflight:
    """The verdict on a submission: `passed`, or the `refusals`, one sentence each."""

    scripts: list[ScriptCheck]
    refusals: list[str]
    budget: float | None
    budget_source: str

    @property
    def passed(self) -> bool:
        return not self.refusals

    @property
    def seconds(self) -> float:
        return sum(s.seconds for s in self.scripts)

    @property
    def credits(self) -> float:
        return sum(s.credits for s in self.scripts)


def check_script(text: str, source: str, settings: Settings | None = None,
                 values: dict[str, Any] | None = None) -> ScriptCheck:
    """Check, compile and estimate one script (with `values` for its variables)."""
    settings = settings or default_settings()
    document = parse(text, settings.schema)
    result = ScriptCheck(source, document.lines, check(document, settings),
                         allowed=settings.allow_warnings, max_credits=settings.max_credits,
                         config=str(settings.path) if settings.path else None,
                         variables=variable_names(document))
    try:
        script = compile_document(document, values, settings)
    except CompileError as error:  # errors a value brings (a data row's), beyond check's
        result.findings = _merged(result.findings, error.diagnostics)
        return result
    # It compiled, so every variable has a value: check's V001 (no value in `[vars]`) is moot.
    result.findings = [d for d in result.findings if d.code != "V001"]
    estimate = estimate_document(document, settings, values)
    if not _narrates(estimate, settings):
        if SILENT_RULE not in {d.code for d in result.errors}:  # ignored, or made a warning
            result.problems.append(NOTHING_TO_NARRATE)
        return result
    try:
        result.request = request_body(document, script, values,
                                      estimated_duration=estimate.estimated_duration)
    except CompileError as error:  # a variable of the front matter without a value
        result.findings = _merged(result.findings, error.diagnostics)
        return result
    except ValueError as error:  # the request's own validation (pydantic's)
        result.problems.append(f"the request cannot be made: {_first_problem(error)}")
        return result
    result.seconds = estimate.estimated_duration
    result.credits = estimate.estimated_duration * _rate(settings)
    return result


def unreadable(source: str, message: str) -> ScriptCheck:
    """A script that could not even be read (or configured): refused with `message`."""
    return ScriptCheck(source, None, problems=[message])


def preflight(scripts: list[ScriptCheck], allowance: Allowance = Allowance()) -> Preflight:
    """May these scripts be sent, as one submission? Every reason why not, in order:
    errors, problems, warnings not allowed, the budget."""
    refusals = []
    errors = [(s, d) for s in scripts for d in s.errors]
    if errors:
        refusals.append(f"{_count(len(errors), 'error')} ({_named(errors)}): a script with "
                        "an error is never sent; fix it first.")
    refusals += [f"{s.source}: {problem.rstrip('.')}." for s in scripts for problem in s.problems]
    blocked = [(s, d) for s in scripts for d in s.warnings
               if not _allowed(d.code, allowance.warnings, s.allowed)]
    if blocked:
        codes = ", ".join(f'"{c}"' for c in sorted({d.code for _, d in blocked}))
        refusals.append(f"{_count(len(blocked), 'warning')} not allowed ({_named(blocked)}). "
                        "To send anyway: --allow-warnings, or in the configuration "
                        f"`[submit] allow-warnings = true` (or only these: "
                        f"`allow-warnings = [{codes}]`).")
    budget, source = _budget(scripts, allowance)
    total = sum(s.credits for s in scripts)
    if budget is not None and total > budget:
        what = f"{scripts[0].source} is" if len(scripts) == 1 else \
            f"the {len(scripts)} videos are"
        refusals.append(f"over budget: {what} estimated at {total:.2f} credits, more than the "
                        f"{budget:g} allowed by {source}.")
    return Preflight(scripts, refusals, budget, source)


def _budget(scripts: list[ScriptCheck], allowance: Allowance) -> tuple[float | None, str]:
    if allowance.max_credits is not None:
        return allowance.max_credits, "--max-credits"
    configured = [s for s in scripts if s.max_credits is not None]
    if not configured:
        return None, ""
    tightest = min(configured, key=lambda s: s.max_credits or 0.0)
    return tightest.max_credits, f"`[submit] max-credits` in {tightest.config}"


def _allowed(code: str, *allowances: bool | tuple[str, ...]) -> bool:
    return any(a is True or (isinstance(a, tuple) and any(code.startswith(c) for c in a))
               for a in allowances)


def _named(found: list[tuple[ScriptCheck, Diagnostic]]) -> str:
    names = [f"{s.source}:{d.span.line}:{d.span.column} {d.code}" for s, d in found[:_NAMED]]
    more = len(found) - _NAMED
    return ", ".join(names) + (f" and {more} more" if more > 0 else "")


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def _merged(found: list[Diagnostic], compiled: list[Diagnostic]) -> list[Diagnostic]:
    """Check's findings with compile's errors. Where both report one thing (V001 at one
    place), check's wording stays (it says "did you mean") with compile's severity: check
    may call it a warning, but the script does not compile, so it must refuse."""
    severity = {(d.code, d.span.start, d.span.end): d.severity for d in compiled}
    kept = [replace(d, severity=severity.pop((d.code, d.span.start, d.span.end), d.severity))
            for d in found]
    extra = [d for d in compiled if (d.code, d.span.start, d.span.end) in severity]
    return sorted([*kept, *extra], key=lambda d: d.sort_key)


def _narrates(estimate: Estimate, settings: Settings) -> bool:
    narrated = {name for name, spec in settings.schema.tags.items() if spec.narrated}
    return any(b.spoken.strip() for b in estimate.blocks if b.tag in narrated)


def _first_problem(error: ValueError) -> str:
    problems = getattr(error, "errors", None)  # pydantic's ValidationError
    if callable(problems):
        first = problems()[0]
        where = ".".join(str(p) for p in first["loc"])
        return f"{where}: {first['msg']}" if where else str(first["msg"])
    return str(error)


def _rate(settings: Settings) -> float:
    return CREDITS_PER_SECOND if settings.credit_rate is None else settings.credit_rate
