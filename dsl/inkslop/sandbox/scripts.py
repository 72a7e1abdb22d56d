"""What the sandbox reads in a submitted script, with the project's own parser, checker and
estimator: the errors that refuse it, the seconds it runs, the words it narrates.

Beyond the checker's errors, the sandbox refuses toolkit syntax (front matter, comments,
variables): it is compiled away before a script is sent, so finding it in a request means a
client sent the source instead of `inkslop compile`'s output. InkSlop itself may not refuse
it; the sandbox does so that the mistake shows up here rather than in a rendered video.
"""

from __future__ import annotations

from dataclasses import dataclass

from inkslop.estimate.estimator import estimate_document
from inkslop.lint.checker import check
from inkslop.schema.spec import default_schema
from inkslop.syntax.ast import Block, Comment, Document, narrated_text, walk
from inkslop.syntax.diagnostics import ERROR
from inkslop.syntax.parser import parse

MAX_LISTED = 5


@dataclass(frozen=True)
class ScriptReport:
    """What the sandbox reads in a script: why InkSlop would refuse it, how long it runs."""

    problems: list[str]  # one line each, each naming its line and column
    seconds: float  # the estimator's duration: what completion charges for


def examine_script(script: str) -> ScriptReport:
    """Check and time `script`, parsing it once. A refused script is not timed."""
    document = parse(script)
    problems = [f"line {line}, column {column}: {message}"
                for line, column, message in _toolkit_syntax(document)]
    problems += [f"line {d.span.line}, column {d.span.column}: {d.message} ({d.code})"
                 for d in check(document) if d.severity == ERROR]
    seconds = 0.0 if problems else estimate_document(document).seconds
    return ScriptReport(problems, seconds)


def problems_detail(problems: list[str]) -> str:
    """The 400 detail for a refused script: the first few problems, and how many more."""
    shown = "; ".join(problems[:MAX_LISTED])
    more = len(problems) - MAX_LISTED
    return f"Invalid script: {shown}" + (f"; and {more} more" if more > 0 else "")


def _toolkit_syntax(document: Document) -> list[tuple[int, int, str]]:
    found: list[tuple[int, int, str]] = []
    compile_it = "toolkit syntax that InkSlop never receives: send the compiled script " \
        "(`inkslop compile`)"
    if document.front_matter is not None:
        found.append((1, 1, f"front matter (`+++`) is {compile_it}"))
    for node in walk(document):
        if isinstance(node, Comment):
            found.append((node.span.line, node.span.column, f"a comment is {compile_it}"))
    for variable in document.variables():
        found.append((variable.span.line, variable.span.column,
                      f"the variable `{{{{ {variable.name} }}}}` is {compile_it}"))
    return sorted(found)


def narration(script: str) -> str:
    """The words the script narrates, block after block."""
    narrated = {name for name, spec in default_schema().tags.items() if spec.narrated}
    document = parse(script)
    parts = [narrated_text(node) for node in walk(document)
             if isinstance(node, Block) and node.name in narrated]
    return " ".join(" ".join(part.split()) for part in parts if part.strip())
