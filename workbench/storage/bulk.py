"""Bulk writes for the long jobs (an import of 100,000 claims, an ingest): rows inserted by
executemany (on SQLite straight through the driver, each distinct value converted once), with
ids allocated up front. The jobs run with the collector paused (workbench/collector.py)."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from operator import itemgetter
from typing import Any

from sqlalchemy import Table, func, insert, select, text
from sqlalchemy.orm import Session

INSERT_CHUNK = 5000


def event_row(
    reviewer: str,
    at: datetime,
    action: str,
    entity: str,
    entity_id: int,
    after: dict[str, Any],
    *,
    claim_id: int | None = None,
) -> dict[str, Any]:
    """The audit event of a row just written with Core, as a row of the events table (keys
    as its columns; `audit.seal_rows` adds the hashes): nothing before it, `after` its state."""
    return {
        "at": at,
        "reviewer": reviewer,
        "action": action,
        "entity": entity,
        "entity_id": entity_id,
        "claim_id": claim_id,
        "before": None,
        "after": after,
    }


def claim_event_row(
    reviewer: str, at: datetime, action: str, claim_id: int, after: dict[str, Any]
) -> dict[str, Any]:
    """`event_row` of a claim just written in bulk."""
    return event_row(reviewer, at, action, "claim", claim_id, after, claim_id=claim_id)


def _allocate_ids(session: Session, table: Table, count: int) -> list[int]:
    """`count` fresh primary keys for `table`. RETURNING with executemany degrades to one
    statement a row on SQLite (40,000 statements for 40,000 rows), so ids are chosen
    first: on PostgreSQL from the table's sequence, on SQLite above the current maximum,
    which is safe because writes there hold the database's write lock (BEGIN IMMEDIATE)."""
    if count == 0:
        return []
    if session.get_bind().dialect.name == "postgresql":
        rows = session.execute(
            text("SELECT nextval(pg_get_serial_sequence(:t, 'id')) FROM generate_series(1, :n)"),
            {"t": table.name, "n": count},
        )
        return [int(r[0]) for r in rows]
    top = int(session.scalar(select(func.max(table.c.id))) or 0)
    return list(range(top + 1, top + 1 + count))


def insert_rows(
    session: Session,
    table: Table,
    rows: list[dict[str, Any]],
    names: Sequence[str] | None = None,
) -> list[int]:
    """Core executemany with ids chosen up front; returns the ids in the order of `rows`.
    `names`: the columns to insert when the rows hold other keys too (besides "id")."""
    ids = _allocate_ids(session, table, len(rows))
    for row, new_id in zip(rows, ids, strict=True):
        row["id"] = new_id
    insert_plain(session, table, rows, None if names is None else ["id", *names])
    return ids


def insert_plain(
    session: Session,
    table: Table,
    rows: list[dict[str, Any]],
    names: Sequence[str] | None = None,
) -> None:
    """Core executemany. On SQLite the rows go to the driver's executemany as tuples with
    the values already in SQLAlchemy's storage form: its per-row parameter processing is
    most of the time of a large import (construct_params and type processors)."""
    if not rows:
        return
    if session.get_bind().dialect.name == "sqlite":
        _insert_sqlite(session, table, rows, names)
        return
    if names is not None:
        rows = [{n: row[n] for n in names} for row in rows]
    for start in range(0, len(rows), INSERT_CHUNK):
        session.execute(insert(table), rows[start : start + INSERT_CHUNK])


def _sqlite_time(value: datetime | None) -> str | None:
    # The storage format of SQLAlchemy's SQLite DATETIME, in UTC as UTCDateTime keeps it.
    if value is None:
        return None
    tz = value.tzinfo
    if tz is not None and tz is not UTC and value.utcoffset():
        value = value.astimezone(UTC)
    # One C call; the slice drops the "+00:00" an aware time carries.
    return value.isoformat(" ", "microseconds")[:26]


def _sqlite_json(value: Any) -> str | None:
    return None if value is None else json.dumps(value)


def _sqlite_bool(value: Any) -> int | None:
    return None if value is None else int(bool(value))


def _by_distinct(convert: Any, values: list[Any]) -> Iterator[Any]:
    """`map(convert, values)` converting each distinct value once: bulk rows repeat times
    (every source and event of an import is created at the same `now`), and formatting is
    most of their cost. For hashable values with equal ones converting alike."""
    table = {value: convert(value) for value in set(values)}
    return map(table.__getitem__, values)


def _insert_sqlite(
    session: Session, table: Table, rows: list[dict[str, Any]], names: Sequence[str] | None
) -> None:
    from sqlalchemy import JSON, Boolean

    from workbench.storage.models import UTCDateTime

    names = list(rows[0]) if names is None else list(names)
    converters: list[Any] = []
    for name in names:
        column_type = table.c[name].type
        if isinstance(column_type, UTCDateTime):
            converters.append(_sqlite_time)
        elif isinstance(column_type, JSON):
            converters.append(_sqlite_json)
        elif isinstance(column_type, Boolean):
            converters.append(_sqlite_bool)
        else:
            converters.append(None)
    columns = ", ".join(f'"{n}"' for n in names)
    sql = f'INSERT INTO "{table.name}" ({columns}) VALUES ({", ".join("?" * len(names))})'
    conn = session.connection()
    for start in range(0, len(rows), INSERT_CHUNK):
        chunk = rows[start : start + INSERT_CHUNK]
        # Column by column with map (loops in C), then zipped into the driver's tuples.
        columns_values: list[Iterator[Any]] = []
        for name, convert in zip(names, converters, strict=True):
            values: Iterator[Any] = map(itemgetter(name), chunk)
            if convert is _sqlite_json:
                values = map(convert, values)
            elif convert is not None:
                values = _by_distinct(convert, list(values))
            columns_values.append(values)
        conn.exec_driver_sql(sql, list(zip(*columns_values, strict=True)))
