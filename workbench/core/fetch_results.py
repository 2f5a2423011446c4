"""What fetching and checking sources gives back: a stored snapshot, one fetch's outcome, a
source that needs a look (plain results, see core/results.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from workbench.core.results import Plain


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
