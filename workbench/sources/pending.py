"""Which URL sources a fetch run takes: those never fetched, and on request (`workbench fetch
--retry-failed`) those whose last fetch failed. Failed ones are not retried by default, so a
dead link costs no time on every run; each asked-for run tries each of them once."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from workbench.models import Evidence, Source
from workbench.wording import counted


def _of_claim(query: Any, claim_id: int | None) -> Any:
    if claim_id is None:
        return query
    return query.where(
        Source.id.in_(select(Evidence.source_id).where(Evidence.claim_id == claim_id))
    )


def sources_to_fetch(
    session: Session, claim_id: int | None = None, *, retry_failed: bool = False
) -> list[tuple[int, str]]:
    """URL sources never fetched; with `retry_failed`, also those whose last fetch failed
    (each run tries each of them once: a failure is never retried without being asked)."""
    wanted = Source.fetch_status != "ok" if retry_failed else Source.fetch_status == "pending"
    query = select(Source.id, Source.url).where(Source.kind == "url", wanted)
    query = _of_claim(query, claim_id)
    return [(int(i), str(u)) for i, u in session.execute(query.order_by(Source.id))]


def count_failed(session: Session, claim_id: int | None = None) -> int:
    """URL sources whose last fetch failed (those `fetch --retry-failed` tries again)."""
    query = select(func.count(Source.id)).where(
        Source.kind == "url", Source.fetch_status.not_in(("ok", "pending"))
    )
    query = _of_claim(query, claim_id)
    return int(session.scalar(query) or 0)


def retry_advice(failed: int, claim_id: int | None = None) -> str | None:
    """The command that fetches failed sources again, when there are any."""
    if not failed:
        return None
    which = f" --claim {claim_id}" if claim_id is not None else ""
    them = "it" if failed == 1 else "them"
    return f"{counted(failed, 'source')} failed to fetch; retry {them} with: " + (
        f"workbench fetch --retry-failed{which}"
    )


def url_sources(session: Session, claim_id: int | None = None) -> list[tuple[int, str]]:
    query = select(Source.id, Source.url).where(Source.kind == "url")
    query = _of_claim(query, claim_id)
    return [(int(i), str(u)) for i, u in session.execute(query.order_by(Source.id))]
