"""PostgreSQL full-text search ignores accents, as SQLite's FTS5 index already does
(remove_diacritics): the tsvector is built from the NFKD form without combining marks.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-28
"""

from __future__ import annotations

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

# Combining diacritical marks (U+0300-U+036F) after NFKD decomposition; the Python side of
# the query folds the same way (store.fold_accents).
FOLDED = "regexp_replace(normalize(text, NFKD), '[\u0300-\u036f]', '', 'g')"


def _rebuild(expression: str) -> None:
    op.execute("DROP INDEX IF EXISTS ix_claims_text_search")
    op.execute("ALTER TABLE claims DROP COLUMN IF EXISTS text_search")
    op.execute(
        "ALTER TABLE claims ADD COLUMN text_search tsvector "
        f"GENERATED ALWAYS AS (to_tsvector('simple', {expression})) STORED"
    )
    op.execute("CREATE INDEX ix_claims_text_search ON claims USING GIN (text_search)")


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        _rebuild(FOLDED)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        _rebuild("text")
