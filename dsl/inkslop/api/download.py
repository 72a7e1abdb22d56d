"""Downloading a finished video: streamed to `TARGET.part` beside the target, resumed with
an HTTP Range request when the connection breaks (or when an earlier run left a `.part`),
and renamed over the target only once whole, so the target is never half written.

A resumed request carries `If-Range` with the first answer's strong ETag (or its
Last-Modified), so that a file that changed meanwhile is fetched whole again rather than
spliced. A server that ignores Range answers 200 and the download starts over. Two
downloads to the same target at once share their `.part` file: don't.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from inkslop.api.constants import PART_SUFFIX
from inkslop.api.failures import Scrub, TransportFailure, status_error, transport_failure
from inkslop.api.retries import backoff_delay, is_retry_status, is_sane_retry_after

Progress = Callable[[int, "int | None"], None]  # (bytes so far, total bytes when known)
_CONTENT_RANGE = re.compile(r"bytes\s+(\d+)-(\d+)/(\d+|\*)")
_WHOLE_RANGE = re.compile(r"bytes\s+\*/(\d+)")


@dataclass
class _State:
    """What a download knows between its attempts."""

    validator: str | None = None  # for If-Range
    total: int | None = None
    headers: dict[str, str] = field(default_factory=dict)


class _IncompleteBodyError(Exception):
    """The body ended before its announced length."""


class _RestartNeededError(Exception):
    """The server's answer does not continue the part file: it must start over."""


@dataclass
class Downloader:
    """Fetches one URL into one file with `http`, trying again `max_retries` times in a row
    without progress (every attempt that brings bytes resets the count)."""

    http: httpx.Client
    scrub: Scrub
    sleep: Callable[[float], None]
    clock: Callable[[], float]
    random: Callable[[], float]
    max_retries: int

    def fetch(self, url: str, target: Path, headers: dict[str, str],
              progress: Progress | None = None) -> Path:
        part = part_path(target)
        state = _State(headers={**headers, "Accept-Encoding": "identity"})
        failures = 0
        while True:
            before = _size(part)
            problem = self._attempt(url, part, state, progress)
            if problem is None:
                break
            failures = 0 if _size(part) > before else failures + 1
            if failures > self.max_retries:
                raise problem
            self.sleep(_delay(problem, failures - 1, self.random))
        _publish(part, target)
        return target

    def _attempt(self, url: str, part: Path, state: _State,
                 progress: Progress | None) -> Exception | None:
        """One request; None when the part file is whole, else the error to retry or raise
        (status errors that must not be retried are raised at once)."""
        offset = _size(part)
        headers = dict(state.headers)
        if offset:
            headers["Range"] = f"bytes={offset}-"
            if state.validator:
                headers["If-Range"] = state.validator
        try:
            with self.http.stream("GET", url, headers=headers) as response:
                return self._receive(response, part, offset, state, progress)
        except httpx.TransportError as error:
            failure = transport_failure(error, "download", self.scrub)
        except _IncompleteBodyError:
            failure = TransportFailure("download: the connection closed before the end of the "
                                       "file", sent=True, transient=True, timeout=False)
        except _RestartNeededError:
            part.unlink(missing_ok=True)
            failure = TransportFailure("download: the server's answer to a resumed download "
                                       "did not fit the part already saved; starting over",
                                       sent=True, transient=True, timeout=False)
        if not failure.transient:
            raise failure.error()
        return failure.error()

    def _receive(self, response: httpx.Response, part: Path, offset: int, state: _State,
                 progress: Progress | None) -> Exception | None:
        if response.status_code == 416 and offset:
            return self._unsatisfiable(response, part, offset)
        if response.is_error:
            response.read()
            error = status_error(response, self.scrub, self.clock())
            if is_retry_status(error.status_code):
                return error
            raise error
        start = _start_of(response, offset)
        if start == 0:
            state.validator = _validator(response)
        state.total = _total_of(response, start)
        _write_body(response, part, start, state.total, progress)
        return None

    def _unsatisfiable(self, response: httpx.Response, part: Path, offset: int) -> None:
        """416: the part may already be whole; if not, start over."""
        found = _WHOLE_RANGE.match(response.headers.get("content-range", ""))
        if found and int(found[1]) == offset:
            return
        raise _RestartNeededError()


def part_path(target: Path) -> Path:
    return target.with_name(target.name + PART_SUFFIX)


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except FileNotFoundError:
        return 0


def _start_of(response: httpx.Response, offset: int) -> int:
    """Where this body starts in the file: `offset` for a 206 that resumes there, else 0
    (a 200 is the whole file; a 206 elsewhere is not trusted and starts over)."""
    if response.status_code != 206:
        return 0
    found = _CONTENT_RANGE.match(response.headers.get("content-range", ""))
    return offset if found and int(found[1]) == offset else -1


def _total_of(response: httpx.Response, start: int) -> int | None:
    found = _CONTENT_RANGE.match(response.headers.get("content-range", ""))
    if found and found[3] != "*":
        return int(found[3])
    length = response.headers.get("content-length")
    return start + int(length) if length and length.isdigit() else None


def _validator(response: httpx.Response) -> str | None:
    etag = response.headers.get("etag")
    if etag and not etag.startswith("W/"):
        return etag
    return response.headers.get("last-modified")


def _write_body(response: httpx.Response, part: Path, start: int, total: int | None,
                progress: Progress | None) -> None:
    if start < 0:  # a range we did not ask for: start over with a plain request
        raise _RestartNeededError()
    done = start
    with open(part, "ab" if start else "wb") as stream:
        if progress:
            progress(done, total)
        for chunk in response.iter_bytes():  # as they arrive: a break loses none
            stream.write(chunk)
            done += len(chunk)
            if progress:
                progress(done, total)
        stream.flush()
        os.fsync(stream.fileno())
    if total is not None and done < total:
        raise _IncompleteBodyError()


def _publish(part: Path, target: Path) -> None:
    """Rename the whole part over the target (atomic on one file system)."""
    os.replace(part, target)
    try:
        directory = os.open(target.parent, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(directory)
    except OSError:
        pass
    finally:
        os.close(directory)


def _delay(problem: Exception, attempt: int, random: Callable[[], float]) -> float:
    retry_after = getattr(problem, "retry_after", None)
    return retry_after if is_sane_retry_after(retry_after) else backoff_delay(attempt, random)
