"""A claim's short form (a service module): the verbatim sentence stays as said, and an
optional summary of a few words is what ClaimReview publishes as `claimReviewed`.

Setting it is a claim edit like the others: the version goes up (so `--expect-version`
guards it), and the audit trail gets a `claim.summary` event with the before and after.
An empty summary clears it.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from workbench.core.changes import get_claim_for_update, record_event, touch
from workbench.core.results import ClaimAt, ClaimRow
from workbench.core.visibility import visible_row
from workbench.core.vocabulary import require_reviewer
from workbench.errors import ValidationError

MAX_SUMMARY_CHARS = 500
# Google asks publishers to try to keep claimReviewed under 75 characters; longer is allowed.
ADVISED_CHARS = 75


def clean_summary(value: str | None) -> str | None:
    """The summary as stored: whitespace collapsed; None for an empty one."""
    if value is None:
        return None
    cleaned = " ".join(value.split())
    if len(cleaned) > MAX_SUMMARY_CHARS:
        raise ValidationError(
            f"the summary is {len(cleaned)} characters; the limit is {MAX_SUMMARY_CHARS} "
            f"(ClaimReview readers advise under {ADVISED_CHARS})"
        )
    return cleaned or None


def length_advice(summary: str) -> str | None:
    """A word for the reviewer when the summary is longer than Google advises."""
    if len(summary) <= ADVISED_CHARS:
        return None
    return f"{len(summary)} characters; Google advises under {ADVISED_CHARS}"


def set_summary(session: Session, reviewer: str, claim: ClaimAt, summary: str | None) -> ClaimRow:
    reviewer = require_reviewer(reviewer)
    cleaned = clean_summary(summary)
    stored = get_claim_for_update(session, claim.id, claim.version)
    if stored.summary == cleaned:
        return visible_row(session, reviewer, stored)
    before = {"summary": stored.summary, "version": stored.version}
    stored.summary = cleaned
    touch(stored)
    session.flush()
    record_event(
        session,
        reviewer,
        "claim.summary",
        "claim",
        stored.id,
        claim_id=stored.id,
        before=before,
        after={"summary": cleaned, "version": stored.version},
    )
    return visible_row(session, reviewer, stored)


def get_summary(session: Session, claim_id: int) -> str | None:
    from workbench.storage.models import Claim

    claim = session.get(Claim, claim_id)
    return claim.summary if claim is not None else None


def edit_claim(
    session: Session, reviewer: str, claim: ClaimAt, text: str | None, summary: str | None
) -> tuple[ClaimRow, str | None]:
    """`claim edit`: a new wording and/or short form (None: unchanged), in one unit of work;
    the claim and its summary as they are now."""
    from workbench.claims.service import edit_claim_text

    row = None
    if text is not None:
        row = edit_claim_text(session, reviewer, claim, text)
        claim = claim.after(row)
    if summary is not None:
        row = set_summary(session, reviewer, claim, summary)
    if row is None:
        raise ValidationError("nothing to change: give --text TEXT and/or --summary TEXT")
    return row, get_summary(session, claim.id)
