"""Check-worthiness scoring: which sentences state something a fact-checker could verify.

The model is a two-stage linear model trained by ``scripts/train_checkworthy.py`` on the
CLEF-2019 CheckThat! debates and shipped as JSON inside the package, so scoring needs only the
standard library (no scikit-learn, no network, no data outside the package).

Stage 1 scores each sentence alone from word uni/bigrams plus a few hand-made cues (numbers,
years, money, capitalised names, comparatives, length, and factual-versus-opinion cues: dates,
attribution, past-tense event verbs, multiword names against deontic, evaluative and hedging
words), plus a fixed factuality prior (``factuality``) times a weight chosen on out-of-fold
debate scores. The prior is there because the debates teach the factual/opinion distinction
only weakly, and news prose (long sentences full of evaluative filler) needs it more. Stage 2
mixes each sentence's stage-1 score with its neighbours', because check-worthy claims in the
training data come in runs.
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
    "factuality",
    "features",
]

MODEL_PATH = Path(__file__).resolve().parent.parent / "data" / "checkworthy_model.json.gz"

# The lowest threshold whose F2 (recall-leaning: a reviewer dismisses a false candidate quickly
# but never sees a missed claim) over pooled leave-one-debate-out scores is within 2% of the
# best F2; written here by the training script so importing this module does not read the
# model file.
DEFAULT_THRESHOLD: float = 0.6242

# Tokens of the lower-cased text: words (with inner apostrophes), numbers (with their
# separators) and the few symbols that carry meaning for claims.
_TOKEN = re.compile(r"[a-z]+(?:'[a-z]+)*|\d+(?:[.,]\d+)*|[$%£€?!]")
# Where a word starts in the original text, to see its case without a Python-level loop.
_LOWER_WORD = re.compile(r"(?<![A-Za-z'])[a-z]")
_CAPITAL_WORD = re.compile(r"(?<![A-Za-z'])[A-Z]")
_FIRST_TOKEN = re.compile(r"[A-Za-z0-9$%£€?!]")
_DIGIT = re.compile(r"\d")
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
# Cues that tell a checkable statement of fact from opinion, exhortation or forecast (the
# ClaimBuster distinction between factual and non-factual sentences). Each list becomes one
# learned ``h:`` feature, so a rare word ("symbolizes") shares the weight its class earns on the
# debates; the same lists also make up the fixed factuality prior (see ``factuality``).
# Deontic modals: what ought to happen is not a fact to check.
_MODAL = frozenset("must should ought need needs".split())
# Evaluative, aspirational and interpretive words of news and press-release prose.
_EVALUATIVE = frozenset(
    "vital essential crucial important importance significant pivotal critical progressive "
    "proactive effective successful optimism optimistic hope hopes hoped hopeful promise "
    "promises promising commitment committed aim aims aimed aiming strive strives striving "
    "reflects reflect reflecting highlights highlight highlighting symbolizes symbolize "
    "symbolises symbolic represents underscores underscore showcase showcases emphasized "
    "emphasizes emphasised collaborative constructive comprehensive meaningful robust "
    "multifaceted holistic transformative landmark unprecedented remarkable notable".split()
)
# Hedged or predicted outcomes: not checkable yet.
_HEDGE = frozenset("likely may might could perhaps possibly potentially expected".split())
# Calendar references pin a statement to an event.
_DATES = frozenset(
    "january february march april june july august september october november december "
    "monday tuesday wednesday thursday friday saturday sunday yesterday".split()
)
# Attribution: someone on record said it.
_ATTRIBUTION = frozenset("said says told according reported reportedly announced stated".split())
# Past-tense event and change verbs: something happened, or a quantity moved.
_PAST_EVENT = frozenset(
    "was were had did signed opened rose fell grew dropped increased decreased declined "
    "doubled tripled passed voted won lost killed died approved rejected cut raised spent "
    "paid built closed launched began started ended reached hit recorded announced arrested "
    "charged sentenced elected".split()
)
# A capitalised word after a lower-case word or punctuation: a name (person, agency, place)
# that is not just the sentence's first word ("I" and acronyms do not count). A run of two or
# more such words (a multiword name) is also a learned feature of its own.
_NAME = re.compile(r"(?<=[a-z,;:] )[A-Z][a-z]+")
_NAME_RUN = re.compile(r"(?<=[a-z,;:] )[A-Z][a-z]+(?: [A-Z][a-z]+)+")
# The factuality prior counts at most this many non-factual words.
_MAX_OPINION = 3
# Hand-made cue features carry this prefix; they are not length-normalised like n-grams.
HAND_PREFIX = "h:"
# Page furniture that the debate transcripts never show the model: bylines and credits.
# Such lines are scored like blank ones.
_CREDIT = re.compile(
    r"^\W*(?:additional |further )?(?:reporting|writing|editing|research)(?: \w+)? by\b"
    r"|contributed to this (?:report|story|article)"
    r"|^\W*(?:photo|image|video)s?(?: credits?)?:"
    r"|all rights reserved|^\W*(?:copyright\b|©)",
    re.IGNORECASE,
)


def _number_token(t: str) -> str:
    if not t[0].isdigit():
        return t
    return "<year>" if _YEAR.match(t) else "<num>"


def _analyse(sentence: str) -> tuple[list[str], list[str], int] | None:
    """Tokens, ``h:`` cue features and factuality prior of a sentence, or None if it is not
    worth scoring.

    Built from a few C-level regex passes rather than a per-token Python loop, for speed.
    """
    # No lower-case word at all means an address, heading, name list or the like, not a
    # sentence ("304 North Cardinal St.", "Physical Address"); likewise credit lines.
    if _LOWER_WORD.search(sentence) is None or _CREDIT.search(sentence) is not None:
        return None
    toks = _TOKEN.findall(sentence.lower().replace("’", "'"))
    nums = 0
    cues: list[str] = []
    if _DIGIT.search(sentence) is not None:
        # Digits fold into <num>/<year>: "a number is here" generalises, particular
        # numbers do not recur between documents.
        toks = [_number_token(t) for t in toks]
        years = toks.count("<year>")
        nums = years + toks.count("<num>")
        if years:
            cues.append("h:year")
    # A capital after the first token is a cheap named-entity signal.
    caps = len(_CAPITAL_WORD.findall(sentence))
    first = _FIRST_TOKEN.search(sentence)
    if caps and first is not None and first.group().isupper():
        caps -= 1
    # Length bins stop at 20+ tokens: in the debates, length separates short interjections
    # from statements, but among full prose sentences a longer one is not more checkable.
    cues.append(f"h:len{min(len(toks) // 5, 4)}")
    cues.append(f"h:caps{min(caps, 4)}")
    cues.append(f"h:nums{min(nums, 3)}")
    vocab = set(toks)
    if not vocab.isdisjoint(_NUMWORDS):
        cues.append("h:numword")
    if not vocab.isdisjoint(_COMPARATIVES):
        cues.append("h:compar")
    if not vocab.isdisjoint(_SUPERLATIVES):
        cues.append("h:superl")
    # Factual-versus-opinion cues, and the prior: checkable-content cue kinds present minus
    # non-factual words (capped), see ``factuality``.
    fact = 1 if nums else 0
    if not vocab.isdisjoint(_DATES):
        cues.append("h:date")
        fact += 1
    if not vocab.isdisjoint(_ATTRIBUTION):
        cues.append("h:attrib")
        fact += 1
    if not vocab.isdisjoint(_PAST_EVENT):
        cues.append("h:past")
        fact += 1
    if caps and _NAME.search(sentence) is not None:
        fact += 1
        if caps > 1 and _NAME_RUN.search(sentence) is not None:
            cues.append("h:entity")
    opinion = len(vocab & _MODAL)
    if opinion:
        cues.append("h:modal")
    k = len(vocab & _EVALUATIVE)
    if k:
        cues.append("h:eval")
        opinion += k
    k = len(vocab & _HEDGE)
    if k:
        cues.append("h:hedge")
        opinion += k
    return toks, cues, fact - min(opinion, _MAX_OPINION)


def _ngrams(toks: list[str]) -> set[str]:
    grams = set(toks)
    grams.update(map(" ".join, zip(toks, toks[1:], strict=False)))
    return grams


def features(sentence: str) -> list[str]:
    """Distinct binary features of one sentence: word uni/bigrams, then ``h:`` cue features.

    An empty list means "not a sentence worth scoring" (blank, furniture or a credit line).
    The training script builds its design matrix from this function.
    """
    analysed = _analyse(sentence)
    if analysed is None:
        return []
    toks, cues, _prior = analysed
    return sorted(_ngrams(toks)) + cues


def factuality(sentence: str) -> int:
    """Fixed factuality prior of a sentence: how many kinds of checkable content it shows
    (a number or year, a date word, attribution, a past-tense event verb, a name not at the
    start)
    minus how many deontic, evaluative or hedging words it uses (at most 3); 0 for blank or
    furniture lines.

    The unit weights are hand-set, not learned: they encode the ClaimBuster distinction of
    factual from non-factual sentences, which the debate labels only partly teach (debates
    have little news-style opinion prose). The training script chooses how much of this prior
    to add to the learned score on out-of-fold debate scores (``prior_weight``).
    """
    analysed = _analyse(sentence)
    return 0 if analysed is None else analysed[2]


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
        weights = {str(k): float(v) for k, v in params["weights"].items()}
        self._ngram_weights = {k: v for k, v in weights.items() if not k.startswith(HAND_PREFIX)}
        self._known_ngrams = frozenset(self._ngram_weights)
        self._hand_weights = {k: v for k, v in weights.items() if k.startswith(HAND_PREFIX)}
        self._bias = float(params["bias"])
        self._hand_weight = float(params["hand_weight"])
        self._blank_logit = float(params["blank_logit"])
        self._ctx_coef = [float(c) for c in params["context_coef"]]
        self._ctx_bias = float(params["context_bias"])
        # Older model files have no factuality prior.
        self._prior_weight = float(params.get("prior_weight", 0.0))
        self.threshold = float(params.get("threshold", DEFAULT_THRESHOLD))

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
        ngram_weights = self._ngram_weights
        known_ngrams = self._known_ngrams
        hand = self._hand_weights
        hand_weight = self._hand_weight
        bias = self._bias
        prior_weight = self._prior_weight
        sqrt = math.sqrt
        out: list[float] = []
        for sentence in sentences:
            analysed = _analyse(sentence)
            if analysed is None:
                out.append(self._blank_logit)
                continue
            toks, cues, prior = analysed
            # Unknown n-grams are left out, also from the length normalisation, as in training.
            # (Set intersection and map() keep this loop body in C.)
            known = _ngrams(toks) & known_ngrams  # iterates the smaller set
            logit = bias + hand_weight * sum([hand.get(c, 0.0) for c in cues])
            logit += prior_weight * prior
            if known:
                logit += sum(map(ngram_weights.__getitem__, known)) / sqrt(len(known))
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
