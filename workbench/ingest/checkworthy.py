"""Check-worthiness scoring: which sentences state something a fact-checker could verify.

The model is trained by ``scripts/train_checkworthy.py`` on the CLEF-2019 CheckThat!
training debates, chosen by leave-one-debate-out mean average precision alone, and shipped
as JSON inside the package, so scoring needs only the standard library (no numpy, no
scikit-learn, no network, no data outside the package).

Stage 1 scores each sentence alone: a logistic model over word uni/bigrams, three structural
cues (length, capitals, numbers; see ``sentence_features``) and the mean of the sentence's
GloVe word vectors. Because the model is linear in that mean, the mean's contribution is the
mean of one learned number per word (the word vector projected on the weights), so the
package ships those numbers for the 50,000 most frequent GloVe words rather than the vectors.
Stage 2 mixes each sentence's stage-1 score with its neighbours' and, when speakers are known
(a transcript), with the structure of the speaker's turn (see ``turns``).
"""

from __future__ import annotations

import gzip
import json
import math
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from workbench.ingest.sentence_features import CUE_PREFIX, analyse, features, ngrams
from workbench.ingest.turns import CONTEXT_WIDTH, TURN_WIDTH, context_rows, turn_rows

__all__ = [
    "DEFAULT_THRESHOLD",
    "MODEL_PATH",
    "CheckWorthinessModel",
    "default_model",
    "features",
]

MODEL_PATH = Path(__file__).resolve().parent.parent / "data" / "checkworthy_model.json.gz"

# Chosen by the training script on the news development set (see docs/checkworthiness.md);
# written here so that importing this module does not read the model file.
DEFAULT_THRESHOLD: float = 0.4769


def _sigmoid(x: float) -> float:
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)
    return e / (1.0 + e)


class _Linear:
    """A logistic layer over a fixed-width row."""

    def __init__(self, params: dict[str, Any], width: int) -> None:
        self.coef = [float(c) for c in params["coef"]]
        self.bias = float(params["bias"])
        if len(self.coef) != width:
            raise ValueError(f"stage-2 layer has {len(self.coef)} inputs, expected {width}")

    def __call__(self, row: Sequence[float]) -> float:
        return _sigmoid(self.bias + sum(c * x for c, x in zip(self.coef, row, strict=True)))


def _word_mean(toks: list[str], scores: dict[str, float]) -> float:
    """The mean of the tokens' projected word vectors (tokens without one left out)."""
    found = [v for v in map(scores.get, toks) if v is not None]
    return sum(found) / len(found) if found else 0.0


def _word_means(
    toks: list[str], main: dict[str, float], news: dict[str, float]
) -> tuple[float, float]:
    """Both views' means over the tokens that have a number in either view (a word missing
    from one view counts 0 there)."""
    found = [t for t in toks if t in main or t in news]
    if not found:
        return 0.0, 0.0
    return (
        sum([main.get(t, 0.0) for t in found]) / len(found),
        sum([news.get(t, 0.0) for t in found]) / len(found),
    )


def _numbers(table: dict[str, Any]) -> dict[str, float]:
    """A word table as JSON gave it (string keys always): used as it is when every value is a
    number, which is most of the model's load time saved (100,000 words)."""
    if all(type(v) is float for v in table.values()):
        return table
    return {k: float(v) for k, v in table.items()}


class _NewsLayer:
    """The news-prose adjustment: the plain-mode logit rescaled, plus a second word-vector
    view, both fitted on the hand-labelled news development set."""

    def __init__(self, params: dict[str, Any]) -> None:
        self.logit_coef = float(params["logit_coef"])
        self.bias = float(params["bias"]) + float(params["word_vector_bias"])
        self.scores: dict[str, float] = _numbers(params["word_vectors"])

    def __call__(self, probs: list[float], word_means: list[float]) -> list[float]:
        """Adjusted scores from plain-mode scores and each sentence's news word-vector mean."""
        out: list[float] = []
        for p, mean in zip(probs, word_means, strict=True):
            p = min(max(p, 1e-9), 1 - 1e-9)
            out.append(_sigmoid(self.bias + self.logit_coef * math.log(p / (1 - p)) + mean))
        return out


class CheckWorthinessModel:
    """A loaded check-worthiness model; use :func:`default_model` for the shipped one."""

    def __init__(self, params: dict[str, Any]) -> None:
        weights = {str(k): float(v) for k, v in params["weights"].items()}
        self._ngram_weights = {k: v for k, v in weights.items() if not k.startswith(CUE_PREFIX)}
        self._known_ngrams = frozenset(self._ngram_weights)
        self._cue_weights = {k: v for k, v in weights.items() if k.startswith(CUE_PREFIX)}
        self._bias = float(params["bias"])
        self._cue_scale = float(params["cue_scale"])
        self._word_scores = _numbers(params.get("word_vectors", {}))
        self._vector_bias = float(params.get("word_vector_bias", 0.0))
        self._blank_logit = float(params["blank_logit"])
        self._plain = _Linear(params["context"], CONTEXT_WIDTH)
        turns = params.get("turns")
        self._turns = _Linear(turns, TURN_WIDTH) if turns else None
        news = params.get("news")
        self._news = _NewsLayer(news) if news else None
        self._news_scores = self._news.scores if self._news else {}
        self.threshold = float(params.get("threshold", DEFAULT_THRESHOLD))
        self.transcript_threshold = float(params.get("transcript_threshold", self.threshold))

    @classmethod
    def load(cls, path: Path | None = None) -> CheckWorthinessModel:
        """Load a ``.json`` or ``.json.gz`` model file; default: the one shipped in the package."""
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
        return self._stage1(sentences, None)

    def _stage1(self, sentences: Sequence[str], news_means: list[float] | None) -> list[float]:
        """Stage-1 logits; also appends each sentence's news word-vector mean to
        ``news_means`` when it is given (one pass over the tokens for both)."""
        news_scores = self._news_scores
        ngram_weights = self._ngram_weights
        known_ngrams = self._known_ngrams
        cues_w = self._cue_weights
        cue_scale = self._cue_scale
        bias = self._bias
        word_scores = self._word_scores
        vector_bias = self._vector_bias
        sqrt = math.sqrt
        out: list[float] = []
        for sentence in sentences:
            analysed = analyse(sentence)
            if analysed is None:
                out.append(self._blank_logit)
                if news_means is not None:
                    news_means.append(0.0)
                continue
            toks, cues = analysed
            # The word-vector mean over the tokens that have a vector (with repeats).
            if news_means is None:
                vector = _word_mean(toks, word_scores)
            else:
                vector, news_mean = _word_means(toks, word_scores, news_scores)
                news_means.append(news_mean)
            # Unknown n-grams are left out, also from the length normalisation, as in training.
            # (Set intersection and map() keep this loop body in C.)
            known = ngrams(toks) & known_ngrams  # iterates the smaller set
            logit = bias + vector_bias + cue_scale * sum([cues_w.get(c, 0.0) for c in cues])
            if known:
                logit += sum(map(ngram_weights.__getitem__, known)) / sqrt(len(known))
            out.append(logit + vector)
        return out

    def score(
        self,
        sentences: Sequence[str],
        speakers: Sequence[str] | None = None,
        *,
        prose: bool = False,
    ) -> list[float]:
        """Scores in [0, 1], same order and count as input.

        Sentences are given in document order so neighbouring-sentence context may be used;
        empty/blank strings get a (low) score too. ``speakers`` (one per sentence, "" for
        "same as before") turns on the transcript model, which also uses turn structure; a
        list with no speaker named at all is the same as None. ``prose=True`` (an article
        without speakers) adds the news adjustment, whose threshold is ``threshold``.
        """
        news_means: list[float] | None = [] if prose and self._news else None
        base = self._stage1(sentences, news_means)
        if speakers is not None and len(speakers) != len(sentences):
            raise ValueError(f"{len(speakers)} speakers for {len(sentences)} sentences")
        if self._turns is not None and speakers is not None and any(s.strip() for s in speakers):
            layer = self._turns
            rows = turn_rows(base, self._blank_logit, sentences, speakers)
        else:
            plain = [self._plain(row) for row in context_rows(base, self._blank_logit)]
            if self._news is not None and news_means is not None:
                return self._news(plain, news_means)
            return plain
        return [layer(row) for row in rows]


@lru_cache(maxsize=1)
def default_model() -> CheckWorthinessModel:
    """The shipped model, loaded once per process."""
    return CheckWorthinessModel.load()
