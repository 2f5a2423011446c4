"""The second matching pass: a closer look at the best candidates of the first.

The first pass (matching.score_texts) is cosine similarity of TF-IDF vectors: quick, and
good at near-repeats, but a reworded claim shares few exact words with its fact-check. This
pass aligns words one by one, each word of one text with its best partner in the other:

- the same token (after name variants: "CDC" and "Centers for Disease Control" are one) 1.0;
- words that claims use for one another (paraphrase_words.tsv): PARAPHRASE_CREDIT;
- the same word inflected or misspelt (a shared stem of 5+ letters, or one edit apart in a
  word of 6+): NEAR_CREDIT;
- when word vectors are available (a `WordVectors` passed in), a cosine above VECTOR_FLOOR,
  scaled by VECTOR_CREDIT. None ship yet: the hook is here so they can plug in.

Each word counts by its IDF over the claim and its candidates, so a rare shared name weighs
more than a shared "video". The score is the harmonic mean of how much of each text is
covered by the other, so a long fact-check that merely mentions the claim's two topic words
scores low. Every credited pair is kept, to explain the suggestion.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from workbench.matching_text import Analysed, paraphrase_groups

PARAPHRASE_CREDIT = 0.8
NEAR_CREDIT = 0.75
VECTOR_CREDIT = 0.7
VECTOR_FLOOR = 0.6
FORWARD_WEIGHT = 0.75


class WordVectors(Protocol):
    """What the second pass needs from static word vectors (e.g. a GloVe subset): the cosine
    of two words as written (lower-cased), or None when either is unknown."""

    def similarity(self, a: str, b: str) -> float | None: ...


@dataclass
class Alignment:
    score: float
    pairs: list[tuple[str, str, str]] = field(default_factory=list)  # (how, mine, theirs)
    forward: float = 0.0  # how much of the claim the candidate covers
    backward: float = 0.0  # how much of the candidate the claim covers

    def explain(self, limit: int = 8) -> list[str]:
        """ "vaccine", "jab ~ vaccine", "CDC = Centers for Disease Control" (best first)."""
        out: list[str] = []
        for how, mine, theirs in self.pairs[:limit]:
            if mine.lower() == theirs.lower():
                out.append(mine)
            else:
                out.append(f"{mine} {'=' if how in ('same', 'name') else '~'} {theirs}")
        return list(dict.fromkeys(out))


def _one_edit(a: str, b: str) -> bool:
    if abs(len(a) - len(b)) > 1 or a == b:
        return False
    if len(a) > len(b):
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    return a[i:] == b[i + 1 :] or (len(a) == len(b) and a[i + 1 :] == b[i + 1 :])


def _near(a: str, b: str) -> bool:
    if a.startswith("n_") or b.startswith("n_") or a.isdigit() or b.isdigit():
        return False
    common = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        common += 1
    return common >= 5 or (min(len(a), len(b)) >= 6 and _one_edit(a, b))


class _Pairing:
    def __init__(self, vectors: WordVectors | None) -> None:
        self.groups = paraphrase_groups()
        self.vectors = vectors

    def credit(self, a: str, b: str, words: tuple[str, str] = ("", "")) -> tuple[float, str]:
        """How much token `a` is worth as a partner of `b`; `words` are the words as
        written, for the vectors (which know "purchases", not the stem "purchas")."""
        if a == b:
            return 1.0, "name" if a.startswith("n_") else "same"
        group = self.groups.get(a)
        if group is not None and group == self.groups.get(b):
            return PARAPHRASE_CREDIT, "like"
        if _near(a, b):
            return NEAR_CREDIT, "near"
        if self.vectors is not None and not (a.startswith("n_") or b.startswith("n_")):
            similarity = self.vectors.similarity(words[0].lower() or a, words[1].lower() or b)
            if similarity is not None and similarity >= VECTOR_FLOOR:
                return VECTOR_CREDIT * similarity, "like"
        return 0.0, ""


def idf_over(docs: Sequence[Analysed]) -> dict[str, float]:
    df: Counter[str] = Counter()
    for doc in docs:
        df.update(set(doc.tokens))
    n = len(docs)
    return {t: math.log((n + 1) / (d + 1)) + 1.0 for t, d in df.items()}


def _cover(
    mine: Analysed,
    theirs: Analysed,
    idf: dict[str, float],
    pairing: _Pairing,
    pairs: list[tuple[float, str, str, str]],
) -> float:
    words = list(dict.fromkeys(mine.tokens))
    others = list(dict.fromkeys(theirs.tokens))
    total = sum(idf.get(t, 1.0) for t in words)
    if not total or not others:
        return 0.0
    got = 0.0
    for token in words:
        best, how, partner = 0.0, "", ""
        for other in others:
            pair = (mine.surface.get(token, token), theirs.surface.get(other, other))
            credit, kind = pairing.credit(token, other, pair)
            if credit > best:
                best, how, partner = credit, kind, other
                if credit == 1.0:
                    break
        if best:
            weight = idf.get(token, 1.0)
            got += weight * best
            theirs_word = theirs.surface.get(partner, partner)
            pairs.append((weight * best, how, mine.surface.get(token, token), theirs_word))
    return got / total


def align(
    claim: Analysed,
    candidate: Analysed,
    idf: dict[str, float],
    vectors: WordVectors | None = None,
) -> Alignment:
    pairing = _Pairing(vectors)
    pairs: list[tuple[float, str, str, str]] = []
    forward = _cover(claim, candidate, idf, pairing, pairs)
    backward = _cover(candidate, claim, idf, pairing, [])
    score = combine(forward, backward)
    pairs.sort(key=lambda p: -p[0])
    return Alignment(
        round(min(score, 1.0), 4), [(how, a, b) for _w, how, a, b in pairs], forward, backward
    )


def combine(forward: float, backward: float) -> float:
    """A weighted geometric mean: what the new claim says must be in the fact-check
    (FORWARD_WEIGHT), and the fact-check must not be mostly about something else."""
    if not forward or not backward:
        return 0.0
    return float(forward**FORWARD_WEIGHT * backward ** (1 - FORWARD_WEIGHT))
