"""Agreement between reviewers (Cohen's kappa over blind pairs) and their throughput.

A blind pair is a claim's first rating and the first blind rating by someone else (made
without seeing the first)."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from workbench.storage.models import Event, Verdict


def cohen_kappa(pairs: Sequence[tuple[str, str]]) -> float | None:
    """Cohen's kappa of two raters over nominal ratings: (p_o - p_e) / (1 - p_e).
    None when it is undefined (no pairs, or both raters used one and the same rating)."""
    n = len(pairs)
    if n == 0:
        return None
    observed = sum(1 for a, b in pairs if a == b) / n
    first = Counter(a for a, _ in pairs)
    second = Counter(b for _, b in pairs)
    expected = sum(first[k] * second[k] for k in first) / (n * n)
    if expected == 1:
        return None
    return (observed - expected) / (1 - expected)


@dataclass(frozen=True)
class BlindPair:
    claim_id: int
    first_reviewer: str
    first_rating: str
    second_reviewer: str
    second_rating: str


@dataclass(frozen=True)
class ReviewerStats:
    reviewer: str
    verdicts: int
    blind_verdicts: int
    approvals: int
    sent_back: int
    active_days: int
    first_verdict: datetime | None
    last_verdict: datetime | None

    @property
    def verdicts_per_day(self) -> float:
        """Verdicts per day on which the reviewer recorded any (0 without verdicts)."""
        return self.verdicts / self.active_days if self.active_days else 0.0

    def to_json(self) -> dict[str, Any]:
        return {
            "reviewer": self.reviewer,
            "verdicts": self.verdicts,
            "blind_verdicts": self.blind_verdicts,
            "approvals": self.approvals,
            "sent_back": self.sent_back,
            "active_days": self.active_days,
            "verdicts_per_day": round(self.verdicts_per_day, 3),
            "first_verdict": self.first_verdict.isoformat() if self.first_verdict else None,
            "last_verdict": self.last_verdict.isoformat() if self.last_verdict else None,
        }


@dataclass
class TeamStats:
    pairs: list[BlindPair] = field(default_factory=list)
    kappa: float | None = None
    pair_kappa: dict[tuple[str, str], tuple[int, float | None]] = field(default_factory=dict)
    reviewers: list[ReviewerStats] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        agreement = sum(1 for p in self.pairs if p.first_rating == p.second_rating)
        return {
            "blind_pairs": len(self.pairs),
            "observed_agreement": round(agreement / len(self.pairs), 4) if self.pairs else None,
            "kappa": round(self.kappa, 4) if self.kappa is not None else None,
            "by_reviewer_pair": [
                {
                    "reviewers": list(names),
                    "pairs": n,
                    "kappa": round(k, 4) if k is not None else None,
                }
                for names, (n, k) in sorted(self.pair_kappa.items())
            ],
            "reviewers": [r.to_json() for r in self.reviewers],
        }


def blind_pairs(session: Session) -> list[BlindPair]:
    """Per claim with a blind verdict: its first rating, and the first blind rating by
    someone else (made without seeing the first)."""
    with_blind = select(Verdict.claim_id).where(Verdict.blind)
    rows = session.execute(
        select(Verdict.claim_id, Verdict.reviewer, Verdict.rating, Verdict.blind)
        .where(Verdict.claim_id.in_(with_blind))
        .order_by(Verdict.claim_id, Verdict.id)
    ).all()
    by_claim: dict[int, list[Any]] = defaultdict(list)
    for row in rows:
        by_claim[row.claim_id].append(row)
    pairs: list[BlindPair] = []
    for claim_id, verdicts in by_claim.items():
        first = verdicts[0]
        second = next((v for v in verdicts[1:] if v.blind and v.reviewer != first.reviewer), None)
        if second is not None:
            pairs.append(
                BlindPair(claim_id, first.reviewer, first.rating, second.reviewer, second.rating)
            )
    return pairs


def team_stats(session: Session, _viewer: str = "") -> TeamStats:
    stats = TeamStats(pairs=blind_pairs(session))
    stats.kappa = cohen_kappa([(p.first_rating, p.second_rating) for p in stats.pairs])
    grouped: dict[tuple[str, str], list[tuple[str, str]]] = defaultdict(list)
    for p in stats.pairs:
        a, b = sorted((p.first_reviewer, p.second_reviewer))
        ratings = {p.first_reviewer: p.first_rating, p.second_reviewer: p.second_rating}
        grouped[(a, b)].append((ratings[a], ratings[b]))
    stats.pair_kappa = {k: (len(v), cohen_kappa(v)) for k, v in grouped.items()}

    day = func.date(Verdict.created_at)
    verdict_rows = session.execute(
        select(
            Verdict.reviewer,
            func.count(),
            func.count(func.distinct(day)),
            func.min(Verdict.created_at),
            func.max(Verdict.created_at),
        ).group_by(Verdict.reviewer)
    ).all()
    blind_counts: dict[str, int] = {
        str(r): int(n)
        for r, n in session.execute(
            select(Verdict.reviewer, func.count()).where(Verdict.blind).group_by(Verdict.reviewer)
        )
    }
    actions: dict[tuple[str, str], int] = {
        (str(r), str(a)): int(n)
        for r, a, n in session.execute(
            select(Event.reviewer, Event.action, func.count())
            .where(Event.action.in_(("claim.approve", "claim.send_back")))
            .group_by(Event.reviewer, Event.action)
        )
    }
    names = {r.reviewer for r in verdict_rows} | {r for r, _ in actions}
    by_name = {r.reviewer: r for r in verdict_rows}
    for name in sorted(names):
        row = by_name.get(name)
        stats.reviewers.append(
            ReviewerStats(
                reviewer=name,
                verdicts=int(row[1]) if row else 0,
                blind_verdicts=int(blind_counts.get(name, 0)),
                approvals=actions.get((name, "claim.approve"), 0),
                sent_back=actions.get((name, "claim.send_back"), 0),
                active_days=int(row[2]) if row else 0,
                first_verdict=_as_datetime(row[3]) if row else None,
                last_verdict=_as_datetime(row[4]) if row else None,
            )
        )
    return stats


def _as_datetime(value: Any) -> datetime | None:
    # min()/max() lose the column type on SQLite and come back as text.
    if value is None or isinstance(value, datetime):
        return value
    from datetime import UTC

    parsed = datetime.fromisoformat(str(value))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
