"""Storing an ingested article: the article with all its sentences, and its check-worthy
sentences as claims, in one transaction (all or nothing). Reading the article is in
articles/reading.py, preparing it in articles/preparing.py, the whole ingest of one source
in articles/ingesting.py."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from workbench.articles.preparing import PreparedArticle
from workbench.articles.storing import Progress, insert_claims, insert_sentences
from workbench.core.results import ClaimRow
from workbench.core.views import claim_row
from workbench.ingest.table import ScoredSentence
from workbench.storage.audit import seal_rows
from workbench.storage.bulk import event_row, insert_plain, insert_rows
from workbench.storage.models import Article, Event, utcnow

_SENTENCE_END = re.compile(r"[.!?…][\"'”’»)\]]*$")
# What an Article row keeps of a PreparedArticle, under the same names.
_STORED = ("title", "url", "author", "site_name", "published", "text", "content_hash")


@dataclass(frozen=True)
class IngestResult:
    article_id: int
    title: str | None
    sentence_count: int
    claims: Sequence[ClaimRow]
    duplicate: bool = False
    source: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "article_id": self.article_id,
            "title": self.title,
            "sentences": self.sentence_count,
            "duplicate": self.duplicate,
            "claims": [{"id": c.id, "text": c.text, "score": c.score} for c in self.claims],
        }


# ---------------------------------------------------------------- storing


def default_threshold() -> float:
    from workbench.ingest.checkworthy import DEFAULT_THRESHOLD

    return float(DEFAULT_THRESHOLD)


def select_claims(prepared: PreparedArticle, cutoff: float) -> list[ScoredSentence]:
    """The sentences that become claims, best first: scored at or above ``cutoff``, and whole
    sentences (a headline, label or menu line has no full stop)."""
    ranked = prepared.sentences.ranked_at_least(cutoff)
    return [s for s in ranked if _SENTENCE_END.search(s.text)]


def store_article(
    session: Session,
    reviewer: str,
    prepared: PreparedArticle,
    *,
    threshold: float | None = None,
    source: str = "",
    progress: Progress | None = None,
) -> IngestResult:
    """Stores the article, its sentences and its claims; an article already stored (same
    cleaned text) is returned as it is, with no new rows."""
    # Core statements on the tables: the ORM would configure every mapper first, a tenth
    # of a one-page ingest. A duplicate is rare; it is read as ORM objects.
    articles = Article.__table__.c
    found = session.scalar(
        select(articles.id).where(articles.content_hash == prepared.content_hash).limit(1)
    )
    if found is not None:
        from workbench.storage.models import Claim

        existing = session.get_one(Article, found)
        stored = session.scalars(
            select(Claim).where(Claim.article_id == existing.id).order_by(Claim.score.desc())
        )
        return IngestResult(
            article_id=existing.id,
            title=existing.title,
            sentence_count=len(existing.sentences),
            claims=[claim_row(c) for c in stored],
            duplicate=True,
            source=source,
        )
    if threshold is not None:
        cutoff = threshold
    elif prepared.transcript:
        from workbench.ingest.checkworthy import default_model

        cutoff = default_model().transcript_threshold
    else:
        cutoff = default_threshold()
    now = utcnow()
    row = {name: getattr(prepared, name) for name in _STORED} | {"created_at": now}
    (article_id,) = insert_rows(session, Article.__table__, [row])  # type: ignore[arg-type]
    insert_sentences(session, article_id, prepared.sentences, progress)
    after = {
        "title": prepared.title,
        "url": prepared.url,
        "sentences": len(prepared.sentences),
        "content_hash": prepared.content_hash,
        "source": source,
    }
    event = event_row(reviewer, now, "article.ingest", "article", article_id, after)
    insert_plain(session, Event.__table__, seal_rows(session, [event]))  # type: ignore[arg-type]
    worthy = select_claims(prepared, cutoff)  # best first
    claims = insert_claims(session, reviewer, article_id, worthy, progress)
    return IngestResult(
        article_id=article_id,
        title=prepared.title,
        sentence_count=len(prepared.sentences),
        claims=claims,
        source=source,
    )
