"""The byte-order mark rule, in one place.

A UTF-8 byte-order mark at the very start of a script is tolerated: the parser
reads the text after it, so every span counts from there, and whatever rewrites
the file (fmt, check --fix, the editor) puts it back where it was.
"""

from __future__ import annotations

BOM = "\ufeff"


def split_bom(text: str) -> tuple[str, str]:
    """The mark (or "") and the text after it; `bom + text` is the input again."""
    return (BOM, text[1:]) if text.startswith(BOM) else ("", text)


def without_bom(text: str) -> str:
    """The text that the parser reads: `text` after a leading byte-order mark."""
    return text[1:] if text.startswith(BOM) else text
