"""Ranking a source's passages by relevance to a claim (Okapi BM25 over sentence windows),
so the reviewer picks the passage to quote instead of hunting for it."""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass

_WORD = re.compile(r"\w+", re.UNICODE)
# Very common words carry no evidence; numbers and names do.
_STOP = frozenset(
    "a an and are as at be but by for from has have he her his i in is it its of on or she "
    "that the their there they this to was were which who will with would not no".split()
)


@dataclass(frozen=True)
class Passage:
    start: int
    end: int
    text: str
    score: float


def tokens(text: str) -> list[str]:
    return [w for w in _WORD.findall(text.lower()) if w not in _STOP]


def passages_of(text: str, window: int = 2) -> list[tuple[int, int]]:
    """Overlapping windows of `window` sentences, as offsets into `text`."""
    from workbench.ingest.split import split_sentences

    sentences = split_sentences(text)
    if not sentences:
        return []
    spans = []
    for i in range(len(sentences)):
        last = min(i + window, len(sentences)) - 1
        spans.append((sentences[i].start, sentences[last].end))
        if last == len(sentences) - 1:
            break
    return spans


def rank_passages(
    claim: str, text: str, *, limit: int = 10, k1: float = 1.5, b: float = 0.75
) -> list[Passage]:
    spans = passages_of(text)
    docs = [Counter(tokens(text[s:e])) for s, e in spans]
    query = set(tokens(claim))
    if not docs or not query:
        return []
    n = len(docs)
    average = sum(sum(d.values()) for d in docs) / n or 1.0
    frequency = Counter(t for d in docs for t in query if t in d)
    scored = []
    for (start, end), doc in zip(spans, docs, strict=True):
        length = sum(doc.values())
        score = 0.0
        for term in query:
            tf = doc.get(term, 0)
            if not tf:
                continue
            idf = math.log(1 + (n - frequency[term] + 0.5) / (frequency[term] + 0.5))
            score += idf * tf * (k1 + 1) / (tf + k1 * (1 - b + b * length / average))
        if score > 0:
            scored.append(Passage(start, end, text[start:end], round(score, 4)))
    scored.sort(key=lambda p: (-p.score, p.start))
    return scored[:limit]
