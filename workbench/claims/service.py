"""Claim use cases: add one (by hand, or a sentence of an article), edit its text, set its
status. Each runs in the caller's unit of work and writes its audit event there."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from workbench.core.changes import change_claim, claim_state, get_claim_for_update, record_event
from workbench.core.requests import check_request_id, replayed, with_request
from workbench.core.results import ClaimAt, ClaimRow
from workbench.core.views import claim_row
from workbench.core.visibility import visible_row
from workbench.core.vocabulary import (
    MANUAL_STATUSES,
    MAX_CLAIM_CHARS,
    STATUSES,
    clean_text,
    require_reviewer,
)
from workbench.errors import NotFoundError, ValidationError
from workbench.storage.models import Article, Claim, Sentence, utcnow


def add_claim(
    session: Session,
    reviewer: str,
    text: str,
    *,
    article_id: int | None = None,
    score: float | None = None,
    start: int | None = None,
    end: int | None = None,
    request_id: str | None = None,
) -> ClaimRow:
    reviewer = require_reviewer(reviewer)
    cleaned = clean_text(text, "claim text", MAX_CLAIM_CHARS)
    request_id = check_request_id(request_id)
    done = replayed(
        session, "claim.add", request_id, Claim, same={"text": cleaned}, what="another claim"
    )
    if done is not None:
        return visible_row(session, reviewer, done)
    if article_id is not None and session.get(Article, article_id) is None:
        raise NotFoundError(f"article {article_id} does not exist")
    return _new_claims(session, reviewer, article_id, [(cleaned, score, start, end)], request_id)[0]


def add_claims_from_article(
    session: Session,
    reviewer: str,
    article_id: int,
    sentences: Sequence[tuple[str, float | None, int, int]],
) -> list[ClaimRow]:
    """Many claims from one article's sentences (text, score, start, end) in one flush, each
    with its event: ingest writes thousands, and a flush per claim costs most of its time.
    A sentence too long to be a claim stays a sentence only."""
    reviewer = require_reviewer(reviewer)
    kept = [(" ".join(text.split()), score, start, end) for text, score, start, end in sentences]
    return _new_claims(
        session, reviewer, article_id, [c for c in kept if c[0] and len(c[0]) <= MAX_CLAIM_CHARS]
    )


def _new_claims(
    session: Session,
    reviewer: str,
    article_id: int | None,
    claims: Sequence[tuple[str, float | None, int | None, int | None]],
    request_id: str | None = None,
) -> list[ClaimRow]:
    """Stores claims (text, score, start, end) in one flush, each with its event."""
    now = utcnow()
    rows = [
        Claim(
            text=text,
            article_id=article_id,
            score=score,
            start=start,
            end=end,
            status="new",
            source_count=0,
            created_by=reviewer,
            created_at=now,
            updated_at=now,
            version=1,
        )
        for text, score, start, end in claims
    ]
    session.add_all(rows)
    session.flush()
    for claim in rows:
        record_event(
            session,
            reviewer,
            "claim.add",
            "claim",
            claim.id,
            claim_id=claim.id,
            after=with_request(claim_state(claim), request_id),
        )
    return [claim_row(c) for c in rows]


def promote_sentence(session: Session, reviewer: str, article_id: int, position: int) -> ClaimRow:
    """Makes sentence `position` (0-based) of an article a claim; an existing one is returned."""
    sentence = session.scalars(
        select(Sentence).where(Sentence.article_id == article_id, Sentence.position == position)
    ).first()
    if sentence is None:
        count = session.scalar(select(func.count()).where(Sentence.article_id == article_id))
        if not count:
            raise NotFoundError(f"article {article_id} does not exist or has no sentences")
        raise NotFoundError(
            f"article {article_id} has sentences 0 to {count - 1}; there is no sentence {position}"
        )
    existing = session.scalars(
        select(Claim).where(Claim.article_id == article_id, Claim.start == sentence.start)
    ).first()
    if existing is not None:
        return visible_row(session, reviewer, existing)
    return add_claim(
        session,
        reviewer,
        sentence.text,
        article_id=article_id,
        score=sentence.score,
        start=sentence.start,
        end=sentence.end,
    )


def set_status(session: Session, reviewer: str, claim: ClaimAt, status: str) -> ClaimRow:
    reviewer = require_reviewer(reviewer)
    if status == "approved":
        from workbench.verdicts.service import approve

        return approve(session, reviewer, claim)
    stored = get_claim_for_update(session, claim.id, claim.version)
    if status == "reviewed":
        if not stored.verdicts:
            raise ValidationError(
                f"claim {claim.id} has no verdict; record one with 'workbench verdict' first"
            )
    elif status not in MANUAL_STATUSES:
        raise ValidationError(f"unknown status {status!r}; valid: {', '.join(STATUSES)}")
    if stored.status == status:
        return visible_row(session, reviewer, stored)
    return change_claim(session, reviewer, stored, "claim.status", {"status": status})


def edit_claim_text(session: Session, reviewer: str, claim: ClaimAt, text: str) -> ClaimRow:
    reviewer = require_reviewer(reviewer)
    cleaned = clean_text(text, "claim text", MAX_CLAIM_CHARS)
    stored = get_claim_for_update(session, claim.id, claim.version)
    if stored.text == cleaned:
        return visible_row(session, reviewer, stored)
    return change_claim(session, reviewer, stored, "claim.edit", {"text": cleaned})
