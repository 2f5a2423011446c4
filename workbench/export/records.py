"""The records of a report, as every export format reads them: plain slotted dataclasses,
times as ISO 8601 text, each with its JSON shape (docs/export-json-schema.md)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

# Times in report records are ISO 8601 text in UTC, exactly as `datetime.isoformat()` writes
# an aware UTC time ("2026-11-01T10:00:00+00:00"): every format prints them, and making the
# text from the stored value directly is several times cheaper than a datetime round trip.
UtcText = str


def iso(value: datetime | str | None) -> str | None:
    if value is None or isinstance(value, str):
        return value
    return value.isoformat()


def rating_json(rating: str | None, label: str, value: int | None) -> dict[str, Any]:
    """A rating as every report's JSON names it: a verdict's, and each line of the summary."""
    return {"rating": rating, "label": label, "rating_value": value}


@dataclass(slots=True)
class ArticleRecord:
    id: int
    title: str | None
    url: str | None
    author: str | None
    site_name: str | None
    published: str | None

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "url": self.url,
            "author": self.author,
            "site_name": self.site_name,
            "published": self.published,
        }


@dataclass(slots=True)
class SourceRecord:
    id: int
    kind: str
    url: str | None
    canonical_url: str | None
    title: str | None
    publisher: str | None
    citation: str | None
    fetch_status: str | None
    http_status: int | None
    fetched_at: UtcText | None  # of the snapshot the evidence quotes, else of the source
    snapshot_sha256: str | None  # likewise

    @property
    def label(self) -> str:
        return self.title or self.url or self.citation or f"source {self.id}"

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "url": self.url,
            "canonical_url": self.canonical_url,
            "title": self.title,
            "publisher": self.publisher,
            "citation": self.citation,
            "fetch_status": self.fetch_status,
            "http_status": self.http_status,
            "fetched_at": self.fetched_at,
            "snapshot_sha256": self.snapshot_sha256,
        }


@dataclass(slots=True)
class EvidenceRecord:
    id: int
    stance: str
    quote: str | None
    created_by: str | None
    created_at: UtcText
    source: SourceRecord

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "stance": self.stance,
            "quote": self.quote,
            "created_by": self.created_by,
            "created_at": self.created_at,
            "source": self.source.to_json(),
        }


@dataclass(slots=True)
class VerdictRecord:
    id: int
    rating: str
    label: str
    value: int | None  # the rating's number on the scale; None when it is off the scale
    rationale: str
    reviewer: str
    created_at: UtcText

    def to_json(self) -> dict[str, Any]:
        rating = rating_json(self.rating, self.label, self.value)
        return {
            "id": self.id,
            **rating,
            "rationale": self.rationale,
            "reviewer": self.reviewer,
            "created_at": self.created_at,
        }


@dataclass(slots=True)
class ClaimRecord:
    id: int
    text: str
    status: str
    score: float | None
    rating: str | None
    assignee: str | None
    created_by: str | None
    created_at: UtcText
    updated_at: UtcText
    article: ArticleRecord | None
    verdict: VerdictRecord | None
    evidence: tuple[EvidenceRecord, ...]
    summary: str | None = None  # the short form, for ClaimReview's claimReviewed

    @property
    def article_id(self) -> int | None:
        return self.article.id if self.article else None

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "text": self.text,
            # The short form ClaimReview publishes; null when only the sentence is kept.
            "summary": self.summary,
            "status": self.status,
            "score": self.score,
            "rating": self.rating,
            "article_id": self.article_id,
            "assignee": self.assignee,
            "created_by": self.created_by,
            "created_at": self.created_at,
            "updated_at": self.updated_at,
            "verdict": self.verdict.to_json() if self.verdict else None,
            "evidence": [e.to_json() for e in self.evidence],
        }


@dataclass(frozen=True, slots=True)
class RatingCount:
    rating: str | None  # None: claims without a verdict
    label: str
    value: int | None
    count: int


@dataclass(frozen=True)
class Summary:
    total: int
    articles: int
    by_rating: tuple[RatingCount, ...]

    @property
    def with_verdict(self) -> int:
        return sum(r.count for r in self.by_rating if r.rating is not None)

    def to_json(self) -> dict[str, Any]:
        return {
            "claims": self.total,
            "articles": self.articles,
            "with_verdict": self.with_verdict,
            "by_rating": [
                {**rating_json(r.rating, r.label, r.value), "count": r.count}
                for r in self.by_rating
            ],
        }
