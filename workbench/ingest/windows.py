"""Scoring a long article a window of sentences at a time.

The model's second stage looks two sentences either side, and builds a row of features per
sentence for the whole list it is given: for 700,000 sentences that is a few hundred
megabytes at once, besides the sentences' strings. Scoring windows that overlap by that
context and keeping each window's middle gives exactly the scores of one call (tests
compare them), in bounded memory, with progress between windows.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Sequence
from typing import Protocol

WINDOW = 20_000
CONTEXT = 2  # sentences either side that a score depends on (checkworthy.context_features)
DIGITS = 4  # stored scores keep four decimals


class Scorer(Protocol):
    def score(self, sentences: Sequence[str], *, prose: bool = ...) -> list[float]: ...


def score_in_windows(
    model: Scorer,
    total: int,
    texts: Callable[[int, int], list[str]],
    progress: Callable[[int, int, str], None] | None = None,
    window: int = WINDOW,
    *,
    prose: bool = False,
) -> array[float]:
    """The scores of `model.score(all texts)`, rounded to DIGITS, computed `window`
    sentences at a time; `texts(lo, hi)` gives the texts of sentences lo to hi - 1."""
    scores: array[float] = array("d")
    for start in range(0, total, window):
        end = min(start + window, total)
        lo, hi = max(0, start - CONTEXT), min(total, end + CONTEXT)
        part = model.score(texts(lo, hi), prose=prose)[start - lo : end - lo]
        scores.extend(round(float(score), DIGITS) for score in part)
        if progress:
            progress(end, total, "sentences scored")
    return scores
