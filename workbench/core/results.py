"""The plain results every service returns and both front ends show: frozen dataclasses
with no database behind them, so a front end holds no session and no ORM object.

`to_json()` is the JSON shape of the CLI's `--json` output (GUIDE section 3): the fields in
order, times as ISO 8601 text.

Here: a row of a list, the claim a change is for, a list's filter and size. A claim in full
(`ClaimDetail` and its parts) is in core/details.py, a fetch's results in
core/fetch_results.py: making a frozen dataclass costs about a millisecond, and the terminal
UI's first screen and most CLI commands need none of those.
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
