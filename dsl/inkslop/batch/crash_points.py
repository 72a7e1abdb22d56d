"""Named points where the crash-safety tests kill the batch process (SIGKILL).

`INKSLOP_TEST_KILL_AT=after-intent:2` kills the process right after the intent of the
batch's 2nd video is committed, before its POST; `after-post` after the POST was
answered but before the task id is recorded; `after-record` after it is recorded.
Unset (always, outside tests), `reached` does nothing. The tests kill the process
exactly where a real crash would hurt most, and check that `inkslop batch resume`
sends nothing twice and loses nothing.
"""

from __future__ import annotations

import os
import signal

ENVIRONMENT = "INKSLOP_TEST_KILL_AT"


def reached(point: str, position: int) -> None:
    target = os.environ.get(ENVIRONMENT)
    if target and target == f"{point}:{position}":
        os.kill(os.getpid(), signal.SIGKILL)
