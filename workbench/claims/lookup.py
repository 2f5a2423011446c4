"""`show_claim` and `claim_history` for `Desk.look`: on a SQLite file read with sqlite3 alone
(no SQLAlchemy imported, so `workbench claim show` and `history` answer in a fraction of
the ORM's start-up), elsewhere by the ORM reads of `claims/reading.py`. Both give the same
results, with the same visibility rule (core.visibility) applied."""

from __future__ import annotations

from typing import TYPE_CHECKING

from workbench.core.details import ClaimDetail, EventView, EvidenceView, SourceView, VerdictView
from workbench.core.results import ClaimRow
from workbench.core.visibility import hides_ratings, visible_detail, visible_history
from workbench.errors import NotFoundError
from workbench.storage.quickread import plain

if TYPE_CHECKING:
    import sqlite3

    from workbench.storage.quickread import Reading

_CLAIM_SQL = (
    "SELECT id, text, status, score, rating, article_id, source_count, assignee, created_at, "
    "updated_at, version, start, summary, blind_review FROM claims WHERE id = ?"
)
_EVIDENCE_SQL = (
    "SELECT e.id, e.claim_id, e.stance, e.quote, e.created_by, e.created_at, e.source_id, "
    "s.kind, s.url, s.title, s.publisher, s.citation, s.fetch_status, s.fetch_error, "
    "s.http_status, s.content_hash, s.fetched_at FROM evidence e "
    "JOIN sources s ON s.id = e.source_id WHERE e.claim_id = ? ORDER BY e.id"
)
_VERDICTS_SQL = (
    "SELECT id, claim_id, rating, rationale, reviewer, created_at, blind FROM verdicts "
    "WHERE claim_id = ? ORDER BY id"
)
_EVENTS_SQL = (
    "SELECT id, at, reviewer, action, entity, entity_id, claim_id, before, after FROM events "
    "WHERE claim_id = ? ORDER BY id"
)
_CONTEXT_SQL = (
    "SELECT position, text FROM sentences WHERE article_id = ? AND position >= ? AND position <= ? "
    "AND position != ? ORDER BY position"
)


def show_claim(reading: Reading, viewer: str, claim_id: int) -> ClaimDetail:
    """The claim as `viewer` may see it (as claims.reading.show_claim)."""
    if reading.conn is None:
        from workbench.claims.reading import show_claim as show_by_orm

        return show_by_orm(reading.orm(), viewer, claim_id)
    claim = _claim(reading, claim_id)
    return visible_detail(_detail(reading, claim), _hidden(reading, viewer, claim))


def claim_history(reading: Reading, viewer: str, claim_id: int) -> list[EventView]:
    """A claim's audit trail as `viewer` may see it (as claims.reading.claim_history)."""
    if reading.conn is None:
        from workbench.claims.reading import claim_history as history_by_orm

        return history_by_orm(reading.orm(), viewer, claim_id)
    claim = _claim(reading, claim_id)
    return visible_history(_history(reading, claim_id), _hidden(reading, viewer, claim))


def _claim(reading: Reading, claim_id: int) -> sqlite3.Row:
    found = reading.rows(_CLAIM_SQL, (claim_id,))
    if not found:
        raise NotFoundError(f"claim {claim_id} does not exist; list claims with: workbench claims")
    return found[0]


def _hidden(reading: Reading, viewer: str, claim: sqlite3.Row) -> bool:
    if not claim["blind_review"]:
        return False
    rated = reading.rows(
        "SELECT 1 FROM verdicts WHERE claim_id = ? AND reviewer = ? LIMIT 1", (claim["id"], viewer)
    )
    return hides_ratings(True, bool(rated))


def _detail(reading: Reading, claim: sqlite3.Row, context: int = 2) -> ClaimDetail:
    claim_id = claim["id"]
    title = None
    before: list[str] = []
    after: list[str] = []
    if claim["article_id"] is not None:
        titles = reading.rows("SELECT title FROM articles WHERE id = ?", (claim["article_id"],))
        title = titles[0]["title"] if titles else None
        if claim["start"] is not None:
            before, after = _context(reading, claim["article_id"], claim["start"], context)
    evidence = [
        plain(EvidenceView, row, source=plain(SourceView, row, id=row["source_id"]))
        for row in reading.rows(_EVIDENCE_SQL, (claim_id,))
    ]
    return ClaimDetail(
        claim=plain(ClaimRow, claim),
        article_title=title,
        context_before=before,
        context_after=after,
        evidence=evidence,
        verdicts=[plain(VerdictView, row) for row in reading.rows(_VERDICTS_SQL, (claim_id,))],
        history=_history(reading, claim_id),
        summary=claim["summary"],
    )


def _context(
    reading: Reading, article_id: int, start: int, context: int
) -> tuple[list[str], list[str]]:
    """The sentences before and after the claim's own in its article."""
    here = reading.rows(
        "SELECT position FROM sentences WHERE article_id = ? AND start = ? LIMIT 1",
        (article_id, start),
    )
    if not here:
        return [], []
    at = here[0]["position"]
    rows = reading.rows(_CONTEXT_SQL, (article_id, at - context, at + context, at))
    before = [r["text"] for r in rows[: sum(1 for r in rows if r["position"] < at)]]
    return before, [r["text"] for r in rows[len(before) :]]


def _history(reading: Reading, claim_id: int) -> list[EventView]:
    return [plain(EventView, row) for row in reading.rows(_EVENTS_SQL, (claim_id,))]
