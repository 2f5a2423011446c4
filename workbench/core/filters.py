"""A `ClaimFilter` as SQL: the WHERE clauses every list, count, report and archive uses."""

from __future__ import annotations

from typing import Any

from sqlalchemy import not_, select
from sqlalchemy.orm import Session

from workbench.core.results import ClaimFilter
from workbench.core.visibility import hidden_from
from workbench.core.vocabulary import check_status
from workbench.storage.models import Claim, Verdict
from workbench.storage.search import match_clause


def filtered_claims(query: Any, session: Session, f: ClaimFilter) -> Any:
    if f.status:
        check_status(f.status)
        query = query.where(Claim.status == f.status)
    if f.rating:
        query = query.where(Claim.rating == f.rating)
        if f.viewer is not None:  # a blind reviewer learns no rating by filtering on it
            query = query.where(not_(hidden_from(f.viewer)))
    if f.article_id is not None:
        query = query.where(Claim.article_id == f.article_id)
    if f.assignee:
        query = query.where(Claim.assignee == f.assignee)
    if f.reviewer:
        query = query.where(
            Claim.id.in_(select(Verdict.claim_id).where(Verdict.reviewer == f.reviewer))
        )
    if f.since is not None:
        query = query.where(Claim.updated_at >= f.since)
    if f.until is not None:
        query = query.where(Claim.updated_at < f.until)
    if f.search:
        bind = session.get_bind()
        clause = match_clause(bind.dialect.name, f.search)
        if clause is not None:
            query = query.where(clause)
    return query


SORT_COLUMNS = {
    "score": Claim.score,
    "updated": Claim.updated_at,
    "status": Claim.status,
    "id": Claim.id,
}
