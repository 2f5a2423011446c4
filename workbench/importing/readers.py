"""Reading an import file: its text, its format, and the records of a CSV or JSON Lines file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from workbench.errors import ValidationError
from workbench.importing.htmlpage import looks_like_html, read_page
from workbench.importing.records import READABLE_FORMATS


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
            f"{path} is not UTF-8 text (byte {exc.start}); save it as UTF-8 and try again "
            f"({READABLE_FORMATS})"
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
        if exc.msg == "Extra data":
            return "jsonl", None  # one JSON value a line (those not objects are reported)
        raise ValidationError(
            f"{name} is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"
        ) from None
    if isinstance(document, dict) and document.get("format") == "workbench-report":
        return "report", document
    return "claimreview", document
