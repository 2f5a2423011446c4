"""Who may see which rating.

Under blind review (a claim assigned with `blind=True`) a reviewer who has not rated the
claim yet is shown no rating: not the claim's current one, no verdict and rationale, and no
rating in its history. Their own verdict is then a blind one (it counts in the agreement
statistics). The rule lifts for everyone once two reviewers have rated the claim.

Every service that returns claims, rows, a history, matches or a report applies these
functions itself, for the reviewer it acts for, and so does every filter by rating
(`seen_by`); front ends show what they get. The rule itself works on plain values
(`hides_ratings`, `hidden_ids`, `blank_ratings`, `visible_history`, `visible_detail`), so the
ORM reads here and the sqlite3 reads of a SQLite file (`claims/lookup.py`,
`listing/lookup.py`) decide it the same way; SQLAlchemy is imported by the ORM reads only.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from workbench.core.results import ClaimFilter, ClaimRow

if TYPE_CHECKING:
    from sqlalchemy import ColumnElement
    from sqlalchemy.orm import Session

    from workbench.core.details import ClaimDetail, EventView
    from workbench.storage.models import Claim

# Keys of audited states that carry a rating; left out of what a blind reviewer sees.
RATING_KEYS = ("rating", "rationale", "blind", "verdict_id")


def hides_ratings(blind_review: bool, rated_by_viewer: bool) -> bool:
    """The rule: a claim under blind review hides its ratings from a viewer who has not
    rated it (the second rating lifts it: `record_verdict` clears `blind_review`)."""
    return bool(blind_review) and not rated_by_viewer


def hidden_ids(under_blind: Iterable[int], rated_by_viewer: Iterable[int]) -> set[int]:
    """Of claims under blind review, those whose ratings the viewer may not see."""
    return set(under_blind) - set(rated_by_viewer)


def blank_ratings(rows: Sequence[ClaimRow], hidden: set[int]) -> list[ClaimRow]:
    """Claim rows with the rating blanked on the claims in `hidden`."""
    if not hidden:
        return list(rows)
    return [replace(r, rating=None) if r.id in hidden else r for r in rows]


def has_rated(session: Session, reviewer: str, claim_id: int) -> bool:
    from sqlalchemy import func, select

    from workbench.storage.models import Verdict

    rated = session.scalar(
        select(func.count())
        .select_from(Verdict)
        .where(Verdict.claim_id == claim_id, Verdict.reviewer == reviewer)
    )
    return bool(rated)


def ratings_hidden(session: Session, viewer: str, claim_id: int) -> bool:
    """True when the claim is under blind review and `viewer` has not rated it. On a team
    server the database decides for its logins (editors see ratings too), as its row-level
    security does."""
    visible = ratings_visible(session, claim_id)
    if visible is not None:
        return not visible
    from sqlalchemy import select

    from workbench.storage.models import Claim

    blind = session.scalar(select(Claim.blind_review).where(Claim.id == claim_id))
    return hides_ratings(bool(blind), bool(blind) and has_rated(session, viewer, claim_id))


def ratings_visible(session: Session, claim_id: int) -> bool | None:
    """Whether the database shows this login the claim's ratings (its row-level security
    on verdicts), or None where the database applies no such rule (SQLite, the owner): the
    caller then decides by the reviewer's name."""
    if session.get_bind().dialect.name != "postgresql":
        return None
    from sqlalchemy import text

    visible = session.scalar(
        text("SELECT CASE WHEN workbench_team_login() THEN workbench_may_see_ratings(:c) END"),
        {"c": claim_id},
    )
    return None if visible is None else bool(visible)


def hidden_among(session: Session, viewer: str, claim_ids: Iterable[int]) -> set[int]:
    """Which of these claims hide their ratings from `viewer`."""
    from sqlalchemy import select

    from workbench.storage.models import Claim, Verdict

    ids = list(claim_ids)
    if not ids:
        return set()
    under_blind = set(
        session.scalars(select(Claim.id).where(Claim.id.in_(ids), Claim.blind_review))
    )
    if not under_blind:
        return set()
    rated = set(
        session.scalars(
            select(Verdict.claim_id).where(
                Verdict.claim_id.in_(under_blind), Verdict.reviewer == viewer
            )
        )
    )
    return hidden_ids(under_blind, rated)


def hidden_from(viewer: str) -> ColumnElement[bool]:
    """A condition on claims: those whose ratings `viewer` may not see (for a query over
    many claims, such as a report)."""
    from sqlalchemy import and_, select

    from workbench.storage.models import Claim, Verdict

    rated = select(Verdict.claim_id).where(Verdict.reviewer == viewer)
    return and_(Claim.blind_review.is_(True), Claim.id.not_in(rated))


def seen_by(f: ClaimFilter, viewer: str) -> ClaimFilter:
    """The filter as `viewer` applies it: filtering by a rating skips the claims whose
    rating they may not see (core.filters)."""
    return replace(f, viewer=viewer)


def strip_ratings(state: dict[str, Any] | None) -> dict[str, Any] | None:
    if state is None:
        return None
    return {k: v for k, v in state.items() if k not in RATING_KEYS}


def visible_rows(session: Session, viewer: str, rows: Sequence[ClaimRow]) -> list[ClaimRow]:
    """Claim rows with the rating blanked where `viewer` must not see it yet."""
    return blank_ratings(
        rows, hidden_among(session, viewer, (r.id for r in rows if r.rating is not None))
    )


def visible_row(session: Session, viewer: str, claim: Claim) -> ClaimRow:
    """The row of a claim a use case just read or changed, as `viewer` may see it: what
    every write that answers with the claim returns."""
    from workbench.core.views import claim_row

    return visible_rows(session, viewer, [claim_row(claim)])[0]


def visible_history(events: Sequence[EventView], hidden: bool) -> list[EventView]:
    if not hidden:
        return list(events)
    return [
        replace(e, before=strip_ratings(e.before), after=strip_ratings(e.after)) for e in events
    ]


def visible_detail(detail: ClaimDetail, hidden: bool) -> ClaimDetail:
    if not hidden:
        return detail
    return replace(
        detail,
        claim=replace(detail.claim, rating=None),
        verdicts=[],
        history=visible_history(detail.history, True),
        ratings_hidden=True,
    )
