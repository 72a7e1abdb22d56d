"""Formatting, of the whole script or of a range of lines, by the library's formatter
(inkslop.format.formatter). A script with syntax errors is not formatted (the formatter
refuses it, as `inkslop fmt` does): the answer is no edit, and the reason goes to
the log."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from lsprotocol import types

from inkslop.format import formatter

if TYPE_CHECKING:
    from inkslop_lsp.scripts import Script
    from inkslop_lsp.session import Session

log = logging.getLogger(__name__)


def format_document(session: Session,
                    params: types.DocumentFormattingParams) -> list[types.TextEdit] | None:
    script = session.scripts.get(params.text_document.uri)
    if script is None:
        return None
    try:
        formatted = formatter.format_document(script.document, script.settings)
    except formatter.FormatError as error:
        log.info("%s is not formatted: %s", script.uri, error)
        return []
    return minimal_edit(script, formatted)


def format_range(session: Session,
                 params: types.DocumentRangeFormattingParams) -> list[types.TextEdit] | None:
    script = session.scripts.get(params.text_document.uri)
    if script is None:
        return None
    lines = script.document.lines
    start_line = lines.position(script.offset(params.range.start))[0]
    end_offset = script.offset(params.range.end)
    end_line = lines.position(end_offset)[0]
    if end_line > start_line and params.range.end.character == 0:
        end_line -= 1  # a selection of whole lines ends at the start of the next one
    try:
        edits = formatter.format_range(script.source, start_line, end_line, script.settings)
    except formatter.FormatError as error:
        log.info("%s is not formatted: %s", script.uri, error)
        return []
    return [types.TextEdit(range=script.span_range(edit.span), new_text=edit.new_text)
            for edit in edits]


def minimal_edit(script: Script, new_source: str) -> list[types.TextEdit]:
    """One edit that turns the script's text into `new_source`, covering only what
    differs (the common beginning and end are kept, and with them the cursor)."""
    old = script.source
    if old == new_source:
        return []
    start = _common_prefix(old, new_source)
    tail = _common_prefix(old[start:][::-1], new_source[start:][::-1])
    end_old, end_new = len(old) - tail, len(new_source) - tail
    # Never split a \r\n pair: a client would see a lone \r as a line end.
    if start > 0 and old[start - 1] == "\r":
        start -= 1
    if end_old < len(old) and old[end_old] == "\n" and end_old > start and \
            old[end_old - 1] == "\r":
        end_old += 1
        end_new += 1
    return [types.TextEdit(range=script.range(start, end_old),
                           new_text=new_source[start:end_new])]


def _common_prefix(a: str, b: str) -> int:
    """The length of the longest common beginning of two strings (by halving, so that
    the comparisons run in C even for a script of megabytes)."""
    low, high = 0, min(len(a), len(b))
    while low < high:
        middle = (low + high + 1) // 2
        if a[:middle] == b[:middle]:
            low = middle
        else:
            high = middle - 1
    return low
