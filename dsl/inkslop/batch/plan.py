"""Turn scripts (files, or a template and rows of data) into the requests of a batch.

Each video is compiled and estimated before anything is sent: a batch with a
script that has errors is refused whole, with every error, and nothing is
spent. Each video gets a name unique in the batch (its front matter's
`video_name`, else the file's stem, numbered when two are alike), because a
lost `POST /videos` is found again by that name (see journal.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from inkslop.batch.journal import PlannedVideo
from inkslop.compile.compiler import CompileError, compile_document, request_body
from inkslop.config.loader import settings_for
from inkslop.estimate.estimator import estimate_document
from inkslop.syntax.diagnostics import Diagnostic
from inkslop.syntax.parser import parse
from inkslop.syntax.spans import LineIndex


@dataclass(slots=True)
class Problem:
    """A script that cannot be sent: where, and why."""

    source: str
    lines: LineIndex | None = None
    diagnostics: list[Diagnostic] = field(default_factory=list)
    message: str = ""


class PlanError(Exception):
    """Some scripts cannot be sent; nothing of the batch was."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__(f"{len(problems)} script(s) cannot be sent")


def plan_video(text: str, source: str, where: Path, values: dict[str, Any] | None = None,
               publish: dict[str, Any] | None = None, default_name: str = "") -> PlannedVideo:
    """One video's request: compiled, estimated, its publish settings from the front matter
    unless `publish` is given. CompileError when the script has errors."""
    settings = settings_for(where.resolve())
    document = parse(text, settings.schema)
    script = compile_document(document, values, settings)
    duration = estimate_document(document, settings, values).estimated_duration
    request = request_body(document, script, values, estimated_duration=duration)
    if publish:
        request["publish"] = publish
    name = request.get("video_name") or default_name or where.stem
    request["video_name"] = name
    return PlannedVideo(source, name, request)


def plan_files(paths: list[Path], read: Any, publish: dict[str, Any] | None = None,
               values: dict[str, Any] | None = None) -> list[PlannedVideo]:
    """Every file's video, or PlanError listing every script that cannot be sent."""
    planned, problems = [], []
    for path in paths:
        try:
            text = read(path)
            planned.append(plan_video(text, str(path), path, values, publish))
        except CompileError as error:
            problems.append(Problem(str(path), parse(text).lines, error.diagnostics))
        except Exception as error:  # noqa: BLE001 - a file that cannot be read or configured
            problems.append(Problem(str(path), message=str(error)))
    return _checked(planned, problems)


def plan_template(path: Path, text: str, rows: list[dict[str, Any]],
                  publish: dict[str, Any] | None = None,
                  given: dict[str, Any] | None = None) -> list[PlannedVideo]:
    """One video per data row of a template, or PlanError listing every row that fails."""
    planned, problems = [], []
    for number, row in enumerate(rows, start=1):
        source = f"{path} (row {number})"
        values = {**row, **(given or {})}
        try:
            planned.append(plan_video(text, source, path, values, publish,
                                      default_name=f"{path.stem}-{number}"))
        except CompileError as error:
            problems.append(Problem(source, parse(text).lines, error.diagnostics))
    return _checked(planned, problems)


def _checked(planned: list[PlannedVideo], problems: list[Problem]) -> list[PlannedVideo]:
    if problems:
        raise PlanError(problems)
    return unique_names(planned)


def unique_names(planned: list[PlannedVideo]) -> list[PlannedVideo]:
    """Number the names that repeat (`name`, `name-2`, `name-3`...), in order."""
    taken: set[str] = set()
    for video in planned:
        name, number = video.video_name, 1
        while name in taken:
            number += 1
            name = f"{video.video_name}-{number}"
        taken.add(name)
        video.video_name = name
        video.request["video_name"] = name
    return planned
