"""Stored times as report text: every format prints times as ISO 8601 in UTC."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any


def stored_time(value: Any) -> datetime | None:
    """A stored time as an aware datetime. Times are selected without SQLAlchemy's type
    processing (a third of the export's time at 100,000 claims): SQLite gives ISO text,
    which `fromisoformat` parses in C; PostgreSQL gives datetimes."""
    if value is None:
        return None
    if value.__class__ is str:
        # SQLAlchemy stores UTC times naive: parsing them with the offset appended is one
        # C call instead of a parse and a replace (text with its own offset falls through).
        try:
            fast = datetime.fromisoformat(value + "+00:00")
        except ValueError:
            pass
        else:
            if fast.tzinfo is not None:  # a date alone takes no offset: it falls through
                return fast
    parsed: datetime = datetime.fromisoformat(value) if isinstance(value, str) else value
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC) if parsed.utcoffset() else parsed


def utc_text(value: Any) -> str | None:
    """A stored time as ISO 8601 UTC text, the same as `stored_time(value).isoformat()`."""
    if value is None:
        return None
    if (
        value.__class__ is str
        and len(value) == 26
        and value[4] == "-"
        and value[10] == " "
        and value[13] == ":"
        and value[19] == "."
    ):
        # SQLAlchemy's SQLite storage of a naive UTC time ("2026-11-01 10:00:00.000000"):
        # its ISO text is the same digits rearranged (isoformat leaves out zero microseconds).
        if value.endswith(".000000"):
            return f"{value[:10]}T{value[11:19]}+00:00"
        return f"{value[:10]}T{value[11:]}+00:00"
    parsed = stored_time(value)
    return parsed.isoformat() if parsed is not None else None
