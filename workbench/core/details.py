"""A claim in full, as `claim show` and the claim screen show it: the claim, its sources and
citations, its verdicts and its history (plain results, see core/results.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from workbench.core.results import ClaimRow, Plain


@dataclass(frozen=True)
class SourceView(Plain):
    id: int
    kind: str
    url: str | None
    title: str | None
    publisher: str | None
    citation: str | None
    fetch_status: str | None
    fetch_error: str | None
    http_status: int | None
    content_hash: str | None
    fetched_at: datetime | None


@dataclass(frozen=True)
class EvidenceView(Plain):
    id: int
    claim_id: int
    stance: str
    quote: str | None
    source: SourceView
    created_by: str | None
    created_at: datetime


@dataclass(frozen=True)
class VerdictView(Plain):
    id: int
    claim_id: int
    rating: str
    rationale: str
    reviewer: str
    created_at: datetime
    blind: bool = False  # recorded under blind review, without seeing the other ratings


@dataclass(frozen=True)
class EventView(Plain):
    id: int
    at: datetime
    reviewer: str
    action: str
    entity: str
    entity_id: int | None
    claim_id: int | None
    before: dict[str, Any] | None
    after: dict[str, Any] | None


@dataclass(frozen=True)
class ClaimDetail:
    claim: ClaimRow
    article_title: str | None
    context_before: list[str]
    context_after: list[str]
    evidence: list[EvidenceView]
    verdicts: list[VerdictView]  # oldest first; the last one is current
    history: list[EventView]
    ratings_hidden: bool = False  # blind review: the viewer was shown no rating
    summary: str | None = None  # the short form ClaimReview publishes (claims/summary.py)

    @property
    def verdict(self) -> VerdictView | None:
        return self.verdicts[-1] if self.verdicts else None

    def to_json(self) -> dict[str, Any]:
        data = self.claim.to_json()
        data.update(
            article_title=self.article_title,
            context_before=self.context_before,
            context_after=self.context_after,
            evidence=[e.to_json() for e in self.evidence],
            verdict=self.verdict.to_json() if self.verdict else None,
            verdicts=[v.to_json() for v in self.verdicts],
            history=[e.to_json() for e in self.history],
            ratings_hidden=self.ratings_hidden,
            summary=self.summary,
        )
        return data
