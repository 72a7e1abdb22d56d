""""Did you mean": the closest known names to a misspelt one."""

from __future__ import annotations

from collections.abc import Iterable


def closest(word: str, candidates: Iterable[str], limit: int = 1) -> list[str]:
    """The candidates most like `word`, compared without case, as they are spelt."""
    from difflib import get_close_matches  # only when something is misspelt

    by_lower = {c.lower(): c for c in candidates}
    found = get_close_matches(word.lower(), list(by_lower), n=limit, cutoff=0.6)
    return [by_lower[f] for f in found]


def did_you_mean(word: str, candidates: Iterable[str], template: str = "`{}`") -> str:
    """A sentence such as ' Did you mean `af_heart`?', or '' when nothing is close."""
    found = closest(word, candidates)
    return f" Did you mean {template.format(found[0])}?" if found else ""
