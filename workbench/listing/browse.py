"""Paged reads for the claims list: only the rows on screen, fast on a million claims.

The TUI asks for a window (offset, limit) of the claims that match a filter. What makes
that fast on 1,000,000 rows, measured on SQLite:
- every sort goes down an index (score, updated_at, status) with the id as tie-break;
- deep pages read ids only (a covering index scan, no table look-ups), then the rows by id;
- a window in the second half of the list is read from the other end in reverse order, so
  the end of the list is as near as its start;
- a search matching many rows is ordered by id (the full-text index's own order, a few ms)
  instead of sorting every match; a search matching at most SMALL_SEARCH rows is sorted
  as asked. `Total.ordered_by_id` tells the UI which one it got.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from workbench.core.filters import filtered_claims, sort_by
from workbench.core.results import ClaimFilter, ClaimRow, Total
from workbench.core.visibility import seen_by, visible_rows
from workbench.core.vocabulary import STATUSES
from workbench.listing.queries import count_claims
from workbench.storage import search
from workbench.storage.models import Claim, Event
from workbench.storage.search import fts5_query

__all__ = ["Total"]  # defined with the other plain results; its home was here

# Searches with more matches than this are listed newest first rather than sorted.
SMALL_SEARCH = 5000
# From this offset on, a page reads ids first (covering index) and rows second.
DEEP_OFFSET = 500


# The columns of a ClaimRow, in its field order: rows are read as tuples (SQLAlchemy Core
# speed) rather than as ORM objects, several times cheaper per row.
ROW_COLUMNS = (
    Claim.id,
    Claim.text,
    Claim.status,
    Claim.score,
    Claim.rating,
    Claim.article_id,
    Claim.source_count,
    Claim.assignee,
    Claim.created_at,
    Claim.updated_at,
    Claim.version,
)


def _rows_by_ids(session: Session, ids: list[int]) -> list[ClaimRow]:
    if not ids:
        return []
    found = {
        row[0]: ClaimRow(*row)
        for row in session.execute(select(*ROW_COLUMNS).where(Claim.id.in_(ids)))
    }
    return [found[i] for i in ids if i in found]


def start_up(session: Session, viewer: str, rows: int) -> tuple[int, Total, list[ClaimRow]]:
    """What the TUI shows first: the change marker (read before the rows, so a later change
    shows as new), the size of the whole list and its first `rows` rows."""
    marker = change_marker(session)
    total = count(session, ClaimFilter())
    return marker, total, window(session, viewer, ClaimFilter(), 0, rows, total)


def change_marker(session: Session, _viewer: str = "") -> int:
    """A number that grows with every write: every change writes an Event (one PK look-up)."""
    return int(session.scalar(select(func.max(Event.id))) or 0)


def status_counts(session: Session, _viewer: str) -> dict[str, int]:
    """Claims per status, one covering index count each (faster than GROUP BY on SQLite)."""
    counts: dict[str, int] = {}
    for status in STATUSES:
        counts[status] = int(
            session.scalar(select(func.count()).select_from(Claim).where(Claim.status == status))
            or 0
        )
    return counts


def _has_filters(f: ClaimFilter) -> bool:
    return bool(
        f.status
        or f.rating
        or f.article_id is not None
        or f.reviewer
        or f.assignee
        or f.since is not None
        or f.until is not None
    )


def _sqlite(session: Session) -> bool:
    return session.get_bind().dialect.name == "sqlite"


def count(session: Session, f: ClaimFilter) -> Total:
    """The number of matching claims; for a large search on SQLite, a lower bound first."""
    return _count(session, f)[0]


def _count(session: Session, f: ClaimFilter) -> tuple[Total, list[int] | None]:
    """The count, and for a large unfiltered search the ids of its newest matches (the probe
    read them anyway: the first page needs no second pass over the index)."""
    fts = fts5_query(f.search)
    if fts is None:
        plain = replace(f, search=None)
        if not _has_filters(plain):
            return Total(int(session.scalar(select(func.count()).select_from(Claim)) or 0)), None
        return Total(count_claims(session, plain)), None
    if not _sqlite(session):
        return Total(count_claims(session, f)), None
    probe = search.newest_ids(session, fts, limit=SMALL_SEARCH + 1)
    if len(probe) <= SMALL_SEARCH:
        total = count_claims(session, f) if _has_filters(f) else len(probe)
        return Total(total), None
    large = Total(SMALL_SEARCH + 1, exact=False, ordered_by_id=True)
    return large, (None if _has_filters(f) else probe)


# A search without other filters, on SQLite: its newest matches and how many there are up
# to SMALL_SEARCH + 1, in one statement (storage.search).
_NEWEST_MATCHES = search.newest_matches_statement(ROW_COLUMNS)


def _newest_matches(
    session: Session, fts: str, offset: int, limit: int
) -> tuple[int, list[ClaimRow]] | None:
    """(matches up to SMALL_SEARCH + 1, the rows offset .. offset+limit-1 newest first), or
    None when the statement gave no row to carry the count (no match, or none from
    `offset` on): the general path counts those."""
    params = {"fts": fts, "cap": SMALL_SEARCH + 1, "limit": limit, "offset": offset}
    result = session.execute(_NEWEST_MATCHES, params).all()
    if not result:
        return None
    return int(result[0][-1]), [ClaimRow(*row[:-1]) for row in result]


def first_page(
    session: Session, viewer: str, f: ClaimFilter, start: int, limit: int
) -> tuple[Total, int, list[ClaimRow]]:
    """`_first_page` as `viewer` may see it (ratings hidden under blind review)."""
    total, offset, rows = _first_page(session, seen_by(f, viewer), start, limit)
    return total, offset, visible_rows(session, viewer, rows)


def _first_page(
    session: Session, f: ClaimFilter, start: int, limit: int
) -> tuple[Total, int, list[ClaimRow]]:
    """Counts the list and reads `limit` rows from about `start` (moved back so the window
    is full at the end of the list, and to a page boundary of `limit`): one call for a
    first screen. Returns the total, the offset actually read and the rows."""
    fts = fts5_query(f.search)
    if (
        fts is not None
        and _sqlite(session)
        and not _has_filters(f)
        and start + limit <= SMALL_SEARCH
    ):
        matches = _newest_matches(session, fts, start, limit)
        if matches is not None:
            found, rows = matches
            if found > SMALL_SEARCH:
                return Total(SMALL_SEARCH + 1, exact=False, ordered_by_id=True), start, rows
            # Few enough to sort as asked.
            small = Total(found)
            start = min(start, max(found - limit, 0))
            return small, start, _window(session, f, start, limit, small)
    total, newest = _count(session, f)
    if total.exact:
        start = min(start, max(total.count - limit, 0))
    if newest is not None and start + limit <= len(newest):
        return total, start, _rows_by_ids(session, newest[start : start + limit])
    return total, start, _window(session, f, start, limit, total)


def exact_count(session: Session, viewer: str, f: ClaimFilter) -> int:
    """The exact number of matches (slower for a search matching much of the database)."""
    f = seen_by(f, viewer)
    fts = fts5_query(f.search)
    if fts is not None and _sqlite(session) and not _has_filters(f):
        return search.count_matches(session, fts)
    return count_claims(session, f)


def _order(session: Session, f: ClaimFilter, reverse: bool) -> list[Any]:
    column = sort_by(f)
    descending = f.descending != reverse
    first = column.desc() if descending else column.asc()
    tiebreak = Claim.id.desc() if descending else Claim.id.asc()
    if not _sqlite(session) and f.sort == "score":
        # SQLite sorts NULL lowest, which puts unscored claims last when descending; say
        # the same to other databases. The direction of the list decides, not the read.
        nulls_last = f.descending
        first = first.nulls_last() if nulls_last != reverse else first.nulls_first()
    return [first, tiebreak]


def window(
    session: Session, viewer: str, f: ClaimFilter, offset: int, limit: int, total: Total
) -> list[ClaimRow]:
    """Rows offset .. offset+limit-1 of the list `f` describes, as `viewer` may see them."""
    return visible_rows(session, viewer, _window(session, seen_by(f, viewer), offset, limit, total))


def _window(
    session: Session, f: ClaimFilter, offset: int, limit: int, total: Total
) -> list[ClaimRow]:
    """Rows offset .. offset+limit-1 of the list `f` describes, in list order."""
    if limit <= 0 or offset < 0:
        return []
    if total.ordered_by_id:
        return _search_by_id(session, f, offset, limit)
    reverse = total.exact and offset > total.count // 2
    if reverse:
        end = min(offset + limit, total.count)
        offset, limit = max(total.count - end, 0), end - offset
        if limit <= 0:
            return []
    ids_query = filtered_claims(select(Claim.id), session, f).order_by(*_order(session, f, reverse))
    if offset >= DEEP_OFFSET or reverse:
        ids = list(session.scalars(ids_query.limit(limit).offset(offset)))
        rows = _rows_by_ids(session, ids)
    else:
        query = filtered_claims(select(*ROW_COLUMNS), session, f)
        query = query.order_by(*_order(session, f, reverse)).limit(limit).offset(offset)
        rows = [ClaimRow(*row) for row in session.execute(query)]
    if reverse:
        rows.reverse()
    return rows


def _search_by_id(session: Session, f: ClaimFilter, offset: int, limit: int) -> list[ClaimRow]:
    """A large search, newest first, straight from the full-text index's own order."""
    fts = fts5_query(f.search)
    if fts is not None and not _has_filters(f):
        ids = search.newest_ids(session, fts, limit=limit, offset=offset)
    else:
        query = filtered_claims(select(Claim.id), session, f).order_by(Claim.id.desc())
        ids = list(session.scalars(query.limit(limit).offset(offset)))
    return _rows_by_ids(session, ids)
