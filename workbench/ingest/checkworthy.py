"""Check-worthiness scoring: which sentences state something a fact-checker could verify.

The model is a two-stage linear model trained by ``scripts/train_checkworthy.py`` on the
CLEF-2019 CheckThat! debates and shipped as JSON inside the package, so scoring needs only the
standard library (no scikit-learn, no network, no data outside the package).

Stage 1 scores each sentence alone from word uni/bigrams plus a few hand-made cues (numbers,
years, money, capitalised names, comparatives, length). Stage 2 mixes each sentence's stage-1
score with its neighbours', because check-worthy claims in the training data come in runs.
"""

from __future__ import annotations

import gzip
import json
import math
import re
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

__all__ = [
    "DEFAULT_THRESHOLD",
    "MODEL_PATH",
    "CheckWorthinessModel",
    "default_model",
    "features",
]

MODEL_PATH = Path(__file__).resolve().parent.parent / "data" / "checkworthy_model.json.gz"

# Chosen by maximising F1 over pooled leave-one-debate-out scores (see the training script);
# kept as a literal so importing this module does not read the model file.
DEFAULT_THRESHOLD: float = 0.818

# Words, numbers (with their separators) and the few symbols that carry meaning for claims.
_TOKEN = re.compile(r"[A-Za-z]+(?:['’][A-Za-z]+)*|\d+(?:[.,]\d+)*|[$%£€?!]")
_YEAR = re.compile(r"(?:1[89]|20)\d\d$")
_NUMWORDS = frozenset(
    "million millions billion billions trillion thousand thousands hundred hundreds dozen "
    "dozens percent percentage half twice double doubled tripled times".split()
)
_COMPARATIVES = frozenset("more less fewer than higher lower larger smaller bigger greater".split())
_SUPERLATIVES = frozenset(
    "most least highest lowest largest biggest smallest worst best record ever first "
    "only never single".split()
)
# Hand-made cue features carry this prefix; they are not length-normalised like n-grams.
HAND_PREFIX = "h:"


def features(sentence: str) -> list[str]:
    """Sparse binary features of one sentence: n-grams first, then ``h:`` cue features.

    Digits are folded into ``<num>``/``<year>`` so the model learns "a number is here" rather
    than particular numbers, which do not recur between documents.
    """
    raw = _TOKEN.findall(sentence)
    if not raw:
        return []
    toks: list[str] = []
    cues: list[str] = []
    caps = 0
    nums = 0
    first = True
    for t in raw:
        c = t[0]
        if c.isdigit():
            nums += 1
            if _YEAR.match(t):
                toks.append("<year>")
                cues.append("h:year")
            else:
                toks.append("<num>")
        else:
            # A capital after the first token is a cheap named-entity signal.
            if not first and c.isupper():
                caps += 1
            toks.append(t.lower())
        first = False
    feats = toks.copy()
    feats.extend([a + " " + b for a, b in zip(toks, toks[1:], strict=False)])
    cues.append("h:len%d" % min(len(toks) // 5, 8))
    cues.append("h:caps%d" % min(caps, 4))
    cues.append("h:nums%d" % min(nums, 3))
    vocab = set(toks)
    if not vocab.isdisjoint(_NUMWORDS):
        cues.append("h:numword")
    if not vocab.isdisjoint(_COMPARATIVES):
        cues.append("h:compar")
    if not vocab.isdisjoint(_SUPERLATIVES):
        cues.append("h:superl")
    feats.extend(cues)
    return feats


def _sigmoid(x: float) -> float:
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)
    return e / (1.0 + e)


def context_features(base: Sequence[float], pad: float) -> list[list[float]]:
    """Stage-2 inputs per sentence: own score, previous, next, best adjacent, best at distance 2.

    ``pad`` stands in for sentences beyond the document edges (scored like a blank line).
    """
    n = len(base)
    padded = [pad, pad, *base, pad, pad]
    rows: list[list[float]] = []
    for i in range(n):
        prev1, prev2 = padded[i + 1], padded[i]
        next1, next2 = padded[i + 3], padded[i + 4]
        rows.append([padded[i + 2], prev1, next1, max(prev1, next1), max(prev2, next2)])
    return rows


class CheckWorthinessModel:
    """A loaded check-worthiness model; use :func:`default_model` for the shipped one."""

    def __init__(self, params: dict[str, Any]) -> None:
        self._weights: dict[str, float] = {str(k): float(v) for k, v in params["weights"].items()}
        self._bias = float(params["bias"])
        self._hand_weight = float(params["hand_weight"])
        self._blank_logit = float(params["blank_logit"])
        self._ctx_coef = [float(c) for c in params["context_coef"]]
        self._ctx_bias = float(params["context_bias"])
        self.threshold = float(params.get("threshold", DEFAULT_THRESHOLD))

    @classmethod
    def load(cls, path: Path | None = None) -> CheckWorthinessModel:
        """Load a model file (``.json`` or ``.json.gz``); default: the one shipped in the package."""
        p = MODEL_PATH if path is None else Path(path)
        raw = p.read_bytes()
        if raw[:2] == b"\x1f\x8b":
            raw = gzip.decompress(raw)
        params = json.loads(raw.decode("utf-8"))
        if not isinstance(params, dict):
            raise ValueError(f"{p}: not a check-worthiness model")
        return cls(params)

    def base_logits(self, sentences: Sequence[str]) -> list[float]:
        """Stage-1 logits, each sentence on its own (blank ones get the stored low value)."""
        weights = self._weights
        hand_weight = self._hand_weight
        out: list[float] = []
        for sentence in sentences:
            feats = features(sentence)
            if not feats:
                out.append(self._blank_logit)
                continue
            ngram_sum = 0.0
            ngram_n = 0
            hand_sum = 0.0
            # Training used each distinct feature once; duplicates are rare enough that the
            # set() is cheaper than it looks.
            for f in set(feats):
                w = weights.get(f)
                if w is None:
                    continue
                if f.startswith(HAND_PREFIX):
                    hand_sum += w
                else:
                    ngram_sum += w
                    ngram_n += 1
            logit = self._bias + hand_weight * hand_sum
            if ngram_n:
                logit += ngram_sum / math.sqrt(ngram_n)
            out.append(logit)
        return out

    def score(self, sentences: Sequence[str]) -> list[float]:
        """Scores in [0, 1], same order and count as input; sentences are given in document order
        so neighbouring-sentence context may be used; empty/blank strings get a (low) score too."""
        base = self.base_logits(sentences)
        coef = self._ctx_coef
        bias = self._ctx_bias
        return [
            _sigmoid(bias + sum(c * x for c, x in zip(coef, row, strict=True)))
            for row in context_features(base, self._blank_logit)
        ]


@lru_cache(maxsize=1)
def default_model() -> CheckWorthinessModel:
    """The shipped model, loaded once per process."""
    return CheckWorthinessModel.load()
