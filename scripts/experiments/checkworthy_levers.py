"""Leave-one-debate-out experiments for the check-worthiness model (training debates only).

Usage (from the repository root, with the train extras)::

    PYTHONPATH=. python scripts/experiments/checkworthy_levers.py [--cache FILE]

Fits the LODO stage-1 views once (cached), then compares stage-2 variants on LODO MAP, the
same way ``scripts/train_checkworthy.py`` evaluates (stage 2 of fold k fitted on the other
debates' outer-fold stage-1 scores). Prints one line per variant.
"""

from __future__ import annotations

import argparse
import importlib.util
import math
import sys
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression

from workbench.ingest import turns as tc_turns

REPO = Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location("train_checkworthy", REPO / "scripts" / "train_checkworthy.py")
assert spec is not None and spec.loader is not None
tc = importlib.util.module_from_spec(spec)
sys.modules[spec.name] = tc
spec.loader.exec_module(tc)


def vector_view(fx, debates, train, c=1.0):
    rows = fx.rows(train)
    used = rows[~fx.blank[rows]]
    mu, sd = fx.G[used].mean(axis=0), fx.G[used].std(axis=0) + 1e-6
    y = np.concatenate([debates[i].labels for i in train])
    X = (fx.G[rows] - mu) / sd
    clf = LogisticRegression(C=c, class_weight="balanced", max_iter=3000).fit(X, y)
    return lambda r: np.where(fx.blank[r], -5.0, ((fx.G[r] - mu) / sd) @ clf.coef_[0] + clf.intercept_[0])


def turn_info(d):
    inter = [tc_turns.is_interjection(s) for s in d.sentences]
    ids, names = tc_turns._turn_ids(d.speakers, inter)
    return ids, names, inter


def extra_turn(d, z):
    """Position in turn, sentences left, own minus turn max, previous line a question,
    log tokens, relative position in document."""
    ids, names, inter = turn_info(d)
    n = len(z)
    pos, left, tmax = [0] * n, [0] * n, {}
    count = {}
    for i, t in enumerate(ids):
        pos[i] = count.get(t, 0)
        count[t] = pos[i] + 1
        tmax[t] = max(tmax.get(t, -1e9), z[i])
    out = []
    for i, t in enumerate(ids):
        q = 1.0 if i > 0 and d.sentences[i - 1].rstrip().endswith("?") else 0.0
        out.append([math.log1p(pos[i]), math.log1p(count[t] - pos[i] - 1), z[i] - tmax[t], q,
                    math.log1p(len(tc.tokens(d.sentences[i]))), i / n])
    return out


def prev_turn_question(d):
    ids, names, inter = turn_info(d)
    out = []
    last_q = 0.0
    cur = None
    prevturn_q = 0.0
    for i, t in enumerate(ids):
        if t != cur and t >= 0:
            prevturn_q = last_q
            cur = t
        out.append([prevturn_q])
        if t >= 0:
            last_q = 1.0 if d.sentences[i].rstrip().endswith("?") else 0.0
    return out


def window(z, pad, w):
    p = [pad] * w + list(z) + [pad] * w
    return [[float(np.mean(p[i:i + 2 * w + 1]))] for i in range(len(z))]


def cat(*blocks):
    return [sum((list(b[i]) for b in blocks), []) for i in range(len(blocks[0]))]


def V(name, f, c=0.1):
    return (name, f, c)


EXTRA_NAMES = ["logpos", "logleft", "z-tmax", "prevq", "logtok", "relpos"]


def turns_plus(cols):
    def build(d, b, p, v):
        ex = extra_turn(d, b.tolist())
        return cat(tc_turns.turn_rows(b.tolist(), p, d.sentences, d.speakers), [[r[j] for j in cols] for r in ex])
    return build




def pos_block(kind):
    def rows(n):
        out = []
        for i in range(n):
            r = i / n
            out.append({
                "relpos": [r],
                "quad": [r, r * r],
                "logends": [math.log1p(i), math.log1p(n - 1 - i)],
                "logends+rel": [r, math.log1p(i), math.log1p(n - 1 - i)],
            }[kind])
        return out
    return rows


def turns_pos(kind, cols=()):
    def build(d, b, p, v):
        ex = extra_turn(d, b.tolist())
        return cat(tc_turns.turn_rows(b.tolist(), p, d.sentences, d.speakers), pos_block(kind)(len(b)),
                   [[r[j] for j in cols] for r in ex])
    return build


VARIANTS = [
    V("plain ctx + relpos", lambda d, b, p, v: cat(tc_turns.context_rows(b.tolist(), p), pos_block("relpos")(len(b)))),
    V("turns + relpos + prevturn q", lambda d, b, p, v: cat(turns_pos("relpos")(d, b, p, v), prev_turn_question(d))),
]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cache", type=Path, default=Path("/tmp/claims2_lodo.npz"))
    args = ap.parse_args()
    debates = tc.read_debates(tc.DEFAULT_DATA)
    n = len(debates)
    words, vectors = tc.load_word_vectors()
    fx = tc.Featurised(debates, words, vectors)
    if args.cache.is_file():
        z = np.load(args.cache)
        base = {k: z[f"b{k}"] for k in range(n)}
        pads = {k: float(z[f"p{k}"]) for k in range(n)}
        vec = {k: z[f"v{k}"] for k in range(n)}
    else:
        base, pads, vec = {}, {}, {}
        for k in range(n):
            train = [i for i in range(n) if i != k]
            b = tc.fit_base(fx, debates, train)
            base[k] = b.logits(fx, fx.rows([k]))
            pads[k] = b.blank_logit
            vec[k] = vector_view(fx, debates, train)(fx.rows([k]))
            print("fold", k, flush=True)
        np.savez(args.cache, **{f"b{k}": base[k] for k in range(n)},
                 **{f"p{k}": pads[k] for k in range(n)}, **{f"v{k}": vec[k] for k in range(n)})
    y = {k: debates[k].labels for k in range(n)}
    ap1 = np.mean([tc.average_precision(y[k].tolist(), base[k].tolist()) for k in range(n)])
    print(f"stage1 {ap1:.4f}  vector view {np.mean([tc.average_precision(y[k].tolist(), vec[k].tolist()) for k in range(n)]):.4f}")

    for name, build, c in VARIANTS:
        rows = {k: np.array(build(debates[k], base[k], pads[k], vec[k]), dtype=np.float64) for k in range(n)}
        aps = []
        for k in range(n):
            tr = [i for i in range(n) if i != k]
            X = np.vstack([rows[i] for i in tr])
            yy = np.concatenate([y[i] for i in tr])
            mu, sd = X.mean(axis=0), X.std(axis=0) + 1e-9
            clf = LogisticRegression(C=c, class_weight="balanced", max_iter=2000).fit((X - mu) / sd, yy)
            s = ((rows[k] - mu) / sd) @ clf.coef_[0]
            aps.append(tc.average_precision(y[k].tolist(), s.tolist()))
        print(f"{name:50s} C={c:<5} MAP {np.mean(aps):.4f}", " ".join(f"{a:.3f}" for a in aps), flush=True)
        clf = LogisticRegression(C=c, class_weight="balanced", max_iter=2000).fit((np.vstack([rows[i] for i in range(n)]) - mu) / sd, np.concatenate([y[i] for i in range(n)]))
        print("   coef", " ".join(f"{x:+.2f}" for x in clf.coef_[0]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
