"""Lists of claims for the CLI's `claims` and the exports: sorted, filtered, limited, and
as the viewer may see them."""

from __future__ import annotations

from typing import Unpack

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from workbench.core.filter_terms import ListWindow
from workbench.core.filters import filtered_claims, sort_by
from workbench.core.results import ClaimFilter, ClaimRow
from workbench.core.views import claim_row
from workbench.core.visibility import seen_by, visible_rows
from workbench.storage.models import Claim


def visible_claims(
    session: Session, viewer: str, f: ClaimFilter | None = None, **window: Unpack[ListWindow]
) -> list[ClaimRow]:
    """`list_claims` as `viewer` may see it (ratings hidden under blind review): the
    `desk.read` form of `listing.lookup.visible_claims`."""
    seen = seen_by(f or ClaimFilter(), viewer)
    return visible_rows(session, viewer, list_claims(session, seen, **window))


def list_claims(
    session: Session, f: ClaimFilter | None = None, *, limit: int | None = 100, offset: int = 0
) -> list[ClaimRow]:
    f = f or ClaimFilter()
    column = sort_by(f)
    order = column.desc() if f.descending else column.asc()
    tiebreak = Claim.id.desc() if f.descending else Claim.id.asc()
    query = filtered_claims(select(Claim), session, f).order_by(order, tiebreak)
    if f.sort == "score":
        query = query.order_by(None).order_by(Claim.score.is_(None), order, tiebreak)
    if limit is not None:
        query = query.limit(limit)
    if offset:
        query = query.offset(offset)
    return [claim_row(c) for c in session.scalars(query)]


def count_claims(session: Session, f: ClaimFilter | None = None) -> int:
    query = filtered_claims(select(func.count(Claim.id)), session, f or ClaimFilter())
    return int(session.scalar(query) or 0)
