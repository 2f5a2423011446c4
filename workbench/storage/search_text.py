"""The words of a search as the full-text indexes take them, without SQLAlchemy (the light
half of `search.py`, for the sqlite3 reads of `storage/quickread.py`)."""

from __future__ import annotations

import re
import unicodedata

_WORD = re.compile(r"\w+")

# The WHERE clause of a search on SQLite for a raw sqlite3 query; its one parameter is
# `fts5_query(...)`. The same clause as `search.match_clause` gives SQLAlchemy.
SQLITE_MATCH_SQL = "claims.id IN (SELECT rowid FROM claims_fts WHERE claims_fts MATCH ?)"


def words_of(query: str | None) -> list[str]:
    return _WORD.findall(query or "")


def fts5_query(query: str | None) -> str | None:
    """Every word as a quoted prefix (FTS5 operators typed by a user are just words), or None
    when the query has no words."""
    found = words_of(query)
    return " ".join(f'"{w}"*' for w in found) if found else None


def fold_accents(word: str) -> str:
    """A word as PostgreSQL's search column stores it (migration 0004): NFKD without the
    combining diacritical marks U+0300-U+036F."""
    return "".join(c for c in unicodedata.normalize("NFKD", word) if not "\u0300" <= c <= "\u036f")
