"""The people of a team server: PostgreSQL login roles in the workbench groups.

An admin (or the owner) adds, re-roles and removes them through the SECURITY DEFINER
functions of migration 0006, which may only touch roles they made themselves; each change
is also an audit event. Removing a user takes their groups away and sets NOLOGIN: they can no
longer connect, their past work stays signed with their name, and the name stays taken so
that nobody new can sign as them. On SQLite there is one person, so there is nobody to manage.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from workbench.core.changes import record_event
from workbench.core.vocabulary import require_reviewer
from workbench.errors import ValidationError
from workbench.identity import ROLES

_LIST_SQL = """
SELECT r.rolname::text AS name, r.rolcanlogin AS active,
       CASE WHEN pg_has_role(r.oid, 'workbench_admin', 'MEMBER') THEN 'admin'
            WHEN pg_has_role(r.oid, 'workbench_editor', 'MEMBER') THEN 'editor'
            WHEN pg_has_role(r.oid, 'workbench_reviewer', 'MEMBER') THEN 'reviewer'
       END AS role
  FROM pg_roles r
 WHERE NOT r.rolsuper AND shobj_description(r.oid, 'pg_authid') LIKE 'workbench login%'
 ORDER BY r.rolname
"""


@dataclass(frozen=True)
class Person:
    name: str
    role: str | None  # None once removed
    active: bool

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "role": self.role, "active": self.active}


def _team_server(session: Session) -> None:
    if session.get_bind().dialect.name != "postgresql":
        raise ValidationError(
            "people are managed on a PostgreSQL team server; an SQLite file has one user "
            "(name them with --reviewer or WORKBENCH_REVIEWER)"
        )


def _may_manage(session: Session) -> None:
    _team_server(session)
    allowed = session.scalar(
        text("SELECT has_function_privilege('workbench_user_add(text, text)', 'EXECUTE')")
    )
    if not allowed:
        who = session.scalar(text("SELECT session_user::text"))
        raise ValidationError(
            f"managing people needs an admin of the desk (or the database's owner); "
            f"{who} is not one"
        )


def _check_role(role: str) -> str:
    if role not in ROLES:
        raise ValidationError(f"unknown role {role!r}; choose one of {', '.join(ROLES)}")
    return role


def list_people(session: Session) -> list[Person]:
    _team_server(session)
    rows = session.execute(text(_LIST_SQL)).all()
    return [Person(name=r.name, role=r.role, active=bool(r.active)) for r in rows]


def _person(session: Session, name: str) -> Person:
    found = [p for p in list_people(session) if p.name == name]
    if not found:
        raise ValidationError(
            f"{name} is not a workbench user; list them with: workbench users list"
        )
    return found[0]


def add_person(session: Session, actor: str, name: str, role: str) -> Person:
    """A new login role in the group of `role`; it has no password until one is set."""
    actor = require_reviewer(actor)
    _check_role(role)
    _may_manage(session)
    session.execute(text("SELECT workbench_user_add(:n, :r)"), {"n": name, "r": role})
    record_event(session, actor, "user.add", "user", None, after={"name": name, "role": role})
    return _person(session, name)


def set_role(session: Session, actor: str, name: str, role: str) -> Person:
    _check_role(role)
    return _change_person(
        session, actor, name, "user.set_role", "SELECT workbench_user_set_role(:n, :r)", role
    )


def remove_person(session: Session, actor: str, name: str) -> Person:
    return _change_person(session, actor, name, "user.remove", "SELECT workbench_user_remove(:n)")


def _change_person(
    session: Session, actor: str, name: str, action: str, statement: str, role: str | None = None
) -> Person:
    """Runs the server's function that changes an existing person (`role`: their new one, None
    when they go), with the audit event; returns the person as they are now."""
    actor = require_reviewer(actor)
    _may_manage(session)
    before = _person(session, name)
    params = {"n": name} if role is None else {"n": name, "r": role}
    session.execute(text(statement), params)
    record_event(
        session,
        actor,
        action,
        "user",
        None,
        before={"name": name, "role": before.role},
        after={"name": name, "role": role},
    )
    return _person(session, name)


def password_hint(db_url: str, name: str) -> str:
    """How the owner gives a new person their first password."""
    from sqlalchemy.engine import make_url

    url = make_url(db_url)
    host = f" -h {url.host}" if url.host else ""
    port = f" -p {url.port}" if url.port else ""
    psql = f"psql{host}{port} -d {url.database}"
    return (
        f"{name} has no password yet; the database's owner (or a superuser) sets one "
        f"with: {psql} -c '\\password {name}' "
        f"(and {name} can change it later the same way)"
    )
