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
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Concatenate, ParamSpec, TypeAlias, TypeVar

from workbench.config import Settings

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from workbench.storage.store import Store

P = ParamSpec("P")
R = TypeVar("R")
# A use case: a function of a session and the acting reviewer (or viewer), then its own.
UseCase: TypeAlias = Callable[Concatenate["Session", str, P], R]


@dataclass
class Desk:
    store: Store
    reviewer: str
    settings: Settings = field(default_factory=Settings)

    def write(self, use_case: UseCase[P, R], /, *args: P.args, **kwargs: P.kwargs) -> R:
        """Runs `use_case(session, reviewer, ...)` in one unit of work (committed whole, or
        rolled back whole on any error)."""
        with self.store.write() as session:
            return use_case(session, self.reviewer, *args, **kwargs)

    def read(self, use_case: UseCase[P, R], /, *args: P.args, **kwargs: P.kwargs) -> R:
        """Runs `use_case(session, viewer, ...)` in a read-only unit of work."""
        with self.store.read() as session:
            return use_case(session, self.reviewer, *args, **kwargs)

    @property
    def where(self) -> str:
        """The database, for messages: its file, or its URL without the password."""
        return self.store.where

    @property
    def where_short(self) -> str:
        """The database file's name, or its URL without the password."""
        path = self.store.sqlite_path
        return path.name if path is not None else self.store.where


def database_url(db: str | os.PathLike[str]) -> str:
    """A SQLAlchemy URL from a URL or a path to a SQLite file."""
    from workbench.storage.store import database_url as url_of

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
    from workbench.storage.store import Store

    store = Store(db_url)
    try:
        name = acting_reviewer(db_url, lambda: store, reviewer, source)
    except BaseException:
        store.dispose()
        raise
    return Desk(store, name, settings or Settings())
