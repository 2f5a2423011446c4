"""Finding what a claim might match, through indexes, never by scoring every row in Python.

- Rated claims: the full-text index (FTS5 on SQLite, tsvector on PostgreSQL), best-ranked
  first, with the claim's most distinctive words and every other way of writing the names
  it contains ("CDC" also looks for "centers for disease control").
- Imported fact-checks have no full-text index: a LIKE scan with the same words, ordered by
  how many of them a fact-check contains, so the best MAX_CANDIDATES are kept even when
  thousands share one common word. (Fine for the tens of thousands a desk imports.)
- Acronyms that the stored fact-checks spell out ("... Research (ICMR)") are learned once
  per process and again when fact-checks are added (`learned_expansions`).
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Integer, case, func, literal_column, or_, select, text
from sqlalchemy.orm import Session

from workbench.matching_text import STOP_WORDS, Analysed, learn_expansions, lookup_forms, stem
from workbench.models import Claim, FactCheck

MAX_CANDIDATES = 200
QUERY_WORDS = 8  # distinctive words used to find candidates
_WORD = re.compile(r"\w+", re.UNICODE)
Learned = dict[str, tuple[str, ...]]


@dataclass(frozen=True)
class Candidate:
    kind: str  # "claim" or "fact_check"
    id: int
    text: str


def query_words(value: str) -> list[str]:
    """The claim's most distinctive words for the index lookup: longest first, no stop
    words, raw (unstemmed) forms so the index's own tokenizer sees real words."""
    seen: dict[str, None] = {}
    for w in _WORD.findall(value.lower()):
        if w not in STOP_WORDS and (len(w) > 2 or w.isdigit()):
            seen.setdefault(w, None)
    return sorted(seen, key=lambda w: (-len(w), w))[:QUERY_WORDS]


_learned_lock = threading.Lock()
_learned_cache: dict[tuple[str, Any, Any], Learned] = {}


def learned_expansions(session: Session) -> Learned:
    """Acronyms spelt out in stored fact-checks and rated claims; recomputed only when
    those tables grew (keyed by their row counts and newest ids)."""
    bind: Any = session.get_bind()
    has_paren = FactCheck.claim_reviewed.contains("(")
    state = session.execute(
        select(func.count(FactCheck.id), func.max(FactCheck.id)).where(has_paren)
    ).one()
    key = (str(bind.url), state[0], state[1])
    with _learned_lock:
        if key in _learned_cache:
            return _learned_cache[key]
    texts = list(session.scalars(select(FactCheck.claim_reviewed).where(has_paren).limit(20_000)))
    rated = Claim.rating.is_not(None) & Claim.text.contains("(")
    texts += list(session.scalars(select(Claim.text).where(rated).limit(20_000)))
    learned = learn_expansions(texts)
    with _learned_lock:
        _learned_cache.clear()  # one database at a time is the common case
        _learned_cache[key] = learned
    return learned


def _form_words(forms: list[str]) -> list[list[str]]:
    return [w for w in (_WORD.findall(f) for f in forms) if w]


def claim_candidates(
    session: Session, claim: Claim, words: list[str], forms: list[str]
) -> list[Candidate]:
    dialect = session.get_bind().dialect.name
    base = select(Claim.id, Claim.text).where(Claim.rating.is_not(None), Claim.id != claim.id)
    phrases = _form_words(forms)
    if dialect == "sqlite":
        # Prefix match on the stems so "rose"/"rises" meet; quoted, so user text is words.
        terms = [f'"{stem(w)}"*' for w in words] + [f'"{" ".join(p)}"' for p in phrases]
        stmt = text(
            "SELECT c.id, c.text FROM claims_fts JOIN claims c ON c.id = claims_fts.rowid "
            "WHERE claims_fts MATCH :q AND c.rating IS NOT NULL AND c.id != :id "
            "ORDER BY claims_fts.rank LIMIT :n"
        ).bindparams(q=" OR ".join(terms), id=claim.id, n=MAX_CANDIDATES)
        rows = session.execute(stmt).all()
    elif dialect == "postgresql":
        search: Any = literal_column("claims.text_search")
        terms = [f"{stem(w)}:*" for w in words] + ["(" + " & ".join(p) + ")" for p in phrases]
        tsquery = func.to_tsquery("simple", " | ".join(terms))
        rows = session.execute(
            base.where(search.op("@@")(tsquery))
            .order_by(func.ts_rank(search, tsquery).desc(), Claim.id)
            .limit(MAX_CANDIDATES)
        ).all()
    else:
        rows = session.execute(
            base.where(or_(*(func.lower(Claim.text).contains(w) for w in words))).limit(
                MAX_CANDIDATES
            )
        ).all()
    return [Candidate("claim", int(i), str(t)) for i, t in rows]


def fact_check_candidates(session: Session, words: list[str], forms: list[str]) -> list[Candidate]:
    patterns = list(dict.fromkeys([stem(w) for w in words] + forms))
    if not patterns:
        return []
    lowered = func.lower(" " + FactCheck.claim_reviewed + " ")
    hits = [case((lowered.contains(p), 1), else_=0) for p in patterns]
    matched: Any = hits[0]
    for hit in hits[1:]:
        matched = matched + hit
    rows = session.execute(
        select(FactCheck.id, FactCheck.claim_reviewed)
        .where(or_(*(lowered.contains(p) for p in patterns)))
        .order_by(matched.cast(Integer).desc(), FactCheck.id.desc())
        .limit(MAX_CANDIDATES)
    ).all()
    return [Candidate("fact_check", int(i), str(t)) for i, t in rows]


def find_candidates(
    session: Session, claim: Claim, analysed: Analysed, learned: Learned
) -> list[Candidate]:
    words = query_words(claim.text)
    forms = lookup_forms(analysed, learned)
    if not words and not forms:
        return []
    return claim_candidates(session, claim, words, forms) + fact_check_candidates(
        session, words, forms
    )
