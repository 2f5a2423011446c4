"""Looking after the database, for the front ends: its schema revision, a checked backup,
a restore, and the integrity check of the audit trail, the archive and the file."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from workbench.desk import Desk
    from workbench.storage.audit import CheckReport
    from workbench.storage.maintenance import DatabaseInfo, RestoreResult


def check_owner(desk: Desk) -> dict[str, Any]:
    """`init --owner` on a PostgreSQL team server (team/setup.py)."""
    from workbench.team.setup import check_owner as check

    return check(desk.store)


def schema_revision(desk: Desk) -> str | None:
    return desk.store.current_revision()


def backup(desk: Desk, destination: Path) -> DatabaseInfo:
    from workbench.storage import maintenance

    return maintenance.backup(desk.store, destination)


def restore(db_url: str, backup_path: Path) -> RestoreResult:
    """Replaces the database at `db_url` (not opened first: it may be damaged) by a backup."""
    from workbench.storage import maintenance

    return maintenance.restore(maintenance.sqlite_path_of(db_url), backup_path)


def check(desk: Desk) -> CheckReport:
    from workbench.identity import require_full_view
    from workbench.storage import audit

    require_full_view(desk.store, "workbench check")
    with desk.store.read() as session:
        return audit.check(session)
