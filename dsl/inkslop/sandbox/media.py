"""The fake video file the sandbox serves, and HTTP Range requests over it.

The sandbox renders nothing. A "video" is VIDEO_SIZE deterministic bytes: an MP4 `ftyp`
box, a `free` box saying that it is not a video, and an `mdat` box of bytes derived from
the file's id, so the same video always downloads to the same bytes (a resumed download
can be compared with a whole one) and two videos differ.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache

VIDEO_SIZE = 300 * 1024
NOTICE = b"InkSlop sandbox: not a video. Nothing was rendered."


def _box(kind: bytes, payload: bytes) -> bytes:
    return (8 + len(payload)).to_bytes(4, "big") + kind + payload


@lru_cache(maxsize=16)
def fake_mp4(file_id: str, size: int = VIDEO_SIZE) -> bytes:
    """`size` bytes shaped like an MP4 file, the same for the same `file_id`."""
    head = _box(b"ftyp", b"isom" + (512).to_bytes(4, "big") + b"isomiso2mp41")
    head += _box(b"free", NOTICE)
    filler = hashlib.shake_256(file_id.encode("utf-8")).digest(size - len(head) - 8)
    return head + _box(b"mdat", filler)


class UnsatisfiableRangeError(Exception):
    """The range starts past the end of the file: 416."""


def byte_range(header: str | None, size: int) -> tuple[int, int] | None:
    """The inclusive (first, last) bytes a `Range` header asks for, or None to send the
    whole file (no header, a malformed one, or several ranges: RFC 9110 lets a server
    ignore those). Raises UnsatisfiableRangeError when no byte of the file is asked for."""
    if not header:
        return None
    unit, _, spec = header.strip().partition("=")
    if unit.strip().lower() != "bytes" or "," in spec:
        return None
    first_text, dash, last_text = spec.strip().partition("-")
    if not dash or not (first_text.isdigit() or last_text.isdigit()):
        return None
    if not first_text:  # "-N": the last N bytes
        suffix = int(last_text)
        if suffix == 0:
            raise UnsatisfiableRangeError
        return max(0, size - suffix), size - 1
    if last_text and not last_text.isdigit():
        return None
    first = int(first_text)
    last = int(last_text) if last_text else size - 1
    if first >= size:
        raise UnsatisfiableRangeError
    if last < first:
        return None
    return first, min(last, size - 1)
