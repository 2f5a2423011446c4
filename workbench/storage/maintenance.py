"""Backup, restore and integrity checks: the tools a user needs when something goes wrong.

Backups go through SQLite's online backup API, never a file copy: a copy taken while another
program writes in WAL mode is corrupt, while the backup API copies one consistent snapshot
and does not stop writers. Every backup is checked before it gets its final name.

Restore, decided and documented here:
1. The backup is checked first (SQLite header and size, `PRAGMA integrity_check`, foreign
   keys, a workbench schema revision this program knows). A bad backup changes nothing.
2. The database being replaced must not be in use. Before anything else, SQLite is asked
   whether another process has it open (dbfiles.in_use_elsewhere: an exclusive lock that
   any other connection blocks; restore itself holds none then); then, when it is written
   in place, restore switches it out of WAL mode, which SQLite only allows when no other
   connection has it open. If a workbench window or another program has it open, restore
   refuses and changes nothing ("close it and retry").
3. The current database is kept beside it as `NAME.bak-YYYYmmddTHHMMSSZ` (a backup-API
   copy; a database too damaged for that is moved aside instead).
4. The checked backup is written into the database with the backup API, inside one SQLite
   transaction with a rollback journal: a crash or kill half way leaves the old contents,
   never a mix. A database that does not exist yet (or was moved aside) is written to a
   temporary file beside it and renamed into place.
5. The restored database is checked again; it is migrated to the current schema the next
   time it is opened.

PostgreSQL databases are backed up with the server's own tools (pg_dump); these functions
refuse them with that advice.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager, suppress
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import func, select

from workbench.errors import BusyError, DatabaseError, DiskFullError
from workbench.storage.dbfiles import in_use_elsewhere
from workbench.storage.models import Claim, Event, Evidence, Verdict
from workbench.storage.search import SQLITE_INDEX_CHECK
from workbench.storage.store import (
    Store,
    _sqlite_path,
    check_sqlite_header,
    head_revision,
    known_revisions,
    read_only_uri,
)

REQUIRED_TABLES = ("alembic_version", "claims", "events", "verdicts", "evidence", "sources")
MAX_REPORTED = 20  # problems of one kind listed before "and N more"


@dataclass(frozen=True)
class DatabaseInfo:
    """What a checked database file holds."""

    path: Path
    revision: str
    claims: int
    verdicts: int
    events: int
    size: int

    def to_json(self) -> dict[str, object]:
        return {
            "path": str(self.path),
            "revision": self.revision,
            "claims": self.claims,
            "verdicts": self.verdicts,
            "events": self.events,
            "size": self.size,
        }


@dataclass(frozen=True)
class RestoreResult:
    database: Path
    restored: DatabaseInfo
    previous: Path | None  # where the replaced database was kept, if there was one

    def to_json(self) -> dict[str, object]:
        return {
            "database": str(self.database),
            "restored_from": self.restored.to_json(),
            "previous_kept_as": str(self.previous) if self.previous else None,
        }


def _timestamp() -> str:
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")


def _sqlite_error(exc: BaseException, where: Path | str) -> DatabaseError:
    """A clear message for an sqlite3 or OS error while backing up or restoring."""
    message = str(exc)
    lowered = message.lower()
    if (isinstance(exc, OSError) and exc.errno == 28) or "disk is full" in lowered:
        return DiskFullError(f"the disk holding {where} is full; free some space and try again")
    if "locked" in lowered or "busy" in lowered:
        return BusyError(f"database {where} is busy (another program is writing); try again")
    if "readonly" in lowered or "read-only" in lowered or isinstance(exc, PermissionError):
        return DatabaseError(f"cannot write {where}: it or its folder is read-only")
    if "not a database" in lowered or "malformed" in lowered:
        return DatabaseError(f"{where} is corrupted ({message})")
    return DatabaseError(f"{where}: {message}")


def _connect(path: Path, *, read_only: bool, timeout_ms: int = 5000) -> sqlite3.Connection:
    if read_only:
        conn = sqlite3.connect(read_only_uri(path), uri=True, isolation_level=None)
    else:
        conn = sqlite3.connect(path, isolation_level=None)
    conn.execute(f"PRAGMA busy_timeout = {timeout_ms}")
    return conn


def _inspect(conn: sqlite3.Connection, path: Path) -> DatabaseInfo:
    """Checks an open database is intact and a workbench database this program knows."""
    try:
        result = [row[0] for row in conn.execute("PRAGMA integrity_check(20)")]
        if result != ["ok"]:
            raise DatabaseError(f"{path} is damaged (integrity check: {'; '.join(result[:3])})")
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        missing = [t for t in REQUIRED_TABLES if t not in tables]
        if missing:
            raise DatabaseError(
                f"{path} is an SQLite database but not a workbench one "
                f"(no {', '.join(missing)} table)"
            )
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        revision = str(row[0]) if row else ""
        if revision not in known_revisions():
            raise DatabaseError(
                f"{path} has schema revision {revision or '(none)'}, which this program does "
                f"not know (it knows up to {head_revision()}); use a newer workbench"
            )
        dangling = conn.execute("PRAGMA foreign_key_check").fetchall()
        if dangling:
            raise DatabaseError(
                f"{path} is damaged: {len(dangling)} rows point to rows that do not exist "
                f"(first in table {dangling[0][0]})"
            )

        def count(table: str) -> int:
            return int(conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])

        return DatabaseInfo(
            path=path,
            revision=revision,
            claims=count("claims"),
            verdicts=count("verdicts"),
            events=count("events"),
            size=path.stat().st_size,
        )
    except sqlite3.DatabaseError as exc:
        raise DatabaseError(f"{path} is corrupted or not a database ({exc})") from None


def inspect_database(path: Path) -> DatabaseInfo:
    """Checks a database file (a backup, say) without writing anything to it or beside it."""
    path = Path(path).expanduser()
    if not path.exists():
        raise DatabaseError(f"{path} does not exist")
    if not path.is_file():
        raise DatabaseError(f"{path} is not a file")
    if path.stat().st_size == 0:
        raise DatabaseError(f"{path} is empty, not a workbench database")
    try:
        check_sqlite_header(path)
    except DatabaseError as exc:
        # Without the advice meant for --db ("restore it from a backup"): this may be one.
        raise DatabaseError(str(exc).split("; ")[0]) from None
    try:
        with closing(_connect(path, read_only=True)) as conn:
            return _inspect(conn, path)
    except sqlite3.Error as exc:
        raise _sqlite_error(exc, path) from None
    except OSError as exc:
        raise DatabaseError(f"cannot read {path}: {exc.strerror or exc}") from None


def _require_sqlite(store_or_path: Store | Path) -> Path:
    if isinstance(store_or_path, Path):
        return store_or_path
    if store_or_path.sqlite_path is None:
        raise DatabaseError(
            f"database {store_or_path.where} is not an SQLite file; back PostgreSQL up with "
            "its own tools (pg_dump) instead"
        )
    return store_or_path.sqlite_path


def _check_folder(folder: Path, what: str) -> None:
    if not folder.is_dir():
        raise DatabaseError(
            f"the folder {folder} does not exist; create it or choose another {what}"
        )
    if not os.access(folder, os.W_OK) or not (folder.stat().st_mode & 0o200):
        raise DatabaseError(f"cannot write to the folder {folder}: it is read-only")


@contextmanager
def _temporary_beside(final: Path) -> Iterator[Path]:
    """A temporary file name beside `final` (same filesystem, so the rename is atomic);
    removed again if the block fails."""
    temp = final.with_name(f".{final.name}.{os.getpid()}.partial")
    for suffix in ("", "-journal", "-wal", "-shm"):
        Path(f"{temp}{suffix}").unlink(missing_ok=True)
    try:
        yield temp
    except BaseException:
        for suffix in ("", "-journal", "-wal", "-shm"):
            with suppress(OSError):
                Path(f"{temp}{suffix}").unlink(missing_ok=True)
        raise


def _fsync(path: Path) -> None:
    # Only ever a finished copy no connection of this process has open, or a folder: a
    # descriptor of a database this process has connections to must never be closed here.
    with suppress(OSError):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _copy_to_new_file(source: sqlite3.Connection, final: Path, *, check: bool = True) -> None:
    """Writes the database behind `source` to `final` (which must not exist yet) through the
    backup API: a temporary file beside it, checked, synced, then renamed into place."""
    with _temporary_beside(final) as temp:
        with closing(sqlite3.connect(temp, isolation_level=None)) as target:
            source.backup(target)  # one step: a consistent snapshot; writers are not stopped
            # A self-contained file, with no -wal needed beside it.
            target.execute("PRAGMA journal_mode = DELETE")
            if check:
                _inspect(target, temp)
        _fsync(temp)
        os.replace(temp, final)
    _fsync(final.parent)


def backup(store: Store, destination: Path) -> DatabaseInfo:
    """Writes a checked copy of the store's database to `destination` (a new file, or a folder
    to put a timestamped file in). Works while other programs read and write."""
    source_path = _require_sqlite(store)
    destination = Path(destination).expanduser()
    if destination.is_dir():
        destination = destination / f"{source_path.stem}-{_timestamp()}.db"
    if destination.exists():
        raise DatabaseError(f"{destination} already exists; choose a new name for the backup")
    if destination.resolve() == source_path.resolve():
        raise DatabaseError("the backup must go to another file than the database itself")
    _check_folder(destination.parent, "backup path")
    try:
        # A normal connection (it only reads): a read-only one could not tidy away the
        # empty -wal and -shm files when it is the last to close.
        with closing(_connect(source_path, read_only=False)) as source:
            _copy_to_new_file(source, destination)
        return inspect_database(destination)
    except sqlite3.Error as exc:
        raise _sqlite_error(exc, destination) from None
    except OSError as exc:
        raise _sqlite_error(exc, destination) from None


def _unused_name(path: Path) -> Path:
    """`path`, or `path-2`, `path-3`...: two restores in one second keep both old files."""
    candidate, n = path, 1
    while candidate.exists() or Path(f"{candidate}-wal").exists():
        n += 1
        candidate = path.with_name(f"{path.name}-{n}")
    return candidate


def _move_aside(path: Path, kept: Path) -> None:
    """Moves a database too damaged to copy, with its journal files, to `kept`."""
    os.replace(path, kept)
    for suffix in ("-wal", "-shm", "-journal"):
        side = Path(f"{path}{suffix}")
        if side.exists():
            os.replace(side, Path(f"{kept}{suffix}"))


def restore(database: Store | Path, backup_path: Path) -> RestoreResult:
    """Replaces `database` with a checked backup, keeping the old one beside it (see the
    module docstring for the exact steps and guarantees)."""
    target = _require_sqlite(database) if isinstance(database, Store) else Path(database)
    target = target.expanduser()
    backup_path = Path(backup_path).expanduser()
    try:
        info = inspect_database(backup_path)  # 1. the backup first
    except DatabaseError as exc:
        raise DatabaseError(f"cannot restore from it: {exc}; nothing was changed") from None
    if target.exists() and backup_path.resolve() == target.resolve():
        raise DatabaseError("that backup is the database itself; choose a backup file")
    if target.is_dir():
        raise DatabaseError(f"{target} is a directory; give the database file to restore into")
    _check_folder(target.parent, "--db path")
    if target.exists() and not (target.stat().st_mode & 0o200 and os.access(target, os.W_OK)):
        raise DatabaseError(f"database {target} is read-only; make it writable first")
    if isinstance(database, Store):
        database.dispose()  # this process's own connections would hide the others' from SQLite
    if in_use_elsewhere(target):  # 2. before anything beside it is created, moved or replaced
        raise _in_use(target)
    kept: Path | None = None
    try:
        with closing(_connect(backup_path, read_only=True)) as source:
            if not target.exists() or target.stat().st_size == 0:
                target.unlink(missing_ok=True)
                _copy_to_new_file(source, target)
            else:
                kept = _unused_name(target.with_name(f"{target.name}.bak-{_timestamp()}"))
                if not _restore_in_place(source, target, kept):
                    _move_aside(target, kept)  # too damaged for SQLite to write into
                    _copy_to_new_file(source, target)
    except sqlite3.Error as exc:
        raise _sqlite_error(exc, target) from None
    except OSError as exc:
        raise _sqlite_error(exc, target) from None
    try:
        with closing(_connect(target, read_only=True)) as check:
            _inspect(check, target)
    except sqlite3.Error as exc:
        raise _sqlite_error(exc, target) from None
    return RestoreResult(database=target, restored=info, previous=kept)


def _in_use(target: Path) -> BusyError:
    return BusyError(
        f"database {target} is in use by another program (a workbench window?); "
        "close it and run restore again; nothing was changed"
    )


def _restore_in_place(source: sqlite3.Connection, target: Path, kept: Path) -> bool:
    """Copies the backup into the existing database inside one SQLite transaction, after
    keeping the current contents at `kept`. False when the current file is too damaged for
    SQLite to open (the caller then moves it aside). Raises BusyError if it is in use."""
    try:
        conn = _connect(target, read_only=False, timeout_ms=1000)
    except sqlite3.DatabaseError:
        return False
    with closing(conn):
        try:
            # Leaving WAL mode needs every other connection closed: this is the in-use check.
            mode = conn.execute("PRAGMA journal_mode = DELETE").fetchone()[0]
        except sqlite3.OperationalError as exc:
            if "locked" in str(exc).lower() or "busy" in str(exc).lower():
                raise _in_use(target) from None
            return False
        except sqlite3.DatabaseError:
            return False
        if str(mode).lower() != "delete":
            raise _in_use(target)
        try:
            _copy_to_new_file(conn, kept, check=False)  # 3. keep the current contents
        except sqlite3.DatabaseError:
            return False  # damaged: it gets moved aside instead
        # 4. one transaction with a rollback journal: all of the backup or none of it.
        source.backup(conn)
        result = [row[0] for row in conn.execute("PRAGMA integrity_check(5)")]
        if result != ["ok"]:
            raise DatabaseError(f"restoring into {target} failed its check: {result[0]}")
        conn.execute("PRAGMA journal_mode = WAL")
    return True


# ---------------------------------------------------------------- integrity


def integrity_problems(store: Store) -> list[str]:
    """Everything wrong with the database that a user should hear about; empty when healthy.
    SQLite's own checks (pages, foreign keys, the full-text index) and the workbench's
    invariants (every verdict has its audit event; the denormalised rating and source count
    agree with the rows). For `workbench check`."""
    problems: list[str] = []

    def report(kind: str, items: list[str]) -> None:
        problems.extend(f"{kind}: {item}" for item in items[:MAX_REPORTED])
        if len(items) > MAX_REPORTED:
            problems.append(f"{kind}: and {len(items) - MAX_REPORTED} more")

    if store.sqlite_path is not None:
        try:
            # Not read-only: the full-text check is spelled as an INSERT (it changes nothing).
            with closing(_connect(store.sqlite_path, read_only=False)) as conn:
                pages = [r[0] for r in conn.execute("PRAGMA integrity_check(50)")]
                if pages != ["ok"]:
                    report("database file", pages)
                    return problems  # the rest would read damaged pages
                dangling = conn.execute("PRAGMA foreign_key_check").fetchall()
                report(
                    "dangling reference",
                    [f"{t} row {rowid} -> {parent}" for t, rowid, parent, _ in dangling],
                )
                try:
                    conn.execute(SQLITE_INDEX_CHECK)
                except sqlite3.DatabaseError as exc:
                    report("search index", [f"{exc}; it can be rebuilt"])
        except sqlite3.Error as exc:
            return [f"database file: {exc}"]

    with store.read() as session:
        audited = select(Event.entity_id).where(
            Event.action == "verdict.add", Event.entity_id.is_not(None)
        )
        unaudited = session.scalars(
            select(Verdict.id).where(Verdict.id.not_in(audited)).order_by(Verdict.id)
        ).all()
        report("verdict without its audit event", [f"verdict {v}" for v in unaudited])

        newest = (
            select(Verdict.rating)
            .where(Verdict.claim_id == Claim.id)
            .order_by(Verdict.id.desc())
            .limit(1)
            .scalar_subquery()
        )
        rows = session.execute(select(Claim.id, Claim.rating, newest)).all()
        report(
            "claim rating disagrees with its newest verdict",
            [f"claim {c}: {r} vs {n}" for c, r, n in rows if r != n],
        )
        counted = (
            select(func.count(func.distinct(Evidence.source_id)))
            .where(Evidence.claim_id == Claim.id)
            .scalar_subquery()
        )
        rows = session.execute(select(Claim.id, Claim.source_count, counted)).all()
        report(
            "claim source count disagrees with its sources",
            [f"claim {c}: {s} vs {n}" for c, s, n in rows if s != n],
        )
    return problems


def sqlite_path_of(url: str) -> Path:
    """The file behind a SQLite URL, for commands that must not open a damaged database."""
    path = _sqlite_path(url)
    if path is None:
        raise DatabaseError(
            "backup and restore work on SQLite files; for PostgreSQL use pg_dump and pg_restore"
        )
    return path
