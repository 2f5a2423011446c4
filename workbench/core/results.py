"""The plain results every service returns and both front ends show: frozen dataclasses
with no database behind them, so a front end holds no session and no ORM object.

`to_json()` is the JSON shape of the CLI's `--json` output (GUIDE section 3): the fields in
order, times as ISO 8601 text.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, is_dataclass
from datetime import datetime
from typing import Any


def plain_json(value: Any) -> Any:
    """A result as JSON values: dataclasses as objects, times as ISO 8601 text."""
    if isinstance(value, datetime):
        return value.isoformat()
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain_json(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, list | tuple):
        return [plain_json(v) for v in value]
    if isinstance(value, dict):
        return {k: plain_json(v) for k, v in value.items()}
    return value


class Plain:
    """A result whose JSON is its fields, in order."""

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = plain_json(self)
        return data


@dataclass(frozen=True)
class ClaimRow(Plain):
    id: int
    text: str
    status: str
    score: float | None
    rating: str | None
    article_id: int | None
    source_count: int
    assignee: str | None
    created_at: datetime
    updated_at: datetime
    version: int


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


@dataclass(frozen=True)
class ClaimAt:
    """The claim a change is for, at the version the reviewer saw (None: as it is now). Every
    single-claim change takes one, so a change to a claim that has moved on since the reviewer
    read it is refused as a conflict (core.changes.get_claim_for_update) the same way."""

    id: int
    version: int | None = None

    @classmethod
    def of(cls, row: ClaimRow) -> ClaimAt:
        """The claim of a row the reviewer was shown, at the version it showed."""
        return cls(row.id, row.version)

    def after(self, row: ClaimRow) -> ClaimAt:
        """The same claim after the reviewer's own change `row`: the version it made is the
        one they have now seen (still no check when they asked for none)."""
        return self if self.version is None else ClaimAt(self.id, row.version)


@dataclass(frozen=True)
class ClaimFilter:
    status: str | None = None
    rating: str | None = None
    article_id: int | None = None
    search: str | None = None
    reviewer: str | None = None  # claims with a verdict by this reviewer
    assignee: str | None = None
    since: datetime | None = None  # updated at or after
    until: datetime | None = None  # updated before
    sort: str = "score"  # "score", "updated", "status", "id"
    descending: bool = True
    extra: dict[str, Any] = field(default_factory=dict)
    # Whose list it is, set by the services (core.visibility.seen_by): a rating filter then
    # skips the claims whose rating this viewer may not see yet (blind review).
    viewer: str | None = None


@dataclass(frozen=True)
class Total:
    """How many claims match: exact, or a lower bound while the exact figure is computed."""

    count: int
    exact: bool = True
    ordered_by_id: bool = False  # a large search: listed newest first, not by the sort


@dataclass(frozen=True)
class SnapshotView(Plain):
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


@dataclass(frozen=True)
class FetchReport(Plain):
    source_id: int
    url: str
    outcome: str
    error: str | None
    snapshot_id: int
    sha256: str | None
    changed: bool  # the content differs from the previous successful snapshot


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
