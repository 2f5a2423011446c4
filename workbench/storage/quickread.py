"""Reads of a SQLite file on the standard library's sqlite3, without SQLAlchemy.

A read command on a database already at the newest schema needs none of the ORM, whose
import alone costs more than the whole read should. `Reading` is what a read use case gets:
on a plain SQLite file a read-only sqlite3 connection (`conn`), elsewhere a read-only ORM
session (`session`); the use case answers the same either way.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, fields
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from workbench.storage.sqlitefile import busy_timeout_ms, friendly_error, read_only_uri

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

T = TypeVar("T")


@dataclass(frozen=True)
class Reading:
    """One read-only look at a database: exactly one of `conn` and `session` is set."""

    conn: sqlite3.Connection | None = None
    session: Session | None = None

    def orm(self) -> Session:
        if self.session is None:
            raise TypeError("this reading is a sqlite3 connection, not an ORM session")
        return self.session

    def rows(self, sql: str, params: Any = ()) -> list[sqlite3.Row]:
        if self.conn is None:
            raise TypeError("this reading is an ORM session, not a sqlite3 connection")
        return self.conn.execute(sql, params).fetchall()


@contextmanager
def sqlite_reading(path: Path) -> Iterator[Reading]:
    """A read-only connection to `path` in one transaction (a consistent view), opened by URI
    so nothing is created beside the file; errors as one line for the user."""
    where = str(path)
    try:
        conn = sqlite3.connect(
            read_only_uri(path), uri=True, timeout=busy_timeout_ms() / 1000, isolation_level=None
        )
    except sqlite3.Error as exc:
        raise friendly_error(exc, where) from None
    try:
        conn.row_factory = sqlite3.Row
        conn.execute("BEGIN")
        yield Reading(conn=conn)
    except sqlite3.Error as exc:
        raise friendly_error(exc, where) from None
    finally:
        conn.close()


def stored_time(value: str | None) -> datetime | None:
    """A time as SQLAlchemy stores it on SQLite (naive UTC text) as the aware datetime its
    UTCDateTime type reads back."""
    if value is None:
        return None
    parsed = datetime.fromisoformat(value)
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)


def time_text(value: datetime) -> str:
    """A datetime as a SQLite query compares it with stored times: UTC, naive, microseconds
    (how SQLAlchemy binds a UTCDateTime; a naive time is taken as UTC)."""
    if value.tzinfo is not None:
        value = value.astimezone(UTC)
    return value.isoformat(" ", "microseconds")[:26]


def stored_json(value: str | None) -> Any:
    import json  # here: the first rows of a list read no JSON column, and json costs ms

    return None if value is None else json.loads(value)


_KINDS: dict[type[Any], tuple[tuple[str, str], ...]] = {}


def plain(cls: type[T], row: sqlite3.Row, **given: Any) -> T:
    """`cls` (a result dataclass) from the columns of `row` named as its fields, unless
    `given`; times and JSON converted as SQLAlchemy's column types would."""
    kinds = _KINDS.get(cls)
    if kinds is None:
        kinds = _KINDS[cls] = tuple(
            (f.name, _kind(str(f.type)))
            for f in fields(cls)  # type: ignore[arg-type]
        )
    values: dict[str, Any] = {}
    for name, kind in kinds:
        if name in given:
            values[name] = given[name]
        elif kind == "time":
            values[name] = stored_time(row[name])
        elif kind == "json":
            values[name] = stored_json(row[name])
        elif kind == "bool":
            values[name] = bool(row[name])
        else:
            values[name] = row[name]
    return cls(**values)


def _kind(annotation: str) -> str:
    if annotation.startswith("datetime"):
        return "time"
    if annotation.startswith("dict["):
        return "json"
    return "bool" if annotation == "bool" else "value"
