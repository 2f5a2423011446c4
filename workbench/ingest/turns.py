"""Stage-2 inputs of the check-worthiness model: each sentence's stage-1 score with its
neighbours' and, for a transcript, the structure of the speaker's turn.

Shared by the runtime scorer and the training script. In the debates check-worthy claims come
in runs inside a candidate's long answers, while moderators ask short questions and the crowd
interjects; these inputs let a sentence borrow from its neighbours and its turn.

A *turn* is a run of consecutive sentences by one speaker. An empty speaker continues the
previous speaker's turn (transcripts often name the speaker only at the start). A sentence
that is wholly bracketed ("(APPLAUSE)", "[crosstalk]") is an interjection: it is its own
one-sentence turn and does not break the turn around it.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

__all__ = ["CONTEXT_WIDTH", "TURN_WIDTH", "context_rows", "is_interjection", "turn_rows"]

CONTEXT_WIDTH = 5  # own, previous, next, best adjacent, best at distance 2
# + turn mean, speaker mean, turn length, share, first, interjection, position in the document.
TURN_WIDTH = CONTEXT_WIDTH + 7

_BRACKETED = re.compile(r"^\s*(?:\([^()]*\)\s*|\[[^\[\]]*\]\s*)+$")


def is_interjection(sentence: str) -> bool:
    """A wholly bracketed line: stage directions and crowd noise, not speech."""
    return _BRACKETED.match(sentence) is not None


def context_rows(base: Sequence[float], pad: float) -> list[list[float]]:
    """Per sentence: own score, previous, next, best adjacent, best at distance 2.

    ``pad`` stands in for sentences beyond the document edges (scored like a blank line).
    """
    padded = [pad, pad, *base, pad, pad]
    rows: list[list[float]] = []
    for i in range(len(base)):
        prev1, prev2 = padded[i + 1], padded[i]
        next1, next2 = padded[i + 3], padded[i + 4]
        rows.append([padded[i + 2], prev1, next1, max(prev1, next1), max(prev2, next2)])
    return rows


def _turn_ids(
    speakers: Sequence[str], interjections: Sequence[bool]
) -> tuple[list[int], list[str]]:
    """Turn number of every sentence and its resolved speaker (empty continues the last)."""
    ids: list[int] = []
    resolved: list[str] = []
    turn = 0
    current: str | None = None
    for i, (speaker, inter) in enumerate(zip(speakers, interjections, strict=True)):
        name = speaker.strip() or (current or "")
        resolved.append(name)
        if inter:
            ids.append(-1 - i)  # its own turn, leaving the surrounding one open
            continue
        if current is not None and name != current:
            turn += 1
        current = name
        ids.append(turn)
    return ids, resolved


def turn_rows(
    base: Sequence[float], pad: float, sentences: Sequence[str], speakers: Sequence[str]
) -> list[list[float]]:
    """Context rows plus turn structure: the mean score of the sentence's turn and of its
    speaker's sentences, log(1 + turn length), the speaker's share of the document, whether it
    opens a turn, whether it is an interjection, and its relative position in the document
    (0 first, towards 1 last: in the training debates check-worthy sentences thin out from 4%
    of the first fifth to 1.3% of the last; chosen by leave-one-debate-out, see
    docs/checkworthiness.md)."""
    n = len(base)
    inter = [is_interjection(s) for s in sentences]
    ids, names = _turn_ids(speakers, inter)
    turn_sum: dict[int, float] = {}
    turn_len: dict[int, int] = {}
    spk_sum: dict[str, float] = {}
    spk_len: dict[str, int] = {}
    for z, t, name in zip(base, ids, names, strict=True):
        turn_sum[t] = turn_sum.get(t, 0.0) + z
        turn_len[t] = turn_len.get(t, 0) + 1
        spk_sum[name] = spk_sum.get(name, 0.0) + z
        spk_len[name] = spk_len.get(name, 0) + 1
    rows = context_rows(base, pad)
    for i, row in enumerate(rows):
        t, name = ids[i], names[i]
        row.extend(
            (
                turn_sum[t] / turn_len[t],
                spk_sum[name] / spk_len[name],
                math.log1p(turn_len[t]),
                spk_len[name] / n,
                1.0 if i == 0 or ids[i - 1] != t else 0.0,
                1.0 if inter[i] else 0.0,
                i / n,
            )
        )
    return rows
