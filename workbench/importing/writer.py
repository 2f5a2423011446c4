"""Writing imported claims in bulk, with their audit events, and telling duplicates."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from workbench.core.changes import record_event
from workbench.core.vocabulary import MAX_CLAIM_CHARS
from workbench.importing.fields import record_score, record_status, text_field
from workbench.importing.results import (
    LOOKUP_CHUNK,
    PLAIN_STATUSES,
    ImportRejected,
    ImportResult,
    RecordError,
)
from workbench.progress import report_progress
from workbench.storage.audit import seal_rows
from workbench.storage.bulk import claim_event_row, insert_plain, insert_rows
from workbench.storage.models import (
    Article,
    Claim,
    Event,
    utcnow,
)
from workbench.storage.search import DEFER_FULLTEXT_AT, DeferredIndex


def chunks(items: Sequence[Any], size: int = LOOKUP_CHUNK) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def claim_key(article_id: int | None, text_value: str) -> bytes:
    return hashlib.blake2b(f"{article_id}\x00{text_value}".encode(), digest_size=16).digest()


def has_rows(session: Session, model: type[Any]) -> bool:
    return session.scalar(select(model.id).limit(1)) is not None


def existing_claim_keys(session: Session) -> set[bytes]:
    """Keys of the claims already stored, for duplicate detection (hashes, not texts)."""
    return {
        claim_key(article_id, body)
        for article_id, body in session.execute(select(Claim.article_id, Claim.text))
    }


def _claim_events(
    reviewer: str, result: ImportResult, rows: list[dict[str, Any]], ids: list[int]
) -> list[dict[str, Any]]:
    now = utcnow()
    return [
        claim_event_row(
            reviewer,
            now,
            "claim.import",
            claim_id,
            {
                "text": row["text"],
                "status": row["status"],
                "score": row["score"],
                "rating": row.get("rating"),
                "article_id": row["article_id"],
                "source_count": row.get("source_count", 0),
                "file": result.file,
            },
        )
        for row, claim_id in zip(rows, ids, strict=True)
    ]


def summary_event(session: Session, reviewer: str, result: ImportResult) -> None:
    summary = result.to_json()
    summary.pop("problems")
    record_event(session, reviewer, "import.file", "import", None, after=summary)


def finish_chunk(session: Session, reviewer: str, result: ImportResult, strict: bool) -> None:
    report_progress(result.records, 0, "records read")
    if strict and result.problem_count:
        raise ImportRejected(result)


# --------------------------------------------------------------------- articles


class _Articles:
    """Finds or creates articles by URL (or by title when there is no URL)."""

    def __init__(self, session: Session, result: ImportResult) -> None:
        self.session = session
        self.result = result
        self.by_key: dict[tuple[str, str], int] = {}

    def resolve(self, title: str | None, url: str | None) -> int | None:
        if not title and not url:
            return None
        key = ("url", url) if url else ("title", title or "")
        found = self.by_key.get(key)
        if found is not None:
            return found
        column = Article.url if url else Article.title
        existing = self.session.scalar(
            select(Article.id).where(column == key[1]).order_by(Article.id).limit(1)
        )
        if existing is None:
            existing = insert_rows(
                self.session,
                Article.__table__,  # type: ignore[arg-type]
                [{"title": title, "url": url, "text": "", "created_at": utcnow()}],
            )[0]
            self.result.articles += 1
        self.by_key[key] = existing
        return existing


# --------------------------------------------------------------------- claims (CSV, JSONL)


def import_claim_records(
    session: Session,
    reviewer: str,
    result: ImportResult,
    records: Iterable[tuple[str, dict[str, Any]]],
    strict: bool,
) -> None:
    parsed: list[tuple[str, dict[str, Any]]] = []
    for where, record in records:
        result.records += 1
        if result.records % 1000 == 0:
            report_progress(result.records, 0, "records read")
        if "__error__" in record:
            result.problem(where, str(record["__error__"]))
            continue
        try:
            parsed.append(
                (
                    where,
                    {
                        "text": text_field(record, "text", MAX_CLAIM_CHARS, required=True),
                        "score": record_score(record),
                        "status": record_status(record, PLAIN_STATUSES),
                        "article_title": text_field(record, "article_title", 500),
                        "article_url": text_field(record, "article_url", 4096),
                    },
                )
            )
        except RecordError as exc:
            result.problem(where, str(exc))
    report_progress(result.records, result.records, "records read")
    finish_chunk(session, reviewer, result, strict)
    articles = _Articles(session, result)
    existing = existing_claim_keys(session) if parsed else set()
    now = utcnow()
    rows: list[dict[str, Any]] = []
    for _where, item in parsed:
        article_id = articles.resolve(item["article_title"], item["article_url"])
        key = claim_key(article_id, item["text"])
        if key in existing:
            result.duplicates += 1
            continue
        existing.add(key)
        rows.append(
            {
                "text": item["text"],
                "article_id": article_id,
                "score": item["score"],
                "status": item["status"],
                "rating": None,
                "source_count": 0,
                "created_by": reviewer,
                "created_at": now,
                "updated_at": now,
                "version": 1,
            }
        )
    write_claims(session, reviewer, result, rows)
    summary_event(session, reviewer, result)


def write_claims(
    session: Session,
    reviewer: str,
    result: ImportResult,
    rows: list[dict[str, Any]],
    *,
    defer_fulltext: bool = True,
    names: Sequence[str] | None = None,
) -> list[int]:
    """`names`: the columns, when the rows hold other keys too."""
    deferral = DeferredIndex(session, defer=defer_fulltext and len(rows) >= DEFER_FULLTEXT_AT)
    ids = insert_rows(session, Claim.__table__, rows, names)  # type: ignore[arg-type]
    deferral.finish()
    # Bulk events join the tamper-evident chain like any other (audit.seal_rows).
    events = seal_rows(session, _claim_events(reviewer, result, rows, ids))
    insert_plain(session, Event.__table__, events)  # type: ignore[arg-type]
    result.claims += len(ids)
    result.claim_ids.extend(ids)
    return ids


# --------------------------------------------------------------------- ClaimReview
