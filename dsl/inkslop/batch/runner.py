"""Send a batch's videos exactly once, pace them to the rate limits, follow them to the end.

The runner first runs the preflight (inkslop.compile.preflight) on the scripts of the jobs
not sent yet, as planned in the journal, with the allowances the batch was planned with:
a refusal raises Refused and nothing is sent. It then moves each job through the journal
(see journal.py): reconciles jobs a crash left in `sending`, sends planned ones one at a
time as the shared rate limiter frees slots, polls open tasks until they are done, then
downloads and publishes as asked. Every step is recorded before the next, so `run` can be
stopped at any point (Ctrl-C, kill -9, a lost connection) and called again.

Any number of runners, in any processes, may run one batch at once: a job is sent,
reconciled or published only under its lease (journal.py); a job leased by another live
process is waited for, and the wait is reported. A video held back by a 429 or a 5xx is
sent again later in the same run (`retry`), with when; without `retry` it is left for
`inkslop batch resume`.

Reconciliation never claims a video it cannot be sure of: the candidates are the
unclaimed videos of InkSlop's list with the job's name created between the intent and the
latest moment the request could have been carried out, in the server's time (the client
measures the offset of the server's clock from its `Date` headers). One candidate with a
known offset: sent. None: not sent. More than one, or no offset to go by: the job is left
`unknown` and a command to settle it by hand is reported.

It prints nothing: it reports events through `report`, for the command line to show.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from inkslop.api.constants import CONNECT_TIMEOUT, MAX_LIMITER_WAIT, READ_TIMEOUT, WRITE_TIMEOUT
from inkslop.api.errors import (
    APIConnectionError,
    APIStatusError,
    ClientRateLimitError,
    InkSlopError,
    InsufficientCreditsError,
    OutcomeUnknownError,
    RateLimitError,
)
from inkslop.batch.crash_points import reached
from inkslop.batch.journal import (
    DEFAULT_PATH,
    DONE,
    FAILED,
    PLANNED,
    SENDING,
    SENT,
    UNSENT_STATES,
    Heartbeat,
    Job,
    Journal,
    JournalConflict,
    Owner,
)
from inkslop.compile.preflight import Allowance, Preflight, ScriptCheck, check_script, preflight
from inkslop.config.loader import settings_for
from inkslop.config.settings import default_settings
from inkslop.estimate.clock import wait_in_words
from inkslop.files import display_path, safe_file_name

POST_VIDEOS = "POST /videos"
POLL_SECONDS = 8.0  # InkSlop's documentation: poll every 5 to 10 seconds
LEASE_POLL_SECONDS = 0.25  # how often a job another process holds is looked at again
RETRY_SECONDS = 10.0  # before sending again after a 429 without Retry-After
MAX_SERVER_ERRORS = 5  # 5xx answers to one video's POST before the run leaves it
SERVER_ERROR_BACKOFF = 2.0  # after a 5xx, seconds before sending again; doubled each time
# The longest a POST may still be carried out after its intent: the client's wait for a
# slot of its limiter, then connecting, writing and reading.
REQUEST_WINDOW = MAX_LIMITER_WAIT + CONNECT_TIMEOUT + WRITE_TIMEOUT + READ_TIMEOUT
CLOCK_MARGIN = 2.0  # the server clock's offset is known to a second or so (`Date`)
LOOKBACK = 3600.0  # InkSlop's list is read back this far before an intent, at most

Progress = Callable[[str], AbstractContextManager[Any]]


@dataclass(slots=True)
class Event:
    """Something the runner did, for the user to see."""

    kind: str  # sent, reconciled, resent, unknown, refused, waiting, held, status, done...
    message: str
    job: Job | None = None
    data: dict[str, Any] = field(default_factory=dict)


class Stopped(Exception):
    """The batch cannot go on now (no credits, the key refused, no connection); resume it
    later. `status`: the exit status it deserves (1 InkSlop refused, 2 network)."""

    def __init__(self, message: str, status: int = 1) -> None:
        super().__init__(message)
        self.status = status


class Refused(Exception):
    """The preflight refused the batch's unsent videos: nothing was sent."""

    def __init__(self, verdict: Preflight) -> None:
        self.verdict = verdict
        super().__init__(" ".join(verdict.refusals))


class BatchRunner:
    def __init__(self, journal: Journal, client: Any, *, report: Callable[[Event], None] =
                 lambda event: None, sleep: Callable[[float], None] = time.sleep,
                 clock: Callable[[], float] = time.time, poll_seconds: float = POLL_SECONDS,
                 download_progress: Progress | None = None) -> None:
        self.journal, self.client, self.report = journal, client, report
        self.sleep, self.clock, self.poll_seconds = sleep, clock, poll_seconds
        self.download_progress = download_progress
        self.retry = True
        self.server_errors: dict[int, int] = {}  # job id: 5xx answers to its POST this run

    # ---- the whole run -----------------------------------------------------------------

    def run(self, batch_id: str, *, wait: bool = True,
            allowance: Allowance = Allowance()) -> list[Job]:
        """Preflight, reconcile, send, and (when `wait`) follow every video of the batch to
        its end. Refused when the preflight refuses; Stopped when the run cannot go on."""
        verdict = self.preflight(batch_id, allowance)
        if not verdict.passed:
            raise Refused(verdict)
        options = self.journal.options(batch_id)
        self.retry = wait
        with Heartbeat(self.journal):
            self.send_all(batch_id)
            if wait:
                self.follow(batch_id)
                self.finish(batch_id, options)
        return self.journal.jobs(batch_id)

    def preflight(self, batch_id: str, allowance: Allowance = Allowance()) -> Preflight:
        """The preflight of the videos not sent yet, as the journal holds them, with the
        allowances the batch was planned with and `allowance` on top."""
        options = self.journal.options(batch_id)
        planned = options.get("allow_warnings", False)
        warnings = planned if isinstance(planned, bool) else tuple(planned)
        merged = Allowance(_union(warnings, allowance.warnings),
                           allowance.max_credits if allowance.max_credits is not None
                           else options.get("max_credits"))
        return preflight([self._checked(job) for job in self.journal.jobs(batch_id,
                                                                         UNSENT_STATES)], merged)

    def _checked(self, job: Job) -> ScriptCheck:
        path = Path(job.path) if job.path else None
        settings = settings_for(path) if path and path.exists() else default_settings()
        return check_script(job.request.get("script", ""), job.source, settings)

    # ---- sending exactly once ----------------------------------------------------------

    def send_all(self, batch_id: str) -> None:
        """Send (or reconcile) every unsent video, each under its lease, until none is left
        that this run may send."""
        later: dict[int, float] = {}  # job id: when to try again
        left: set[int] = set()  # held back, not retried in this run
        waited: set[tuple[int, str]] = set()  # (job, holder) waits already reported
        while True:
            unsent = [j for j in self.journal.jobs(batch_id, UNSENT_STATES) if j.id not in left]
            if not unsent:
                return
            for job in unsent:
                if later.get(job.id, 0.0) > self.clock():
                    continue
                if job.state == PLANNED:
                    self.pace(batch_id)
                outcome = self.send_one(job)
                if isinstance(outcome, Owner):
                    if (job.id, outcome.token) not in waited:
                        waited.add((job.id, outcome.token))
                        self.report(Event("held", f"{job.source}: {outcome} is sending it; "
                                          "waiting for that process", job))
                    later[job.id] = self.clock() + LEASE_POLL_SECONDS
                elif outcome is None:
                    later.pop(job.id, None)
                elif self.retry and math.isfinite(outcome):
                    later[job.id] = outcome
                else:
                    left.add(job.id)
            pending = [later.get(j.id, 0.0) for j in self.journal.jobs(batch_id, UNSENT_STATES)
                       if j.id not in left]
            if pending:
                self.wait_until(batch_id, min(pending))

    def send_one(self, job: Job) -> float | Owner | None:
        """Send or reconcile one job under its lease. None: settled for this run; a time:
        held back, try again then; an Owner: another live process holds it."""
        holder = self.journal.take_lease(job)
        if holder is not None:
            return holder
        try:
            if job.state == SENDING:
                self.reconcile(job)
                return None
            if job.state == PLANNED:
                return self.send(job)
            return None  # another process sent it meanwhile
        except JournalConflict as conflict:
            self.report(Event("held", f"{conflict}; left to it", job))
            return None
        finally:
            self.journal.release_lease(job)

    def send(self, job: Job) -> float | None:
        self.journal.record_intent(job, self.clock())
        reached("after-intent", job.position)
        try:
            created = self.client.create_video(job.request)
        except OutcomeUnknownError:
            self.report(Event("unknown", f"{job.source}: the answer to the request was lost; "
                              "looking for the video in InkSlop's list", job))
            self.reconcile(job, answered_by=self.clock())
            return None
        except (ClientRateLimitError, RateLimitError) as error:
            self.journal.record_not_sent(job)  # refused before anything was created
            return self.held_back(job, "rate limited", getattr(error, "retry_after", None))
        except InsufficientCreditsError as error:
            self.journal.record_not_sent(job)
            raise Stopped(f"InkSlop refused {job.source} for lack of credits ({error.detail}); "
                          "add credits, then resume the batch") from None
        except APIStatusError as error:
            if error.status_code >= 500:
                return self.after_server_error(job, error)
            self.journal.record_refused(job, error.detail)
            self.report(Event("refused", f"{job.source}: refused: {error.detail}", job))
            if error.status_code == 401:
                raise Stopped("InkSlop refused the API key (401): nothing more is sent") \
                    from None
            return None
        except APIConnectionError as error:
            # Not sent (the client raises OutcomeUnknownError when it might have been).
            self.journal.record_not_sent(job)
            raise Stopped(f"cannot reach InkSlop ({error})", status=2) from None
        reached("after-post", job.position)
        self.journal.record_sent(job, created.task_id)
        reached("after-record", job.position)
        self.report(Event("sent", f"{job.source}: sent as {created.task_id}", job))
        return None

    def after_server_error(self, job: Job, error: APIStatusError) -> float | None:
        """A 5xx may come after the video was created: look before sending again."""
        self.reconcile(job, answered_by=self.clock())
        if job.state != PLANNED:
            return None
        errors = self.server_errors[job.id] = self.server_errors.get(job.id, 0) + 1
        if errors >= MAX_SERVER_ERRORS:
            self.report(Event("waiting", f"{job.source}: InkSlop failed {errors} times "
                              f"({error.status_code}); left unsent for `batch resume`", job))
            return math.inf  # not again in this run
        return self.held_back(job, f"InkSlop failed ({error.status_code}: {error.detail})",
                              SERVER_ERROR_BACKOFF * 2 ** (errors - 1))

    def held_back(self, job: Job, why: str, retry_after: float | None) -> float:
        """Report a video held back, and when it is sent again (this run, or a resume)."""
        wait = retry_after if retry_after and retry_after > 0 else RETRY_SECONDS
        at = self.clock() + wait
        if self.retry:
            message = (f"{job.source}: {why}; it will be sent again at {_when(at, seconds=True)}"
                       f" (in {wait_in_words(wait)})")
        else:
            message = f"{job.source}: {why}; not sent: `inkslop batch resume` sends it"
        self.report(Event("waiting", message, job, {"seconds": wait, "at": at}))
        return at

    def reconcile(self, job: Job, answered_by: float | None = None) -> None:
        """Settle a job whose POST may or may not have created a video (see the module's
        docstring): sent, planned again (safe to send), or unknown."""
        try:
            named = self._named_videos(job)
        except InkSlopError as error:
            raise Stopped(f"{job.source}: cannot read InkSlop's list to see whether it was "
                          f"sent ({error}); resume the batch later", status=2) from None
        offset = _server_offset(self.client)
        margin = CLOCK_MARGIN if offset is not None else LOOKBACK
        intent = (job.intent_at or 0.0) + (offset or 0.0)
        latest = (answered_by or (job.intent_at or 0.0) + REQUEST_WINDOW) + (offset or 0.0)
        candidates = [(v, created) for v, created in named
                      if created is None or intent - margin <= created <= latest + margin]
        if not candidates:
            self.journal.record_not_sent(job)
            self.report(Event("resent", f"{job.source}: not in InkSlop's list: it will be "
                              "sent", job))
            return
        if len(candidates) == 1 and offset is not None and candidates[0][1] is not None:
            video = candidates[0][0]
            self.journal.record_sent(job, video.task_id)
            self.report(Event("reconciled", f"{job.source}: found in InkSlop's list as "
                              f"{video.task_id}; not sent again", job))
            return
        self.settle_by_hand(job, [v.task_id for v, _ in candidates], offset is not None)

    def _named_videos(self, job: Job) -> list[tuple[Any, float | None]]:
        """The unclaimed videos with the job's name, from InkSlop's list (newest first),
        back to LOOKBACK before the intent, with their creation times."""
        claimed = self.journal.claimed_task_ids()
        oldest = (job.intent_at or 0.0) - 2 * LOOKBACK
        found = []
        for video in self.client.iter_videos():
            created = _timestamp(video.created_at)
            if created is not None and created < oldest:
                break
            if video.video_name == job.video_name and video.task_id not in claimed:
                found.append((video, created))
        return found

    def settle_by_hand(self, job: Job, task_ids: list[str], offset_known: bool) -> None:
        why = (f"{len(task_ids)} videos named {job.video_name!r} could be it"
               if len(task_ids) > 1 else
               f"a video named {job.video_name!r} ({task_ids[0]}) could be it, but the "
               "server's clock is unknown" if not offset_known else
               f"a video named {job.video_name!r} ({task_ids[0]}) has no creation time")
        self.journal.record_unknown(job, f"{why}: {', '.join(task_ids)}")
        settle = settle_command(self.journal, job)
        self.report(Event("unknown", f"{job.source}: cannot tell whether it was sent: {why} "
                          f"({', '.join(task_ids)}). Check them (`inkslop videos get "
                          f"TASK_ID`), then settle it: `{settle} --sent TASK_ID` or "
                          f"`{settle} --not-sent`. Nothing is sent for it until then.", job,
                          {"candidates": task_ids}))

    def pace(self, batch_id: str) -> None:
        """Wait for a slot of `POST /videos`, polling sent videos meanwhile."""
        limiter = getattr(self.client, "rate_limiter", None)
        if limiter is None:
            return
        wait = limiter.next_slot(POST_VIDEOS)
        if wait <= 0:
            return
        planned = len(self.journal.jobs(batch_id, (PLANNED,)))
        finish = self.clock() + limiter.eta(POST_VIDEOS, planned)
        self.report(Event("waiting", f"Rate limit: next video in {wait_in_words(wait)}; the "
                          f"{planned} left will all be sent by {_when(finish)}.",
                          data={"seconds": wait, "finish": finish}))
        self.wait_until(batch_id, self.clock() + wait)

    def wait_until(self, moment_batch: str, moment: float) -> None:
        """Sleep until `moment`, following the sent videos meanwhile when it is long."""
        while (left := moment - self.clock()) > 0:
            if left >= self.poll_seconds:
                self.poll_open(moment_batch)
            self.sleep(min(self.poll_seconds, max(moment - self.clock(), 0.0)))

    # ---- following videos --------------------------------------------------------------

    def poll_open(self, batch_id: str) -> None:
        for job in self.journal.jobs(batch_id, (SENT,)):
            try:
                status = self.client.get_video(job.task_id)
            except ClientRateLimitError:
                return  # the limiter is busy: next round
            self.journal.record_status(job, status.model_dump(mode="json"))
            if job.state == DONE:
                self.report(Event("done", f"{job.source}: done ({status.duration_seconds} s, "
                                  f"{status.credits_used} credits)", job, status.model_dump()))
            elif job.state == FAILED:
                self.report(Event("failed", f"{job.source}: failed: {status.message}", job))
            else:
                self.report(Event("status", f"{job.source}: {status.status} "
                                  f"{status.progress or 0:.0f}%", job, status.model_dump()))

    def follow(self, batch_id: str) -> None:
        """Poll until no video of the batch is still rendering."""
        while self.journal.jobs(batch_id, (SENT,)):
            started = self.clock()
            self.poll_open(batch_id)
            if self.journal.jobs(batch_id, (SENT,)):
                self.sleep(max(self.poll_seconds - (self.clock() - started), 0.0))

    def finish(self, batch_id: str, options: dict[str, Any]) -> None:
        """Download and publish the finished videos, as the batch was asked to, each under
        its lease: another process finishing the same video is waited for, not doubled."""
        for job in self.journal.jobs(batch_id, (DONE,)):
            self.finish_one(job, options)

    def finish_one(self, job: Job, options: dict[str, Any]) -> None:
        reported = False
        while (holder := self.journal.take_lease(job)) is not None:
            if not reported:
                reported = True
                self.report(Event("held", f"{job.source}: {holder} is saving or publishing "
                                  "it; waiting for that process", job))
            self.sleep(LEASE_POLL_SECONDS)
        try:  # the lease refreshed `job`: what the other process did is known
            target = download_target(job, options)
            if target and not job.download:
                self.download(job, target)
            if options.get("publish") and job.publish_state in (None, "sending"):
                self.publish_once(job, options["publish"])
        finally:
            self.journal.release_lease(job)

    def download(self, job: Job, target: Path) -> None:
        url = (job.status or {}).get("download_url")
        if not url:
            return
        progress = self.download_progress(target.name) if self.download_progress \
            else nullcontext(None)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            with progress as show:
                self.client.download(url, target, show)
        except (InkSlopError, OSError) as error:
            self.report(Event("download-failed", f"{job.source}: download failed ({error}); "
                              "`inkslop batch resume` tries again", job))
            return
        self.journal.record_download(job, str(target))
        self.report(Event("downloaded", f"{job.source}: saved {display_path(target)}", job))

    def publish_once(self, job: Job, settings: dict[str, Any]) -> None:
        """Publish, under the job's lease: once, by one process."""
        if job.publish_state == "sending":
            # Interrupted while publishing: InkSlop cannot say whether it went out.
            self.journal.record_publish_unknown(job)
            self.report(Event("publish-unknown", f"{job.source}: publishing was interrupted; "
                              "check the dashboard before publishing again", job))
        else:
            self.publish(job, settings)

    def publish(self, job: Job, settings: dict[str, Any]) -> None:
        self.journal.record_publish_intent(job)
        try:
            result = self.client.publish_video(job.task_id, settings)
        except OutcomeUnknownError:
            self.journal.record_publish_unknown(job)
            self.report(Event("publish-unknown", f"{job.source}: the answer to publishing was "
                              "lost; check the dashboard before publishing again", job))
            return
        except InkSlopError as error:
            self.journal.record_publish_failed(job, str(error))
            self.report(Event("publish-failed", f"{job.source}: not published: {error}", job))
            return
        self.journal.record_published(job, result.model_dump(mode="json"))
        self.report(Event("published", f"{job.source}: publishing to {result.platform} "
                          f"(job {result.job_id})", job))


def download_target(job: Job, options: dict[str, Any]) -> Path | None:
    """Where the finished video must be saved: the file `submit --download` named, or the
    batch's download directory; None when nobody asked."""
    if job.download_to:
        return Path(job.download_to)
    if options.get("download_dir"):
        return Path(options["download_dir"]) / f"{safe_file_name(job.video_name, 'video')}.mp4"
    return None


def reached_goal(job: Job, options: dict[str, Any], wait: bool) -> bool:
    """Whether a job got where the run promised: done (and saved, when asked); or at least
    sent, for a run that does not wait."""
    if not wait:
        return job.state in (SENT, DONE)
    return job.state == DONE and (download_target(job, options) is None or bool(job.download))


def settle_command(journal: Journal, job: Job) -> str:
    """The command that settles an unknown job by hand (its journal named unless default)."""
    where = "" if Path(journal.path) == DEFAULT_PATH else f" --journal {journal.path}"
    return f"inkslop batch settle {job.id}{where}"


def _server_offset(client: Any) -> float | None:
    """Seconds the server's clock is ahead of this machine's, when the client knows."""
    measure = getattr(client, "server_clock_offset", None)
    return measure() if callable(measure) else None


def _union(*allowances: bool | tuple[str, ...]) -> bool | tuple[str, ...]:
    if any(a is True for a in allowances):
        return True
    return tuple(dict.fromkeys(c for a in allowances if isinstance(a, tuple) for c in a))


def _timestamp(text: str | None) -> float | None:
    if not text:
        return None
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()
    except ValueError:
        return None


def _when(timestamp: float, seconds: bool = False) -> str:
    return datetime.fromtimestamp(timestamp).strftime("%Y-%m-%d %H:%M" + (":%S" if seconds
                                                                          else ""))
