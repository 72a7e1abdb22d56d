"""Send a batch's videos exactly once, pace them to the rate limits, follow them to the end.

The runner moves each job of a batch through the journal (see journal.py):
reconciles jobs a crash left in `sending`, sends planned ones one at a time as
the shared rate limiter frees slots (polling the videos already sent while it
waits), polls open tasks until they are done, then downloads and publishes as
asked. Every step is recorded before the next, so `run` can be stopped at any
point (Ctrl-C, kill -9, a lost connection) and called again.

It prints nothing: it reports events through `report`, for the command line
to show.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from inkslop.api.errors import (
    APIConnectionError,
    APIStatusError,
    ClientRateLimited,
    InkSlopError,
    InsufficientCredits,
    OutcomeUnknown,
    RateLimited,
)
from inkslop.batch.crash_points import reached
from inkslop.batch.journal import DONE, FAILED, PLANNED, SENDING, SENT, Job, Journal
from inkslop.estimate.clock import wait_in_words
from inkslop.files import safe_file_name

POST_VIDEOS = "POST /videos"
POLL_SECONDS = 8.0  # InkSlop's documentation: poll every 5 to 10 seconds
# How far before a job's intent InkSlop's list is searched for it: the two clocks may differ.
CLOCK_SKEW = 3600.0


@dataclass(slots=True)
class Event:
    """Something the runner did, for the user to see."""

    kind: str  # sent, reconciled, resent, refused, waiting, status, done, failed, downloaded...
    message: str
    job: Job | None = None
    data: dict[str, Any] = field(default_factory=dict)


class Stopped(Exception):
    """The batch cannot go on now (no credits, the key refused); resume it later."""


class BatchRunner:
    def __init__(self, journal: Journal, client: Any, *, report: Callable[[Event], None] =
                 lambda event: None, sleep: Callable[[float], None] = time.sleep,
                 clock: Callable[[], float] = time.time, poll_seconds: float = POLL_SECONDS
                 ) -> None:
        self.journal, self.client, self.report = journal, client, report
        self.sleep, self.clock, self.poll_seconds = sleep, clock, poll_seconds

    # ---- the whole run -----------------------------------------------------------------

    def run(self, batch_id: str, *, wait: bool = True) -> list[Job]:
        """Reconcile, send, and (when `wait`) follow every video of the batch to its end."""
        options = self.journal.options(batch_id)
        for job in self.journal.jobs(batch_id, (SENDING,)):
            self.reconcile(job)
        for job in self.journal.jobs(batch_id, (PLANNED,)):
            self.pace(batch_id)
            self.send(job)
        if wait:
            self.follow(batch_id)
            self.finish(batch_id, options)
        return self.journal.jobs(batch_id)

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
        deadline = self.clock() + wait
        while self.clock() < deadline:
            self.poll_open(batch_id)
            self.sleep(min(self.poll_seconds, max(deadline - self.clock(), 0.0)))

    # ---- sending exactly once ----------------------------------------------------------

    def send(self, job: Job) -> None:
        self.journal.record_intent(job, self.clock())
        reached("after-intent", job.position)
        try:
            created = self.client.create_video(job.request)
        except OutcomeUnknown:
            self.report(Event("unknown", f"{job.source}: the answer to the request was lost; "
                              "looking for the video in InkSlop's list", job))
            self.reconcile(job)
            return
        except (ClientRateLimited, RateLimited) as error:
            self.journal.record_not_sent(job)  # refused before anything was created
            self.report(Event("waiting", f"{job.source}: rate limited; it will be sent later",
                              job, {"seconds": getattr(error, "retry_after", None)}))
            return
        except InsufficientCredits as error:
            self.journal.record_not_sent(job)
            raise Stopped(f"InkSlop refused {job.source} for lack of credits ({error.detail}); "
                          "add credits, then run `inkslop batch resume`") from None
        except APIStatusError as error:
            if error.status_code >= 500:
                # A server error may come after the video was created: look before resending.
                self.reconcile(job)
                return
            self.journal.record_refused(job, error.detail)
            self.report(Event("refused", f"{job.source}: refused: {error.detail}", job))
            if error.status_code == 401:
                raise Stopped("InkSlop refused the API key (401): nothing more is sent") from None
            return
        except APIConnectionError as error:
            # Not sent (the client raises OutcomeUnknown when it might have been).
            self.journal.record_not_sent(job)
            raise Stopped(f"cannot reach InkSlop ({error}); run `inkslop batch resume` "
                          "later") from None
        reached("after-post", job.position)
        self.journal.record_sent(job, created.task_id)
        reached("after-record", job.position)
        self.report(Event("sent", f"{job.source}: sent as {created.task_id}", job))

    def reconcile(self, job: Job) -> bool:
        """Settle a job whose POST may or may not have created a video: find the video in
        InkSlop's list by the job's unique name, created after its intent, not claimed by
        another job. Found: sent. Not found: planned again (safe to send)."""
        claimed = self.journal.claimed_task_ids()
        since = (job.intent_at or 0) - CLOCK_SKEW
        for video in self.client.iter_videos():
            created = _timestamp(video.created_at)
            if created is not None and created < since:
                break  # newest first: older videos cannot be this job's
            if video.video_name == job.video_name and video.task_id not in claimed:
                self.journal.record_sent(job, video.task_id)
                self.report(Event("reconciled", f"{job.source}: found in InkSlop's list as "
                                  f"{video.task_id}; not sent again", job))
                return True
        self.journal.record_not_sent(job)
        self.report(Event("resent", f"{job.source}: not in InkSlop's list: it will be sent",
                          job))
        return False

    # ---- following videos --------------------------------------------------------------

    def poll_open(self, batch_id: str) -> None:
        for job in self.journal.jobs(batch_id, (SENT,)):
            try:
                status = self.client.get_video(job.task_id)
            except ClientRateLimited:
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
        """Download and publish the finished videos, as the batch was asked to."""
        for job in self.journal.jobs(batch_id, (DONE,)):
            if options.get("download_dir") and not job.download:
                self.download(job, Path(options["download_dir"]))
            if options.get("publish") and job.publish_state is None:
                self.publish(job, options["publish"])
            elif job.publish_state == "sending":
                # Interrupted while publishing: InkSlop cannot say whether it went out.
                self.journal.record_publish_unknown(job)
                self.report(Event("publish-unknown", f"{job.source}: publishing was "
                                  "interrupted; check the dashboard before publishing again",
                                  job))

    def download(self, job: Job, directory: Path) -> None:
        url = (job.status or {}).get("download_url")
        if not url:
            return
        target = directory / f"{safe_file_name(job.video_name, 'video')}.mp4"
        try:
            directory.mkdir(parents=True, exist_ok=True)
            self.client.download(url, target)
        except (InkSlopError, OSError) as error:
            self.report(Event("download-failed", f"{job.source}: download failed ({error}); "
                              "`inkslop batch resume` tries again", job))
            return
        self.journal.record_download(job, str(target))
        self.report(Event("downloaded", f"{job.source}: saved {target}", job))

    def publish(self, job: Job, settings: dict[str, Any]) -> None:
        self.journal.record_publish_intent(job)
        try:
            result = self.client.publish_video(job.task_id, settings)
        except OutcomeUnknown:
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


def _timestamp(text: str | None) -> float | None:
    if not text:
        return None
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()
    except ValueError:
        return None



def _when(timestamp: float) -> str:
    return datetime.fromtimestamp(timestamp).strftime("%Y-%m-%d %H:%M")
