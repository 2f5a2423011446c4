"""Team mode: hash chain on events, append-only triggers, blind review flag on claims.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

REFUSE = "workbench: the audit trail is append-only; {} on events refused"


def upgrade() -> None:
    with op.batch_alter_table("events") as batch:
        batch.add_column(sa.Column("prev_hash", sa.String(64)))
        batch.add_column(sa.Column("hash", sa.String(64)))
    # A plain ADD COLUMN: a batch rebuild of claims would drop its full-text triggers.
    op.add_column(
        "claims",
        sa.Column("blind_review", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    chain_existing_events()
    create_append_only_triggers()


def chain_existing_events() -> None:
    """Events written before this revision join the chain, oldest first."""
    from workbench.storage.audit import event_digest

    bind = op.get_bind()
    events = sa.table(
        "events",
        sa.column("id", sa.Integer()),
        sa.column("at", sa.DateTime(timezone=True)),
        sa.column("reviewer", sa.String()),
        sa.column("action", sa.String()),
        sa.column("entity", sa.String()),
        sa.column("entity_id", sa.Integer()),
        sa.column("claim_id", sa.Integer()),
        sa.column("before", sa.JSON()),
        sa.column("after", sa.JSON()),
        sa.column("prev_hash", sa.String()),
        sa.column("hash", sa.String()),
    )
    prev: str | None = None
    rows = bind.execute(sa.select(events).order_by(events.c.id)).all()
    for row in rows:
        digest = event_digest(
            prev,
            at=row.at,
            reviewer=row.reviewer,
            action=row.action,
            entity=row.entity,
            entity_id=row.entity_id,
            claim_id=row.claim_id,
            before=row.before,
            after=row.after,
        )
        bind.execute(
            events.update().where(events.c.id == row.id).values(prev_hash=prev, hash=digest)
        )
        prev = digest


def create_append_only_triggers() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for name, verb in (("events_no_update", "UPDATE"), ("events_no_delete", "DELETE")):
            op.execute(
                f"CREATE TRIGGER {name} BEFORE {verb} ON events "
                f"BEGIN SELECT RAISE(ABORT, '{REFUSE.format(verb)}'); END"
            )
    elif dialect == "postgresql":
        message = REFUSE.format("%")
        op.execute(
            "CREATE FUNCTION workbench_events_append_only() RETURNS trigger "
            "LANGUAGE plpgsql AS $body$ BEGIN "
            f"RAISE EXCEPTION '{message}', TG_OP; "
            "END $body$"
        )
        op.execute(
            "CREATE TRIGGER events_no_update BEFORE UPDATE ON events "
            "FOR EACH ROW EXECUTE FUNCTION workbench_events_append_only()"
        )
        op.execute(
            "CREATE TRIGGER events_no_delete BEFORE DELETE ON events "
            "FOR EACH ROW EXECUTE FUNCTION workbench_events_append_only()"
        )
        op.execute(
            "CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON events "
            "FOR EACH STATEMENT EXECUTE FUNCTION workbench_events_append_only()"
        )


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS events_no_update")
        op.execute("DROP TRIGGER IF EXISTS events_no_delete")
    elif dialect == "postgresql":
        for name in ("events_no_update", "events_no_delete", "events_no_truncate"):
            op.execute(f"DROP TRIGGER IF EXISTS {name} ON events")
        op.execute("DROP FUNCTION IF EXISTS workbench_events_append_only()")
    # Not a batch rebuild, which would drop the full-text triggers on claims (SQLite 3.35+).
    op.execute("ALTER TABLE claims DROP COLUMN blind_review")
    with op.batch_alter_table("events") as batch:
        batch.drop_column("hash")
        batch.drop_column("prev_hash")
