"""Leave-one-debate-out experiments on the check-worthiness model's stage 2 (training debates
only; never the test debates or later CheckThat! sets).

Usage (from the repository root, with the train extras)::

    PYTHONPATH=. python scripts/experiments/checkworthy_levers.py [--cache FILE] [--only TEXT]

Fits the LODO stage-1 models of ``scripts/train_checkworthy.py`` once (and a vector-only
view), caches their out-of-fold logits, then scores each stage-2 variant as the training
script does: stage 2 of fold k is fitted on the other debates' outer-fold stage-1 logits and
ranks debate k. Prints one line per variant: LODO MAP, then the per-debate average precision,
then the standardised weights of the variant fitted on all debates.
"""

from __future__ import annotations

import argparse
import importlib.util
import math
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.linear_model import LogisticRegression

from workbench.ingest.sentence_features import tokens
from workbench.ingest.turns import _turn_ids, context_rows, is_interjection, turn_rows

REPO = Path(__file__).resolve().parents[2]
TRAIN_SCRIPT = REPO / "scripts" / "train_checkworthy.py"
_spec = importlib.util.spec_from_file_location("train_checkworthy", TRAIN_SCRIPT)
assert _spec is not None and _spec.loader is not None
tc = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = tc
_spec.loader.exec_module(tc)

Rows = list[list[float]]
VECTOR_PAD = -5.0  # the vector-only view's score for blank lines and beyond the edges
EXTRA_NAMES = ("log position in turn", "log left in turn", "own - turn best", "previous a question",
               "log tokens", "relative position")  # fmt: skip


def vector_view(fx: Any, debates: list[Any], train: list[int], held: int) -> np.ndarray:
    """Logits of a logistic model over the standardised word-vector mean alone."""
    rows = fx.rows(train)
    used = rows[~fx.blank[rows]]
    mu, sd = fx.G[used].mean(axis=0), fx.G[used].std(axis=0) + 1e-6
    y = np.concatenate([debates[i].labels for i in train])
    clf = LogisticRegression(C=1.0, class_weight="balanced", max_iter=3000)
    clf.fit((fx.G[rows] - mu) / sd, y)
    r = fx.rows([held])
    z = ((fx.G[r] - mu) / sd) @ clf.coef_[0] + clf.intercept_[0]
    return np.asarray(np.where(fx.blank[r], VECTOR_PAD, z))


def extra_cues(d: Any, z: Sequence[float]) -> Rows:
    """Per sentence, in EXTRA_NAMES order."""
    ids, _names = _turn_ids(d.speakers, [is_interjection(s) for s in d.sentences])
    n = len(z)
    pos: list[int] = []
    count: dict[int, int] = {}
    best: dict[int, float] = {}
    for i, t in enumerate(ids):
        pos.append(count.get(t, 0))
        count[t] = pos[-1] + 1
        best[t] = max(best.get(t, -1e9), z[i])
    out = []
    for i, t in enumerate(ids):
        question = 1.0 if i and d.sentences[i - 1].rstrip().endswith("?") else 0.0
        out.append(
            [
                math.log1p(pos[i]),
                math.log1p(count[t] - pos[i] - 1),
                z[i] - best[t],
                question,
                math.log1p(len(tokens(d.sentences[i]))),
                i / n,
            ]
        )
    return out


def previous_turn_question(d: Any) -> Rows:
    """Whether the last turn before this sentence's turn ended with a question."""
    ids, _names = _turn_ids(d.speakers, [is_interjection(s) for s in d.sentences])
    out: Rows = []
    last, current, before = 0.0, None, 0.0
    for i, t in enumerate(ids):
        if t >= 0 and t != current:
            before, current = last, t
        out.append([before])
        if t >= 0:
            last = 1.0 if d.sentences[i].rstrip().endswith("?") else 0.0
    return out


def position_rows(n: int, kind: str) -> Rows:
    out = []
    for i in range(n):
        r, start, end = i / n, math.log1p(i), math.log1p(n - 1 - i)
        out.append({"rel": [r], "square": [r, r * r], "ends": [start, end]}[kind])
    return out


def window_means(z: Sequence[float], pad: float, w: int) -> Rows:
    p = [pad] * w + list(z) + [pad] * w
    return [[float(np.mean(p[i : i + 2 * w + 1]))] for i in range(len(z))]


def cat(*blocks: Rows) -> Rows:
    return [sum((list(b[i]) for b in blocks), []) for i in range(len(blocks[0]))]


Build = Callable[[Any, np.ndarray, float, np.ndarray], Rows]


def turns(d: Any, b: np.ndarray, p: float) -> Rows:
    """The shipped transcript rows (last round's inputs: drop the position this round added)."""
    return [r[:-1] for r in turn_rows(b.tolist(), p, d.sentences, d.speakers)]


def with_extra(cols: Sequence[int]) -> Build:
    return lambda d, b, p, v: cat(turns(d, b, p), [[r[j] for j in cols] for r in extra_cues(d, b)])


def with_position(kind: str, cols: Sequence[int] = ()) -> Build:
    def build(d: Any, b: np.ndarray, p: float, v: np.ndarray) -> Rows:
        ex = [[r[j] for j in cols] for r in extra_cues(d, b)]
        return cat(turns(d, b, p), position_rows(len(b), kind), ex)

    return build


VARIANTS: list[tuple[str, Build, float]] = [
    ("plain context", lambda d, b, p, v: context_rows(b.tolist(), p), 0.1),
    ("plain context + relative position",
     lambda d, b, p, v: cat(context_rows(b.tolist(), p), position_rows(len(b), "rel")), 0.1),
    ("turns (last round)", lambda d, b, p, v: turns(d, b, p), 0.1),
    ("turns, C=0.01", lambda d, b, p, v: turns(d, b, p), 0.01),
    ("turns, C=1", lambda d, b, p, v: turns(d, b, p), 1.0),
    ("turns + vector view own", lambda d, b, p, v: cat(turns(d, b, p), [[x] for x in v]), 0.1),
    ("turns + vector view context",
     lambda d, b, p, v: cat(turns(d, b, p), context_rows(v.tolist(), VECTOR_PAD)), 0.1),
    ("turns + vector view turns",
     lambda d, b, p, v: cat(turns(d, b, p), turns(d, v, VECTOR_PAD)), 0.1),
    ("turns + windows 7, 11",
     lambda d, b, p, v: cat(turns(d, b, p), window_means(b, p, 3), window_means(b, p, 5)), 0.1),
    ("turns + previous turn a question",
     lambda d, b, p, v: cat(turns(d, b, p), previous_turn_question(d)), 0.1),
    *[(f"turns + {name}", with_extra([j]), 0.1) for j, name in enumerate(EXTRA_NAMES)],
    ("turns + all six", with_extra(range(6)), 0.1),
    ("turns + all six, C=0.03", with_extra(range(6)), 0.03),
    ("turns + all six, C=1", with_extra(range(6)), 1.0),
    *[(f"turns + all six but {name}", with_extra([i for i in range(6) if i != j]), 0.1)
      for j, name in enumerate(EXTRA_NAMES)],
    ("turns + relative position (shipped)", with_position("rel"), 0.1),
    ("turns + relative position + log left in turn", with_position("rel", (1,)), 0.1),
    ("turns + relative position + log position/left in turn", with_position("rel", (0, 1)), 0.1),
    ("turns + relative position and its square", with_position("square"), 0.1),
    ("turns + log distance to start and end", with_position("ends"), 0.1),
    ("turns + log distance to ends + relative position", with_position("ends", (5,)), 0.1),
    ("turns + relative position + previous turn a question", lambda d, b, p, v: cat(
        with_position("rel")(d, b, p, v), previous_turn_question(d)), 0.1),
]  # fmt: skip


Stage1 = tuple[list[Any], dict[int, np.ndarray], dict[int, float], dict[int, np.ndarray]]


def stage1(args: argparse.Namespace) -> Stage1:
    debates = tc.read_debates(tc.DEFAULT_DATA)
    n = len(debates)
    if args.cache.is_file():
        z = np.load(args.cache)
        return (
            debates,
            {k: z[f"b{k}"] for k in range(n)},
            {k: float(z[f"p{k}"]) for k in range(n)},
            {k: z[f"v{k}"] for k in range(n)},
        )
    words, vectors = tc.load_word_vectors()
    fx = tc.Featurised(debates, words, vectors)
    base, pads, vec = {}, {}, {}
    for k in range(n):
        train = [i for i in range(n) if i != k]
        model = tc.fit_base(fx, debates, train)
        base[k], pads[k] = model.logits(fx, fx.rows([k])), model.blank_logit
        vec[k] = vector_view(fx, debates, train, k)
        print(f"stage 1, fold {k + 1}/{n}", flush=True)
    blocks = {f"b{k}": base[k] for k in range(n)} | {f"v{k}": vec[k] for k in range(n)}
    np.savez(args.cache, **blocks, **{f"p{k}": np.array(pads[k]) for k in range(n)})
    return debates, base, pads, vec


def fit(rows: list[np.ndarray], labels: list[np.ndarray], c: float) -> tuple[Any, Any, Any]:
    X = np.vstack(rows)
    mu, sd = X.mean(axis=0), X.std(axis=0) + 1e-9
    clf = LogisticRegression(C=c, class_weight="balanced", max_iter=2000)
    return clf.fit((X - mu) / sd, np.concatenate(labels)), mu, sd


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cache", type=Path, default=Path("/tmp/checkworthy_lodo_stage1.npz"))
    ap.add_argument("--only", default="", help="run the variants whose name contains this")
    args = ap.parse_args()
    debates, base, pads, vec = stage1(args)
    n = len(debates)
    y = [d.labels for d in debates]

    def lodo_map(scores: dict[int, np.ndarray]) -> float:
        aps = [tc.average_precision(y[k].tolist(), scores[k].tolist()) for k in range(n)]
        return float(np.mean(aps))

    print(f"stage 1 {lodo_map(base):.4f}; vector view alone {lodo_map(vec):.4f}")
    for name, build, c in VARIANTS:
        if args.only not in name:
            continue
        rows = [np.array(build(debates[k], base[k], pads[k], vec[k])) for k in range(n)]
        aps = []
        for k in range(n):
            others = [i for i in range(n) if i != k]
            clf, mu, sd = fit([rows[i] for i in others], [y[i] for i in others], c)
            s = ((rows[k] - mu) / sd) @ clf.coef_[0]
            aps.append(tc.average_precision(y[k].tolist(), s.tolist()))
        clf, _mu, _sd = fit(rows, y, c)
        print(f"{name:56s} C={c:<5} MAP {np.mean(aps):.4f}", flush=True)
        print("    per debate", " ".join(f"{a:.3f}" for a in aps))
        print("    weights", " ".join(f"{x:+.2f}" for x in clf.coef_[0]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
