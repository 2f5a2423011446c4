"""An article's scored sentences, kept as offsets into its text.

A 50 MB article has about 700,000 sentences: as objects with their own strings they took
several times the text's size. Here each is two offsets and a score in typed arrays (20
bytes), and a `ScoredSentence` is made when one is read (`text[start:end]` is its text).
"""

from __future__ import annotations

from array import array
from collections.abc import Iterator
from dataclasses import dataclass

from workbench.core.made_on_read import MadeOnRead


@dataclass(frozen=True, slots=True)
class ScoredSentence:
    start: int
    end: int
    text: str
    score: float


class ScoredSentences(MadeOnRead[ScoredSentence]):
    """The sentences of `text` at the given spans, with their scores, in document order."""

    __slots__ = ("_text", "_starts", "_ends", "_scores")

    def __init__(
        self, text: str, starts: array[int], ends: array[int], scores: array[float]
    ) -> None:
        if not len(starts) == len(ends) == len(scores):
            raise ValueError("one start, end and score per sentence")
        self._text = text
        self._starts, self._ends, self._scores = starts, ends, scores

    def __len__(self) -> int:
        return len(self._starts)

    def _make(self, index: int) -> ScoredSentence:
        start, end = self._starts[index], self._ends[index]
        return ScoredSentence(start, end, self._text[start:end], self._scores[index])

    def __iter__(self) -> Iterator[ScoredSentence]:
        text = self._text
        for start, end, score in zip(self._starts, self._ends, self._scores, strict=True):
            yield ScoredSentence(start, end, text[start:end], score)

    def ranked_at_least(self, cutoff: float) -> ScoredSentences:
        """The sentences scoring `cutoff` or more, best first (ties in document order)."""
        scores = self._scores
        chosen = [i for i, s in enumerate(scores) if s >= cutoff]
        chosen.sort(key=lambda i: -scores[i])
        return ScoredSentences(
            self._text,
            array("q", map(self._starts.__getitem__, chosen)),
            array("q", map(self._ends.__getitem__, chosen)),
            array("d", map(scores.__getitem__, chosen)),
        )
