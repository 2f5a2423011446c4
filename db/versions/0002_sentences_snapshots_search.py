"""Sentences, snapshots, known fact-checks, matches; denormalised claim columns; full-text index.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "sentences",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "article_id",
            sa.Integer(),
            sa.ForeignKey(
                "articles.id", ondelete="CASCADE", name="fk_sentences_article_id_articles"
            ),
            nullable=False,
        ),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("score", sa.Float()),
        sa.UniqueConstraint("article_id", "position", name="uq_sentences_article_id"),
    )
    op.create_table(
        "snapshots",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "source_id",
            sa.Integer(),
            sa.ForeignKey("sources.id", ondelete="CASCADE", name="fk_snapshots_source_id_sources"),
            nullable=False,
        ),
        sa.Column("requested_url", sa.Text(), nullable=False),
        sa.Column("final_url", sa.Text()),
        sa.Column("status", sa.Integer()),
        sa.Column("headers", sa.JSON()),
        sa.Column("redirects", sa.JSON()),
        sa.Column("content_type", sa.String(200)),
        sa.Column("body", sa.LargeBinary()),
        sa.Column("body_size", sa.Integer()),
        sa.Column("sha256", sa.String(64)),
        sa.Column("text", sa.Text()),
        sa.Column("title", sa.String(500)),
        sa.Column("outcome", sa.String(40), nullable=False),
        sa.Column("error", sa.Text()),
        sa.Column("fetched_at", TS, nullable=False),
    )
    op.create_index("ix_snapshots_source_id", "snapshots", ["source_id"])
    op.create_table(
        "fact_checks",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("claim_reviewed", sa.Text(), nullable=False),
        sa.Column("rating", sa.String(200)),
        sa.Column("rating_value", sa.Float()),
        sa.Column("publisher", sa.String(500)),
        sa.Column("url", sa.Text()),
        sa.Column("claimant", sa.String(500)),
        sa.Column("date_published", sa.String(64)),
        sa.Column("fingerprint", sa.String(64), nullable=False, unique=True),
        sa.Column("raw", sa.JSON()),
        sa.Column("created_at", TS, nullable=False),
    )
    op.create_table(
        "matches",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "claim_id",
            sa.Integer(),
            sa.ForeignKey("claims.id", ondelete="CASCADE", name="fk_matches_claim_id_claims"),
            nullable=False,
        ),
        sa.Column("target_kind", sa.String(20), nullable=False),
        sa.Column("target_id", sa.Integer(), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("state", sa.String(20), nullable=False),
        sa.Column("decided_by", sa.String(200)),
        sa.Column("created_at", TS, nullable=False),
        sa.UniqueConstraint("claim_id", "target_kind", "target_id", name="uq_matches_claim_id"),
    )
    op.create_index("ix_matches_claim_id", "matches", ["claim_id"])

    with op.batch_alter_table("claims") as batch:
        batch.add_column(sa.Column("rating", sa.String(40)))
        batch.add_column(
            sa.Column("source_count", sa.Integer(), nullable=False, server_default="0")
        )
        batch.add_column(sa.Column("assignee", sa.String(200)))
    op.create_index("ix_claims_rating", "claims", ["rating"])
    op.create_index("ix_claims_assignee", "claims", ["assignee"])
    # Backfill the denormalised columns from the rows 0001 databases already hold.
    op.execute(
        "UPDATE claims SET rating = (SELECT v.rating FROM verdicts v WHERE v.claim_id = claims.id"
        " ORDER BY v.id DESC LIMIT 1)"
    )
    op.execute(
        "UPDATE claims SET source_count = (SELECT COUNT(DISTINCT e.source_id) FROM evidence e"
        " WHERE e.claim_id = claims.id)"
    )

    with op.batch_alter_table("verdicts") as batch:
        batch.add_column(
            sa.Column("blind", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    with op.batch_alter_table("evidence") as batch:
        batch.add_column(sa.Column("snapshot_id", sa.Integer()))
        batch.create_foreign_key(
            "fk_evidence_snapshot_id_snapshots",
            "snapshots",
            ["snapshot_id"],
            ["id"],
            ondelete="SET NULL",
        )

    create_full_text_index()


def create_full_text_index() -> None:
    """SQLite: an FTS5 table over claims.text kept in sync by triggers.
    PostgreSQL: a generated tsvector column with a GIN index."""
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        op.execute(
            "CREATE VIRTUAL TABLE claims_fts USING fts5("
            "text, content='claims', content_rowid='id', tokenize='unicode61 remove_diacritics 2')"
        )
        op.execute(
            "CREATE TRIGGER claims_fts_insert AFTER INSERT ON claims BEGIN "
            "INSERT INTO claims_fts(rowid, text) VALUES (new.id, new.text); END"
        )
        op.execute(
            "CREATE TRIGGER claims_fts_delete AFTER DELETE ON claims BEGIN "
            "INSERT INTO claims_fts(claims_fts, rowid, text) "
            "VALUES ('delete', old.id, old.text); END"
        )
        op.execute(
            "CREATE TRIGGER claims_fts_update AFTER UPDATE OF text ON claims BEGIN "
            "INSERT INTO claims_fts(claims_fts, rowid, text) VALUES ('delete', old.id, old.text); "
            "INSERT INTO claims_fts(rowid, text) VALUES (new.id, new.text); END"
        )
        op.execute("INSERT INTO claims_fts(claims_fts) VALUES ('rebuild')")
    elif dialect == "postgresql":
        op.execute(
            "ALTER TABLE claims ADD COLUMN text_search tsvector "
            "GENERATED ALWAYS AS (to_tsvector('simple', text)) STORED"
        )
        op.execute("CREATE INDEX ix_claims_text_search ON claims USING GIN (text_search)")


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for trigger in ("claims_fts_insert", "claims_fts_delete", "claims_fts_update"):
            op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
        op.execute("DROP TABLE IF EXISTS claims_fts")
    elif dialect == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_claims_text_search")
        op.execute("ALTER TABLE claims DROP COLUMN IF EXISTS text_search")
    with op.batch_alter_table("evidence") as batch:
        batch.drop_constraint("fk_evidence_snapshot_id_snapshots", type_="foreignkey")
        batch.drop_column("snapshot_id")
    with op.batch_alter_table("verdicts") as batch:
        batch.drop_column("blind")
    op.drop_index("ix_claims_assignee", "claims")
    op.drop_index("ix_claims_rating", "claims")
    with op.batch_alter_table("claims") as batch:
        batch.drop_column("assignee")
        batch.drop_column("source_count")
        batch.drop_column("rating")
    for table in ("matches", "fact_checks", "snapshots", "sentences"):
        op.drop_table(table)
