"""The one path of every change: the claim read fresh and locked, its version checked, the
change applied with its version bumped, and the audit event written in the same
transaction (the caller's `store.write()` block), so the trail and the data always agree."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from workbench.core.history_text import describe_event
from workbench.core.results import ClaimRow
from workbench.core.views import event_view
from workbench.core.visibility import visible_row
from workbench.errors import ConflictError, NotFoundError
from workbench.storage import audit
from workbench.storage.models import Claim, Event, Evidence, utcnow


def claim_state(claim: Claim) -> dict[str, Any]:
    """The audited fields of a claim, as JSON."""
    return {
        "text": claim.text,
        "status": claim.status,
        "score": claim.score,
        "rating": claim.rating,
        "article_id": claim.article_id,
        "assignee": claim.assignee,
        "version": claim.version,
    }


def record_event(
    session: Session,
    reviewer: str,
    action: str,
    entity: str,
    entity_id: int | None,
    *,
    claim_id: int | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> Event:
    event = Event(
        at=utcnow(),
        reviewer=reviewer,
        action=action,
        entity=entity,
        entity_id=entity_id,
        claim_id=claim_id,
        before=before,
        after=after,
    )
    audit.seal(session, event)  # the hash chain; serializes writers of the trail
    session.add(event)
    return event


def get_claim_for_update(
    session: Session, claim_id: int, expected_version: int | None = None
) -> Claim:
    # Lock the row (PostgreSQL; SQLite write transactions are serialized already) and read
    # it fresh: a concurrent writer makes this wait, then the version check sees its change.
    session.flush()
    claim = session.get(Claim, claim_id, with_for_update=True, populate_existing=True)
    if claim is None:
        raise NotFoundError(f"claim {claim_id} does not exist; list claims with: workbench claims")
    if expected_version is not None and claim.version != expected_version:
        last = session.scalars(
            select(Event).where(Event.claim_id == claim_id).order_by(Event.id.desc()).limit(1)
        ).first()
        who = f"{last.reviewer} at {last.at:%Y-%m-%d %H:%M} UTC" if last else "someone else"
        what = f": {describe_change(last)}" if last else ""
        raise ConflictError(
            f"claim {claim_id} was changed by {who}{what} "
            f"(you opened version {expected_version}, it is now {claim.version}); "
            "reload it and apply your change",
            claim_id=claim_id,
            version=claim.version,
        )
    return claim


def describe_change(event: Event) -> str:
    """'verdict recorded; rating changed from mixed to false': what the last change did, for
    conflict messages, in the words of the history."""
    return describe_event(event_view(event))


def touch(claim: Claim) -> None:
    claim.version += 1
    claim.updated_at = utcnow()


def change_claim(
    session: Session,
    reviewer: str,
    claim: Claim,
    action: str,
    changes: dict[str, Any],
    *,
    extra: dict[str, Any] | None = None,
) -> ClaimRow:
    """Sets `changes` on the claim, bumps its version and writes the audit event (the
    before and after states, plus `extra`): the one path for a claim's field changes."""
    before = claim_state(claim)
    for name, value in changes.items():
        setattr(claim, name, value)
    touch(claim)
    session.flush()
    record_event(
        session,
        reviewer,
        action,
        "claim",
        claim.id,
        claim_id=claim.id,
        before=before,
        after={**claim_state(claim), **(extra or {})},
    )
    return visible_row(session, reviewer, claim)


def refresh_source_count(session: Session, claim: Claim) -> None:
    session.flush()
    claim.source_count = (
        session.scalar(
            select(func.count(func.distinct(Evidence.source_id))).where(
                Evidence.claim_id == claim.id
            )
        )
        or 0
    )
