"""What a PostgreSQL team server's refusals say to the user: one line, what to do.

The store's error translation asks here first. The team rules of migration 0006 raise
messages that start "workbench: " and are worded for the user already; a missing grant or a
row-level security policy is SQLSTATE 42501; a removed user fails at connection time.
"""

from __future__ import annotations

from typing import Any

from workbench.errors import RefusedError


def refusal(orig: Any, message: str, where: str) -> RefusedError | None:
    """A PostgreSQL refusal of this login (a grant, a policy, a team rule of migration 0006,
    a login that may not connect) as one line that says what to do."""
    first = message.strip().splitlines()[0].strip() if message.strip() else ""
    if first.startswith("workbench: "):  # raised by the team rules, worded for the user
        return RefusedError(first.removeprefix("workbench: "))
    if getattr(orig, "sqlstate", None) == "42501":  # insufficient_privilege
        return RefusedError(
            f"the database {where} refused this to your login: {first}; ask an editor, an "
            "admin or the owner of the database"
        )
    lowered = message.lower()
    if "not permitted to log in" in lowered or ("role" in lowered and "does not exist" in lowered):
        reason = lowered.rsplit("fatal:", 1)[-1].strip()
        return RefusedError(
            f"cannot connect to {where}: {reason} (a removed user, or a name the server does "
            "not know); ask an admin of the desk"
        )
    return None
