"""Evidence: a stored source linked to a claim with a stance and a quote, and manual
citations (a book, a phone call, a dataset)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from typing import TypedDict, Unpack

from sqlalchemy import select
from sqlalchemy.orm import Session

from workbench.core.changes import (
    claim_state,
    get_claim_for_update,
    record_event,
    refresh_source_count,
    touch,
)
from workbench.core.details import EvidenceView
from workbench.core.requests import check_request_id, replayed, with_request
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

CONTEXT_CHARS = 120  # of the snapshot text kept on each side of a pinned quote


@dataclass(frozen=True)
class Pin:
    """Where a quote sits in an archived snapshot's text, with a little context around it."""

    snapshot_id: int | None
    quote_start: int | None = None
    quote_end: int | None = None
    context_before: str | None = None
    context_after: str | None = None

    @classmethod
    def of(cls, snapshot_id: int, text: str, start: int, end: int) -> Pin:
        before = text[max(0, start - CONTEXT_CHARS) : start]
        return cls(snapshot_id, start, end, before, text[end : end + CONTEXT_CHARS])


@dataclass(frozen=True)
class Attachment:
    """How a source is attached to a claim: its stance, the passage that matters (as the
    reviewer typed it, or pinned in an archived snapshot: `pin`), and the claim's version
    they saw (refused if it changed since)."""

    stance: str = "context"
    quote: str | None = None
    expected_version: int | None = None
    pin: Pin | None = None

    def checked(self) -> Attachment:
        """The stance checked, the quote trimmed (blank: none)."""
        return replace(self, stance=check_stance(self.stance), quote=optional_text(self.quote))


def attach_evidence(
    session: Session,
    reviewer: str,
    claim: Claim,
    source: Source,
    how: Attachment,
    *,
    request_id: str | None = None,
) -> Evidence:
    """Links a stored source to a claim, with the audit event. Shared by citations and URLs."""
    evidence = Evidence(
        claim_id=claim.id,
        source_id=source.id,
        stance=check_stance(how.stance),
        quote=how.quote,
        **(asdict(how.pin) if how.pin else {}),
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
    after = {**claim_state(claim), **_evidence_state(evidence, source)}
    record_event(
        session,
        reviewer,
        "evidence.add",
        "evidence",
        evidence.id,
        claim_id=claim.id,
        before=before,
        after=with_request(after, request_id),
    )
    return evidence


def cite_source(
    session: Session,
    reviewer: str,
    claim_id: int,
    citation: str,
    how: Attachment | None = None,
    *,
    request_id: str | None = None,
) -> EvidenceView:
    """Attaches a manual citation (a book, a phone call, a dataset) with its evidence."""
    reviewer = require_reviewer(reviewer)
    citation_text = clean_text(citation, "citation", MAX_RATIONALE_CHARS)
    how = (how or Attachment()).checked()
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
    claim = get_claim_for_update(session, claim_id, how.expected_version)
    source = Source(kind="citation", citation=citation_text, title=citation_text[:500])
    session.add(source)
    session.flush()
    evidence = attach_evidence(session, reviewer, claim, source, how, request_id=request_id)
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
    before = {**claim_state(claim), **_evidence_state(evidence, evidence.source), **placed}
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


def _evidence_state(evidence: Evidence, source: Source) -> dict[str, object]:
    """What the audit trail keeps of a claim's evidence (added or removed)."""
    return {
        "source_id": source.id,
        "source_kind": source.kind,
        "url": source.url,
        "citation": source.citation,
        "stance": evidence.stance,
        "quote": evidence.quote,
    }


# ---------------------------------------------------------------- passages and quotes


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


class PinOptions(TypedDict, total=False):
    """The options of pinning a quote, the same for a span of the text and a ranked passage."""

    stance: str | None  # None: "context" on a new evidence; an existing one keeps its own
    expected_version: int | None  # the claim's version the reviewer saw (refused if changed)


def pin_quote(
    session: Session,
    reviewer: str,
    claim_id: int,
    source_id: int,
    start: int,
    end: int,
    **options: Unpack[PinOptions],
) -> EvidenceView:
    """Pins text[start:end] of the source's newest good snapshot as the claim's quote, with
    a little context and the snapshot id, so it stays tied to the archived bytes."""
    reviewer = require_reviewer(reviewer)
    stance = options.get("stance")
    claim = get_claim_for_update(session, claim_id, options.get("expected_version"))
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
    pin = Pin.of(snapshot.id, text, start, end)
    if existing is None:
        source = session.get(Source, source_id)
        assert source is not None
        how = Attachment(stance or "context", quote, pin=pin)
        return evidence_view(attach_evidence(session, reviewer, claim, source, how))
    before = {"quote": existing.quote, "stance": existing.stance}
    existing.quote = quote
    for column, value in asdict(pin).items():
        setattr(existing, column, value)
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
    **options: Unpack[PinOptions],
) -> EvidenceView:
    """Pins the `rank`th (1-based) ranked passage of the source as the claim's quote."""
    _, passages = source_passages(session, claim_id, source_id, limit=50)
    if not 1 <= rank <= len(passages):
        raise ValidationError(
            f"there are {len(passages)} ranked passages; choose --passage 1 to {len(passages)}"
        )
    chosen = passages[rank - 1]
    return pin_quote(session, reviewer, claim_id, source_id, chosen.start, chosen.end, **options)
