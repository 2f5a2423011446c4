"""Checks of one record's fields: each returns the value to store or raises RecordError
naming the field and what is wrong."""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any, cast

from workbench.core.vocabulary import MAX_CLAIM_CHARS, MAX_RATIONALE_CHARS, STATUSES
from workbench.importing.results import RecordError

# --------------------------------------------------------------------- field checks


def text_field(
    record: dict[str, Any], key: str, limit: int, *, required: bool = False, collapse: bool = True
) -> str | None:
    value = record.get(key)
    if value.__class__ is str and value and not value.isspace():
        # Free text (quotes, rationales, URLs) is kept verbatim: the round trip must not
        # change it.
        cleaned: str = " ".join(value.split()) if collapse else value
        if len(cleaned) > limit:
            raise RecordError(f"'{key}' is {len(cleaned)} characters; the limit is {limit}")
        return cleaned
    if value is None or isinstance(value, str):
        if required:
            raise RecordError(f"'{key}' is missing or empty")
        return None
    raise RecordError(f"'{key}' must be text, not {type(value).__name__}")


def record_score(record: dict[str, Any]) -> float | None:
    value = record.get("score")
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise RecordError("'score' must be a number between 0 and 1")
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise RecordError(f"'score' must be a number between 0 and 1, not {value!r}") from None
    if not math.isfinite(number) or not 0 <= number <= 1:
        raise RecordError(f"'score' must be between 0 and 1, not {value!r}")
    return number


def record_status(record: dict[str, Any], allowed: Sequence[str]) -> str:
    value = record.get("status")
    if value is None or (isinstance(value, str) and not value.strip()):
        return "new"
    if not isinstance(value, str) or value.strip().lower() not in STATUSES:
        raise RecordError(f"'status' {value!r} is not one of {', '.join(STATUSES)}")
    status = value.strip().lower()
    if status not in allowed:
        raise RecordError(
            f"'status' {status!r} needs a verdict, which this format does not carry; "
            f"use one of {', '.join(allowed)} (or import a JSON report)"
        )
    return status


def _when(record: dict[str, Any], key: str, *, required: bool = False) -> datetime | None:
    value = record.get(key)
    if value is None:
        if required:
            raise RecordError(f"'{key}' is missing")
        return None
    if not isinstance(value, str):
        raise RecordError(f"'{key}' must be an ISO 8601 time")
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise RecordError(f"'{key}' {value[:40]!r} is not an ISO 8601 time") from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


class Times:
    """`_when` remembering what it parsed: the times of a report repeat (a claim's created and
    updated times, its evidence, sources fetched together), and parsing is most of their cost."""

    def __init__(self) -> None:
        self.seen: dict[str, datetime] = {}

    def get(self, record: dict[str, Any], key: str, *, required: bool = False) -> datetime | None:
        value = record.get(key)
        if value.__class__ is str:
            found = self.seen.get(value)
            if found is not None:
                return found
        parsed = _when(record, key, required=required)
        if parsed is not None:
            if len(self.seen) >= 10_000:
                self.seen.clear()  # bounded: a report of all-different times gains nothing
            self.seen[cast(str, value)] = parsed
        return parsed


# (key in the record, key in the result, limit, collapse whitespace, required)
TextSpec = tuple[tuple[str, str, int, bool, bool], ...]


def text_fields(record: dict[str, Any], spec: TextSpec, out: dict[str, Any]) -> None:
    """`text_field` of each field of `spec` into `out`: one call for all of a record's text
    (a report has millions), the usual case tested inline, anything else left to
    `text_field`, which returns None or says what is wrong."""
    get = record.get
    for key, name, limit, collapse, required in spec:
        value = get(key)
        if value.__class__ is str:
            cleaned = " ".join(value.split()) if collapse else value
            if cleaned and len(cleaned) <= limit and (collapse or not value.isspace()):
                out[name] = cleaned
                continue
        elif value is None and not required:
            out[name] = None
            continue
        out[name] = text_field(record, key, limit, required=required, collapse=collapse)


# --------------------------------------------------------------------- writing helpers


def record_ref(value: Any, what: str) -> int | str | None:
    """An identifier from the document: it keys dictionaries, so only scalars."""
    if value is None or (isinstance(value, int | str) and not isinstance(value, bool)):
        return value
    raise RecordError(f"'{what}' must be a number or text, not {type(value).__name__}")


SOURCE_TEXT: TextSpec = (
    ("url", "url", 8192, False, False),
    ("canonical_url", "canonical_url", 2048, False, False),
    ("title", "title", 500, False, False),
    ("publisher", "publisher", 500, False, False),
    ("citation", "citation", MAX_RATIONALE_CHARS, False, False),
    ("fetch_status", "fetch_status", 40, True, False),
)
HASH_TEXT: TextSpec = (("snapshot_sha256", "content_hash", 64, True, False),)
EVIDENCE_TEXT: TextSpec = (
    ("quote", "quote", MAX_RATIONALE_CHARS, False, False),
    ("created_by", "created_by", 200, True, False),
)
VERDICT_TEXT: TextSpec = (
    ("rating", "rating", 40, True, True),
    ("rationale", "rationale", MAX_RATIONALE_CHARS, False, True),
    ("reviewer", "reviewer", 200, True, True),
)
CLAIM_TEXT: TextSpec = (("text", "text", MAX_CLAIM_CHARS, True, True),)
# The short form's limit is claims/summary.py's MAX_SUMMARY_CHARS (a sibling layer).
CLAIM_SUMMARY: TextSpec = (("summary", "summary", 500, True, False),)
CLAIM_PEOPLE: TextSpec = (
    ("assignee", "assignee", 200, True, False),
    ("created_by", "created_by", 200, True, False),
)


def scalar_ref(value: Any, what: str) -> int | str | None:
    # record_ref with its usual case inline.
    return value if value.__class__ is int or value.__class__ is str else record_ref(value, what)
