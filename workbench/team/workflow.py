"""The editorial workflow of a desk: assignment (a reviewer's queue), blind review, sending
a verdict back, and bulk status changes.

A claim is assigned to a reviewer (their queue: `ClaimFilter(assignee=NAME)`). A verdict
makes it `reviewed`; a second reviewer, never the verdict's author, approves it
(verdicts.service.approve) or sends it back with a note (`send_back`, status
`in-progress`). Assigning with `blind=True` puts the claim under blind review
(core.visibility).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from workbench.core.changes import (
    change_claim,
    claim_state,
    get_claim_for_update,
    record_event,
    touch,
)
from workbench.core.results import ClaimAt, ClaimRow
from workbench.core.visibility import visible_row
from workbench.core.vocabulary import (
    MANUAL_STATUSES,
    MAX_NAME_CHARS,
    MAX_NOTE_CHARS,
    STATUSES,
    require_reviewer,
)
from workbench.errors import ConflictError, NotFoundError, ValidationError
from workbench.storage.models import Claim


def assign(
    session: Session, reviewer: str, claim: ClaimAt, assignee: str | None, *, blind: bool = False
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
    stored = get_claim_for_update(session, claim.id, claim.version)
    if blind and any(v.reviewer == name for v in stored.verdicts):
        raise ValidationError(
            f"{name} has already rated claim {claim.id}, so cannot review it blind; "
            "assign it to someone else"
        )
    if stored.assignee == name and stored.blind_review == (blind or stored.blind_review):
        return visible_row(session, reviewer, stored)
    before = {**claim_state(stored), "blind_review": stored.blind_review}
    stored.assignee = name
    if blind:
        stored.blind_review = True
    touch(stored)
    session.flush()
    record_event(
        session,
        reviewer,
        "claim.assign",
        "claim",
        stored.id,
        claim_id=stored.id,
        before=before,
        after={**claim_state(stored), "blind_review": stored.blind_review},
    )
    return visible_row(session, reviewer, stored)


def send_back(session: Session, reviewer: str, claim: ClaimAt, note: str) -> ClaimRow:
    """A second reviewer returns a verdict to work (`in-progress`) with a note saying why."""
    reviewer = require_reviewer(reviewer)
    text = note.strip()
    if not text:
        raise ValidationError("the note is empty; say what must change before approval")
    if len(text) > MAX_NOTE_CHARS:
        raise ValidationError(f"the note is over {MAX_NOTE_CHARS} characters")
    stored = get_claim_for_update(session, claim.id, claim.version)
    if stored.status not in ("reviewed", "approved") or not stored.verdicts:
        raise ValidationError(
            f"claim {claim.id} is {stored.status}; only a reviewed claim can be sent back"
        )
    current = stored.verdicts[-1]
    if current.reviewer == reviewer:
        raise ValidationError(
            f"the verdict on claim {claim.id} is yours; another reviewer must send it back "
            "(or record a new verdict)"
        )
    return change_claim(
        session,
        reviewer,
        stored,
        "claim.send_back",
        {"status": "in-progress"},
        extra={"note": text, "verdict_id": current.id},
    )


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
            rows.append(visible_row(session, reviewer, claim))
            continue
        rows.append(
            change_claim(
                session, reviewer, claim, "claim.status", {"status": status}, extra={"bulk": True}
            )
        )
    return rows
