"""What the script commands write, and the status they end with.

Without click: `inkslop check` and `inkslop fmt` run on every commit and start without
loading it (see inkslop.cli.plain_arguments). `echo` keeps what click.echo does for them.
"""

from __future__ import annotations

import re
import sys

# click.echo's rule: escape sequences go when colour is off (a script's text may hold them).
_ANSI = re.compile(r"\033\[[0-?]*[ -/]*[@-~]")


def echo(text: str, *, err: bool = False, color: bool = False, nl: bool = True) -> None:
    """Write text to stdout (stderr with `err`), then flush."""
    stream = sys.stderr if err else sys.stdout
    if stream is None:  # no console at all (pythonw)
        return
    if not color:
        text = _ANSI.sub("", text)
    if nl:
        text += "\n"
    try:
        stream.write(text)
    except UnicodeEncodeError:  # a stream that cannot show every character: as click does
        encoding = getattr(stream, "encoding", None) or "ascii"
        stream.flush()
        stream.buffer.write(text.encode("utf-8" if _is_ascii(encoding) else encoding,
                                        "replace"))
    stream.flush()


def _is_ascii(encoding: str) -> bool:
    return encoding.lower().replace("_", "-") in ("ascii", "us-ascii", "ansi-x3.4-1968")


def exit_status(*, trouble: bool, findings: bool) -> int:
    """The status every script command ends with: 2 when something could not be handled
    (usage, a file, a configuration), else 1 when the scripts have what the command
    fails on (errors; files to reformat), else 0. See docs/cli.md."""
    return 2 if trouble else 1 if findings else 0
