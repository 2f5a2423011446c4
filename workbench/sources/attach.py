"""Attaching URL sources to claims, and finding the sources a fetch should read."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from workbench.core.changes import get_claim_for_update
from workbench.core.details import EvidenceView
from workbench.core.views import evidence_view
from workbench.core.vocabulary import require_reviewer
from workbench.errors import ValidationError
from workbench.sources.evidence import Attachment, attach_evidence
from workbench.storage.models import Source


def attach_url(
    session: Session,
    reviewer: str,
    claim_id: int,
    url: str,
    how: Attachment | None = None,
) -> tuple[EvidenceView, bool]:
    """Attaches a URL to a claim. One canonical URL is one source, so a page attached to two
    claims is fetched once. Returns the evidence and whether the source still needs a fetch."""
    from workbench.sources.urls import InvalidSourceURL, canonical_url, normalise_url

    reviewer = require_reviewer(reviewer)
    try:
        normal = normalise_url(url)
        canonical = canonical_url(normal)
    except InvalidSourceURL as exc:
        raise ValidationError(str(exc)) from None
    how = (how or Attachment()).checked()
    claim = get_claim_for_update(session, claim_id, how.expected_version)
    source = session.scalars(select(Source).where(Source.canonical_url == canonical)).first()
    if source is None:
        source = Source(kind="url", url=normal, canonical_url=canonical, fetch_status="pending")
        session.add(source)
        session.flush()
    evidence = attach_evidence(session, reviewer, claim, source, how)
    return evidence_view(evidence), source.fetch_status == "pending"
