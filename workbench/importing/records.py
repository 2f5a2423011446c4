"""Claim records from CSV and JSON Lines, one at a time, each named by its line.

A record that cannot be read is yielded as `{"__error__": why}` (the importer reports it and
goes on, or refuses the file with --strict): a CSV record whose quote is never closed, or
that has another number of cells than the header, is skipped with only its first line, and
the lines after it are read again as records of their own, so a stray quote never merges
the lines after it into one claim.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from typing import Any

from workbench.errors import ValidationError
from workbench.export.safety import csv_unguard

READABLE_FORMATS = (
    "workbench import reads CSV or JSON Lines of claims (with a 'text' column or field), "
    "ClaimReview JSON-LD, or a JSON report of workbench export"
)


class _CsvLines:
    """The physical lines of a CSV text for csv.reader, numbered, with the lines of a
    malformed record given back: an unclosed quote swallows the lines after it into one
    record, and those lines must be read again as records of their own."""

    def __init__(self, content: str) -> None:
        self._lines = iter(io.StringIO(content, newline=""))
        self._given_back: list[str] = []
        self._record: list[str] = []
        self.first_line = 1  # the number of the current record's first line

    def __iter__(self) -> _CsvLines:
        return self

    def __next__(self) -> str:
        line = self._given_back.pop() if self._given_back else next(self._lines)
        self._record.append(line)
        return line

    def next_record(self) -> None:
        self.first_line += len(self._record)
        self._record = []

    def skip_first_line(self) -> None:
        """The current record is malformed: only its first line is dropped."""
        self._given_back.extend(reversed(self._record[1:]))
        self.first_line += 1
        self._record = []


def _csv_problem(exc: csv.Error) -> str:
    message = str(exc)
    if "end of data" in message or "expected after" in message:
        return f"a quote that is not closed where its cell ends ({message}); record skipped"
    return f"not CSV ({message})"


def csv_records(content: str, name: str) -> Iterator[tuple[str, dict[str, Any]]]:
    """One record at a time, each named by its first line. A record with an unclosed quote,
    or with another number of cells than the header, is reported and skipped, and the lines
    after its first are read again as records (never merged into one claim)."""
    lines = _CsvLines(content)
    reader = csv.reader(lines, strict=True)
    try:
        header = next(reader)
    except StopIteration:
        return
    except csv.Error as exc:
        raise ValidationError(f"{name}: line 1 is not CSV ({exc})") from None
    columns = [csv_unguard(h).strip().lower() for h in header]
    if "text" not in columns:
        raise ValidationError(
            f"{name}: the CSV header has no 'text' column "
            f"(found: {', '.join(columns) or 'nothing'}); {READABLE_FORMATS}"
        )
    while True:
        lines.next_record()
        where = f"line {lines.first_line}"
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield where, {"__error__": _csv_problem(exc)}
            lines.skip_first_line()
            reader = csv.reader(lines, strict=True)  # its state was mid-record
            continue
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(columns):
            yield where, {"__error__": f"{len(row)} cells, but the header has {len(columns)}"}
            lines.skip_first_line()
            continue
        yield where, {c: csv_unguard(v) for c, v in zip(columns, row, strict=True) if c}


def jsonl_records(content: str) -> Iterator[tuple[str, dict[str, Any]]]:
    # Split at line feeds only: str.splitlines() also splits at U+2028, form feeds and
    # others that a JSON string may hold as they are, and would break such a record in two.
    for number, line in enumerate(content.split("\n"), start=1):
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
