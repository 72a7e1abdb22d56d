"""Handling many scripts on every core, with the output of a serial run.

A command hands `run_all` a function of (source, run) and its sources. Up to
POOL_MIN_SOURCES scripts, or with one job, they are handled in this process: a pool
costs more than it saves for a few files, and `inkslop check FILE` stays as fast as it
can start. Beyond that, worker processes handle the files, and the results come back
in the order of the sources; standard input is always read here.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

POOL_MIN_SOURCES = 32

_handle: Callable[[Any, Any], Any] | None = None
_run: Any = None


def available_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def run_all(handle: Callable[[Any, Any], Any], run: Any, sources: list[Any],
            jobs: int = 0) -> list[Any]:
    """`handle(source, run)` for every source, in order; `jobs` 0 means every core."""
    files = [index for index, source in enumerate(sources) if source.path is not None]
    workers = min(jobs or available_cores(), len(files))
    if workers <= 1 or len(files) <= POOL_MIN_SOURCES:
        return [handle(source, run) for source in sources]
    from concurrent.futures import ProcessPoolExecutor  # loads only for many files

    results: list[Any] = [None] * len(sources)
    with ProcessPoolExecutor(workers, initializer=_start, initargs=(handle, run)) as pool:
        chunk = max(1, len(files) // (workers * 8))
        for index, result in zip(files, pool.map(_in_worker, [sources[i] for i in files],
                                                 chunksize=chunk)):
            results[index] = result
    for index, source in enumerate(sources):
        if source.path is None:
            results[index] = handle(source, run)
    return results


def _start(handle: Callable[[Any, Any], Any], run: Any) -> None:
    global _handle, _run
    _handle, _run = handle, run


def _in_worker(source: Any) -> Any:
    assert _handle is not None
    return _handle(source, _run)
