"""A `ClaimFilter` as SQL: the WHERE clauses every list, count, report and archive uses."""

from __future__ import annotations

import operator
from typing import Any

from sqlalchemy import not_, select
from sqlalchemy.orm import Session

from workbench.core.filter_terms import comparisons, sort_column
from workbench.core.results import ClaimFilter
from workbench.core.visibility import hidden_from
from workbench.storage.models import Claim, Verdict
from workbench.storage.search import match_clause

# The comparisons of core/filter_terms.py, as SQLAlchemy operators.
_OPERATORS = {"=": operator.eq, ">=": operator.ge, "<": operator.lt}


def filtered_claims(query: Any, session: Session, f: ClaimFilter) -> Any:
    for column, comparison, value in comparisons(f):
        query = query.where(_OPERATORS[comparison](getattr(Claim, column), value))
    if f.rating and f.viewer is not None:  # a blind reviewer learns no rating by filtering on it
        query = query.where(not_(hidden_from(f.viewer)))
    if f.reviewer:
        query = query.where(
            Claim.id.in_(select(Verdict.claim_id).where(Verdict.reviewer == f.reviewer))
        )
    if f.search:
        bind = session.get_bind()
        clause = match_clause(bind.dialect.name, f.search)
        if clause is not None:
            query = query.where(clause)
    return query


def sort_by(f: ClaimFilter) -> Any:
    """The column of claims the filter's list is sorted by (core.filter_terms.sort_column)."""
    return getattr(Claim, sort_column(f))
