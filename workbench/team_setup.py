"""`workbench init --owner`: checks that a team server is set up the way its rules rely on.

Opening the store has run the migrations (0006 makes the groups, grants, triggers and
policies). What is left to check is who runs it: the schema's owner (or a superuser), not a
team login, and no workbench group a member of the owner (that would hand every reviewer
the owner's right to drop the rules).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import text

from workbench.errors import ValidationError
from workbench.identity import login_of
from workbench.store import Store

GROUPS = ("workbench_reviewer", "workbench_editor", "workbench_admin")


def check_owner(store: Store) -> dict[str, Any]:
    login = login_of(store)
    if login is None:
        raise ValidationError("init --owner needs a PostgreSQL database")
    if login.team:
        raise ValidationError(
            f"init --owner must run as the database's owner; {login.name} is a workbench "
            f"{login.role} (connect as the owner in the --db URL)"
        )
    with store.read() as session:
        schema, owner = session.execute(
            text(
                "SELECT current_schema()::text, tableowner::text FROM pg_tables "
                "WHERE schemaname = current_schema() AND tablename = 'claims'"
            )
        ).one()
        superuser = session.scalar(
            text("SELECT rolsuper FROM pg_roles WHERE rolname = session_user")
        )
        if owner != login.name and not superuser:
            raise ValidationError(
                f"the tables of schema {schema} belong to {owner}, not {login.name}; run "
                f"init --owner as {owner}"
            )
        inside = [
            g
            for g in GROUPS
            if session.scalar(text("SELECT pg_has_role(:g, :o, 'MEMBER')"), {"g": g, "o": owner})
        ]
    if inside:
        raise ValidationError(
            f"the group(s) {', '.join(inside)} are members of the owner {owner}, so every "
            f"login in them could drop the rules; revoke it: REVOKE {owner} FROM {inside[0]}"
        )
    return {
        "schema": schema,
        "owner": owner,
        "revision": store.current_revision(),
        "groups": list(GROUPS),
    }
