"""Reading claims: one claim in full (its place in the article, evidence, verdicts,
history), its history alone, and the articles and their sentences. `show_claim` and
`claim_history` return what the viewer may see (core.visibility)."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from workbench.core.details import ClaimDetail, EventView
from workbench.core.views import claim_row, event_view, evidence_view, verdict_view
from workbench.core.visibility import ratings_hidden, visible_detail, visible_history
from workbench.errors import NotFoundError
from workbench.storage.models import Article, Claim, Event, Sentence


def show_claim(session: Session, viewer: str, claim_id: int) -> ClaimDetail:
    """The claim as `viewer` may see it (`ratings_hidden` says whether ratings were held
    back from them)."""
    detail = get_claim(session, claim_id)
    return visible_detail(detail, ratings_hidden(session, viewer, claim_id))


def claim_history(session: Session, viewer: str, claim_id: int) -> list[EventView]:
    """A claim's audit trail as `viewer` may see it."""
    if not claim_exists(session, claim_id):
        raise NotFoundError(f"claim {claim_id} does not exist; list claims with: workbench claims")
    return visible_history(history(session, claim_id), ratings_hidden(session, viewer, claim_id))


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


def history(session: Session, claim_id: int) -> list[EventView]:
    events = session.scalars(select(Event).where(Event.claim_id == claim_id).order_by(Event.id))
    return [event_view(e) for e in events]


def claim_exists(session: Session, claim_id: int) -> bool:
    return session.get(Claim, claim_id) is not None


def article_sentences(
    session: Session, _viewer: str, article_id: int
) -> list[tuple[int, str, float | None]]:
    rows = session.execute(
        select(Sentence.position, Sentence.text, Sentence.score)
        .where(Sentence.article_id == article_id)
        .order_by(Sentence.position)
    )
    return [(int(p), str(t), s) for p, t, s in rows]


def articles(session: Session, _viewer: str = "") -> list[tuple[int, str | None, int]]:
    rows = session.execute(
        select(Article.id, Article.title, func.count(Claim.id))
        .outerjoin(Claim, Claim.article_id == Article.id)
        .group_by(Article.id, Article.title)
        .order_by(Article.id)
    )
    return [(int(i), t, int(n)) for i, t, n in rows]
