"""Verdicts and their approval. A reviewer under blind review (shown no other rating)
records a blind verdict, whether or not they asked for one: the service decides, from what
it showed them (core.visibility). The author of a verdict never approves it."""

from __future__ import annotations

from sqlalchemy.orm import Session

from workbench.core.changes import (
    change_claim,
    claim_state,
    get_claim_for_update,
    record_event,
    touch,
)
from workbench.core.details import VerdictView
from workbench.core.ratings import DEFAULT_SCALE, RatingScale
from workbench.core.requests import check_request_id, replayed, with_request
from workbench.core.results import ClaimAt, ClaimRow
from workbench.core.views import verdict_view
from workbench.core.visibility import has_rated, ratings_hidden, visible_row
from workbench.core.vocabulary import MAX_RATIONALE_CHARS, require_reviewer
from workbench.errors import ValidationError
from workbench.storage.models import Verdict, utcnow


def record_verdict(
    session: Session,
    reviewer: str,
    claim: ClaimAt,
    rating: str,
    rationale: str,
    *,
    scale: RatingScale = DEFAULT_SCALE,
    request_id: str | None = None,
    blind: bool = False,
) -> VerdictView:
    """Records `reviewer`'s verdict. It is a blind one when they ask for it (`blind`, then
    it must be their first rating of the claim) or when the claim hid the other ratings
    from them: a reviewer shown no rating rates blind."""
    reviewer = require_reviewer(reviewer)
    chosen = scale.get(rating)
    text = rationale.strip()
    if not text:
        raise ValidationError("the rationale is empty; say why the claim gets this rating")
    if len(text) > MAX_RATIONALE_CHARS:
        raise ValidationError(f"the rationale is over {MAX_RATIONALE_CHARS} characters")
    request_id = check_request_id(request_id)
    done = replayed(
        session,
        "verdict.add",
        request_id,
        Verdict,
        same={"rating": chosen.name, "rationale": text},
        what="another verdict",
        claim_id=claim.id,
    )
    if done is not None:
        return verdict_view(done)
    if blind and has_rated(session, reviewer, claim.id):
        raise ValidationError(
            f"you have already rated claim {claim.id}; a blind verdict must be your first "
            "rating of it (record an ordinary verdict instead)"
        )
    blind = blind or ratings_hidden(session, reviewer, claim.id)
    stored = get_claim_for_update(session, claim.id, claim.version)
    before = claim_state(stored)
    verdict = Verdict(
        claim_id=stored.id,
        rating=chosen.name,
        rationale=text,
        reviewer=reviewer,
        blind=blind,
        created_at=utcnow(),
    )
    session.add(verdict)
    stored.rating = chosen.name
    stored.status = "reviewed"
    if stored.blind_review and len({v.reviewer for v in stored.verdicts} | {reviewer}) >= 2:
        stored.blind_review = False  # a second rating is in: everyone sees the ratings again
    touch(stored)
    session.flush()
    record_event(
        session,
        reviewer,
        "verdict.add",
        "verdict",
        verdict.id,
        claim_id=stored.id,
        before=before,
        after=with_request(
            {**claim_state(stored), "rationale": text, **({"blind": True} if blind else {})},
            request_id,
        ),
    )
    return verdict_view(verdict)


def approve(session: Session, reviewer: str, claim: ClaimAt) -> ClaimRow:
    """An editor signs a verdict off; never the verdict's own author."""
    reviewer = require_reviewer(reviewer)
    stored = get_claim_for_update(session, claim.id, claim.version)
    if not stored.verdicts:
        raise ValidationError(f"claim {claim.id} has no verdict to approve yet")
    current = stored.verdicts[-1]
    if current.reviewer == reviewer:
        raise ValidationError(
            f"the verdict on claim {claim.id} is yours; another reviewer must approve it"
        )
    if stored.status == "approved":
        return visible_row(session, reviewer, stored)
    if ratings_hidden(session, reviewer, claim.id):
        # Signing off a verdict one is not allowed to see would make blind review pointless.
        raise ValidationError(
            f"claim {claim.id} is under blind review and its verdict is hidden from you; "
            "record your own verdict first, or let a reviewer who can see it approve it"
        )
    if stored.status != "reviewed":
        raise ValidationError(
            f"claim {claim.id} is {stored.status}, not reviewed; it needs a new verdict first"
        )
    return change_claim(
        session,
        reviewer,
        stored,
        "claim.approve",
        {"status": "approved"},
        extra={"verdict_id": current.id},
    )
