"""Undo of a destructive change: a claim's status set back (a dismissal, a bulk status
change), a removed source attached again with its stance, quote and archived passage.

An undo is a new audited change, never an edit of the trail. It applies only to the last
change of the claim, made by the same reviewer: if anyone changed the claim since, the undo
is refused with who did what, and nothing is written."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from workbench.core.changes import change_claim, describe_change, get_claim_for_update
from workbench.core.results import ClaimRow
from workbench.core.views import claim_row
from workbench.core.vocabulary import require_reviewer
from workbench.errors import ConflictError, NotFoundError, ValidationError, WorkbenchError
from workbench.sources.evidence import PLACEMENT, Attachment, Pin, attach_evidence
from workbench.storage.models import Claim, Event, Snapshot, Source

UNDOABLE = ("claim.status", "claim.send_back", "evidence.remove")


@dataclass(frozen=True)
class Undone:
    claim: ClaimRow
    what: str  # "claim 3 is new again", for the message


@dataclass(frozen=True)
class UndoReport:
    undone: list[Undone] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)  # one line each: which claim and why


def undo_change(
    session: Session, reviewer: str, claim_id: int, *, from_version: int | None = None
) -> Undone:
    """Undoes the last change of a claim. `from_version` is the version the claim had just
    before that change (what the front end showed when it was made): when given, the undo
    applies only if that change is still the claim's last one."""
    reviewer = require_reviewer(reviewer)
    claim = get_claim_for_update(session, claim_id)
    event = session.scalars(
        select(Event).where(Event.claim_id == claim_id).order_by(Event.id.desc()).limit(1)
    ).first()
    before: dict[str, Any] = (event.before or {}) if event else {}
    after: dict[str, Any] = (event.after or {}) if event else {}
    if event is not None and from_version is not None and before.get("version") != from_version:
        raise ConflictError(
            f"claim {claim_id} was changed by {event.reviewer} at {event.at:%Y-%m-%d %H:%M} UTC "
            f"({describe_change(event)}) after the change you wanted to undo; nothing was "
            "undone: look at it again and change it by hand",
            claim_id=claim_id,
            version=claim.version,
        )
    if event is None or event.action not in UNDOABLE or after.get("version") != claim.version:
        last = describe_change(event) if event else "none"
        raise ValidationError(
            f"the last change of claim {claim_id} ({last}) cannot be undone; only a status "
            "change or a removed source can"
        )
    if event.reviewer != reviewer:
        raise ValidationError(
            f"the last change of claim {claim_id} was made by {event.reviewer}; only they can "
            "undo it"
        )
    if event.action == "evidence.remove":
        return _attach_again(session, reviewer, claim, before)
    status = str(before["status"])
    row = change_claim(
        session, reviewer, claim, "claim.status", {"status": status}, extra={"undo_of": event.id}
    )
    return Undone(row, f"claim {claim_id} is {status} again")


def undo_changes(session: Session, reviewer: str, from_versions: Mapping[int, int]) -> UndoReport:
    """Undoes a change made to many claims at once (a bulk status change): each claim back
    to its own earlier state. A claim someone changed since is left as it is and named."""
    report = UndoReport()
    for claim_id in sorted(from_versions):
        try:
            report.undone.append(
                undo_change(session, reviewer, claim_id, from_version=from_versions[claim_id])
            )
        except WorkbenchError as exc:  # raised before that claim was written to
            report.refused.append(str(exc))
    return report


def _attach_again(session: Session, reviewer: str, claim: Claim, before: dict[str, Any]) -> Undone:
    source = session.get(Source, before.get("source_id"))
    if source is None:
        raise NotFoundError(
            f"source {before.get('source_id')} no longer exists; attach it again by hand"
        )
    placed = {name: before.get(name) for name in PLACEMENT}
    if placed["snapshot_id"] is not None and session.get(Snapshot, placed["snapshot_id"]) is None:
        placed["snapshot_id"] = None  # the archived copy went; the quote's text stays
    how = Attachment(str(before.get("stance") or "context"), before.get("quote"), pin=Pin(**placed))
    attach_evidence(session, reviewer, claim, source, how)
    name = source.url or source.citation or f"source {source.id}"
    return Undone(claim_row(claim), f"{name} is attached to claim {claim.id} again")
