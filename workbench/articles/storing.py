"""Writing an ingested article's sentences, claims and their audit events in bulk.

An article of 50 MB has about 700,000 sentences and hundreds of thousands of claims. Made as
ORM objects (a Claim and an Event each) they took gigabytes and minutes; here every row goes
through Core executemany in chunks, the claims' ids are chosen first (storage.bulk's writers),
and the events join the audit hash chain through `audit.seal_rows`, as the importer's do. The
rows are the ones the ORM path wrote, field for field (tests compare the two).
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import datetime
from itertools import islice
from typing import Any, Protocol

from sqlalchemy.orm import Session

from workbench.core.made_on_read import MadeOnRead
from workbench.core.results import ClaimRow
from workbench.core.vocabulary import MAX_CLAIM_CHARS, require_reviewer
from workbench.storage.audit import seal_rows

# The bulk writers: Core executemany, on SQLite straight to the driver with values in
# SQLAlchemy's storage form (its per-row parameter processing was most of the time).
from workbench.storage.bulk import claim_event_row, insert_plain, insert_rows
from workbench.storage.models import Claim, Event, Sentence, utcnow
from workbench.storage.search import DEFER_FULLTEXT_AT, DeferredIndex

CHUNK = 5000
# (rows written so far, rows to write, what is being written)
Progress = Callable[[int, int, str], None]


class Scored(Protocol):
    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...
    @property
    def text(self) -> str: ...
    @property
    def score(self) -> float: ...


def _chunks(items: Iterable[Any], size: int = CHUNK) -> Iterator[list[Any]]:
    it = iter(items)
    while chunk := list(islice(it, size)):
        yield chunk


def insert_sentences(
    session: Session,
    article_id: int,
    sentences: Sequence[Scored],
    progress: Progress | None = None,
) -> None:
    """Every sentence of the article, in order (`position` is its index)."""
    done = 0
    for chunk in _chunks(range(len(sentences))):
        rows = [
            {
                "article_id": article_id,
                "position": i,
                "start": sentences[i].start,
                "end": sentences[i].end,
                "text": sentences[i].text,
                "score": sentences[i].score,
            }
            for i in chunk
        ]
        insert_plain(session, Sentence.__table__, rows)  # type: ignore[arg-type]
        done += len(chunk)
        if progress:
            progress(done, len(sentences), "sentences stored")


def insert_claims(
    session: Session,
    reviewer: str,
    article_id: int,
    worthy: Sequence[Scored],
    progress: Progress | None = None,
) -> NewClaims:
    """A claim (status new) and its `claim.add` event per sentence, in the given order. A
    sentence too long to be a claim stays a sentence only."""
    reviewer = require_reviewer(reviewer)
    now = utcnow()
    made = NewClaims(worthy, article_id, now)
    kept = (
        (index, text, s)
        for index, s in enumerate(worthy)
        if (text := " ".join(s.text.split())) and len(text) <= MAX_CLAIM_CHARS
    )
    # The full-text index is filled once at the end, not by its trigger row by row.
    deferral = DeferredIndex(session, defer=len(worthy) >= DEFER_FULLTEXT_AT)
    for chunk in _chunks(kept):
        rows = [
            {
                "text": text,
                "article_id": article_id,
                "score": s.score,
                "start": s.start,
                "end": s.end,
                "status": "new",
                "source_count": 0,
                "created_by": reviewer,
                "created_at": now,
                "updated_at": now,
                "version": 1,
            }
            for _index, text, s in chunk
        ]
        # Ids chosen first: RETURNING under executemany is one statement a row on SQLite.
        ids = insert_rows(session, Claim.__table__, rows)  # type: ignore[arg-type]
        events = [
            _claim_event(reviewer, now, row, claim_id)
            for row, claim_id in zip(rows, ids, strict=True)
        ]
        insert_plain(session, Event.__table__, seal_rows(session, events))  # type: ignore[arg-type]
        made.picks.extend(index for index, _text, _s in chunk)
        made.ids.extend(ids)
        if progress:
            progress(len(made), len(worthy), "claims stored")
    deferral.finish()
    return made


def _claim_event(reviewer: str, at: datetime, row: dict[str, Any], claim_id: int) -> dict[str, Any]:
    # What core.changes.claim_state records of a new claim.
    state = {
        "text": row["text"],
        "status": "new",
        "score": row["score"],
        "rating": None,
        "article_id": row["article_id"],
        "assignee": None,
        "version": 1,
    }
    return claim_event_row(reviewer, at, "claim.add", claim_id, state)


class NewClaims(MadeOnRead[ClaimRow]):
    """The claims an ingest made, as ClaimRows made when read: an article's hundreds of
    thousands of claims are kept as ids and indexes into its sentences, not as objects."""

    def __init__(self, worthy: Sequence[Scored], article_id: int, at: datetime) -> None:
        self.worthy = worthy
        self.article_id = article_id
        self.at = at
        self.picks: array[int] = array("q")  # index in `worthy` of each claim
        self.ids: array[int] = array("q")

    def __len__(self) -> int:
        return len(self.ids)

    def _make(self, index: int) -> ClaimRow:
        s = self.worthy[self.picks[index]]
        return ClaimRow(
            id=self.ids[index],
            text=" ".join(s.text.split()),
            status="new",
            score=s.score,
            rating=None,
            article_id=self.article_id,
            source_count=0,
            assignee=None,
            created_at=self.at,
            updated_at=self.at,
            version=1,
        )
