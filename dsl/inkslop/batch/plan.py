"""Turn scripts (files, or a template and rows of data) into the requests of a batch.

Each script goes through the preflight's check (inkslop.compile.preflight): every finding,
the request when it compiles, the estimate. The caller asks `preflight` for the verdict and
shows it before anything is sent. Each video gets a name unique in the batch (its front
matter's `video_name`, else the file's stem, numbered when two are alike), because a lost
`POST /videos` is found again by that name (see journal.py).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from inkslop.batch.journal import PlannedVideo
from inkslop.compile.preflight import ScriptCheck, check_script, unreadable
from inkslop.config.loader import ConfigError, settings_for
from inkslop.files import SourceError


@dataclass(slots=True)
class Plan:
    """The videos that may be sent (those that compiled) and every script's check."""

    videos: list[PlannedVideo] = field(default_factory=list)
    checks: list[ScriptCheck] = field(default_factory=list)

    def add(self, checked: ScriptCheck, path: Path | None, default_name: str,
            publish: dict[str, Any] | None) -> None:
        self.checks.append(checked)
        if checked.request is None:
            return
        request = dict(checked.request)
        if publish:
            request["publish"] = publish
        request["video_name"] = request.get("video_name") or default_name
        self.videos.append(PlannedVideo(checked.source, request["video_name"], request,
                                        path=str(path.resolve()) if path else None))


def plan_files(paths: list[Path], read: Callable[[Path], str],
               publish: dict[str, Any] | None = None,
               values: dict[str, Any] | None = None) -> Plan:
    """Every file's check, and the videos of those that compile."""
    plan = Plan()
    for path in paths:
        try:
            text = read(path)
            settings = settings_for(path.resolve())
        except (SourceError, OSError, ConfigError) as error:
            plan.checks.append(unreadable(str(path), str(error)))
            continue
        plan.add(check_script(text, str(path), settings, values), path, path.stem, publish)
    unique_names(plan.videos)
    return plan


def plan_template(path: Path, text: str, rows: list[dict[str, Any]],
                  publish: dict[str, Any] | None = None,
                  given: dict[str, Any] | None = None) -> Plan:
    """One video per data row of a template (the row's values, then `given`)."""
    plan = Plan()
    settings = settings_for(path.resolve())
    for number, row in enumerate(rows, start=1):
        values = {**row, **(given or {})}
        checked = check_script(text, f"{path} (row {number})", settings, values)
        plan.add(checked, path, f"{path.stem}-{number}", publish)
    unique_names(plan.videos)
    return plan


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
