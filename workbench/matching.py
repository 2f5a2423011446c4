"""Known fact-checks: has this claim been checked before, by us or by someone else?

`suggest_matches(session, reviewer, claim_id)` compares a claim with earlier claims that
have a verdict and with imported fact-checks (ClaimReview), stores the close ones as
`Match` rows and returns them best first. A reviewer then confirms or rejects each
(`decide_match`); decisions are kept, so a rejected match is not suggested again.

How it scores, and why so:
- Candidates are a bounded set found through indexes, never a scan of every claim in
  Python: up to MAX_CANDIDATES rated claims that share the claim's most distinctive words
  (the full-text index: FTS5 on SQLite, tsvector on PostgreSQL, best-ranked first), and up
  to MAX_CANDIDATES fact-checks containing one of those words (fact-checks have no
  full-text index; the LIKE scan is fine for the tens of thousands a desk imports).
- Similarity is the cosine of TF-IDF vectors, with the IDF computed over the claim and its
  candidates (smoothed), so words shared by every candidate count for little. Two views are
  blended: word tokens (lower-cased, stop words dropped, a light plural/tense stemmer),
  weight WORD_WEIGHT; and character 4-grams of the token string, which forgive inflection
  and spelling ("decreased"/"decrease", "percent"/"per cent").
- Claims that cite different numbers are rarely the same claim ("fell to 3.5%" vs "fell to
  4.5%"), so when both texts hold numbers and neither's numbers include the other's, the
  score is multiplied by NUMBER_MISMATCH_FACTOR (a shorter wording that leaves a figure
  out is not penalised).
- SUGGEST_THRESHOLD (T1): at or above it a candidate is stored as a suggestion.
  REPEAT_THRESHOLD (T2): at or above it the suggestion is flagged as a likely repeat
  (near-identical wording). Both were set on paraphrase pairs in tests/test_matching.py.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from workbench.core.changes import record_event
from workbench.core.vocabulary import require_reviewer
from workbench.errors import NotFoundError, ValidationError
from workbench.storage.models import Claim, FactCheck, Match, Verdict, utcnow
from workbench.storage.search import ranked_candidates

SUGGEST_THRESHOLD = 0.45  # T1
REPEAT_THRESHOLD = 0.80  # T2
MAX_CANDIDATES = 200
MAX_SUGGESTIONS = 10
QUERY_WORDS = 8  # distinctive words used to find candidates
WORD_WEIGHT = 0.6
NGRAM = 4
NUMBER_MISMATCH_FACTOR = 0.6

STATES = ("suggested", "confirmed", "rejected")

_STOP_WORDS = frozenset(
    """a about above after again against all also am an and any are as at be because been
    before being below between both but by can could did do does doing down during each few
    for from further had has have having he her here hers him his how i if in into is it its
    itself just me more most my no nor not now of off on once only or other our ours out over
    own said says same she should so some such than that the their theirs them then there
    these they this those through to too under until up very was we were what when where
    which while who whom why will with would you your yours""".split()
)
_WORD = re.compile(r"\w+", re.UNICODE)
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


def _stem(word: str) -> str:
    """A light stemmer: enough to meet "rises"/"rise", "claimed"/"claim", "taxes"/"tax"."""
    for suffix in ("ing", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3 and not word.isdigit():
            return word[: -len(suffix)]
    return word


def tokens(value: str) -> list[str]:
    return [_stem(w) for w in _WORD.findall(value.lower()) if w not in _STOP_WORDS]


def numbers(value: str) -> set[str]:
    return {n.replace(",", "") for n in _NUMBER.findall(value)}


def _ngrams(words: Sequence[str]) -> list[str]:
    joined = " " + " ".join(words) + " "
    return [joined[i : i + NGRAM] for i in range(max(len(joined) - NGRAM + 1, 0))]


@dataclass(frozen=True)
class _Doc:
    words: Counter[str]
    grams: Counter[str]
    numbers: frozenset[str]


def _doc(value: str) -> _Doc:
    words = tokens(value)
    return _Doc(Counter(words), Counter(_ngrams(words)), frozenset(numbers(value)))


def _idf(docs: Iterable[Counter[str]]) -> tuple[dict[str, float], int]:
    df: Counter[str] = Counter()
    n = 0
    for counts in docs:
        n += 1
        df.update(counts.keys())
    return {term: math.log((n + 1) / (d + 1)) + 1.0 for term, d in df.items()}, n


def _cosine(a: Counter[str], b: Counter[str], idf: dict[str, float]) -> float:
    if not a or not b:
        return 0.0
    wa = {t: c * idf.get(t, 1.0) for t, c in a.items()}
    wb = {t: c * idf.get(t, 1.0) for t, c in b.items()}
    dot = sum(w * wb[t] for t, w in wa.items() if t in wb)
    if dot == 0:
        return 0.0
    norm = math.sqrt(sum(w * w for w in wa.values())) * math.sqrt(sum(w * w for w in wb.values()))
    return dot / norm if norm else 0.0


def score_texts(query: str, candidates: Sequence[str]) -> list[float]:
    """Similarity in [0, 1] of `query` to each candidate (IDF over query + candidates)."""
    q = _doc(query)
    docs = [_doc(c) for c in candidates]
    word_idf, _ = _idf([q.words, *(d.words for d in docs)])
    gram_idf, _ = _idf([q.grams, *(d.grams for d in docs)])
    scores = []
    for d in docs:
        score = WORD_WEIGHT * _cosine(q.words, d.words, word_idf) + (1 - WORD_WEIGHT) * _cosine(
            q.grams, d.grams, gram_idf
        )
        if q.numbers and d.numbers and not (q.numbers <= d.numbers or d.numbers <= q.numbers):
            score *= NUMBER_MISMATCH_FACTOR
        scores.append(round(min(score, 1.0), 4))
    return scores


# --------------------------------------------------------------------- results


@dataclass(frozen=True)
class MatchView:
    id: int
    claim_id: int
    target_kind: str  # "claim" or "fact_check"
    target_id: int
    score: float
    state: str
    likely_repeat: bool
    text: str
    rating: str | None
    publisher: str | None  # fact-check publisher, or the reviewer of the earlier verdict
    url: str | None
    date: str | None
    decided_by: str | None
    created_at: datetime

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "claim_id": self.claim_id,
            "target_kind": self.target_kind,
            "target_id": self.target_id,
            "score": self.score,
            "state": self.state,
            "likely_repeat": self.likely_repeat,
            "text": self.text,
            "rating": self.rating,
            "publisher": self.publisher,
            "url": self.url,
            "date": self.date,
            "decided_by": self.decided_by,
            "created_at": self.created_at.isoformat(),
        }


@dataclass(frozen=True)
class _Candidate:
    kind: str
    id: int
    text: str


# --------------------------------------------------------------------- candidates


def _query_words(value: str) -> list[str]:
    """The claim's most distinctive words for the index lookup: longest first, no stop
    words, raw (unstemmed) forms so the index's own tokenizer sees real words."""
    seen: dict[str, None] = {}
    for w in _WORD.findall(value.lower()):
        if w not in _STOP_WORDS and (len(w) > 2 or w.isdigit()):
            seen.setdefault(w, None)
    return sorted(seen, key=lambda w: (-len(w), w))[:QUERY_WORDS]


def _claim_candidates(session: Session, claim: Claim, words: list[str]) -> list[_Candidate]:
    # Prefix match on the stems so "rose"/"rises" meet.
    stems = [_stem(w) for w in words]
    found = ranked_candidates(session, stems, exclude_id=claim.id, limit=MAX_CANDIDATES)
    if found is not None:
        rows: Sequence[tuple[int, str]] = found
    else:
        base = select(Claim.id, Claim.text).where(Claim.rating.is_not(None), Claim.id != claim.id)
        rows = [
            (int(i), str(t))
            for i, t in session.execute(
                base.where(or_(*(func.lower(Claim.text).contains(w) for w in words))).limit(
                    MAX_CANDIDATES
                )
            )
        ]
    return [_Candidate("claim", int(i), str(t)) for i, t in rows]


def _fact_check_candidates(session: Session, words: list[str]) -> list[_Candidate]:
    lookup = [_stem(w) for w in words[:4]]
    rows = session.execute(
        select(FactCheck.id, FactCheck.claim_reviewed)
        .where(or_(*(func.lower(FactCheck.claim_reviewed).contains(w) for w in lookup)))
        .order_by(FactCheck.id.desc())
        .limit(MAX_CANDIDATES)
    ).all()
    return [_Candidate("fact_check", int(i), str(t)) for i, t in rows]


# --------------------------------------------------------------------- use cases


def suggest_matches(session: Session, reviewer: str, claim_id: int) -> list[MatchView]:
    """Finds earlier fact-checks of the claim, stores new suggestions (with one
    `match.suggest` event) and returns the claim's open and confirmed matches, best first."""
    reviewer = require_reviewer(reviewer)
    claim = session.get(Claim, claim_id)
    if claim is None:
        raise NotFoundError(f"claim {claim_id} does not exist; list claims with: workbench claims")
    words = _query_words(claim.text)
    if words:
        candidates = _claim_candidates(session, claim, words) + _fact_check_candidates(
            session, words
        )
    else:
        candidates = []
    scored = sorted(
        zip(score_texts(claim.text, [c.text for c in candidates]), candidates, strict=True),
        key=lambda pair: (-pair[0], pair[1].kind, pair[1].id),
    )
    kept = [(s, c) for s, c in scored if s >= SUGGEST_THRESHOLD][:MAX_SUGGESTIONS]
    existing = {
        (m.target_kind, m.target_id): m
        for m in session.scalars(select(Match).where(Match.claim_id == claim_id))
    }
    added = []
    for score, candidate in kept:
        match = existing.get((candidate.kind, candidate.id))
        if match is None:
            match = Match(
                claim_id=claim_id,
                target_kind=candidate.kind,
                target_id=candidate.id,
                score=score,
                state="suggested",
                created_at=utcnow(),
            )
            session.add(match)
            added.append(match)
        elif match.state == "suggested":
            match.score = score
    session.flush()
    if added:
        record_event(
            session,
            reviewer,
            "match.suggest",
            "claim",
            claim_id,
            claim_id=claim_id,
            after={
                "matches": [
                    {"id": m.id, "kind": m.target_kind, "target": m.target_id, "score": m.score}
                    for m in added
                ]
            },
        )
    return [m for m in list_matches(session, claim_id) if m.state != "rejected"]


def list_matches(session: Session, claim_id: int) -> list[MatchView]:
    """All stored matches of a claim (any state), best first."""
    if session.get(Claim, claim_id) is None:
        raise NotFoundError(f"claim {claim_id} does not exist; list claims with: workbench claims")
    matches = list(
        session.scalars(
            select(Match).where(Match.claim_id == claim_id).order_by(Match.score.desc(), Match.id)
        )
    )
    return _views(session, matches)


def _views(session: Session, matches: list[Match]) -> list[MatchView]:
    claim_ids = [m.target_id for m in matches if m.target_kind == "claim"]
    check_ids = [m.target_id for m in matches if m.target_kind == "fact_check"]
    claims: dict[int, tuple[str, str | None, str | None, str | None]] = {}
    if claim_ids:
        newest = (
            select(func.max(Verdict.id))
            .where(Verdict.claim_id.in_(claim_ids))
            .group_by(Verdict.claim_id)
            .scalar_subquery()
        )
        reviewers = {
            cid: (who, when)
            for cid, who, when in session.execute(
                select(Verdict.claim_id, Verdict.reviewer, Verdict.created_at).where(
                    Verdict.id.in_(newest)
                )
            )
        }
        for cid, claim_text, rating in session.execute(
            select(Claim.id, Claim.text, Claim.rating).where(Claim.id.in_(claim_ids))
        ):
            who, when = reviewers.get(cid, (None, None))
            claims[cid] = (claim_text, rating, who, when.date().isoformat() if when else None)
    checks = (
        {
            row.id: row
            for row in session.execute(
                select(
                    FactCheck.id,
                    FactCheck.claim_reviewed,
                    FactCheck.rating,
                    FactCheck.publisher,
                    FactCheck.url,
                    FactCheck.date_published,
                ).where(FactCheck.id.in_(check_ids))
            )
        }
        if check_ids
        else {}
    )
    views = []
    for m in matches:
        body: str = "(deleted)"
        rating = publisher = url = date = None
        if m.target_kind == "claim" and m.target_id in claims:
            body, rating, publisher, date = claims[m.target_id]
        elif m.target_kind == "fact_check" and m.target_id in checks:
            c = checks[m.target_id]
            body, rating, publisher, url, date = (
                c.claim_reviewed,
                c.rating,
                c.publisher,
                c.url,
                c.date_published,
            )
        views.append(
            MatchView(
                id=m.id,
                claim_id=m.claim_id,
                target_kind=m.target_kind,
                target_id=m.target_id,
                score=m.score,
                state=m.state,
                likely_repeat=m.score >= REPEAT_THRESHOLD,
                text=body,
                rating=rating,
                publisher=publisher,
                url=url,
                date=date,
                decided_by=m.decided_by,
                created_at=m.created_at,
            )
        )
    return views


def decide_match(
    session: Session, reviewer: str, claim_id: int, match_id: int, decision: str
) -> MatchView:
    """Confirms ("confirmed") or rejects ("rejected") one of a claim's matches."""
    reviewer = require_reviewer(reviewer)
    if decision not in ("confirmed", "rejected"):
        raise ValidationError(f"unknown decision {decision!r}; use confirmed or rejected")
    match = session.scalars(
        select(Match).where(and_(Match.id == match_id, Match.claim_id == claim_id))
    ).first()
    if match is None:
        raise NotFoundError(
            f"claim {claim_id} has no match {match_id}; list them with: workbench matches "
            f"{claim_id}"
        )
    if match.state != decision:
        before = {"state": match.state, "decided_by": match.decided_by}
        match.state = decision
        match.decided_by = reviewer
        session.flush()
        record_event(
            session,
            reviewer,
            "match.confirm" if decision == "confirmed" else "match.reject",
            "match",
            match.id,
            claim_id=claim_id,
            before=before,
            after={
                "state": decision,
                "decided_by": reviewer,
                "target_kind": match.target_kind,
                "target_id": match.target_id,
                "score": match.score,
            },
        )
    return _views(session, [match])[0]
