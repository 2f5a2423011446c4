"""Lists of claims for `Desk.look`: on a SQLite file read with sqlite3 alone (no SQLAlchemy
imported), elsewhere by `listing/queries.py` and `listing/browse.py`. `visible_claims` is
the CLI's sorted, filtered list; `start_up` and `change_marker` are what the TUI needs for
its first screen. The same rows in the same order either way (both build their query from
core/filter_terms.py), with the same visibility rule applied."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from workbench.core.filter_terms import comparisons, sort_column
from workbench.core.results import ClaimFilter, ClaimRow, Total
from workbench.core.visibility import blank_ratings, hidden_ids, seen_by
from workbench.storage.quickread import plain, time_text
from workbench.storage.search_text import SQLITE_MATCH_SQL, fts5_query

if TYPE_CHECKING:
    from workbench.storage.quickread import Reading

_COLUMNS = (
    "id, text, status, score, rating, article_id, source_count, assignee, created_at, "
    "updated_at, version, blind_review"
)
_IN_CHUNK = 500  # ids per IN (...) list, well under SQLite's limit of bound values


def visible_claims(
    reading: Reading,
    viewer: str,
    f: ClaimFilter | None = None,
    *,
    limit: int | None = 100,
    offset: int = 0,
) -> list[ClaimRow]:
    """The claims `f` selects, best first, as `viewer` may see them (ratings hidden under
    blind review): `listing.queries.visible_claims`."""
    if reading.conn is None:
        from workbench.listing.queries import visible_claims as list_by_orm

        return list_by_orm(reading.orm(), viewer, f, limit=limit, offset=offset)
    f = seen_by(f or ClaimFilter(), viewer)
    where, params = _where(f)
    sql = f"SELECT {_COLUMNS} FROM claims{where} ORDER BY {_order(f)}"
    if limit is not None or offset:
        sql += " LIMIT ? OFFSET ?"
        params += [-1 if limit is None else limit, offset]
    found = reading.rows(sql, params)
    rows = [plain(ClaimRow, row) for row in found]
    blind = [row["id"] for row in found if row["blind_review"] and row["rating"] is not None]
    return blank_ratings(rows, hidden_ids(blind, _rated_by(reading, viewer, blind)))


def start_up(reading: Reading, viewer: str, rows: int) -> tuple[int, Total, list[ClaimRow]]:
    """The TUI's first screen, as `browse.start_up`: the change marker (read first, so a
    later change shows as new), the size of the whole list and its first `rows` rows."""
    if reading.conn is None:
        from workbench.listing import browse

        return browse.start_up(reading.orm(), viewer, rows)
    marker = change_marker(reading, viewer)
    total = claim_count(reading)
    return marker, total, visible_claims(reading, viewer, ClaimFilter(), limit=rows)


def claim_count(reading: Reading) -> Total:
    """How many claims there are, all of them (one count over the smallest index)."""
    return Total(int(reading.rows("SELECT count(*) FROM claims")[0][0]))


def change_marker(reading: Reading, _viewer: str = "") -> int:
    """As `browse.change_marker`: the newest event's id, which grows with every write."""
    if reading.conn is None:
        from workbench.listing import browse

        return browse.change_marker(reading.orm())
    return int(reading.rows("SELECT max(id) FROM events")[0][0] or 0)


def _where(f: ClaimFilter) -> tuple[str, list[Any]]:
    clauses: list[str] = []
    params: list[Any] = []

    def add(clause: str, value: Any) -> None:
        clauses.append(clause)
        params.append(value)

    for column, comparison, value in comparisons(f):
        add(f"{column} {comparison} ?", time_text(value) if isinstance(value, datetime) else value)
    if f.rating and f.viewer is not None:  # as core/filters.py: no rating learnt by filtering
        add(
            "NOT (blind_review AND id NOT IN (SELECT claim_id FROM verdicts WHERE reviewer = ?))",
            f.viewer,
        )
    if f.reviewer:
        add("id IN (SELECT claim_id FROM verdicts WHERE reviewer = ?)", f.reviewer)
    fts = fts5_query(f.search)
    if fts is not None:
        add(SQLITE_MATCH_SQL, fts)
    return (" WHERE " + " AND ".join(clauses) if clauses else ""), params


def _order(f: ClaimFilter) -> str:
    column = sort_column(f)
    way = "DESC" if f.descending else "ASC"
    order = f"{column} {way}, id {way}"
    # As list_claims: claims without a score last, whichever way. SQLite sorts NULL lowest,
    # so descending puts them last already, and the index on score serves the sort (with
    # the extra term, 1,000,000 rows were sorted for the first 40: 1.6 s).
    return f"score IS NULL, {order}" if f.sort == "score" and not f.descending else order


def _rated_by(reading: Reading, viewer: str, claim_ids: list[int]) -> set[int]:
    rated: set[int] = set()
    for start in range(0, len(claim_ids), _IN_CHUNK):
        chunk = claim_ids[start : start + _IN_CHUNK]
        marks = ", ".join("?" * len(chunk))
        rated.update(
            row["claim_id"]
            for row in reading.rows(
                f"SELECT claim_id FROM verdicts WHERE reviewer = ? AND claim_id IN ({marks})",
                [viewer, *chunk],
            )
        )
    return rated
