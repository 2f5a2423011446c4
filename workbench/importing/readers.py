"""Reading an import file: its text, its format, and the records of a CSV or JSON Lines file."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from workbench.errors import ValidationError
from workbench.export.safety import csv_unguard
from workbench.importing.htmlpage import looks_like_html, read_page
from workbench.importing.results import ImportResult


def read_source(path: str) -> tuple[str, str]:
    """(display name, text) of a file, or of stdin for "-"."""
    import sys

    if path == "-":
        return "stdin", sys.stdin.read()
    file = Path(path)
    try:
        raw = file.read_bytes()
    except FileNotFoundError:
        raise ValidationError(f"{path} does not exist") from None
    except IsADirectoryError:
        raise ValidationError(f"{path} is a folder; give a CSV, JSON Lines or JSON file") from None
    except OSError as exc:
        raise ValidationError(f"cannot read {path}: {exc.strerror}") from None
    try:
        return path, raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValidationError(
            f"{path} is not UTF-8 text (byte {exc.start}); save it as UTF-8 and try again"
        ) from None


def detect_format(name: str, content: str) -> tuple[str, Any]:
    """("csv" | "jsonl" | "claimreview" | "report", parsed JSON or None)."""
    suffix = Path(name).suffix.lower()
    if suffix == ".csv":
        return "csv", None
    if suffix in (".jsonl", ".ndjson"):
        return "jsonl", None
    stripped = content.lstrip()
    if not stripped:
        raise ValidationError(f"{name} is empty")
    if looks_like_html(name, stripped):
        return "claimreview", read_page(content)  # its JSON-LD blocks
    if stripped[0] not in "{[":
        return "csv", None
    try:
        document = json.loads(content)
    except json.JSONDecodeError as exc:
        if exc.msg == "Extra data" and stripped[0] == "{":
            return "jsonl", None  # one JSON object a line
        raise ValidationError(
            f"{name} is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"
        ) from None
    if isinstance(document, dict) and document.get("format") == "workbench-report":
        return "report", document
    return "claimreview", document


def csv_records(content: str, result: ImportResult) -> Iterator[tuple[str, dict[str, Any]]]:
    reader = csv.reader(io.StringIO(content, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        return
    except csv.Error as exc:
        raise ValidationError(f"{result.file}: line 1 is not CSV ({exc})") from None
    columns = [csv_unguard(h).strip().lower() for h in header]
    if "text" not in columns:
        raise ValidationError(
            f"{result.file}: the CSV header has no 'text' column "
            f"(found: {', '.join(columns) or 'nothing'})"
        )
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            result.problem(f"line {reader.line_num}", f"not CSV ({exc})")
            continue
        if not any(cell.strip() for cell in row):
            continue
        where = f"line {reader.line_num}"
        if len(row) > len(columns):
            yield where, {"__error__": f"{len(row)} cells, but the header has {len(columns)}"}
            continue
        yield where, {c: csv_unguard(v) for c, v in zip(columns, row, strict=False) if c}


def jsonl_records(content: str, result: ImportResult) -> Iterator[tuple[str, dict[str, Any]]]:
    for number, line in enumerate(content.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"line {number}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield where, {"__error__": f"not JSON ({exc.msg}, column {exc.colno})"}
            continue
        if not isinstance(record, dict):
            yield where, {"__error__": "not a JSON object"}
            continue
        yield where, record
