"""Initial schema: articles, claims, sources, evidence, verdicts, events.

Revision ID: 0001
Revises:
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "articles",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("title", sa.String(500)),
        sa.Column("url", sa.Text()),
        sa.Column("author", sa.String(500)),
        sa.Column("site_name", sa.String(500)),
        sa.Column("published", sa.String(64)),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("content_hash", sa.String(64)),
        sa.Column("created_at", TS, nullable=False),
    )
    op.create_index("ix_articles_content_hash", "articles", ["content_hash"])
    op.create_table(
        "claims",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column(
            "article_id",
            sa.Integer(),
            sa.ForeignKey("articles.id", ondelete="SET NULL", name="fk_claims_article_id_articles"),
        ),
        sa.Column("start", sa.Integer()),
        sa.Column("end", sa.Integer()),
        sa.Column("score", sa.Float()),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("created_by", sa.String(200)),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
    )
    op.create_index("ix_claims_article_id", "claims", ["article_id"])
    op.create_index("ix_claims_score", "claims", ["score"])
    op.create_index("ix_claims_status", "claims", ["status"])
    op.create_index("ix_claims_updated_at", "claims", ["updated_at"])
    op.create_table(
        "sources",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("url", sa.Text()),
        sa.Column("canonical_url", sa.String(2048), unique=True),
        sa.Column("title", sa.String(500)),
        sa.Column("publisher", sa.String(500)),
        sa.Column("citation", sa.Text()),
        sa.Column("fetched_text", sa.Text()),
        sa.Column("http_status", sa.Integer()),
        sa.Column("content_hash", sa.String(64)),
        sa.Column("fetched_at", TS),
        sa.Column("fetch_status", sa.String(40)),
        sa.Column("fetch_error", sa.Text()),
        sa.Column("created_at", TS, nullable=False),
    )
    op.create_index("ix_sources_fetch_status", "sources", ["fetch_status"])
    op.create_table(
        "evidence",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "claim_id",
            sa.Integer(),
            sa.ForeignKey("claims.id", ondelete="CASCADE", name="fk_evidence_claim_id_claims"),
            nullable=False,
        ),
        sa.Column(
            "source_id",
            sa.Integer(),
            sa.ForeignKey("sources.id", ondelete="CASCADE", name="fk_evidence_source_id_sources"),
            nullable=False,
        ),
        sa.Column("stance", sa.String(20), nullable=False),
        sa.Column("quote", sa.Text()),
        sa.Column("quote_start", sa.Integer()),
        sa.Column("quote_end", sa.Integer()),
        sa.Column("context_before", sa.Text()),
        sa.Column("context_after", sa.Text()),
        sa.Column("created_by", sa.String(200)),
        sa.Column("created_at", TS, nullable=False),
    )
    op.create_index("ix_evidence_claim_id", "evidence", ["claim_id"])
    op.create_index("ix_evidence_source_id", "evidence", ["source_id"])
    op.create_table(
        "verdicts",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "claim_id",
            sa.Integer(),
            sa.ForeignKey("claims.id", ondelete="CASCADE", name="fk_verdicts_claim_id_claims"),
            nullable=False,
        ),
        sa.Column("rating", sa.String(40), nullable=False),
        sa.Column("rationale", sa.Text(), nullable=False),
        sa.Column("reviewer", sa.String(200), nullable=False),
        sa.Column("created_at", TS, nullable=False),
    )
    op.create_index("ix_verdicts_claim_id", "verdicts", ["claim_id"])
    op.create_table(
        "events",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("at", TS, nullable=False),
        sa.Column("reviewer", sa.String(200), nullable=False),
        sa.Column("action", sa.String(60), nullable=False),
        sa.Column("entity", sa.String(40), nullable=False),
        sa.Column("entity_id", sa.Integer()),
        sa.Column("claim_id", sa.Integer()),
        sa.Column("before", sa.JSON()),
        sa.Column("after", sa.JSON()),
    )
    op.create_index("ix_events_entity", "events", ["entity", "entity_id"])
    op.create_index("ix_events_claim_id", "events", ["claim_id"])


def downgrade() -> None:
    for table in ("events", "verdicts", "evidence", "sources", "claims", "articles"):
        op.drop_table(table)
