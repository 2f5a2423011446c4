"""The files of an SQLite database, kept out of reach of everything but SQLite.

SQLite's locks are POSIX advisory locks, and those belong to the process: closing any
descriptor of the database file (a Python `open()` of it, say) drops every lock the process
holds on it. Another process then believes it is the last user, checkpoints and deletes the
write-ahead log under this one's connections, and the two go on writing different databases.
So the workbench never reads or writes these files itself: a path the user gives for an
article, an import or a report is refused when it is the database or one of its journal
files, and whether another program has the database open is asked of SQLite, not of the
file system.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

from workbench.errors import ValidationError

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

SIDE_SUFFIXES = ("-wal", "-shm", "-journal")
IN_USE_PROBE_MS = 200  # how long the in-use probe waits for a lock another program holds


def database_files(database: Path) -> list[Path]:
    """The database and the journal files SQLite keeps beside it."""
    return [database, *(Path(f"{database}{suffix}") for suffix in SIDE_SUFFIXES)]


def is_database_file(candidate: Path, database: Path) -> bool:
    """True when `candidate` names the database or one of its journal files, by its name or
    through another link to the same file (locks belong to the file, not to a name)."""
    candidate = candidate.expanduser()
    wanted = candidate.resolve()
    for own in database_files(database):
        if wanted == own.resolve():
            return True
        try:
            if os.path.samefile(candidate, own):  # stat only: never opens either file
                return True
        except OSError:
            continue  # one of the two does not exist
    return False


def refuse_database_file(candidate: str | Path, database: Path | None, doing: str) -> None:
    """Raises a clear error when the user's `candidate` path is the database itself (or a
    journal file of it): `doing` says what they asked for, e.g. "ingest"."""
    if database is None or str(candidate) == "-":
        return
    if is_database_file(Path(candidate), database):
        raise ValidationError(
            f"{candidate} is the workbench database itself (or one of its journal files); "
            f"choose another file to {doing}"
        )


def session_database(session: Session) -> Path | None:
    """The SQLite file behind a session, None for other databases."""
    from sqlalchemy import Engine

    from workbench.storage.store import _sqlite_path

    bind = session.get_bind()
    engine = bind if isinstance(bind, Engine) else bind.engine
    return _sqlite_path(str(engine.url))


def in_use_elsewhere(database: Path, *, timeout_ms: int = IN_USE_PROBE_MS) -> bool:
    """Whether another process has the database open, asked of SQLite: a connection in
    exclusive locking mode cannot begin an exclusive transaction while any other process
    holds a connection to a database in WAL mode, idle or not. The calling process must hold
    no connection to it itself (its own locks never conflict with each other). A missing
    file, or one that is not a database, is in use by nobody as far as SQLite can tell."""
    if not database.is_file():
        return False
    conn = sqlite3.connect(database, timeout=timeout_ms / 1000, isolation_level=None)
    try:
        conn.execute("PRAGMA locking_mode = EXCLUSIVE")
        conn.execute("BEGIN EXCLUSIVE")
        conn.execute("ROLLBACK")
    except sqlite3.OperationalError as exc:
        lowered = str(exc).lower()
        if "locked" in lowered or "busy" in lowered:
            return True
        return False
    except sqlite3.DatabaseError:
        return False
    finally:
        conn.close()
    return False
