"""A SQLite file, through the standard library only (importing SQLAlchemy costs half a
second, and a read of a database already at the newest schema needs none of it): the checks
before anything touches a file (a directory, a file that is not a database, a truncated
one, a read-only one), the schema revision it is at, the read-only URI, and a database
error as one line for the user.
"""

from __future__ import annotations

import os
import sqlite3
import stat
from pathlib import Path

from workbench.errors import BusyError, DatabaseError, DiskFullError
from workbench.storage.refusals import refusal

BUSY_TIMEOUT_MS = 5000

# The newest migration in db/versions. A database at this revision is opened without
# importing Alembic; a test checks it is Alembic's head, so a new migration must update it.
HEAD_REVISION = "0007"


def busy_timeout_ms() -> int:
    """How long a save waits for another program's write lock; WORKBENCH_BUSY_TIMEOUT_MS
    overrides it (tests use a short one; a slow shared disk may want a longer one)."""
    raw = os.environ.get("WORKBENCH_BUSY_TIMEOUT_MS", "").strip()
    if not raw:
        return BUSY_TIMEOUT_MS
    try:
        value = int(raw)
    except ValueError:
        raise DatabaseError(
            f"WORKBENCH_BUSY_TIMEOUT_MS is {raw!r}; set it to a whole number of milliseconds"
        ) from None
    if value < 0:
        raise DatabaseError("WORKBENCH_BUSY_TIMEOUT_MS must be zero or more milliseconds")
    return value


def database_url(db: str | os.PathLike[str]) -> str:
    """A SQLAlchemy URL from a URL or a path to a SQLite file."""
    value = os.fspath(db)
    if "://" in value:
        return value
    return "sqlite:///" + str(Path(value).expanduser().resolve())


def plain_sqlite_file(url: str) -> Path | None:
    """The file of a plain `sqlite:///PATH` URL, parsed without SQLAlchemy; None for any
    other URL, or one with options, escapes or an in-memory database (those take the
    SQLAlchemy path, which parses every form)."""
    for prefix in ("sqlite:///", "sqlite+pysqlite:///"):
        if url.startswith(prefix):
            rest = url[len(prefix) :]
            if not rest or "?" in rest or "%" in rest or rest == ":memory:":
                return None
            return None if rest.startswith("file:") else Path(rest)
    return None


def check_sqlite_file(path: Path) -> None:
    """Refuses files SQLite would choke on or that we must not write, without writing to them."""
    if path.is_dir():
        raise DatabaseError(f"{path} is a directory; give the path of a database file inside it")
    if not path.parent.is_dir():
        raise DatabaseError(
            f"the folder {path.parent} does not exist; create it or choose another --db path"
        )
    if not path.exists():
        if not os.access(path.parent, os.W_OK) or not _writable_mode(path.parent):
            raise DatabaseError(f"cannot create {path}: the folder {path.parent} is read-only")
        return
    if not _writable_mode(path) or not os.access(path, os.W_OK):
        raise DatabaseError(
            f"database {path} is read-only; make it writable (chmod u+w) or copy it elsewhere"
        )
    if not _writable_mode(path.parent) or not os.access(path.parent, os.W_OK):
        # SQLite keeps its write-ahead log and lock files beside the database.
        raise DatabaseError(
            f"the folder {path.parent} holding database {path} is read-only, and SQLite must "
            "write its journal files beside the database; make the folder writable or copy "
            "the database elsewhere"
        )
    _recover_interrupted_write(path)
    check_sqlite_header(path)


def _recover_interrupted_write(path: Path) -> None:
    """A non-empty -journal beside the database is a write in rollback-journal mode (restore
    uses one) that was interrupted. SQLite rolls it back on the first read-write open; the
    read-only checks that follow cannot, and would call the half-written file corrupt."""
    journal = Path(f"{path}-journal")
    if not journal.is_file() or journal.stat().st_size == 0:
        return
    try:
        conn = sqlite3.connect(path, timeout=busy_timeout_ms() / 1000)
        try:
            conn.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise DatabaseError(
            f"database {path} was left half-written and SQLite cannot roll it back ({exc}); "
            "restore it from a backup (workbench restore)"
        ) from None


def check_sqlite_header(path: Path) -> None:
    """Refuses a file that is not an SQLite database or is shorter than its header says.
    Reads only, and only through SQLite; an empty file passes (SQLite treats it as empty).

    Never read the file with Python's open(): SQLite's locks are POSIX locks owned by the
    process, and closing any descriptor of the file drops every lock this process holds on
    it, so another process believes it is the last user and checkpoints and deletes the
    write-ahead log under this one's open connections (a corrupt database)."""
    if path.stat().st_size == 0:
        return
    try:
        conn = sqlite3.connect(read_only_uri(path), uri=True)
        try:
            conn.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        lowered = str(exc).lower()
        if "not a database" in lowered:
            raise DatabaseError(
                f"{path} is not a workbench database (not an SQLite file); choose another --db path"
            ) from None
        if "malformed" in lowered:
            raise DatabaseError(
                f"database {path} is truncated or corrupted ({exc}); "
                "restore it from a backup (workbench restore)"
            ) from None
        raise DatabaseError(f"cannot read database {path} ({exc})") from None


def _writable_mode(path: Path) -> bool:
    # Mode bits, not os.access alone: as root os.access says yes to everything, and a file
    # marked read-only should stay untouched whoever runs the program.
    return bool(path.stat().st_mode & stat.S_IWUSR)


def read_only_uri(path: Path) -> str:
    """A URI that opens `path` for reading without creating anything beside it. A read-only
    connection to a WAL database otherwise leaves -wal and -shm files it cannot remove. With
    no -wal nor -journal file present nobody is writing and the file is complete on its own,
    so it can be opened immutable; with a -wal present there is no new file to create.
    Decided from the names beside the file only (see check_sqlite_header for why the file
    itself is never opened outside SQLite)."""
    if not Path(f"{path}-wal").exists() and not Path(f"{path}-journal").exists():
        return f"file:{path}?mode=ro&immutable=1"
    return f"file:{path}?mode=ro"


def read_sqlite_revision(path: Path) -> str | None:
    """The schema revision of an existing file, read without writing anything."""
    if not path.exists() or path.stat().st_size == 0:
        return None
    try:
        conn = sqlite3.connect(read_only_uri(path), uri=True)
        try:
            tables = {
                row[0]
                for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            }
            if "alembic_version" not in tables:
                if tables:
                    raise DatabaseError(
                        f"{path} is an SQLite database, but not a workbench one "
                        f"(it has tables {', '.join(sorted(tables)[:5])}); choose another --db path"
                    )
                return None
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
            return str(row[0]) if row else None
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise DatabaseError(
            f"database {path} is corrupted or not a database ({exc}); "
            "restore it from a backup or choose another --db path"
        ) from None


def friendly_error(exc: Exception, where: str) -> DatabaseError:
    orig = getattr(exc, "orig", exc)
    message = str(orig)
    refused = refusal(orig, message, where)
    if refused is not None:
        return refused
    lowered = message.lower()
    if "readonly" in lowered or "read-only" in lowered:
        return DatabaseError(
            f"database {where} is read-only; make it writable or copy it elsewhere"
        )
    if "locked" in lowered or "busy" in lowered:
        return BusyError(f"database {where} is busy (another program is writing); try again")
    if "disk is full" in lowered or "no space" in lowered:
        return DiskFullError(f"the disk holding {where} is full; free some space and try again")
    if "not a database" in lowered or "malformed" in lowered:
        return DatabaseError(f"database {where} is corrupted ({message}); restore it from a backup")
    return DatabaseError(f"database {where}: {' '.join(message.split())}")
