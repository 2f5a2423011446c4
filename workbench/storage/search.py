"""The full-text search of claims: the one module that names the index (`claims_fts`, FTS5,
on SQLite; the `text_search` tsvector column on PostgreSQL, migration 0004).

A search is the words of what the user typed, each matched as a prefix (it works while
they type). Case is left to the index: FTS5 and PostgreSQL fold it with their own Unicode
tables, which differ from Python's `lower()` for some scripts (Cherokee, for one), so every
caller gets the same matches whichever path reads them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Integer,
    TextClause,
    and_,
    column,
    func,
    literal_column,
    select,
    text,
)
from sqlalchemy.orm import Session
from sqlalchemy.sql.selectable import TextualSelect

# The query words, in a module of their own for the reads that do without SQLAlchemy.
from workbench.storage.search_text import fold_accents, fts5_query, words_of

__all__ = ["fold_accents", "fts5_query", "words_of"]


def match_clause(dialect: str, query: str | None) -> ColumnElement[bool] | TextClause | None:
    """A WHERE clause matching claims whose text contains every word of `query`; None when
    the query has no words."""
    found = words_of(query)
    if not found:
        return None
    if dialect == "sqlite":
        return text(
            "claims.id IN (SELECT rowid FROM claims_fts WHERE claims_fts MATCH :fts)"
        ).bindparams(fts=" ".join(f'"{w}"*' for w in found))
    if dialect == "postgresql":
        ts_query = " & ".join(f"{fold_accents(w)}:*" for w in found)
        return text("claims.text_search @@ to_tsquery('simple', :tsq)").bindparams(tsq=ts_query)
    return and_(*(column("text").ilike(f"%{w}%") for w in found))


# ---------------------------------------------------------------- SQLite's index directly


def newest_ids(session: Session, fts: str, *, limit: int, offset: int = 0) -> list[int]:
    """Ids of matching claims, newest first, in the index's own order (no sort)."""
    rows = session.scalars(
        text(
            "SELECT rowid FROM claims_fts WHERE claims_fts MATCH :fts "
            "ORDER BY rowid DESC LIMIT :limit OFFSET :offset"
        ),
        {"fts": fts, "limit": limit, "offset": offset},
    )
    return [int(i) for i in rows]


def count_matches(session: Session, fts: str) -> int:
    found = session.scalar(
        text("SELECT count(*) FROM claims_fts WHERE claims_fts MATCH :fts"), {"fts": fts}
    )
    return int(found or 0)


def newest_matches_statement(columns: Sequence[Any]) -> TextualSelect:
    """One statement: the claims matching `:fts`, newest first (`:limit` from `:offset`), each
    row with the number of matches up to `:cap` as its last column. The index merges a prefix
    query's matches once; reading the ids into Python and the rows in a second query cost
    half as much again."""
    table = columns[0].table.c
    return text(
        "WITH m AS MATERIALIZED (SELECT rowid AS id FROM claims_fts WHERE claims_fts MATCH :fts "
        "ORDER BY rowid DESC LIMIT :cap) "
        f"SELECT {', '.join('claims.' + c.key for c in columns)}, "
        "(SELECT count(*) FROM m) FROM claims "
        "WHERE claims.id IN (SELECT id FROM m ORDER BY id DESC LIMIT :limit OFFSET :offset) "
        "ORDER BY claims.id DESC"
    ).columns(*(table[c.key] for c in columns), column("found", Integer))


def ranked_candidates(
    session: Session,
    stems: Sequence[str],
    phrases: Sequence[Sequence[str]] = (),
    *,
    exclude_id: int,
    limit: int,
) -> list[tuple[int, str]] | None:
    """Rated claims containing any of `stems` (as prefixes) or of `phrases` (words together),
    best-ranked first, for finding earlier fact-checks of a claim; None on a database
    without a full-text index."""
    dialect = session.get_bind().dialect.name
    if dialect == "sqlite":
        # Quoted, so user text is words.
        terms = [f'"{s}"*' for s in stems] + [f'"{" ".join(p)}"' for p in phrases]
        stmt = text(
            "SELECT c.id, c.text FROM claims_fts JOIN claims c ON c.id = claims_fts.rowid "
            "WHERE claims_fts MATCH :q AND c.rating IS NOT NULL AND c.id != :id "
            "ORDER BY claims_fts.rank LIMIT :n"
        ).bindparams(q=" OR ".join(terms), id=exclude_id, n=limit)
        return [(int(i), str(t)) for i, t in session.execute(stmt)]
    if dialect == "postgresql":
        from workbench.storage.models import Claim

        search: Any = literal_column("claims.text_search")
        terms = [f"{s}:*" for s in stems] + ["(" + " & ".join(p) + ")" for p in phrases]
        tsquery = func.to_tsquery("simple", " | ".join(terms))
        stmt2 = (
            select(Claim.id, Claim.text)
            .where(Claim.rating.is_not(None), Claim.id != exclude_id, search.op("@@")(tsquery))
            .order_by(func.ts_rank(search, tsquery).desc(), Claim.id)
            .limit(limit)
        )
        return [(int(i), str(t)) for i, t in session.execute(stmt2)]
    return None


# ---------------------------------------------------------------- bulk writes and checks


# Writes of more claims than this (an import, an ingest) defer the SQLite full-text trigger.
DEFER_FULLTEXT_AT = 2000


class DeferredIndex:
    """On SQLite, drops the claims full-text insert trigger for a bulk insert and restores
    it (and indexes the new rows) in `finish`, all inside the caller's transaction (SQLite
    DDL is transactional): indexing the rows in one statement is 5x faster."""

    def __init__(self, session: Session, *, defer: bool) -> None:
        self.session = session
        self.trigger_sql: str | None = None
        self.after_id = 0
        if session.get_bind().dialect.name != "sqlite" or not defer:
            return
        self.trigger_sql = session.execute(
            text("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = :n"),
            {"n": "claims_fts_insert"},
        ).scalar()
        if self.trigger_sql:
            self.after_id = int(session.scalar(text("SELECT max(id) FROM claims")) or 0)
            session.execute(text("DROP TRIGGER claims_fts_insert"))

    def finish(self) -> None:
        if not self.trigger_sql:
            return
        self.session.execute(
            text("INSERT INTO claims_fts(rowid, text) SELECT id, text FROM claims WHERE id > :a"),
            {"a": self.after_id},
        )
        self.session.execute(text(self.trigger_sql))
        self.trigger_sql = None


# FTS5's own consistency check, for a raw sqlite3 connection (maintenance.integrity_problems).
SQLITE_INDEX_CHECK = "INSERT INTO claims_fts(claims_fts) VALUES ('integrity-check')"
