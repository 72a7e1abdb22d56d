"""The one way the toolkit writes times: a point on a script's timeline, or a wait.

    >>> clock(69.4), clock(69.44, decimals=1), wait_in_words(45), wait_in_words(11_100)
    ('1:09', '1:09.4', '45 s', '3 h 5 min')
"""

from __future__ import annotations


def clock(seconds: float, decimals: int = 0) -> str:
    """Minutes and seconds, such as 0:09 (or 0:09.3 with one decimal)."""
    if decimals == 0:
        minutes, rest = divmod(round(seconds), 60)
        return f"{minutes}:{rest:02d}"
    minutes, rest = divmod(round(seconds, decimals), 60)
    return f"{int(minutes)}:{rest:0{3 + decimals}.{decimals}f}"


def wait_in_words(seconds: float) -> str:
    """A wait in words: "45 s", "12 min", "3 h 5 min"."""
    if seconds < 120:
        return f"{max(0, round(seconds))} s"
    minutes = round(seconds / 60)
    return f"{minutes} min" if minutes < 120 else f"{minutes // 60} h {minutes % 60} min"
