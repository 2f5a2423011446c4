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
- Names written several ways are one token before anything is compared ("CDC" and
  "Centers for Disease Control and Prevention", "US" and "United States"): a table of
  variants plus the expansions the stored fact-checks teach ("Indian Council of Medical
  Research (ICMR)"), see matching_text.py. The names a claim contains add their other
  forms to the candidate lookup.
- A second pass (matching_rerank.py) looks again at the RERANK_TOP best candidates of the
  first, aligning words one by one (same word, a word claims use for it, an inflection),
  which finds reworded claims the cosine misses. The suggestion's score is the better of
  the two; the words and names that matched are kept with it (`MatchView.matched`).
- SUGGEST_THRESHOLD (T1): at or above it a candidate is stored as a suggestion.
  REPEAT_THRESHOLD (T2): at or above it the suggestion is flagged as a likely repeat
  (near-identical wording). Both were set on paraphrase pairs in tests/test_matching.py and
  the paraphrases of real fact-checks in benchmarks/matching_quality.py.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from workbench.core.changes import record_event
from workbench.core.visibility import hidden_among
from workbench.core.vocabulary import require_reviewer
from workbench.errors import NotFoundError, ValidationError
from workbench.matching_candidates import find_candidates, learned_expansions
from workbench.matching_rerank import WordVectors, align, idf_over
from workbench.matching_text import Analysed, analyse
from workbench.storage.models import Claim, FactCheck, Match, Verdict, utcnow

Learned = dict[str, tuple[str, ...]]

SUGGEST_THRESHOLD = 0.45  # T1
REPEAT_THRESHOLD = 0.80  # T2
MAX_SUGGESTIONS = 10
WORD_WEIGHT = 0.6
NGRAM = 4
NUMBER_MISMATCH_FACTOR = 0.6
RERANK_TOP = 20  # first-pass candidates the second pass looks at again
# Static word vectors for the second pass, when a subset ships (see matching_rerank.py).
WORD_VECTORS: WordVectors | None = None

STATES = ("suggested", "confirmed", "rejected")

_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


def tokens(value: str, learned: Learned | None = None) -> list[str]:
    return analyse(value, learned).tokens


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


def _doc(value: str, analysed: Analysed) -> _Doc:
    words = analysed.tokens
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


def score_texts(
    query: str, candidates: Sequence[str], learned: Learned | None = None
) -> list[float]:
    """First-pass similarity in [0, 1] of `query` to each candidate (IDF over query +
    candidates)."""
    q_text = analyse(query, learned)
    texts = [analyse(c, learned) for c in candidates]
    return _first_pass(query, q_text, candidates, texts)


def _first_pass(
    query: str, q_text: Analysed, candidates: Sequence[str], texts: Sequence[Analysed]
) -> list[float]:
    q = _doc(query, q_text)
    docs = [_doc(c, t) for c, t in zip(candidates, texts, strict=True)]
    word_idf, _ = _idf([q.words, *(d.words for d in docs)])
    gram_idf, _ = _idf([q.grams, *(d.grams for d in docs)])
    scores = []
    for d in docs:
        score = WORD_WEIGHT * _cosine(q.words, d.words, word_idf) + (1 - WORD_WEIGHT) * _cosine(
            q.grams, d.grams, gram_idf
        )
        scores.append(round(min(score * _number_factor(q, d), 1.0), 4))
    return scores


def _number_factor(q: _Doc, d: _Doc) -> float:
    if q.numbers and d.numbers and not (q.numbers <= d.numbers or d.numbers <= q.numbers):
        return NUMBER_MISMATCH_FACTOR
    return 1.0


def rank_texts(
    query: str,
    candidates: Sequence[str],
    learned: Learned | None = None,
    vectors: WordVectors | None = None,
) -> list[tuple[float, list[str]]]:
    """Both passes: (score, what matched) for each candidate, in the order given. The
    second pass sees the RERANK_TOP best of the first; the others keep their first score.
    `vectors` (default WORD_VECTORS) lets the second pass credit words of like meaning."""
    vectors = vectors if vectors is not None else WORD_VECTORS
    q_text = analyse(query, learned)
    texts = [analyse(c, learned) for c in candidates]
    first = _first_pass(query, q_text, candidates, texts)
    idf = idf_over([q_text, *texts])
    q_numbers = frozenset(numbers(query))
    out: list[tuple[float, list[str]]] = [(s, []) for s in first]
    best = sorted(range(len(candidates)), key=lambda i: -first[i])[:RERANK_TOP]
    for i in best:
        if not first[i] and not set(q_text.tokens) & set(texts[i].tokens):
            continue
        alignment = align(q_text, texts[i], idf, vectors)
        factor = _number_factor(
            _Doc(Counter(), Counter(), q_numbers),
            _Doc(Counter(), Counter(), frozenset(numbers(candidates[i]))),
        )
        second = round(alignment.score * factor, 4)
        out[i] = (max(first[i], second), alignment.explain())
    return out


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
    matched: tuple[str, ...] = ()  # what the claims share: "vaccine", "CDC = Centers for ..."

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
            "matched": list(self.matched),
        }


# --------------------------------------------------------------------- use cases


def suggest_matches(session: Session, reviewer: str, claim_id: int) -> list[MatchView]:
    """Finds earlier fact-checks of the claim, stores new suggestions (with one
    `match.suggest` event) and returns the claim's open and confirmed matches, best first."""
    reviewer = require_reviewer(reviewer)
    claim = session.get(Claim, claim_id)
    if claim is None:
        raise NotFoundError(f"claim {claim_id} does not exist; list claims with: workbench claims")
    learned = learned_expansions(session)
    candidates = find_candidates(session, claim, analyse(claim.text, learned), learned)
    ranked = rank_texts(claim.text, [c.text for c in candidates], learned)
    scored = sorted(
        zip((score for score, _why in ranked), candidates, strict=True),
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
    return [m for m in list_matches(session, reviewer, claim_id) if m.state != "rejected"]


def list_matches(session: Session, viewer: str, claim_id: int) -> list[MatchView]:
    """All stored matches of a claim (any state), best first, as `viewer` may see them."""
    if session.get(Claim, claim_id) is None:
        raise NotFoundError(f"claim {claim_id} does not exist; list claims with: workbench claims")
    matches = list(
        session.scalars(
            select(Match).where(Match.claim_id == claim_id).order_by(Match.score.desc(), Match.id)
        )
    )
    return _views(session, viewer, matches)


def _views(session: Session, viewer: str, matches: list[Match]) -> list[MatchView]:
    """The matches as views; an earlier claim under blind review that `viewer` has not rated
    shows no rating, nor who gave it when (core.visibility)."""
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
        hidden = hidden_among(session, viewer, claim_ids)
        for cid, claim_text, rating in session.execute(
            select(Claim.id, Claim.text, Claim.rating).where(Claim.id.in_(claim_ids))
        ):
            if cid in hidden:
                claims[cid] = (claim_text, None, None, None)
                continue
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
    wanted = sorted({m.claim_id for m in matches})
    claim_texts: dict[int, str] = {
        int(i): str(t)
        for i, t in session.execute(select(Claim.id, Claim.text).where(Claim.id.in_(wanted)))
    }
    learned = learned_expansions(session) if matches else {}
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
                matched=_explain(claim_texts.get(m.claim_id), body, learned),
            )
        )
    return views


def _explain(claim_text: str | None, body: str, learned: Learned) -> tuple[str, ...]:
    """The words and names two texts share, best first, for the reviewer to judge."""
    if not claim_text:
        return ()
    mine, theirs = analyse(claim_text, learned), analyse(body, learned)
    return tuple(align(mine, theirs, idf_over([mine, theirs])).explain())


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
    return _views(session, reviewer, [match])[0]
