"""Check-worthiness scoring speed: sentences per second on one core.

Usage (from the repository root)::

    PYTHONPATH=. python benchmarks/checkworthy_speed.py [--seconds 5] [--data DIR]

Scores every CLEF-2019 training sentence, one debate per ``score`` call (as the app scores
one document at a time), repeating until ``--seconds`` have passed. The scorer is pure
Python, so it runs on one core anyway.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from workbench.ingest.checkworthy import default_model

DEFAULT_DATA = Path("/work/shared/data/clef2019-checkworthiness/train")
GOAL = 20_000


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=5.0)
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument(
        "--mode",
        choices=("plain", "tsv", "prose"),
        default="plain",
        help="plain: no speakers; tsv: with the debates' speakers; prose: the news adjustment",
    )
    args = ap.parse_args()

    rows = [
        [line.split("\t") for line in p.read_text(encoding="utf-8").splitlines() if line]
        for p in sorted(args.data.glob("*.tsv"))
    ]
    documents = [[r[2] for r in doc] for doc in rows]
    speakers = [[r[1] for r in doc] if args.mode == "tsv" else None for doc in rows]
    prose = args.mode == "prose"
    total = sum(len(d) for d in documents)
    model = default_model()
    model.score(documents[0])  # warm-up: regex compilation, model load

    done = 0
    rounds = 0
    start = time.perf_counter()
    cpu_start = time.process_time()
    while True:
        for doc, who in zip(documents, speakers, strict=True):
            model.score(doc, who, prose=prose)
        done += total
        rounds += 1
        elapsed = time.perf_counter() - start
        if elapsed >= args.seconds:
            break
    cpu = time.process_time() - cpu_start
    rate = done / elapsed
    # CPU time is also shown because on a shared, busy machine wall time includes waiting
    # for a core; the process is single-threaded, so CPU rate is the one-core figure.
    print(
        f"{total} sentences x {rounds} rounds in {elapsed:.2f}s wall, {cpu:.2f}s CPU: "
        f"{rate:,.0f} sentences/second wall, {done / cpu:,.0f} per CPU-second "
        f"({'meets' if rate >= GOAL else 'BELOW'} the {GOAL:,}/s goal on wall time)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
