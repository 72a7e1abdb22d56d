"""Rows of variable values from a data file: CSV (with a header), a JSON array of
objects, or JSON Lines (one object a line), told apart by the file's ending.

Values keep their line breaks (a quoted CSV field may hold some), always as `\n`:
a `\r\n` or lone `\r` in a JSON value would put a stray CR in the script. A file
with no rows is an error, and so is a CSV header that looks separated by `;` or
tabs (the separator is the comma): it would make one variable of the whole line.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any


class DataError(Exception):
    """A data file that cannot be read; str() names the file and the place."""


def load_rows(path: Path) -> list[dict[str, Any]]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as error:
        raise DataError(f"{path}: cannot be read: {error.strerror}") from None
    except UnicodeDecodeError as error:
        raise DataError(f"{path}: is not UTF-8 (byte offset {error.start})") from None
    suffix = path.suffix.lower()
    if suffix == ".csv":
        rows = _csv_rows(text, path)
    elif suffix in (".jsonl", ".ndjson"):
        rows = _json_lines(text, path)
    elif suffix == ".json":
        rows = _json_array(text, path)
    else:
        raise DataError(f"{path}: unknown data format: use .csv, .json or .jsonl")
    if not rows:
        raise DataError(f"{path}: the data file has no rows: there is nothing to compile")
    return rows


def _csv_rows(text: str, path: Path) -> list[dict[str, Any]]:
    # newline="": a quoted field keeps its line breaks (read_text made them all `\n`).
    reader = csv.DictReader(io.StringIO(text, newline=""))
    if not reader.fieldnames:
        raise DataError(f"{path}: the CSV file has no header line")
    _check_separator(reader.fieldnames, path)
    rows = []
    for number, row in enumerate(reader, start=1):
        if None in row:
            raise DataError(f"{path}: row {number} (line {reader.line_num}) has more fields "
                            "than the header")
        rows.append({k: v for k, v in row.items() if v is not None})
    return rows


def _check_separator(header: list[str], path: Path) -> None:
    if len(header) != 1:
        return
    for separator, name in ((";", "`;`"), ("\t", "tabs")):
        if separator in header[0]:
            names = ", ".join(header[0].split(separator))
            raise DataError(f"{path}:1: the header looks separated by {name} ({names}): "
                            "separate the fields of a CSV file with commas")


def _json_array(text: str, path: Path) -> list[dict[str, Any]]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise DataError(f"{path}:{error.lineno}:{error.colno}: not valid JSON: {error.msg}") \
            from None
    if not isinstance(data, list):
        raise DataError(f"{path}: a JSON data file holds an array of objects")
    return [_object(item, path, f"item {n}") for n, item in enumerate(data, start=1)]


def _json_lines(text: str, path: Path) -> list[dict[str, Any]]:
    rows = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as error:
            raise DataError(f"{path}:{number}:{error.colno}: not valid JSON: {error.msg}") \
                from None
        rows.append(_object(item, path, f"line {number}"))
    return rows


def _object(item: Any, path: Path, where: str) -> dict[str, Any]:
    if not isinstance(item, dict):
        raise DataError(f"{path}: {where} is not an object of variable values")
    bad = [k for k, v in item.items() if isinstance(v, (dict, list))]
    if bad:
        raise DataError(f"{path}: {where}: `{bad[0]}` is not a text, number or boolean")
    return {k: v.replace("\r\n", "\n").replace("\r", "\n") if isinstance(v, str) else v
            for k, v in item.items()}
