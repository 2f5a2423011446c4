"""The use cases, as plain functions over a session.

Every write also writes its Event in the same transaction (the caller's `store.write()`
block), so the audit trail and the data can never disagree. Functions return plain
dataclasses, never live ORM objects, so front ends hold no session.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from workbench import audit
from workbench.errors import ConflictError, NotFoundError, ValidationError
from workbench.models import Article, Claim, Event, Evidence, Sentence, Source, Verdict, utcnow
from workbench.ratings import DEFAULT_SCALE, RatingScale

STATUSES = ("new", "in-progress", "reviewed", "approved", "dismissed")
# Statuses a reviewer may set by hand; "reviewed" comes with a verdict, "approved" with approve().
MANUAL_STATUSES = ("new", "in-progress", "dismissed")
STANCES = ("supports", "refutes", "context")
MAX_CLAIM_CHARS = 5000
MAX_RATIONALE_CHARS = 20000


# ---------------------------------------------------------------- plain results


@dataclass(frozen=True)
class ClaimRow:
    id: int
    text: str
    status: str
    score: float | None
    rating: str | None
    article_id: int | None
    source_count: int
    assignee: str | None
    created_at: datetime
    updated_at: datetime
    version: int

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["created_at"] = self.created_at.isoformat()
        data["updated_at"] = self.updated_at.isoformat()
        return data


@dataclass(frozen=True)
class SourceView:
    id: int
    kind: str
    url: str | None
    title: str | None
    publisher: str | None
    citation: str | None
    fetch_status: str | None
    fetch_error: str | None
    http_status: int | None
    content_hash: str | None
    fetched_at: datetime | None

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["fetched_at"] = self.fetched_at.isoformat() if self.fetched_at else None
        return data


@dataclass(frozen=True)
class EvidenceView:
    id: int
    claim_id: int
    stance: str
    quote: str | None
    source: SourceView
    created_by: str | None
    created_at: datetime

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "claim_id": self.claim_id,
            "stance": self.stance,
            "quote": self.quote,
            "source": self.source.to_json(),
            "created_by": self.created_by,
            "created_at": self.created_at.isoformat(),
        }


@dataclass(frozen=True)
class VerdictView:
    id: int
    claim_id: int
    rating: str
    rationale: str
    reviewer: str
    created_at: datetime
    blind: bool = False  # recorded under blind review, without seeing the other ratings

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["created_at"] = self.created_at.isoformat()
        return data


@dataclass(frozen=True)
class EventView:
    id: int
    at: datetime
    reviewer: str
    action: str
    entity: str
    entity_id: int | None
    claim_id: int | None
    before: dict[str, Any] | None
    after: dict[str, Any] | None

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["at"] = self.at.isoformat()
        return data


@dataclass(frozen=True)
class ClaimDetail:
    claim: ClaimRow
    article_title: str | None
    context_before: list[str]
    context_after: list[str]
    evidence: list[EvidenceView]
    verdicts: list[VerdictView]  # oldest first; the last one is current
    history: list[EventView]
    summary: str | None = None  # the short form ClaimReview publishes (claim_summary.py)

    @property
    def verdict(self) -> VerdictView | None:
        return self.verdicts[-1] if self.verdicts else None

    def to_json(self) -> dict[str, Any]:
        data = self.claim.to_json()
        data.update(
            article_title=self.article_title,
            context_before=self.context_before,
            context_after=self.context_after,
            evidence=[e.to_json() for e in self.evidence],
            verdict=self.verdict.to_json() if self.verdict else None,
            verdicts=[v.to_json() for v in self.verdicts],
            history=[e.to_json() for e in self.history],
            summary=self.summary,
        )
        return data


@dataclass(frozen=True)
class ClaimFilter:
    status: str | None = None
    rating: str | None = None
    article_id: int | None = None
    search: str | None = None
    reviewer: str | None = None  # claims with a verdict by this reviewer
    assignee: str | None = None
    since: datetime | None = None  # updated at or after
    until: datetime | None = None  # updated before
    sort: str = "score"  # "score", "updated", "status", "id"
    descending: bool = True
    extra: dict[str, Any] = field(default_factory=dict)


# ---------------------------------------------------------------- conversions


def claim_row(claim: Claim) -> ClaimRow:
    return ClaimRow(
        id=claim.id,
        text=claim.text,
        status=claim.status,
        score=claim.score,
        rating=claim.rating,
        article_id=claim.article_id,
        source_count=claim.source_count,
        assignee=claim.assignee,
        created_at=claim.created_at,
        updated_at=claim.updated_at,
        version=claim.version,
    )


def source_view(source: Source) -> SourceView:
    return SourceView(
        id=source.id,
        kind=source.kind,
        url=source.url,
        title=source.title,
        publisher=source.publisher,
        citation=source.citation,
        fetch_status=source.fetch_status,
        fetch_error=source.fetch_error,
        http_status=source.http_status,
        content_hash=source.content_hash,
        fetched_at=source.fetched_at,
    )


def evidence_view(evidence: Evidence) -> EvidenceView:
    return EvidenceView(
        id=evidence.id,
        claim_id=evidence.claim_id,
        stance=evidence.stance,
        quote=evidence.quote,
        source=source_view(evidence.source),
        created_by=evidence.created_by,
        created_at=evidence.created_at,
    )


def verdict_view(verdict: Verdict) -> VerdictView:
    return VerdictView(
        id=verdict.id,
        claim_id=verdict.claim_id,
        rating=verdict.rating,
        rationale=verdict.rationale,
        reviewer=verdict.reviewer,
        created_at=verdict.created_at,
        blind=bool(verdict.blind),
    )


def event_view(event: Event) -> EventView:
    return EventView(
        id=event.id,
        at=event.at,
        reviewer=event.reviewer,
        action=event.action,
        entity=event.entity,
        entity_id=event.entity_id,
        claim_id=event.claim_id,
        before=event.before,
        after=event.after,
    )


def _claim_state(claim: Claim) -> dict[str, Any]:
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


# ---------------------------------------------------------------- helpers


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


def require_reviewer(reviewer: str) -> str:
    name = reviewer.strip()
    if not name:
        raise ValidationError(
            "the reviewer name is empty; pass --reviewer NAME or set WORKBENCH_REVIEWER"
        )
    return name


def _clean_text(value: str, what: str, limit: int) -> str:
    cleaned = " ".join(value.split())
    if not cleaned:
        raise ValidationError(f"the {what} is empty; write the {what} in full")
    if len(cleaned) > limit:
        raise ValidationError(f"the {what} is {len(cleaned)} characters; the limit is {limit}")
    return cleaned


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
        what = f": {_describe_change(last)}" if last else ""
        raise ConflictError(
            f"claim {claim_id} was changed by {who}{what} "
            f"(you opened version {expected_version}, it is now {claim.version}); "
            "reload it and apply your change",
            claim_id=claim_id,
            version=claim.version,
        )
    return claim


def _describe_change(event: Event) -> str:
    """'verdict.add (rating: mixed -> false)': what the last change did, for conflict messages."""
    before, after = event.before or {}, event.after or {}
    diffs = [
        f"{key}: {before.get(key, '-')} -> {value}"
        for key, value in after.items()
        if key in _CLAIM_FIELDS and key != "version" and before.get(key) != value
    ]
    return event.action + (f" ({', '.join(diffs[:3])})" if diffs else "")


_CLAIM_FIELDS = ("text", "status", "score", "rating", "article_id", "assignee")


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
    before = _claim_state(claim)
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
        after={**_claim_state(claim), **(extra or {})},
    )
    return claim_row(claim)


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


# ---------------------------------------------------------------- idempotency

# A client whose reply was lost (a killed terminal, a dropped connection) repeats the write
# with the same request id and gets the earlier result instead of a duplicate. The id lives
# in the write's Event ("after" JSON), so no schema change is needed.
# SEAM: a nullable, uniquely indexed column `events.request_id` (String(200)) would make the
# lookup exact at any age and safe for concurrent PostgreSQL writers (SQLite writers are
# serialised by BEGIN IMMEDIATE). Until then, requests without a claim (add_claim) are looked
# up among the newest REQUEST_WINDOW events; the others among their claim's own events.
REQUEST_WINDOW = 10_000
MAX_REQUEST_ID_CHARS = 200


def _check_request_id(request_id: str | None) -> str | None:
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


def _with_request(after: dict[str, Any], request_id: str | None) -> dict[str, Any]:
    return {**after, "request_id": request_id} if request_id is not None else after


# ---------------------------------------------------------------- use cases


def add_claim(
    session: Session,
    reviewer: str,
    text: str,
    *,
    article_id: int | None = None,
    score: float | None = None,
    start: int | None = None,
    end: int | None = None,
    request_id: str | None = None,
) -> ClaimRow:
    reviewer = require_reviewer(reviewer)
    cleaned = _clean_text(text, "claim text", MAX_CLAIM_CHARS)
    request_id = _check_request_id(request_id)
    if request_id is not None:
        earlier = find_request(session, "claim.add", request_id)
        if earlier is not None and earlier.entity_id is not None:
            if (earlier.after or {}).get("text") != cleaned:
                raise ConflictError(
                    f"request id {request_id!r} was already used for another claim "
                    f"(claim {earlier.entity_id}); use a new request id"
                )
            done = session.get(Claim, earlier.entity_id)
            if done is not None:
                return claim_row(done)
    if article_id is not None and session.get(Article, article_id) is None:
        raise NotFoundError(f"article {article_id} does not exist")
    now = utcnow()
    claim = Claim(
        text=cleaned,
        article_id=article_id,
        score=score,
        start=start,
        end=end,
        status="new",
        source_count=0,
        created_by=reviewer,
        created_at=now,
        updated_at=now,
        version=1,
    )
    session.add(claim)
    session.flush()
    record_event(
        session,
        reviewer,
        "claim.add",
        "claim",
        claim.id,
        claim_id=claim.id,
        after=_with_request(_claim_state(claim), request_id),
    )
    return claim_row(claim)


def add_claims_from_article(
    session: Session,
    reviewer: str,
    article_id: int,
    sentences: Sequence[tuple[str, float | None, int, int]],
) -> list[ClaimRow]:
    """Many claims from one article's sentences (text, score, start, end) in one flush, each
    with its event: ingest writes thousands, and a flush per claim costs most of its time.
    A sentence too long to be a claim stays a sentence only."""
    reviewer = require_reviewer(reviewer)
    now = utcnow()
    claims = [
        Claim(
            text=" ".join(text.split()),
            article_id=article_id,
            score=score,
            start=start,
            end=end,
            status="new",
            source_count=0,
            created_by=reviewer,
            created_at=now,
            updated_at=now,
            version=1,
        )
        for text, score, start, end in sentences
        if text.strip() and len(" ".join(text.split())) <= MAX_CLAIM_CHARS
    ]
    session.add_all(claims)
    session.flush()
    for claim in claims:
        record_event(
            session,
            reviewer,
            "claim.add",
            "claim",
            claim.id,
            claim_id=claim.id,
            after=_claim_state(claim),
        )
    return [claim_row(c) for c in claims]


def promote_sentence(session: Session, reviewer: str, article_id: int, position: int) -> ClaimRow:
    """Makes sentence `position` (0-based) of an article a claim; an existing one is returned."""
    sentence = session.scalars(
        select(Sentence).where(Sentence.article_id == article_id, Sentence.position == position)
    ).first()
    if sentence is None:
        count = session.scalar(select(func.count()).where(Sentence.article_id == article_id))
        if not count:
            raise NotFoundError(f"article {article_id} does not exist or has no sentences")
        raise NotFoundError(
            f"article {article_id} has sentences 0 to {count - 1}; there is no sentence {position}"
        )
    existing = session.scalars(
        select(Claim).where(Claim.article_id == article_id, Claim.start == sentence.start)
    ).first()
    if existing is not None:
        return claim_row(existing)
    return add_claim(
        session,
        reviewer,
        sentence.text,
        article_id=article_id,
        score=sentence.score,
        start=sentence.start,
        end=sentence.end,
    )


def filtered_claims(query: Any, session: Session, f: ClaimFilter) -> Any:
    from workbench.store import fulltext_match

    if f.status:
        if f.status not in STATUSES:
            raise ValidationError(f"unknown status {f.status!r}; valid: {', '.join(STATUSES)}")
        query = query.where(Claim.status == f.status)
    if f.rating:
        query = query.where(Claim.rating == f.rating)
    if f.article_id is not None:
        query = query.where(Claim.article_id == f.article_id)
    if f.assignee:
        query = query.where(Claim.assignee == f.assignee)
    if f.reviewer:
        query = query.where(
            Claim.id.in_(select(Verdict.claim_id).where(Verdict.reviewer == f.reviewer))
        )
    if f.since is not None:
        query = query.where(Claim.updated_at >= f.since)
    if f.until is not None:
        query = query.where(Claim.updated_at < f.until)
    if f.search:
        bind = session.get_bind()
        clause = fulltext_match(bind.dialect.name, f.search)
        if clause is not None:
            query = query.where(clause)
    return query


SORT_COLUMNS = {
    "score": Claim.score,
    "updated": Claim.updated_at,
    "status": Claim.status,
    "id": Claim.id,
}


def list_claims(
    session: Session, f: ClaimFilter | None = None, *, limit: int | None = 100, offset: int = 0
) -> list[ClaimRow]:
    f = f or ClaimFilter()
    column = SORT_COLUMNS.get(f.sort)
    if column is None:
        raise ValidationError(f"unknown sort {f.sort!r}; valid: {', '.join(SORT_COLUMNS)}")
    order = column.desc() if f.descending else column.asc()
    tiebreak = Claim.id.desc() if f.descending else Claim.id.asc()
    query = filtered_claims(select(Claim), session, f).order_by(order, tiebreak)
    if f.sort == "score":
        query = query.order_by(None).order_by(Claim.score.is_(None), order, tiebreak)
    if limit is not None:
        query = query.limit(limit)
    if offset:
        query = query.offset(offset)
    return [claim_row(c) for c in session.scalars(query)]


def count_claims(session: Session, f: ClaimFilter | None = None) -> int:
    query = filtered_claims(select(func.count(Claim.id)), session, f or ClaimFilter())
    return int(session.scalar(query) or 0)


def status_counts(session: Session) -> dict[str, int]:
    rows = session.execute(select(Claim.status, func.count()).group_by(Claim.status))
    counts = dict.fromkeys(STATUSES, 0)
    counts.update({status: int(n) for status, n in rows})
    return counts


def get_claim(session: Session, claim_id: int, *, context: int = 2) -> ClaimDetail:
    claim = session.get(Claim, claim_id)
    if claim is None:
        raise NotFoundError(f"claim {claim_id} does not exist; list claims with: workbench claims")
    before: list[str] = []
    after: list[str] = []
    title = None
    if claim.article_id is not None and claim.start is not None:
        article = session.get(Article, claim.article_id)
        title = article.title if article else None
        here = session.scalars(
            select(Sentence).where(
                Sentence.article_id == claim.article_id, Sentence.start == claim.start
            )
        ).first()
        if here is not None:
            before = list(
                session.scalars(
                    select(Sentence.text)
                    .where(
                        Sentence.article_id == claim.article_id,
                        Sentence.position < here.position,
                        Sentence.position >= here.position - context,
                    )
                    .order_by(Sentence.position)
                )
            )
            after = list(
                session.scalars(
                    select(Sentence.text)
                    .where(
                        Sentence.article_id == claim.article_id,
                        Sentence.position > here.position,
                        Sentence.position <= here.position + context,
                    )
                    .order_by(Sentence.position)
                )
            )
    elif claim.article_id is not None:
        article = session.get(Article, claim.article_id)
        title = article.title if article else None
    return ClaimDetail(
        claim=claim_row(claim),
        article_title=title,
        context_before=before,
        context_after=after,
        evidence=[evidence_view(e) for e in claim.evidence],
        verdicts=[verdict_view(v) for v in claim.verdicts],
        history=history(session, claim_id),
        summary=claim.summary,
    )


def _check_stance(stance: str) -> str:
    value = stance.strip().lower()
    if value not in STANCES:
        raise ValidationError(f"unknown stance {stance!r}; valid stances: {', '.join(STANCES)}")
    return value


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
        stance=_check_stance(stance),
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
    before = _claim_state(claim)
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
        after=_with_request(
            {
                **_claim_state(claim),
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
    citation_text = _clean_text(citation, "citation", MAX_RATIONALE_CHARS)
    stance = _check_stance(stance)
    quote_text = quote.strip() if quote and quote.strip() else None
    request_id = _check_request_id(request_id)
    if request_id is not None:
        # Looked up before the version check: the repeat carries the version it first saw.
        earlier = find_request(session, "evidence.add", request_id, claim_id=claim_id)
        if earlier is not None and earlier.entity_id is not None:
            if (earlier.after or {}).get("citation") != citation_text:
                raise ConflictError(
                    f"request id {request_id!r} was already used for another citation "
                    f"on claim {claim_id}; use a new request id"
                )
            done = session.get(Evidence, earlier.entity_id)
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


def record_verdict(
    session: Session,
    reviewer: str,
    claim_id: int,
    rating: str,
    rationale: str,
    *,
    scale: RatingScale = DEFAULT_SCALE,
    expected_version: int | None = None,
    request_id: str | None = None,
    blind: bool = False,
) -> VerdictView:
    reviewer = require_reviewer(reviewer)
    chosen = scale.get(rating)
    text = rationale.strip()
    if not text:
        raise ValidationError("the rationale is empty; say why the claim gets this rating")
    if len(text) > MAX_RATIONALE_CHARS:
        raise ValidationError(f"the rationale is over {MAX_RATIONALE_CHARS} characters")
    request_id = _check_request_id(request_id)
    if request_id is not None:
        earlier = find_request(session, "verdict.add", request_id, claim_id=claim_id)
        if earlier is not None and earlier.entity_id is not None:
            seen = earlier.after or {}
            if seen.get("rating") != chosen.name or seen.get("rationale") != text:
                raise ConflictError(
                    f"request id {request_id!r} was already used for another verdict "
                    f"on claim {claim_id}; use a new request id"
                )
            done = session.get(Verdict, earlier.entity_id)
            if done is not None:
                return verdict_view(done)
    claim = get_claim_for_update(session, claim_id, expected_version)
    before = _claim_state(claim)
    verdict = Verdict(
        claim_id=claim.id,
        rating=chosen.name,
        rationale=text,
        reviewer=reviewer,
        blind=blind,
        created_at=utcnow(),
    )
    session.add(verdict)
    claim.rating = chosen.name
    claim.status = "reviewed"
    if claim.blind_review and len({v.reviewer for v in claim.verdicts} | {reviewer}) >= 2:
        claim.blind_review = False  # a second rating is in: everyone sees the ratings again
    touch(claim)
    session.flush()
    record_event(
        session,
        reviewer,
        "verdict.add",
        "verdict",
        verdict.id,
        claim_id=claim.id,
        before=before,
        after=_with_request(
            {**_claim_state(claim), "rationale": text, **({"blind": True} if blind else {})},
            request_id,
        ),
    )
    return verdict_view(verdict)


def set_status(
    session: Session,
    reviewer: str,
    claim_id: int,
    status: str,
    *,
    expected_version: int | None = None,
) -> ClaimRow:
    reviewer = require_reviewer(reviewer)
    if status == "approved":
        return approve(session, reviewer, claim_id, expected_version=expected_version)
    claim = get_claim_for_update(session, claim_id, expected_version)
    if status == "reviewed":
        if not claim.verdicts:
            raise ValidationError(
                f"claim {claim_id} has no verdict; record one with 'workbench verdict' first"
            )
    elif status not in MANUAL_STATUSES:
        raise ValidationError(f"unknown status {status!r}; valid: {', '.join(STATUSES)}")
    if claim.status == status:
        return claim_row(claim)
    return change_claim(session, reviewer, claim, "claim.status", {"status": status})


def approve(
    session: Session, reviewer: str, claim_id: int, *, expected_version: int | None = None
) -> ClaimRow:
    """An editor signs a verdict off; never the verdict's own author."""
    reviewer = require_reviewer(reviewer)
    claim = get_claim_for_update(session, claim_id, expected_version)
    if not claim.verdicts:
        raise ValidationError(f"claim {claim_id} has no verdict to approve yet")
    current = claim.verdicts[-1]
    if current.reviewer == reviewer:
        raise ValidationError(
            f"the verdict on claim {claim_id} is yours; another reviewer must approve it"
        )
    if claim.status == "approved":
        return claim_row(claim)
    if claim.status != "reviewed":
        raise ValidationError(
            f"claim {claim_id} is {claim.status}, not reviewed; it needs a new verdict first"
        )
    return change_claim(
        session,
        reviewer,
        claim,
        "claim.approve",
        {"status": "approved"},
        extra={"verdict_id": current.id},
    )


def edit_claim_text(
    session: Session,
    reviewer: str,
    claim_id: int,
    text: str,
    *,
    expected_version: int | None = None,
) -> ClaimRow:
    reviewer = require_reviewer(reviewer)
    cleaned = _clean_text(text, "claim text", MAX_CLAIM_CHARS)
    claim = get_claim_for_update(session, claim_id, expected_version)
    if claim.text == cleaned:
        return claim_row(claim)
    return change_claim(session, reviewer, claim, "claim.edit", {"text": cleaned})


def history(session: Session, claim_id: int) -> list[EventView]:
    events = session.scalars(select(Event).where(Event.claim_id == claim_id).order_by(Event.id))
    return [event_view(e) for e in events]


def claim_exists(session: Session, claim_id: int) -> bool:
    return session.get(Claim, claim_id) is not None


def article_sentences(session: Session, article_id: int) -> list[tuple[int, str, float | None]]:
    rows = session.execute(
        select(Sentence.position, Sentence.text, Sentence.score)
        .where(Sentence.article_id == article_id)
        .order_by(Sentence.position)
    )
    return [(int(p), str(t), s) for p, t, s in rows]


def list_articles(session: Session) -> list[tuple[int, str | None, int]]:
    rows = session.execute(
        select(Article.id, Article.title, func.count(Claim.id))
        .outerjoin(Claim, Claim.article_id == Article.id)
        .group_by(Article.id, Article.title)
        .order_by(Article.id)
    )
    return [(int(i), t, int(n)) for i, t, n in rows]
