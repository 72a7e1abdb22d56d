""""Did you mean": when a written name is a near miss of a known one, and which.

A name is *near* a known name when, compared in their folded forms (lower case,
without invisible characters, and without the separators `_`, `-`, `.` and
spaces), either

- the two are equal (`AF_HEART`, `af-heart` and `afheart` are near `af_heart`), or
- their Damerau–Levenshtein distance (insertions, deletions, substitutions and
  swaps of two neighbours, each counting 1) is at most 1 when the known name's
  folded form has up to 4 characters, at most 2 up to 8, and at most 3 beyond
  (`tss` and `tst` are near `tts`; `af_hart` and `af_haert` near `af_heart`;
  `kokor_ts` near `kokoro_tts`), or
- the written name is a whole leading or trailing part of the known name, cut at
  a separator, of at least 4 characters (`kokoro` is near `kokoro_tts`, `heart`
  near `af_heart`).

A name that is itself known is never a near miss of another. A near miss is
almost surely a typo, so the rules report it as an error with its "did you
mean" fix (see the "Severity" paragraph of the language design); a name far from
every known one may be real, and stays a warning.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from functools import lru_cache

_SEPARATORS = re.compile(r"[\s_\-.]+")
_MIN_PART = 4  # a shorter leading or trailing part (`af`, `tts`) says too little


def is_invisible(character: str) -> bool:
    """A character that shows nothing or looks like a plain space: format characters
    (zero-width space, byte-order mark, joiners...), spaces other than U+0020, and
    control characters other than tab and line ends."""
    category = unicodedata.category(character)
    return (category == "Cf" or category in ("Zs", "Zl", "Zp") and character != " "
            or category == "Cc" and character not in "\t\n\r")


def invisible_runs(text: str, kept: str = "\t") -> Iterator[tuple[int, int]]:
    """The (start, end) of each run of invisible characters in `text`, but those in `kept`."""
    run_start = None
    for index, character in enumerate(text + "a"):
        if is_invisible(character) and character not in kept:
            run_start = index if run_start is None else run_start
        elif run_start is not None:
            yield run_start, index
            run_start = None


def visible(word: str) -> str:
    """`word` without its invisible characters."""
    if word.isprintable() and word.isascii():
        return word
    return "".join(c for c in word if not is_invisible(c))


def fold(word: str) -> str:
    """The form names are compared in: lower case, no invisible characters, no separators."""
    return _SEPARATORS.sub("", visible(word).lower())


def allowed_distance(known_length: int) -> int:
    """How many edits a near miss may be from a known name whose folded form is this long."""
    return 1 if known_length <= 4 else 2 if known_length <= 8 else 3


def distance(a: str, b: str, limit: int | None = None) -> int:
    """The Damerau–Levenshtein distance (optimal string alignment) between two strings;
    once it is certain to exceed `limit`, some number above `limit`."""
    if limit is not None and abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if limit is not None and min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


def _is_part(word: str, known: str) -> bool:
    parts = [p for p in _SEPARATORS.split(visible(known).lower()) if p]
    if len(parts) < 2 or len(fold(word)) < _MIN_PART:
        return False
    folded = fold(word)
    for cut in range(1, len(parts)):
        if folded in ("".join(parts[:cut]), "".join(parts[cut:])):
            return True
    return False


def closeness(word: str, known: str) -> int | None:
    """How far `word` is from `known` when it is near it (0 for equal folded forms and
    for a leading or trailing part), or None when it is not near."""
    a, b = fold(word), fold(known)
    if a == b:
        return 0
    limit = allowed_distance(len(b))
    found = distance(a, b, limit)
    if found <= limit:
        return found
    return 0 if _is_part(word, known) else None


def near_misses(word: str, candidates: Iterable[str]) -> list[str]:
    """The known names `word` is a near miss of, nearest first; none when `word` is
    itself one of them."""
    known = tuple(candidates)
    return [] if word in known else list(_near_misses(word, known))


@lru_cache(maxsize=1024)  # the same slip recurs across files and edits; a pure function
def _near_misses(word: str, known: tuple[str, ...]) -> tuple[str, ...]:
    found = [(c, closeness(word, c)) for c in known]
    return tuple(c for c, d in sorted(((c, d) for c, d in found if d is not None),
                                      key=lambda pair: (pair[1], pair[0])))


def is_near_miss(word: str, candidates: Iterable[str]) -> bool:
    return bool(near_misses(word, candidates))


def closest(word: str, candidates: Iterable[str], limit: int = 1) -> list[str]:
    """Up to `limit` known names most like `word`: its near misses first, then, for
    editors that offer more than one choice, the names difflib finds similar."""
    from difflib import get_close_matches  # only when something is misspelt

    known = list(candidates)
    found = near_misses(word, known)
    if len(found) < limit:
        by_lower = {c.lower(): c for c in known}
        similar = get_close_matches(visible(word).lower(), list(by_lower), n=limit, cutoff=0.6)
        found += [by_lower[s] for s in similar if by_lower[s] not in found]
    return found[:limit]


def did_you_mean(word: str, candidates: Iterable[str], template: str = "`{}`") -> str:
    """A sentence such as ' Did you mean `af_heart`?' for a near miss, or ''."""
    found = near_misses(word, candidates)
    return f" Did you mean {template.format(found[0])}?" if found else ""


def character_name(character: str) -> str:
    """A character as messages name it: `U+200B ZERO WIDTH SPACE`."""
    named = f"U+{ord(character):04X} {unicodedata.name(character, 'CONTROL CHARACTER')}"
    return named + " (a byte-order mark)" if character == "\ufeff" else named


def without_invisible(text: str) -> str:
    """`text` as its author meant it: space-like characters (no-break space...) become
    plain spaces, the other invisible characters go."""
    if text.isascii() and text.isprintable():
        return text
    return "".join((" " if unicodedata.category(c).startswith("Z") else "")
                   if is_invisible(c) else c for c in text)
