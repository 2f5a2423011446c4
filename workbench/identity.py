"""Who is working: the name every write is signed with.

On PostgreSQL the reviewer is the database login (session_user). For a team login (a member
of the workbench groups, migration 0006) the database signs every row with that name and
refuses any other, so a --reviewer, WORKBENCH_REVIEWER or config `reviewer` that disagrees
is refused here, before anything is written, with a message saying what to do. The owner
of the schema (or a superuser) is not bound by the team rules: its sessions keep the name
given, the login name by default. On SQLite, one person's file, the name given wins and
the operating-system user is the default, as before.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING
from weakref import WeakKeyDictionary

from workbench.errors import WorkbenchError

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from workbench.storage.store import Store

ROLES = ("reviewer", "editor", "admin")

# One round trip: the login, whether it is bound by the team rules, its strongest group.
# CASE keeps pg_has_role from failing on a database whose groups are not made yet.
_LOGIN_SQL = """
SELECT session_user::text,
       CASE WHEN to_regrole('workbench_reviewer') IS NULL OR r.rolsuper THEN NULL
            WHEN pg_has_role(r.oid, 'workbench_admin', 'MEMBER') THEN 'admin'
            WHEN pg_has_role(r.oid, 'workbench_editor', 'MEMBER') THEN 'editor'
            WHEN pg_has_role(r.oid, 'workbench_reviewer', 'MEMBER') THEN 'reviewer'
       END
  FROM pg_roles r WHERE r.rolname = session_user
"""


@dataclass(frozen=True)
class Login:
    name: str
    role: str | None  # "reviewer", "editor" or "admin" for a team login; None for the owner

    @property
    def team(self) -> bool:
        """Bound by the database's team rules (signatures, approval, blind review)."""
        return self.role is not None

    @property
    def sees_all(self) -> bool:
        """Nothing is hidden from it: the owner, a superuser, an editor or an admin."""
        return self.role != "reviewer"


_logins: WeakKeyDictionary[Store, Login] = WeakKeyDictionary()


def login_of(store: Store) -> Login | None:
    """The database login of a PostgreSQL store (asked once per store); None on SQLite."""
    if store.dialect != "postgresql":
        return None
    found = _logins.get(store)
    if found is None:
        from sqlalchemy import text

        with store.read() as session:
            row = session.execute(text(_LOGIN_SQL)).one()
        found = _logins[store] = Login(name=str(row[0]), role=row[1])
    return found


def is_postgresql(url: str) -> bool:
    return url.split("+", 1)[0].split(":", 1)[0] in ("postgresql", "postgres")


def acting_reviewer(
    url: str, open_store: Callable[[], Store], requested: str | None, source: str
) -> str:
    """The reviewer for a session on `url`. `requested` is the name from a flag, the
    environment or the config file (`source` says which, for the message), or None."""
    from workbench.config import default_reviewer

    if not is_postgresql(url):
        return requested or default_reviewer()
    return reviewer_for(open_store(), requested, source)


def reviewer_for(store: Store, requested: str | None, source: str = "the reviewer given") -> str:
    """As acting_reviewer, for a store already open (the TUI's)."""
    from workbench.config import default_reviewer

    login = login_of(store)
    if login is None:
        return (requested or default_reviewer()).strip() or "reviewer"
    wanted = (requested or "").strip()
    if login.team and wanted and wanted != login.name:
        raise WorkbenchError(
            f"you are signed in to the database as {login.name}, but {source} says "
            f"{wanted!r}; on a team server the reviewer is the database login, so drop "
            f"{source}, or connect as {wanted} (the user name in the --db URL)"
        )
    return login.name if login.team else wanted or login.name


def require_full_view(store: Store, what: str) -> None:
    """Refuses a command that needs every row when blind reviews hide some from this login."""
    login = login_of(store)
    if login is not None and not login.sees_all:
        raise WorkbenchError(
            f"{what} reads the whole audit trail, and blind reviews hide parts of it from "
            f"reviewers such as {login.name}; run it as an editor, an admin or the owner"
        )


def require_editor(session: Session, what: str) -> None:
    """Refuses `what` to a team login that is only a reviewer. For an editor's task the
    database cannot tell apart from a reviewer's (a bulk status change is, row by row, the
    status change a reviewer may make), so the program refuses it here."""
    if session.get_bind().dialect.name != "postgresql":
        return
    from sqlalchemy import text

    name, role = session.execute(text(_LOGIN_SQL)).one()
    if role == "reviewer":
        raise WorkbenchError(f"{what} needs an editor; {name} is a reviewer")
