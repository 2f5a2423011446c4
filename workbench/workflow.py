"""The editorial workflow of a desk: assignment, second review, blind review, bulk changes,
and agreement and throughput statistics.

A claim is assigned to a reviewer (their queue: `ClaimFilter(assignee=NAME)`). A verdict
makes it `reviewed`; a second reviewer, never the verdict's author, approves it
(`review.approve`) or sends it back with a note (`send_back`, status `in-progress`).
Assigning with `blind=True` puts the claim under blind review: a reviewer who has not rated
it yet is not shown the other ratings (`claim_for_viewer`), and records a blind verdict
(`blind_verdict`). Blind pairs (the first rating and a blind one by someone else) give
Cohen's kappa in `team_stats`.

Every function here writes through `review.record_event`, in the caller's transaction.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from workbench.errors import ConflictError, NotFoundError, ValidationError
from workbench.identity import ratings_visible
from workbench.models import Claim, Event, Verdict
from workbench.ratings import DEFAULT_SCALE, RatingScale
from workbench.review import (
    MANUAL_STATUSES,
    STATUSES,
    ClaimDetail,
    ClaimRow,
    EventView,
    VerdictView,
    _claim_state,
    change_claim,
    claim_row,
    get_claim,
    get_claim_for_update,
    history,
    record_event,
    record_verdict,
    require_reviewer,
    touch,
)

MAX_NAME_CHARS = 200
MAX_NOTE_CHARS = 5000
# Keys of audited states that carry a rating; hidden under blind review.
_RATING_KEYS = ("rating", "rationale", "blind", "verdict_id")


# ---------------------------------------------------------------- assignment and review


def assign(
    session: Session,
    reviewer: str,
    claim_id: int,
    assignee: str | None,
    *,
    blind: bool = False,
    expected_version: int | None = None,
) -> ClaimRow:
    """Puts a claim in `assignee`'s queue (None: in nobody's). `blind=True` asks for a blind
    review: until a second reviewer has rated it, other ratings are hidden from non-raters."""
    reviewer = require_reviewer(reviewer)
    name = assignee.strip() if assignee is not None else None
    if name is not None and not name:
        raise ValidationError("the assignee's name is empty; give a reviewer's name")
    if name is not None and len(name) > MAX_NAME_CHARS:
        raise ValidationError(f"the assignee's name is over {MAX_NAME_CHARS} characters")
    if blind and name is None:
        raise ValidationError("a blind review needs a reviewer to assign it to")
    claim = get_claim_for_update(session, claim_id, expected_version)
    if blind and any(v.reviewer == name for v in claim.verdicts):
        raise ValidationError(
            f"{name} has already rated claim {claim_id}, so cannot review it blind; "
            "assign it to someone else"
        )
    if claim.assignee == name and claim.blind_review == (blind or claim.blind_review):
        return claim_row(claim)
    before = {**_claim_state(claim), "blind_review": claim.blind_review}
    claim.assignee = name
    if blind:
        claim.blind_review = True
    touch(claim)
    session.flush()
    record_event(
        session,
        reviewer,
        "claim.assign",
        "claim",
        claim.id,
        claim_id=claim.id,
        before=before,
        after={**_claim_state(claim), "blind_review": claim.blind_review},
    )
    return claim_row(claim)


def send_back(
    session: Session,
    reviewer: str,
    claim_id: int,
    note: str,
    *,
    expected_version: int | None = None,
) -> ClaimRow:
    """A second reviewer returns a verdict to work (`in-progress`) with a note saying why."""
    reviewer = require_reviewer(reviewer)
    text = note.strip()
    if not text:
        raise ValidationError("the note is empty; say what must change before approval")
    if len(text) > MAX_NOTE_CHARS:
        raise ValidationError(f"the note is over {MAX_NOTE_CHARS} characters")
    claim = get_claim_for_update(session, claim_id, expected_version)
    if claim.status not in ("reviewed", "approved") or not claim.verdicts:
        raise ValidationError(
            f"claim {claim_id} is {claim.status}; only a reviewed claim can be sent back"
        )
    current = claim.verdicts[-1]
    if current.reviewer == reviewer:
        raise ValidationError(
            f"the verdict on claim {claim_id} is yours; another reviewer must send it back "
            "(or record a new verdict)"
        )
    return change_claim(
        session,
        reviewer,
        claim,
        "claim.send_back",
        {"status": "in-progress"},
        extra={"note": text, "verdict_id": current.id},
    )


def blind_verdict(
    session: Session,
    reviewer: str,
    claim_id: int,
    rating: str,
    rationale: str,
    *,
    scale: RatingScale = DEFAULT_SCALE,
    expected_version: int | None = None,
    request_id: str | None = None,
) -> VerdictView:
    """A rating made without seeing the others: only a reviewer who has not rated the claim
    yet can give one (they were shown it with the ratings hidden)."""
    reviewer = require_reviewer(reviewer)
    rated = session.scalar(
        select(func.count())
        .select_from(Verdict)
        .where(Verdict.claim_id == claim_id, Verdict.reviewer == reviewer)
    )
    if rated:
        raise ValidationError(
            f"you have already rated claim {claim_id}; a blind verdict must be your first "
            "rating of it (record an ordinary verdict instead)"
        )
    return record_verdict(
        session,
        reviewer,
        claim_id,
        rating,
        rationale,
        scale=scale,
        expected_version=expected_version,
        request_id=request_id,
        blind=True,
    )


def ratings_hidden(session: Session, reviewer: str, claim_id: int) -> bool:
    """True when the claim is under blind review and `reviewer` has not rated it. On a team
    server the database decides for its logins (editors see ratings too), as its row-level
    security does."""
    visible = ratings_visible(session, claim_id)
    if visible is not None:
        return not visible
    blind = session.scalar(select(Claim.blind_review).where(Claim.id == claim_id))
    if not blind:
        return False
    rated = session.scalar(
        select(func.count())
        .select_from(Verdict)
        .where(Verdict.claim_id == claim_id, Verdict.reviewer == reviewer)
    )
    return not rated


def _strip(state: dict[str, Any] | None) -> dict[str, Any] | None:
    if state is None:
        return None
    return {k: v for k, v in state.items() if k not in _RATING_KEYS}


def claim_for_viewer(session: Session, reviewer: str, claim_id: int) -> tuple[ClaimDetail, bool]:
    """The claim as `reviewer` may see it, and whether ratings were hidden from them."""
    detail = get_claim(session, claim_id)
    if not ratings_hidden(session, reviewer, claim_id):
        return detail, False
    history = [replace(e, before=_strip(e.before), after=_strip(e.after)) for e in detail.history]
    hidden = replace(detail, claim=replace(detail.claim, rating=None), verdicts=[], history=history)
    return hidden, True


def history_for_viewer(session: Session, reviewer: str, claim_id: int) -> list[EventView]:
    """A claim's audit trail as `reviewer` may see it (ratings out of it under blind review)."""
    events = history(session, claim_id)
    if not ratings_hidden(session, reviewer, claim_id):
        return events
    return [replace(e, before=_strip(e.before), after=_strip(e.after)) for e in events]


def mask_rows(session: Session, reviewer: str, rows: Sequence[ClaimRow]) -> list[ClaimRow]:
    """Claim rows with the rating blanked where the viewer must not see it yet."""
    blind_ids = [r.id for r in rows if r.rating is not None]
    if not blind_ids:
        return list(rows)
    under_blind = set(
        session.scalars(select(Claim.id).where(Claim.id.in_(blind_ids), Claim.blind_review))
    )
    if not under_blind:
        return list(rows)
    rated = set(
        session.scalars(
            select(Verdict.claim_id).where(
                Verdict.claim_id.in_(under_blind), Verdict.reviewer == reviewer
            )
        )
    )
    hide = under_blind - rated
    return [replace(r, rating=None) if r.id in hide else r for r in rows]


def bulk_set_status(
    session: Session,
    reviewer: str,
    claim_ids: Sequence[int],
    status: str,
    *,
    expected_versions: Mapping[int, int] | None = None,
) -> list[ClaimRow]:
    """Sets the status of many claims in one transaction: each gets its version bumped and
    its own audit event. All or nothing: one missing claim or stale version fails them all."""
    reviewer = require_reviewer(reviewer)
    if status not in MANUAL_STATUSES:
        raise ValidationError(
            f"bulk status must be one of {', '.join(MANUAL_STATUSES)} "
            f"(not {status!r}; valid statuses: {', '.join(STATUSES)})"
        )
    ids = sorted(set(claim_ids))
    if not ids:
        return []
    from workbench.identity import require_editor

    require_editor(session, "a bulk status change")
    session.flush()
    # Lock the rows in id order, so two bulk updates cannot deadlock each other.
    claims = list(
        session.scalars(
            select(Claim)
            .where(Claim.id.in_(ids))
            .order_by(Claim.id)
            .with_for_update()
            .execution_options(populate_existing=True)
        )
    )
    missing = sorted(set(ids) - {c.id for c in claims})
    if missing:
        shown = ", ".join(str(i) for i in missing[:10])
        raise NotFoundError(f"claim(s) {shown} do not exist; nothing was changed")
    for claim in claims:
        expected = (expected_versions or {}).get(claim.id)
        if expected is not None and claim.version != expected:
            get_claim_for_update(session, claim.id, expected)  # raises, naming who and when
            raise ConflictError(f"claim {claim.id} changed after you read it; nothing was saved")
    rows: list[ClaimRow] = []
    for claim in claims:
        if claim.status == status:
            rows.append(claim_row(claim))
            continue
        rows.append(
            change_claim(
                session, reviewer, claim, "claim.status", {"status": status}, extra={"bulk": True}
            )
        )
    return rows


# ---------------------------------------------------------------- statistics


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


def team_stats(session: Session) -> TeamStats:
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
