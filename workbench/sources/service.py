"""Source use cases: attach a URL, fetch and archive it, rank its passages, pin a quote, and
check which verdicts rest on sources that changed or vanished."""

from __future__ import annotations

import asyncio
import hashlib
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from workbench.errors import DatabaseError, NotFoundError, ValidationError
from workbench.models import Claim, Evidence, Snapshot, Source
from workbench.review import (
    EvidenceView,
    attach_evidence,
    evidence_view,
    get_claim_for_update,
    record_event,
    require_reviewer,
    touch,
)
from workbench.sources.passages import Passage, rank_passages

# Re-exported: the front ends call them from here.
from workbench.sources.pending import count_failed as count_failed
from workbench.sources.pending import retry_advice as retry_advice
from workbench.sources.pending import sources_to_fetch as sources_to_fetch
from workbench.sources.pending import url_sources as url_sources

CONTEXT_CHARS = 120


@dataclass(frozen=True)
class SnapshotView:
    id: int
    source_id: int
    requested_url: str
    final_url: str | None
    status: int | None
    outcome: str
    error: str | None
    content_type: str | None
    sha256: str | None
    body_size: int | None
    fetched_at: datetime
    redirects: list[str]
    title: str | None

    def to_json(self) -> dict[str, Any]:
        data = dict(self.__dict__)
        data["fetched_at"] = self.fetched_at.isoformat()
        return data


@dataclass(frozen=True)
class FetchReport:
    source_id: int
    url: str
    outcome: str
    error: str | None
    snapshot_id: int
    sha256: str | None
    changed: bool  # the content differs from the previous successful snapshot

    def to_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass(frozen=True)
class CheckFinding:
    source_id: int
    url: str
    problem: str  # "changed", "never_fetched" or a fetch outcome such as "http_error"
    detail: str
    claims_with_verdicts: list[tuple[int, str]]  # (claim id, rating)

    def to_json(self) -> dict[str, Any]:
        return {
            "source_id": self.source_id,
            "url": self.url,
            "problem": self.problem,
            "detail": self.detail,
            "verdicts": [{"claim_id": c, "rating": r} for c, r in self.claims_with_verdicts],
        }


def snapshot_view(s: Snapshot) -> SnapshotView:
    return SnapshotView(
        id=s.id,
        source_id=s.source_id,
        requested_url=s.requested_url,
        final_url=s.final_url,
        status=s.status,
        outcome=s.outcome,
        error=s.error,
        content_type=s.content_type,
        sha256=s.sha256,
        body_size=s.body_size,
        fetched_at=s.fetched_at,
        redirects=list(s.redirects or []),
        title=s.title,
    )


# ---------------------------------------------------------------- attaching


def attach_url(
    session: Session,
    reviewer: str,
    claim_id: int,
    url: str,
    *,
    stance: str = "context",
    quote: str | None = None,
    expected_version: int | None = None,
) -> tuple[EvidenceView, bool]:
    """Attaches a URL to a claim. One canonical URL is one source, so a page attached to two
    claims is fetched once. Returns the evidence and whether the source still needs a fetch."""
    from workbench.sources.urls import InvalidSourceURL, canonical_url, normalise_url

    reviewer = require_reviewer(reviewer)
    try:
        normal = normalise_url(url)
        canonical = canonical_url(normal)
    except InvalidSourceURL as exc:
        raise ValidationError(str(exc)) from None
    claim = get_claim_for_update(session, claim_id, expected_version)
    source = session.scalars(select(Source).where(Source.canonical_url == canonical)).first()
    if source is None:
        source = Source(kind="url", url=normal, canonical_url=canonical, fetch_status="pending")
        session.add(source)
        session.flush()
    quote_text = quote.strip() if quote and quote.strip() else None
    evidence = attach_evidence(session, reviewer, claim, source, stance=stance, quote=quote_text)
    return evidence_view(evidence), source.fetch_status == "pending"


# ---------------------------------------------------------------- archiving


def _last_good(session: Session, source_id: int) -> Snapshot | None:
    return session.scalars(
        select(Snapshot)
        .where(Snapshot.source_id == source_id, Snapshot.outcome == "ok")
        .order_by(Snapshot.id.desc())
        .limit(1)
    ).first()


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
    previous = _last_good(session, source_id)
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


# ---------------------------------------------------------------- fetching


ProgressCallback = Callable[[int, int, FetchReport], None]


def fetch_config(settings: Any, **overrides: Any) -> Any:
    from workbench.sources.fetch import FetchConfig

    allowed = set(FetchConfig.__dataclass_fields__) - {"allow_private", "allowed_networks"}
    values = {k: v for k, v in (settings.fetch if settings else {}).items() if k in allowed}
    values.update({k: v for k, v in overrides.items() if v is not None})
    for key in ("concurrency", "workers"):
        if key in values and values[key] < 1:
            raise ValidationError(f"fetch {key} is {values[key]}; give 1 or more")
    allow = bool(settings.allow_private_networks) if settings else False
    return FetchConfig(**values, allow_private=allow)


async def fetch_and_record(
    store: Any,
    reviewer: str,
    targets: Sequence[tuple[int, str]],
    config: Any,
    progress: ProgressCallback | None = None,
    *,
    transport: Any = None,
) -> list[FetchReport]:
    """Fetches the sources concurrently and archives the results in small batches as they
    arrive, so an interrupted run keeps what it finished (see sources/pipeline.py)."""
    from workbench.sources.pipeline import run_pipeline

    return await run_pipeline(store, reviewer, targets, config, progress, transport=transport)


def fetch_and_record_sync(
    store: Any,
    reviewer: str,
    targets: Sequence[tuple[int, str]],
    config: Any,
    progress: ProgressCallback | None = None,
) -> list[FetchReport]:
    return asyncio.run(fetch_and_record(store, reviewer, targets, config, progress))


def check_sources(
    store: Any,
    reviewer: str,
    config: Any,
    *,
    claim_id: int | None = None,
    progress: ProgressCallback | None = None,
) -> list[CheckFinding]:
    """Refetches URL sources and lists those whose content changed or that now fail, with
    the verdicts that rest on them."""
    with store.read() as session:
        targets = url_sources(session, claim_id)
        # Nothing to compare a first fetch with: such a source is reported as never fetched.
        compared = set(session.scalars(select(Snapshot.source_id).where(Snapshot.outcome == "ok")))
    reports = asyncio.run(fetch_and_record(store, reviewer, targets, config, progress))
    findings = []
    with store.read() as session:
        for report in reports:
            first = report.source_id not in compared
            if report.outcome == "ok" and not report.changed and not first:
                continue
            verdicts = [
                (int(cid), str(rating))
                for cid, rating in session.execute(
                    select(Claim.id, Claim.rating)
                    .where(
                        Claim.id.in_(
                            select(Evidence.claim_id).where(Evidence.source_id == report.source_id)
                        ),
                        Claim.rating.is_not(None),
                    )
                    .order_by(Claim.id)
                )
            ]
            if report.outcome == "ok" and first:
                problem = "never_fetched"
                detail = f"never fetched before, so nothing to compare; now sha256 {report.sha256}"
            elif report.outcome == "ok":
                problem, detail = "changed", f"content changed (now sha256 {report.sha256})"
            else:
                problem, detail = report.outcome, report.error or report.outcome
                if first:
                    detail = f"never fetched successfully; {detail}"
            findings.append(CheckFinding(report.source_id, report.url, problem, detail, verdicts))
    return findings


# ---------------------------------------------------------------- evidence


def source_passages(
    session: Session, claim_id: int, source_id: int, *, limit: int = 10
) -> tuple[int, list[Passage]]:
    """The snapshot id and the passages of its text ranked by relevance to the claim."""
    claim = session.get(Claim, claim_id)
    if claim is None:
        raise NotFoundError(f"claim {claim_id} does not exist")
    snapshot = _last_good(session, source_id)
    if snapshot is None or not snapshot.text:
        source = session.get(Source, source_id)
        if source is None:
            raise NotFoundError(f"source {source_id} does not exist")
        raise ValidationError(
            f"source {source_id} has no fetched text yet (status: {source.fetch_status}); "
            + (
                "fetch it first (workbench fetch)"
                if source.fetch_status == "pending"
                else f"fetch it again: workbench fetch --retry-failed --claim {claim_id}"
            )
        )
    return snapshot.id, rank_passages(claim.text, snapshot.text, limit=limit)


def pin_quote(
    session: Session,
    reviewer: str,
    claim_id: int,
    source_id: int,
    start: int,
    end: int,
    *,
    stance: str | None = None,
    expected_version: int | None = None,
) -> EvidenceView:
    """Pins text[start:end] of the source's newest good snapshot as the claim's quote, with
    a little context and the snapshot id, so it stays tied to the archived bytes."""
    reviewer = require_reviewer(reviewer)
    claim = get_claim_for_update(session, claim_id, expected_version)
    snapshot = _last_good(session, source_id)
    if snapshot is None or not snapshot.text:
        raise ValidationError(f"source {source_id} has no fetched text to quote from")
    text = snapshot.text
    if not 0 <= start < end <= len(text):
        raise ValidationError(f"the passage {start}-{end} is outside the text (0-{len(text)})")
    quote = text[start:end]
    existing = session.scalars(
        select(Evidence).where(
            Evidence.claim_id == claim_id, Evidence.source_id == source_id, Evidence.quote.is_(None)
        )
    ).first()
    if existing is None:
        source = session.get(Source, source_id)
        assert source is not None
        evidence = attach_evidence(
            session,
            reviewer,
            claim,
            source,
            stance=stance or "context",
            quote=quote,
            quote_start=start,
            quote_end=end,
            snapshot_id=snapshot.id,
            context_before=text[max(0, start - CONTEXT_CHARS) : start],
            context_after=text[end : end + CONTEXT_CHARS],
        )
        return evidence_view(evidence)
    before = {"quote": existing.quote, "stance": existing.stance}
    existing.quote = quote
    existing.quote_start, existing.quote_end = start, end
    existing.snapshot_id = snapshot.id
    existing.context_before = text[max(0, start - CONTEXT_CHARS) : start]
    existing.context_after = text[end : end + CONTEXT_CHARS]
    if stance:
        from workbench.review import _check_stance

        existing.stance = _check_stance(stance)
    touch(claim)
    session.flush()
    record_event(
        session,
        reviewer,
        "evidence.quote",
        "evidence",
        existing.id,
        claim_id=claim_id,
        before=before,
        after={
            "quote": quote,
            "stance": existing.stance,
            "snapshot_id": snapshot.id,
            "quote_start": start,
            "quote_end": end,
        },
    )
    return evidence_view(existing)
