"""Evidence: a stored source linked to a claim with a stance and a quote, and manual
citations (a book, a phone call, a dataset)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from workbench.core.changes import (
    claim_state,
    get_claim_for_update,
    record_event,
    refresh_source_count,
    touch,
)
from workbench.core.requests import check_request_id, replayed, with_request
from workbench.core.results import EvidenceView
from workbench.core.views import evidence_view
from workbench.core.vocabulary import (
    MAX_RATIONALE_CHARS,
    check_stance,
    clean_text,
    optional_text,
    require_reviewer,
)
from workbench.errors import NotFoundError, ValidationError
from workbench.sources.archive import last_good
from workbench.sources.passages import Passage, rank_passages
from workbench.storage.models import Claim, Evidence, Source, utcnow


def attach_evidence(
    session: Session,
    reviewer: str,
    claim: Claim,
    source: Source,
    *,
    stance: str = "context",
    quote: str | None = None,
    quote_start: int | None = None,
    quote_end: int | None = None,
    context_before: str | None = None,
    context_after: str | None = None,
    snapshot_id: int | None = None,
    request_id: str | None = None,
) -> Evidence:
    """Links a stored source to a claim, with the audit event. Shared by citations and URLs."""
    evidence = Evidence(
        claim_id=claim.id,
        source_id=source.id,
        stance=check_stance(stance),
        quote=quote,
        quote_start=quote_start,
        quote_end=quote_end,
        context_before=context_before,
        context_after=context_after,
        snapshot_id=snapshot_id,
        created_by=reviewer,
        created_at=utcnow(),
    )
    session.add(evidence)
    before = claim_state(claim)
    if claim.status == "new":
        claim.status = "in-progress"
    touch(claim)
    refresh_source_count(session, claim)
    session.flush()
    record_event(
        session,
        reviewer,
        "evidence.add",
        "evidence",
        evidence.id,
        claim_id=claim.id,
        before=before,
        after=with_request(
            {
                **claim_state(claim),
                "source_id": source.id,
                "source_kind": source.kind,
                "url": source.url,
                "citation": source.citation,
                "stance": evidence.stance,
                "quote": quote,
            },
            request_id,
        ),
    )
    return evidence


def cite_source(
    session: Session,
    reviewer: str,
    claim_id: int,
    citation: str,
    *,
    stance: str = "context",
    quote: str | None = None,
    expected_version: int | None = None,
    request_id: str | None = None,
) -> EvidenceView:
    """Attaches a manual citation (a book, a phone call, a dataset) with its evidence."""
    reviewer = require_reviewer(reviewer)
    citation_text = clean_text(citation, "citation", MAX_RATIONALE_CHARS)
    stance = check_stance(stance)
    quote_text = optional_text(quote)
    request_id = check_request_id(request_id)
    # Looked up before the version check: the repeat carries the version it first saw.
    done = replayed(
        session,
        "evidence.add",
        request_id,
        Evidence,
        same={"citation": citation_text},
        what="another citation",
        claim_id=claim_id,
    )
    if done is not None:
        return evidence_view(done)
    claim = get_claim_for_update(session, claim_id, expected_version)
    source = Source(kind="citation", citation=citation_text, title=citation_text[:500])
    session.add(source)
    session.flush()
    evidence = attach_evidence(
        session, reviewer, claim, source, stance=stance, quote=quote_text, request_id=request_id
    )
    return evidence_view(evidence)


def detach_evidence(
    session: Session,
    reviewer: str,
    claim_id: int,
    evidence_id: int,
    *,
    expected_version: int | None = None,
) -> EvidenceView:
    """Removes a source attached to a claim by mistake (a mistyped URL, the wrong citation):
    the evidence goes, so reports no longer show it; the audit event keeps what it was. The
    source and its snapshots stay (other claims may cite them; the archive is kept)."""
    reviewer = require_reviewer(reviewer)
    claim = get_claim_for_update(session, claim_id, expected_version)
    evidence = session.get(Evidence, evidence_id)
    if evidence is None or evidence.claim_id != claim_id:
        raise NotFoundError(
            f"claim {claim_id} has no evidence {evidence_id}; see its sources with: "
            f"workbench claim show {claim_id}"
        )
    view = evidence_view(evidence)
    # Where the quote sat in the archive, too, so an undo can put the evidence back whole.
    placed = {name: getattr(evidence, name) for name in PLACEMENT}
    before = {**claim_state(claim), **_evidence_state(view), **placed}
    session.delete(evidence)
    touch(claim)
    refresh_source_count(session, claim)
    session.flush()
    record_event(
        session,
        reviewer,
        "evidence.remove",
        "evidence",
        evidence_id,
        claim_id=claim_id,
        before=before,
        after=claim_state(claim),
    )
    return view


PLACEMENT = ("quote_start", "quote_end", "context_before", "context_after", "snapshot_id")


def _evidence_state(view: EvidenceView) -> dict[str, object]:
    source = view.source
    return {
        "source_id": source.id,
        "source_kind": source.kind,
        "url": source.url,
        "citation": source.citation,
        "stance": view.stance,
        "quote": view.quote,
    }


# ---------------------------------------------------------------- passages and quotes

CONTEXT_CHARS = 120


def source_passages(
    session: Session, claim_id: int, source_id: int, *, limit: int = 10
) -> tuple[int, list[Passage]]:
    """The snapshot id and the passages of its text ranked by relevance to the claim."""
    claim = session.get(Claim, claim_id)
    if claim is None:
        raise NotFoundError(f"claim {claim_id} does not exist")
    snapshot = last_good(session, source_id)
    if snapshot is None or not snapshot.text:
        source = session.get(Source, source_id)
        if source is None:
            raise NotFoundError(f"source {source_id} does not exist")
        raise ValidationError(
            f"source {source_id} has no fetched text yet (status: {source.fetch_status}); "
            + (
                "fetch it first (workbench fetch)"
                if source.fetch_status == "pending"
                else f"fetch it again: workbench fetch --retry-failed --claim {claim_id}"
            )
        )
    return snapshot.id, rank_passages(claim.text, snapshot.text, limit=limit)


def pin_quote(
    session: Session,
    reviewer: str,
    claim_id: int,
    source_id: int,
    start: int,
    end: int,
    *,
    stance: str | None = None,
    expected_version: int | None = None,
) -> EvidenceView:
    """Pins text[start:end] of the source's newest good snapshot as the claim's quote, with
    a little context and the snapshot id, so it stays tied to the archived bytes."""
    reviewer = require_reviewer(reviewer)
    claim = get_claim_for_update(session, claim_id, expected_version)
    snapshot = last_good(session, source_id)
    if snapshot is None or not snapshot.text:
        raise ValidationError(f"source {source_id} has no fetched text to quote from")
    text = snapshot.text
    if not 0 <= start < end <= len(text):
        raise ValidationError(f"the passage {start}-{end} is outside the text (0-{len(text)})")
    quote = text[start:end]
    existing = session.scalars(
        select(Evidence).where(
            Evidence.claim_id == claim_id, Evidence.source_id == source_id, Evidence.quote.is_(None)
        )
    ).first()
    if existing is None:
        source = session.get(Source, source_id)
        assert source is not None
        evidence = attach_evidence(
            session,
            reviewer,
            claim,
            source,
            stance=stance or "context",
            quote=quote,
            quote_start=start,
            quote_end=end,
            snapshot_id=snapshot.id,
            context_before=text[max(0, start - CONTEXT_CHARS) : start],
            context_after=text[end : end + CONTEXT_CHARS],
        )
        return evidence_view(evidence)
    before = {"quote": existing.quote, "stance": existing.stance}
    existing.quote = quote
    existing.quote_start, existing.quote_end = start, end
    existing.snapshot_id = snapshot.id
    existing.context_before = text[max(0, start - CONTEXT_CHARS) : start]
    existing.context_after = text[end : end + CONTEXT_CHARS]
    if stance:
        existing.stance = check_stance(stance)
    touch(claim)
    session.flush()
    record_event(
        session,
        reviewer,
        "evidence.quote",
        "evidence",
        existing.id,
        claim_id=claim_id,
        before=before,
        after={
            "quote": quote,
            "stance": existing.stance,
            "snapshot_id": snapshot.id,
            "quote_start": start,
            "quote_end": end,
        },
    )
    return evidence_view(existing)


def ranked_passages(
    session: Session, _viewer: str, claim_id: int, source_id: int, *, limit: int = 10
) -> tuple[int, list[Passage]]:
    """`source_passages` as a use case (`desk.read`)."""
    return source_passages(session, claim_id, source_id, limit=limit)


def pin_passage(
    session: Session,
    reviewer: str,
    claim_id: int,
    source_id: int,
    rank: int,
    *,
    stance: str | None = None,
    expected_version: int | None = None,
) -> EvidenceView:
    """Pins the `rank`th (1-based) ranked passage of the source as the claim's quote."""
    _, passages = source_passages(session, claim_id, source_id, limit=50)
    if not 1 <= rank <= len(passages):
        raise ValidationError(
            f"there are {len(passages)} ranked passages; choose --passage 1 to {len(passages)}"
        )
    chosen = passages[rank - 1]
    return pin_quote(
        session,
        reviewer,
        claim_id,
        source_id,
        chosen.start,
        chosen.end,
        stance=stance,
        expected_version=expected_version,
    )
