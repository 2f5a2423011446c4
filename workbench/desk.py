"""The seam between the front ends and the services: who is acting, on which database, with
which settings.

Every use case is a function `(session, reviewer, ...)` that applies the rules for that
reviewer itself (what they may see, whether their verdict is blind, whether they may
approve). The CLI and the TUI hold a `Desk` and run use cases through it: `desk.write`
runs one in a unit of work that commits or rolls back whole, `desk.read` in a read-only
one. Neither front end opens a session or sees an ORM object.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Concatenate, ParamSpec, TypeAlias, TypeVar

from workbench.config import Settings

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from workbench.storage.quickread import Reading
    from workbench.storage.store import Store

P = ParamSpec("P")
R = TypeVar("R")
# A use case: a function of a session and the acting reviewer (or viewer), then its own.
UseCase: TypeAlias = Callable[Concatenate["Session", str, P], R]
# A read use case that takes a `Reading` (storage/quickread.py) instead of a session.
LookCase: TypeAlias = Callable[Concatenate["Reading", str, P], R]


class Desk:
    """The store, the acting reviewer and the settings. A `Desk` made by `open_desk` on a
    SQLite file already at the newest schema opens its `Store` (and imports SQLAlchemy) only
    when a use case first needs a session; `look` reads such a file without one."""

    def __init__(
        self,
        store: Store | None,
        reviewer: str,
        settings: Settings | None = None,
        *,
        url: str | None = None,
    ) -> None:
        if store is None and url is None:
            raise TypeError("a Desk needs a store or the URL of one")
        self._store = store
        self._store_lock = threading.Lock()
        self._disposed = False
        self.url: str = store.url if store is not None else str(url)
        self.reviewer = reviewer
        self.settings = settings or Settings()
        self._sqlite_file = _plain_sqlite_file(self.url)

    @property
    def store(self) -> Store:
        """The database's engines and sessions, opened on first use."""
        if self._store is not None:
            return self._store
        # The TUI's first workers ask for it at once from several threads: without the lock
        # each made a Store, the losers' engines kept a pooled connection until garbage
        # collection, and restore meanwhile found the file in use.
        with self._store_lock:
            if self._store is None:
                from workbench.storage.store import Store

                opened = Store(self.url)
                if self._disposed:
                    # A worker still running after its UI closed: each unit of work it
                    # runs then closes its connection when it ends (see Store.dispose).
                    opened.dispose()
                self._store = opened
            return self._store

    @property
    def store_opened(self) -> bool:
        return self._store is not None

    def write(self, use_case: UseCase[P, R], /, *args: P.args, **kwargs: P.kwargs) -> R:
        """Runs `use_case(session, reviewer, ...)` in one unit of work (committed whole, or
        rolled back whole on any error)."""
        with self.store.write() as session:
            return use_case(session, self.reviewer, *args, **kwargs)

    def read(self, use_case: UseCase[P, R], /, *args: P.args, **kwargs: P.kwargs) -> R:
        """Runs `use_case(session, viewer, ...)` in a read-only unit of work."""
        with self.store.read() as session:
            return use_case(session, self.reviewer, *args, **kwargs)

    def look(self, use_case: LookCase[P, R], /, *args: P.args, **kwargs: P.kwargs) -> R:
        """Runs `use_case(reading, viewer, ...)`, a read use case that answers the same from
        a stdlib sqlite3 connection (on a SQLite file: nothing of SQLAlchemy imported) or from
        a read-only session (any other database)."""
        from workbench.storage.quickread import Reading, sqlite_reading

        if self._sqlite_file is not None:
            with sqlite_reading(self._sqlite_file) as reading:
                return use_case(reading, self.reviewer, *args, **kwargs)
        with self.store.read() as session:
            return use_case(Reading(session=session), self.reviewer, *args, **kwargs)

    @property
    def sqlite_path(self) -> Path | None:
        """The SQLite file, None for a server database; known without opening the store on
        a plain SQLite file."""
        if self._store is None and self._sqlite_file is not None:
            return self._sqlite_file
        return self.store.sqlite_path

    @property
    def where(self) -> str:
        """The database, for messages: its file, or its URL without the password."""
        if self._store is None and self._sqlite_file is not None:
            return str(self._sqlite_file)
        return self.store.where

    @property
    def where_short(self) -> str:
        """The database file's name, or its URL without the password."""
        if self._store is None and self._sqlite_file is not None:
            return self._sqlite_file.name
        path = self.store.sqlite_path
        return path.name if path is not None else self.store.where

    def dispose(self) -> None:
        """Closes the store's connections, if it was ever opened; a store opened later is
        closed after each use."""
        with self._store_lock:
            self._disposed = True
            if self._store is not None:
                self._store.dispose()


def _plain_sqlite_file(url: str) -> Path | None:
    from workbench.storage.sqlitefile import plain_sqlite_file

    return plain_sqlite_file(url)


def database_url(db: str | os.PathLike[str]) -> str:
    """A SQLAlchemy URL from a URL or a path to a SQLite file."""
    from workbench.storage.sqlitefile import database_url as url_of

    return url_of(db)


def open_desk(
    db_url: str,
    reviewer: str | None,
    settings: Settings | None = None,
    *,
    source: str = "the reviewer given",
) -> Desk:
    """Opens (and migrates) the database: a bad one fails here with a clear message. The
    acting reviewer is `reviewer` (default: the login name), except on a team server, where
    it is the database login (identity.py; `source` names where `reviewer` came from)."""
    from workbench.identity import acting_reviewer
    from workbench.storage.sqlitefile import HEAD_REVISION, check_sqlite_file, read_sqlite_revision

    path = _plain_sqlite_file(db_url)
    if path is not None:
        # The usual case: checked, and already at the newest schema, with sqlite3 alone.
        check_sqlite_file(path)
        if read_sqlite_revision(path) == HEAD_REVISION:
            name = acting_reviewer(db_url, _no_store, reviewer, source)
            return Desk(None, name, settings, url=db_url)
    from workbench.storage.store import Store

    store = Store(db_url)
    try:
        name = acting_reviewer(db_url, lambda: store, reviewer, source)
    except BaseException:
        store.dispose()
        raise
    return Desk(store, name, settings or Settings())


def _no_store() -> Store:
    raise AssertionError("a SQLite file's reviewer is the name given; no store is asked")
