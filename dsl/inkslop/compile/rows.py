"""Rows of variable values from a data file: CSV (with a header), a JSON array of
objects, or JSON Lines (one object a line), told apart by the file's ending."""

from __future__ import annotations

import csv
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
        return _csv_rows(text, path)
    if suffix in (".jsonl", ".ndjson"):
        return _json_lines(text, path)
    if suffix == ".json":
        return _json_array(text, path)
    raise DataError(f"{path}: unknown data format: use .csv, .json or .jsonl")


def _csv_rows(text: str, path: Path) -> list[dict[str, Any]]:
    reader = csv.DictReader(text.splitlines())
    if not reader.fieldnames:
        raise DataError(f"{path}: the CSV file has no header line")
    rows = []
    for number, row in enumerate(reader, start=1):
        if None in row:
            raise DataError(f"{path}: row {number} (line {reader.line_num}) has more fields "
                            "than the header")
        rows.append({k: v for k, v in row.items() if v is not None})
    return rows


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
    return item
