"""Request ids: a client whose reply was lost repeats a write and gets the earlier result."""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from workbench.core.vocabulary import MAX_REQUEST_ID_CHARS
from workbench.errors import ConflictError, ValidationError
from workbench.storage.models import Event

# A client whose reply was lost (a killed terminal, a dropped connection) repeats the write
# with the same request id and gets the earlier result instead of a duplicate. The id lives
# in the write's Event ("after" JSON), so no schema change is needed.
# SEAM: a nullable, uniquely indexed column `events.request_id` (String(200)) would make the
# lookup exact at any age and safe for concurrent PostgreSQL writers (SQLite writers are
# serialised by BEGIN IMMEDIATE). Until then, requests without a claim (add_claim) are looked
# up among the newest REQUEST_WINDOW events; the others among their claim's own events.
REQUEST_WINDOW = 10_000


def check_request_id(request_id: str | None) -> str | None:
    if request_id is None:
        return None
    value = request_id.strip()
    if not value:
        raise ValidationError("the request id is empty; leave it out or give a unique string")
    if len(value) > MAX_REQUEST_ID_CHARS:
        raise ValidationError(f"the request id is over {MAX_REQUEST_ID_CHARS} characters")
    return value


def find_request(
    session: Session, action: str, request_id: str, *, claim_id: int | None = None
) -> Event | None:
    """The event of an earlier write with this request id, or None."""
    query = select(Event).where(
        Event.action == action, Event.after["request_id"].as_string() == request_id
    )
    if claim_id is not None:
        query = query.where(Event.claim_id == claim_id)
    else:
        newest = select(func.max(Event.id)).scalar_subquery()
        query = query.where(Event.id > newest - REQUEST_WINDOW)
    return session.scalars(query.order_by(Event.id).limit(1)).first()


def with_request(after: dict[str, Any], request_id: str | None) -> dict[str, Any]:
    return {**after, "request_id": request_id} if request_id is not None else after


M = TypeVar("M")


def replayed(
    session: Session,
    action: str,
    request_id: str | None,
    model: type[M],
    *,
    same: dict[str, Any],
    what: str,
    claim_id: int | None = None,
) -> M | None:
    """The row an earlier write with this request id made (a repeat gets it back), or None.
    The earlier write must have had the same values (`same`, as its event recorded them);
    a request id used for another write (`what`) is refused."""
    if request_id is None:
        return None
    earlier = find_request(session, action, request_id, claim_id=claim_id)
    if earlier is None or earlier.entity_id is None:
        return None
    seen = earlier.after or {}
    if any(seen.get(key) != value for key, value in same.items()):
        where = f"on claim {claim_id}" if claim_id is not None else f"(claim {earlier.entity_id})"
        raise ConflictError(
            f"request id {request_id!r} was already used for {what} {where}; use a new request id"
        )
    return session.get(model, earlier.entity_id)
