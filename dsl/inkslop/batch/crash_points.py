"""Named points where the crash-safety tests stop the batch process.

`INKSLOP_TEST_KILL_AT=after-intent:2` kills the process (SIGKILL) right after the intent of
the batch's 2nd video is committed, before its POST; `after-post` after the POST was
answered but before the task id is recorded; `after-record` after it is recorded. A third
part names another signal: `after-record:1:INT` is a Ctrl-C there. Unset (always, outside
tests), `reached` does nothing. The tests stop the process exactly where a real crash or
interruption would hurt most, and check that `inkslop batch resume` sends nothing twice,
loses nothing, and keeps every promise of the first run.
"""

from __future__ import annotations

import os
import signal

ENVIRONMENT = "INKSLOP_TEST_KILL_AT"


def reached(point: str, position: int) -> None:
    target = os.environ.get(ENVIRONMENT)
    if not target:
        return
    where, _, name = target.partition(":")[2].partition(":")
    if target.split(":")[0] == point and where == str(position):
        os.kill(os.getpid(), getattr(signal, f"SIG{name or 'KILL'}"))
