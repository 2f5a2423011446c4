"""Report records, streamed out of the database in batches.

Every export format reads claims through this module, so they all agree on what a report
holds: each matching claim with its current verdict, its evidence and their sources, grouped
by article (claims without an article come last). Nothing here holds more than one batch of
claims in memory besides the ordered list of matching claim ids, so a report of 100,000
claims streams in a few tens of megabytes.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import String, bindparam, func, select, type_coerce
from sqlalchemy.orm import Session

from workbench.core.filters import filtered_claims
from workbench.core.ratings import DEFAULT_SCALE, RatingScale
from workbench.core.results import ClaimFilter
from workbench.core.visibility import hidden_from
from workbench.errors import ValidationError
from workbench.export.records import (
    ArticleRecord,
    ClaimRecord,
    EvidenceRecord,
    RatingCount,
    SourceRecord,
    Summary,
    VerdictRecord,
    iso,
)
from workbench.export.times import stored_time as _when  # noqa: F401 (tests use both)
from workbench.export.times import utc_text as _utc_text
from workbench.progress import report_progress
from workbench.storage.models import Article, Claim, Evidence, Snapshot, Source, Verdict

BATCH_SIZE = 500
# The ClaimFilter fields a report's head lists, in this order (not the sort, nor the viewer).
REPORTED_FILTERS = (
    "status",
    "rating",
    "article_id",
    "search",
    "reviewer",
    "assignee",
    "since",
    "until",
)


@dataclass(frozen=True)
class ReportQuery:
    """Which claims a report holds (the `claims` filters plus a date range) and on what scale."""

    filter: ClaimFilter = field(default_factory=ClaimFilter)
    scale: RatingScale = DEFAULT_SCALE
    viewer: str | None = None  # whose report: under blind review, ratings they may not see go

    def filters_json(self) -> dict[str, Any]:
        """The filters a report names in its head (the JSON shape), times as ISO 8601."""
        chosen = {name: getattr(self.filter, name) for name in REPORTED_FILTERS}
        return {k: iso(v) if isinstance(v, datetime) else v for k, v in chosen.items()}


def _label(scale: RatingScale, rating: str) -> tuple[str, int | None]:
    try:
        found = scale.get(rating)
    except ValidationError:  # a rating from an earlier scale: shown by name, off the scale
        return rating, None
    return found.label, found.value


def summary(session: Session, query: ReportQuery) -> Summary:
    """Counts for the report head: claims, articles, and claims per rating in scale order."""
    rows = session.execute(
        filtered_claims(select(Claim.rating, func.count(Claim.id)), session, query.filter).group_by(
            Claim.rating
        )
    ).all()
    counts: dict[str | None, int] = {rating: int(n) for rating, n in rows}
    for rating in hidden_ratings(session, query).values():
        if rating is not None:  # counted as a claim without a verdict yet
            counts[rating] -= 1
            counts[None] = counts.get(None, 0) + 1
    counts = {k: n for k, n in counts.items() if n}
    articles = session.scalar(
        filtered_claims(select(func.count(func.distinct(Claim.article_id))), session, query.filter)
    )
    ordered: list[RatingCount] = []
    for r in query.scale.ratings:
        if r.name in counts:
            ordered.append(RatingCount(r.name, r.label, r.value, counts.pop(r.name)))
    for name in sorted(k for k in counts if k is not None):
        ordered.append(RatingCount(name, name, None, counts.pop(name)))
    if None in counts:
        ordered.append(RatingCount(None, "No verdict yet", None, counts.pop(None)))
    return Summary(
        total=sum(r.count for r in ordered), articles=int(articles or 0), by_rating=tuple(ordered)
    )


def hidden_ratings(session: Session, query: ReportQuery) -> dict[int, str | None]:
    """Claim id -> rating of the matching claims whose ratings the report's viewer may not
    see (blind review, core.visibility); those are reported without a verdict."""
    if query.viewer is None:
        return {}
    stmt = filtered_claims(
        select(Claim.id, Claim.rating).where(hidden_from(query.viewer)), session, query.filter
    )
    return {int(i): r for i, r in session.execute(stmt)}


def _ordered_ids(session: Session, query: ReportQuery, where: Any = None) -> list[int]:
    """Matching claim ids grouped by article (articles in id order, claims without one last),
    in reading order within an article. `where`: a further condition (a report section)."""
    stmt = filtered_claims(select(Claim.id), session, query.filter)
    if where is not None:
        stmt = stmt.where(where)
    stmt = stmt.order_by(
        Claim.article_id.is_(None), Claim.article_id, Claim.start.is_(None), Claim.start, Claim.id
    )
    return list(session.scalars(stmt))


def _article_columns() -> Any:
    """The columns of an ArticleRecord, in its field order."""
    return select(
        Article.id, Article.title, Article.url, Article.author, Article.site_name, Article.published
    )


def iter_articles(session: Session, query: ReportQuery) -> Iterator[ArticleRecord]:
    """The articles the matching claims come from, in report order."""
    ids = filtered_claims(
        select(Claim.article_id).where(Claim.article_id.is_not(None)), session, query.filter
    ).distinct()
    stmt = _article_columns().where(Article.id.in_(ids.scalar_subquery()))
    for row in session.execute(stmt.order_by(Article.id)):
        yield ArticleRecord(*row)


BatchRows = Callable[[list[int]], list[Any]]
# The SQLite fast path below (tests turn it off to compare it with the generic one).
FAST_SQLITE_READS = True


def _fast_sqlite(conn: Any) -> bool:
    return FAST_SQLITE_READS and conn.dialect.name == "sqlite"


def _among(conn: Any, column: Any) -> Any:
    """`column IN :batch_ids`, the batch of claim ids a report reads at a time. On SQLite
    the ids go as one JSON text read by json_each (SQLAlchemy otherwise expands a 500-item
    IN list item by item on every batch)."""
    if _fast_sqlite(conn):
        listed = func.json_each(bindparam("batch_ids")).table_valued("value")
        return column.in_(select(listed.c.value).scalar_subquery())
    return column.in_(bindparam("batch_ids", expanding=True))


def _batch_reader(conn: Any, stmt: Any) -> BatchRows:
    """`rows(ids)`: the rows of `stmt` for one batch of ids. On SQLite the statement is
    compiled once and run on the driver's own cursor, as plain tuples: SQLAlchemy's
    per-execution work (cache key, result set-up, Row objects) was a fifth of a large
    report. The selected columns need no result processing (times are selected raw)."""
    if _fast_sqlite(conn):
        compiled = stmt.compile(dialect=conn.dialect)
        if list(compiled.positiontup or ()) == ["batch_ids"]:
            sql = str(compiled)
            cursor = conn.connection.driver_connection.cursor()

            def sqlite_rows(ids: list[int]) -> list[Any]:
                return cursor.execute(sql, (json.dumps(ids),)).fetchall()  # type: ignore[no-any-return]

            return sqlite_rows

    def rows(ids: list[int]) -> list[Any]:
        return conn.execute(stmt, {"batch_ids": ids}).all()  # type: ignore[no-any-return]

    return rows


def _raw(column: Any) -> Any:
    return type_coerce(column, String)


def iter_claims(
    session: Session, query: ReportQuery, *, batch_size: int = BATCH_SIZE, where: Any = None
) -> Iterator[ClaimRecord]:
    """Every matching claim (and meeting `where`, when given) with its current verdict and
    evidence, in report order."""
    ids = _ordered_ids(session, query, where)
    # Core statements on the session's connection: no ORM result machinery per row.
    conn = session.connection()
    claim_rows = _batch_reader(conn, _claim_columns(conn))
    verdict_rows = _batch_reader(conn, _verdict_columns(conn))
    evidence_rows = _batch_reader(conn, _evidence_columns(conn))
    articles: dict[int, ArticleRecord] = {}
    hidden = hidden_ratings(session, query)
    for start in range(0, len(ids), batch_size):
        chunk = ids[start : start + batch_size]
        claims = {row[0]: row for row in claim_rows(chunk)}
        wanted = {c[9] for c in claims.values() if c[9] is not None}
        missing = wanted - set(articles)
        # Articles of the previous batch that this one does not use are dropped.
        articles = {k: v for k, v in articles.items() if k in wanted}
        if missing:
            for row in conn.execute(_article_columns().where(Article.id.in_(missing))):
                articles[row[0]] = ArticleRecord(*row)
        verdicts = _current_verdicts(verdict_rows(chunk), query.scale)
        evidence = _evidence(evidence_rows(chunk))
        report_progress(start, len(ids), "claims written")
        for claim_id in chunk:
            c = claims.get(claim_id)
            if c is None:  # deleted while we read; a report is a snapshot, not a lock
                continue
            created_at = _utc_text(c[7])
            assert created_at is not None
            blind = claim_id in hidden
            yield ClaimRecord(
                c[0],
                c[1],
                c[2],
                c[3],
                None if blind else c[4],
                c[5],
                c[6],
                created_at,
                _utc_text(c[8]) or created_at,
                articles.get(c[9]) if c[9] is not None else None,
                None if blind else verdicts.get(claim_id),
                tuple(evidence.get(claim_id, ())),
                c[10],
            )
    if ids:
        report_progress(len(ids), len(ids), "claims written")


def _claim_columns(conn: Any) -> Any:
    return select(
        Claim.id,
        Claim.text,
        Claim.status,
        Claim.score,
        Claim.rating,
        Claim.assignee,
        Claim.created_by,
        _raw(Claim.created_at),
        _raw(Claim.updated_at),
        Claim.article_id,
        Claim.summary,
    ).where(_among(conn, Claim.id))


def _verdict_columns(conn: Any) -> Any:
    newest = (
        select(func.max(Verdict.id))
        .where(_among(conn, Verdict.claim_id))
        .group_by(Verdict.claim_id)
    )
    return select(
        Verdict.id,
        Verdict.claim_id,
        Verdict.rating,
        Verdict.rationale,
        Verdict.reviewer,
        _raw(Verdict.created_at),
    ).where(Verdict.id.in_(newest.scalar_subquery()))


def _current_verdicts(rows: list[Any], scale: RatingScale) -> dict[int, VerdictRecord]:
    labels: dict[str, tuple[str, int | None]] = {}
    found: dict[int, VerdictRecord] = {}
    for vid, claim_id, rating, rationale, reviewer, created_at in rows:
        label = labels.get(rating)
        if label is None:
            label = labels[rating] = _label(scale, rating)
        found[claim_id] = VerdictRecord(
            vid, rating, label[0], label[1], rationale, reviewer, _utc_text(created_at) or _EPOCH
        )
    return found


_EPOCH = "1970-01-01T00:00:00+00:00"


def _evidence_columns(conn: Any) -> Any:
    return (
        select(
            Evidence.id,
            Evidence.claim_id,
            Evidence.stance,
            Evidence.quote,
            Evidence.created_by,
            _raw(Evidence.created_at),
            Source.id,
            Source.kind,
            Source.url,
            Source.canonical_url,
            Source.title,
            Source.publisher,
            Source.citation,
            Source.fetch_status,
            Source.http_status,
            _raw(func.coalesce(Snapshot.fetched_at, Source.fetched_at)),
            func.coalesce(Snapshot.sha256, Source.content_hash),
        )
        .join(Source, Source.id == Evidence.source_id)
        .outerjoin(Snapshot, Snapshot.id == Evidence.snapshot_id)
        .where(_among(conn, Evidence.claim_id))
        .order_by(Evidence.claim_id, Evidence.id)
    )


def _evidence(rows: list[Any]) -> dict[int, list[EvidenceRecord]]:
    found: dict[int, list[EvidenceRecord]] = {}
    when = _utc_text
    for r in rows:
        source = SourceRecord(
            r[6], r[7], r[8], r[9], r[10], r[11], r[12], r[13], r[14], when(r[15]), r[16]
        )
        record = EvidenceRecord(r[0], r[2], r[3], r[4], when(r[5]) or _EPOCH, source)
        found.setdefault(r[1], []).append(record)
    return found
