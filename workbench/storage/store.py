"""Engines, sessions and migrations.

SQLite files are checked before SQLAlchemy touches them (a directory, a file that is not a
database, a truncated one, a read-only one, a schema newer than this program), so a bad
`--db` gets a clear message and the file stays as it was.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, inspect, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, OperationalError
from sqlalchemy.exc import DatabaseError as SADatabaseError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from workbench.errors import ConflictError, DatabaseError, RefusedError
from workbench.storage.sqlitefile import (
    busy_timeout_ms,
    check_sqlite_file,
    check_sqlite_header,
    database_url,
    read_only_uri,
    read_sqlite_revision,
)
from workbench.storage.sqlitefile import friendly_error as _friendly

# Re-exported: older callers import these from here.
__all__ = [
    "Store",
    "check_sqlite_header",
    "database_url",
    "head_revision",
    "known_revisions",
    "read_only_uri",
]


def migrations_dir() -> Path:
    """The Alembic folder: inside the installed package, or the repository's top-level db/."""
    packaged = Path(str(resources.files("workbench"))) / "_migrations"
    if (packaged / "env.py").exists():
        return packaged
    return Path(__file__).resolve().parents[2] / "db"


def _sqlite_path(url: str) -> Path | None:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database:
        return None
    if parsed.database == ":memory:" or parsed.database.startswith("file:"):
        return None
    return Path(parsed.database)


def _install_sqlite_listeners(engine: Engine) -> None:
    timeout_ms = busy_timeout_ms()

    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Take transaction control from the sqlite3 module so we can say BEGIN IMMEDIATE.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {timeout_ms}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(conn: Any) -> None:
        # Writers take the write lock up front: two read-then-write transactions otherwise
        # fail at once with SQLITE_BUSY whatever the busy timeout.
        mode = conn.get_execution_options().get("sqlite_begin", "DEFERRED")
        conn.exec_driver_sql(f"BEGIN {mode}")


def _alembic_config(connection: Any = None) -> Any:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(migrations_dir()))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def _script_revisions() -> dict[str, str | None]:
    """revision -> down_revision, read from the migration files as text: importing Alembic
    costs 0.3 s, and a database already at head (the usual case) does not need it."""
    import re

    found: dict[str, str | None] = {}
    for path in (migrations_dir() / "versions").glob("*.py"):
        source = path.read_text(encoding="utf-8")
        rev = re.search(r"^revision\s*=\s*['\"]([^'\"]+)['\"]", source, re.M)
        down = re.search(r"^down_revision\s*=\s*(?:['\"]([^'\"]+)['\"]|None)", source, re.M)
        if rev:
            found[rev.group(1)] = down.group(1) if down else None
    return found


def known_revisions() -> set[str]:
    return set(_script_revisions())


def head_revision() -> str:
    revisions = _script_revisions()
    heads = set(revisions) - {down for down in revisions.values() if down}
    if len(heads) != 1:
        raise DatabaseError(f"the program's migrations have {len(heads)} heads; reinstall it")
    return heads.pop()


class Store:
    """One database: an engine, a read session factory and a write session factory."""

    def __init__(self, url: str, *, migrate: bool = True) -> None:
        self.url = url
        # Units of work in flight, and whether dispose() was asked for (see _unit).
        self._units = 0
        self._closing = False
        self._units_lock = threading.Lock()
        self.sqlite_path = _sqlite_path(url)
        self.where = str(self.sqlite_path) if self.sqlite_path else _safe_url(url)
        if self.sqlite_path is not None:
            check_sqlite_file(self.sqlite_path)
            self._refuse_newer(read_sqlite_revision(self.sqlite_path))
        try:
            self.engine = create_engine(url, pool_pre_ping=self.sqlite_path is None)
        except NoSuchModuleError:
            driver = url.split("://", 1)[0]
            raise DatabaseError(
                f"unknown database driver {driver!r}; use a file path, sqlite:///PATH or "
                "postgresql+psycopg://USER@HOST/NAME (pip install 'workbench[postgres]')"
            ) from None
        except (ArgumentError, ValueError) as exc:
            raise DatabaseError(f"cannot understand the database URL: {exc}") from None
        except ImportError as exc:
            raise DatabaseError(
                f"the database driver is not installed ({exc.name}); "
                "for PostgreSQL: pip install 'workbench[postgres]'"
            ) from None
        self.dialect = self.engine.dialect.name
        if self.dialect == "sqlite":
            _install_sqlite_listeners(self.engine)
            self._write_engine: Engine = self.engine.execution_options(sqlite_begin="IMMEDIATE")
        else:
            self._write_engine = self.engine
        self._reads = sessionmaker(bind=self.engine, expire_on_commit=False)
        self._writes = sessionmaker(bind=self._write_engine, expire_on_commit=False)
        event.listen(self._writes, "before_flush", _note_flushed_claims)
        if migrate:
            self.upgrade()

    def _refuse_newer(self, revision: str | None) -> None:
        if revision is not None and revision not in known_revisions():
            raise DatabaseError(
                f"database {self.where} has schema revision {revision}, newer than this "
                f"program knows (up to {head_revision()}); upgrade workbench to open it"
            )

    def current_revision(self) -> str | None:
        from sqlalchemy import inspect

        with self.engine.connect() as conn:
            if not inspect(conn).has_table("alembic_version"):
                return None
            return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()

    def upgrade(self, revision: str = "head") -> None:
        """Runs the migrations up to `revision`; a database already there is left alone."""
        current: str | None = None
        try:
            if self.sqlite_path is None:
                current = self.current_revision()
                self._refuse_newer(current)
            else:
                current = read_sqlite_revision(self.sqlite_path)
            if revision == "head" and current == head_revision():
                return
            # On SQLite the write engine (BEGIN IMMEDIATE): two programs opening an old or new
            # file at once take turns, and the second finds the schema already at head; with a
            # deferred BEGIN the second failed at once as busy.
            with self._write_engine.connect() as conn:
                raw = conn.connection.driver_connection
                if self.dialect == "sqlite" and raw is not None:
                    # Table rebuilds in batch migrations must not cascade deletes; the pragma
                    # only works outside a transaction, so it goes to the driver directly.
                    raw.execute("PRAGMA foreign_keys = OFF")
                from alembic import command

                try:
                    with conn.begin():
                        command.upgrade(_alembic_config(conn), revision)
                finally:
                    if self.dialect == "sqlite" and raw is not None:
                        raw.execute("PRAGMA foreign_keys = ON")
        except DatabaseError:
            raise
        except (OperationalError, SADatabaseError, OSError) as exc:
            friendly = _friendly(exc, self.where)
            if isinstance(friendly, RefusedError) and current is not None:
                raise DatabaseError(
                    f"database {self.where} is at schema revision {current}, and this program "
                    f"needs {head_revision()}; only the database's owner can upgrade it: ask "
                    "them to run workbench init --owner"
                ) from None
            raise friendly from None

    @contextmanager
    def _unit(self) -> Iterator[None]:
        """Counts a unit of work in flight. A dispose() asked for meanwhile (a UI closing
        while a worker thread still writes) is done when the last one ends: a connection
        returned to a pool already disposed would stay open, and its lock would keep
        `restore` waiting for a process that has finished."""
        with self._units_lock:
            self._units += 1
        try:
            yield
        finally:
            with self._units_lock:
                self._units -= 1
                last = self._units == 0
            if last and self._closing:
                self.engine.dispose()

    @contextmanager
    def read(self) -> Iterator[Session]:
        try:
            with self._unit(), self._reads.begin() as session:
                yield session
        except (OperationalError, SADatabaseError) as exc:
            raise _friendly(exc, self.where) from None

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One unit of work: committed on success, rolled back entirely on any error."""
        stale: list[int] = []
        try:
            with self._unit(), self._writes.begin() as session:
                try:
                    yield session
                    session.flush()
                except StaleDataError:
                    stale.extend(_dirty_claim_ids(session))
                    raise
        except StaleDataError:
            raise self._conflict(stale) from None
        except (OperationalError, SADatabaseError) as exc:
            raise _friendly(exc, self.where) from None

    def _conflict(self, claim_ids: list[int]) -> ConflictError:
        """A save based on an old read (the UPDATE ... WHERE version = N matched nothing)."""
        from workbench.storage.models import Event

        if len(claim_ids) != 1:
            return ConflictError(
                "a claim was changed by someone else while you worked on it; nothing was "
                "saved: reload and apply your change again"
            )
        claim_id = claim_ids[0]
        who = "someone else"
        try:
            with self.read() as session:
                last = session.scalars(
                    select(Event).where(Event.claim_id == claim_id).order_by(Event.id.desc())
                ).first()
                if last is not None:
                    who = f"{last.reviewer} at {last.at:%Y-%m-%d %H:%M} UTC"
        except DatabaseError:
            pass
        return ConflictError(
            f"claim {claim_id} was changed by {who} while you worked on it; nothing was "
            "saved: reload it and apply your change again",
            claim_id=claim_id,
        )

    def dispose(self) -> None:
        """Closes the connections, now or, with units of work in flight, when they end."""
        with self._units_lock:
            self._closing = True
            idle = self._units == 0
        if idle:
            self.engine.dispose()


def _note_flushed_claims(session: Session, _context: Any, _instances: Any) -> None:
    """Remembers which claims a flush saves: if it fails as stale, the message names them."""
    from workbench.storage.models import Claim

    ids = set()
    for obj in session.dirty:
        identity = inspect(obj).identity
        if isinstance(obj, Claim) and identity:
            ids.add(int(identity[0]))
    session.info["flushing_claims"] = sorted(ids)


def _dirty_claim_ids(session: Session) -> list[int]:
    return list(session.info.get("flushing_claims", []))


def _safe_url(url: str) -> str:
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "(invalid URL)"
