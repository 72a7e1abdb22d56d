"""Random edit sequences over generated scripts, for the tests of the incremental parse
(tests/syntax/test_incremental.py) and of the incremental check
(tests/lint/test_incremental_check.py)."""

from __future__ import annotations

from hypothesis import strategies as st

from inkslop.syntax.incremental import TextEdit

Edit = tuple[float, int, str]  # where (a share of the text's length), how many removed, typed


def edit_sequences(scripts: st.SearchStrategy[str], typed: st.SearchStrategy[str],
                   max_removed: int) -> st.SearchStrategy[tuple[str, list[Edit]]]:
    """A script and up to eight edits to make to it, one after the other."""
    edits = st.lists(st.tuples(st.floats(0, 1), st.integers(0, max_removed), typed),
                     min_size=1, max_size=8)
    return st.tuples(scripts, edits)


def apply(text: str, where: float, removed: int, typed: str) -> tuple[str, TextEdit]:
    """`text` with one edit made, and that edit as the incremental parse takes it."""
    start = int(where * len(text))
    end = min(len(text), start + removed)
    return text[:start] + typed + text[end:], TextEdit(start, end, start + len(typed))
