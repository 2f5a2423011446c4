"""Stored rows as plain results (core.results): the one place an ORM object becomes a
value a front end may hold."""

from __future__ import annotations

from workbench.core.results import (
    ClaimRow,
    EventView,
    EvidenceView,
    SnapshotView,
    SourceView,
    VerdictView,
)
from workbench.storage.models import Claim, Event, Evidence, Snapshot, Source, Verdict


def claim_row(claim: Claim) -> ClaimRow:
    return ClaimRow(
        id=claim.id,
        text=claim.text,
        status=claim.status,
        score=claim.score,
        rating=claim.rating,
        article_id=claim.article_id,
        source_count=claim.source_count,
        assignee=claim.assignee,
        created_at=claim.created_at,
        updated_at=claim.updated_at,
        version=claim.version,
    )


def source_view(source: Source) -> SourceView:
    return SourceView(
        id=source.id,
        kind=source.kind,
        url=source.url,
        title=source.title,
        publisher=source.publisher,
        citation=source.citation,
        fetch_status=source.fetch_status,
        fetch_error=source.fetch_error,
        http_status=source.http_status,
        content_hash=source.content_hash,
        fetched_at=source.fetched_at,
    )


def evidence_view(evidence: Evidence) -> EvidenceView:
    return EvidenceView(
        id=evidence.id,
        claim_id=evidence.claim_id,
        stance=evidence.stance,
        quote=evidence.quote,
        source=source_view(evidence.source),
        created_by=evidence.created_by,
        created_at=evidence.created_at,
    )


def verdict_view(verdict: Verdict) -> VerdictView:
    return VerdictView(
        id=verdict.id,
        claim_id=verdict.claim_id,
        rating=verdict.rating,
        rationale=verdict.rationale,
        reviewer=verdict.reviewer,
        created_at=verdict.created_at,
        blind=bool(verdict.blind),
    )


def event_view(event: Event) -> EventView:
    return EventView(
        id=event.id,
        at=event.at,
        reviewer=event.reviewer,
        action=event.action,
        entity=event.entity,
        entity_id=event.entity_id,
        claim_id=event.claim_id,
        before=event.before,
        after=event.after,
    )


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
