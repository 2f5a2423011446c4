"""The archive of fetched sources: every fetch a new snapshot (never overwriting an older
one), its bytes compressed and checked against their SHA-256 when read."""

from __future__ import annotations

import hashlib
import zlib
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from workbench.core.changes import record_event
from workbench.core.fetch_results import FetchReport, SnapshotView
from workbench.core.views import snapshot_view
from workbench.errors import DatabaseError, NotFoundError
from workbench.storage.models import Evidence, Snapshot, Source


def last_good(session: Session, source_id: int) -> Snapshot | None:
    return session.scalars(
        select(Snapshot)
        .where(Snapshot.source_id == source_id, Snapshot.outcome == "ok")
        .order_by(Snapshot.id.desc())
        .limit(1)
    ).first()


def load_sources(session: Session, source_ids: list[int]) -> dict[int, Source]:
    """These sources (the ones that still exist) in one SELECT, so record_fetch finds each
    row in the session instead of asking once per page. The caller keeps the dict: the
    session holds its rows only weakly. Locked in id order on PostgreSQL, so a concurrent
    delete waits for this batch and two batches never lock each other's rows crosswise."""
    rows = session.scalars(
        select(Source).where(Source.id.in_(source_ids)).order_by(Source.id).with_for_update()
    )
    return {source.id: source for source in rows}


def record_fetch(
    session: Session, reviewer: str, source_id: int, result: Any, page: Any = None
) -> FetchReport:
    """Stores one fetch as a new snapshot (never overwriting an older one) and updates the
    source. Only a complete fetch ("ok") carries bytes; a failed one records why.

    `page` is the page_work.PageDone of an ok result when it was already worked out (in a
    worker process); without it, it is worked out here."""
    from workbench.sources.page_work import PageJob, finish_page

    source = session.get(Source, source_id)
    if source is None:
        raise NotFoundError(f"source {source_id} does not exist")
    if result.ok and page is None:
        from workbench.sources.fetch import FetchConfig

        cap = FetchConfig().max_bytes if result.encodings else len(result.body)
        page = finish_page(
            PageJob(result.body, result.encodings, result.content_type, result.final_url, cap)
        )
    return _store_fetch(session, reviewer, source, result, page if result.ok else None)


def _store_fetch(
    session: Session, reviewer: str, source: Source, result: Any, page: Any
) -> FetchReport:
    source_id = source.id
    ok = page is not None and page.ok
    outcome = page.outcome if page is not None else result.outcome
    error = page.error if page is not None else result.error
    previous = last_good(session, source_id)
    snapshot = Snapshot(
        source_id=source_id,
        requested_url=result.requested_url,
        final_url=result.final_url,
        status=result.status,
        headers=[list(h) for h in result.headers],
        redirects=list(result.redirects),
        content_type=(result.content_type or "")[:200] or None,
        body=page.archive if ok else None,
        body_size=page.body_size if ok else None,
        sha256=page.sha256 if ok else None,
        text=page.text if ok else None,
        title=(page.title or None) if ok else None,
        outcome=outcome,
        error=error if not ok else page.note,
        fetched_at=result.fetched_at,
    )
    session.add(snapshot)
    session.flush()
    changed = bool(ok and previous is not None and previous.sha256 != page.sha256)
    before = {
        "fetch_status": source.fetch_status,
        "content_hash": source.content_hash,
        "http_status": source.http_status,
    }
    source.fetch_status = outcome
    source.fetch_error = error
    source.http_status = result.status
    if ok:
        source.content_hash = page.sha256
        source.fetched_at = result.fetched_at
        source.fetched_text = page.text
        source.title = (page.title or source.title or "")[:500] or None
        source.publisher = (page.site_name or source.publisher or "")[:500] or None
    after = {
        "fetch_status": source.fetch_status,
        "content_hash": source.content_hash,
        "http_status": source.http_status,
        "snapshot_id": snapshot.id,
        "url": source.url,
    }
    claim_ids: list[int | None] = list(
        session.scalars(select(Evidence.claim_id).where(Evidence.source_id == source_id).distinct())
    )
    for claim_id in claim_ids or [None]:
        record_event(
            session,
            reviewer,
            "source.fetch",
            "source",
            source_id,
            claim_id=claim_id,
            before=before,
            after=after,
        )
    return FetchReport(
        source_id=source_id,
        url=source.url or result.requested_url,
        outcome=outcome,
        error=error,
        snapshot_id=snapshot.id,
        sha256=snapshot.sha256,
        changed=changed,
    )


def open_snapshot(session: Session, snapshot_id: int) -> tuple[SnapshotView, bytes]:
    """The archived bytes, verified against their SHA-256."""
    snapshot = session.get(Snapshot, snapshot_id)
    if snapshot is None:
        raise NotFoundError(f"snapshot {snapshot_id} does not exist")
    body = verify_snapshot(snapshot)
    return snapshot_view(snapshot), body


def verify_snapshot(snapshot: Snapshot) -> bytes:
    if snapshot.body is None:
        return b""
    try:
        body = zlib.decompress(snapshot.body)
    except zlib.error as exc:
        raise DatabaseError(
            f"snapshot {snapshot.id} is damaged ({exc}); refetch the source"
        ) from None
    if hashlib.sha256(body).hexdigest() != snapshot.sha256:
        raise DatabaseError(
            f"snapshot {snapshot.id} of source {snapshot.source_id} fails its SHA-256 check; "
            "the archive was altered or damaged: refetch the source"
        )
    return body


def snapshots_of(session: Session, source_id: int) -> list[SnapshotView]:
    rows = session.scalars(
        select(Snapshot).where(Snapshot.source_id == source_id).order_by(Snapshot.id)
    )
    return [snapshot_view(s) for s in rows]
