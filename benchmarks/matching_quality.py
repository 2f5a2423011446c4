"""Matching quality on paraphrases of real fact-checks: prints figures, asserts nothing.

    PYTHONPATH=. python benchmarks/matching_quality.py [--verbose]

Imports the real ClaimReview samples of tests/data/claimreview/ into a temporary SQLite
database, then adds each claim of benchmarks/data/matching_paraphrases.json (written for
this benchmark) and asks for earlier fact-checks, as `workbench claim add` does. Prints:
- paraphrases: how many found (suggested at all) and ranked first;
- unrelated claims that share topic words: how many got any suggestion (false ones);
- cross-language pairs (the stretch), counted apart;
and the same with the second pass switched off, to show what it adds. Goal (issue 17):
>= 90% found and ranked first, no false suggestion.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SAMPLES = ROOT / "tests" / "data" / "claimreview"
PAIRS = ROOT / "benchmarks" / "data" / "matching_paraphrases.json"


def build(path: Path) -> dict[str, int]:
    """The real fact-checks, imported; target piece -> fact-check id."""
    from sqlalchemy import select

    from workbench import importer
    from workbench.models import FactCheck
    from workbench.store import Store

    store = Store(f"sqlite:///{path}")
    with store.write() as session:
        for sample in sorted(SAMPLES.iterdir()):
            if sample.suffix in (".json", ".jsonld", ".html"):
                importer.import_file(session, "bench", str(sample))
    with store.read() as session:
        rows = list(session.execute(select(FactCheck.id, FactCheck.claim_reviewed)))
    store.dispose()
    return {text: int(i) for i, text in rows}


def target_id(checks: dict[str, int], piece: str) -> int:
    found = [i for text, i in checks.items() if piece.lower() in text.lower()]
    if len(found) != 1:
        raise SystemExit(f"target {piece!r} matches {len(found)} fact-checks; make it unique")
    return found[0]


def run(path: Path, data: dict[str, Any], checks: dict[str, int], verbose: bool) -> dict[str, Any]:
    from workbench import matching, review
    from workbench.store import Store

    store = Store(f"sqlite:///{path}")
    figures: dict[str, Any] = {}
    started = time.perf_counter()
    for kind in ("paraphrases", "cross_language"):
        found = first = 0
        for pair in data[kind]:
            want = target_id(checks, pair["target"])
            with store.write() as session:
                row = review.add_claim(session, "bench", pair["claim"])
                views = matching.suggest_matches(session, "bench", row.id)
                session.rollback()  # each claim alone against the fact-checks
            ids = [v.target_id for v in views if v.target_kind == "fact_check"]
            found += want in ids
            first += bool(ids) and ids[0] == want
            if verbose and (not ids or ids[0] != want):
                got = f"{views[0].score:.2f} {views[0].text[:50]!r}" if views else "nothing"
                print(f"  miss [{kind}] {pair['claim'][:60]!r}: got {got}")
        figures[kind] = (found, first, len(data[kind]))
    false = 0
    for claim in data["unrelated"]:
        with store.write() as session:
            row = review.add_claim(session, "bench", claim)
            views = matching.suggest_matches(session, "bench", row.id)
            session.rollback()
        false += bool(views)
        if verbose and views:
            print(f"  false: {claim[:60]!r} -> {views[0].score:.2f} {views[0].text[:50]!r}")
    figures["unrelated"] = (false, len(data["unrelated"]))
    figures["seconds"] = time.perf_counter() - started
    store.dispose()
    return figures


def report(label: str, figures: dict[str, Any]) -> None:
    found, first, total = figures["paraphrases"]
    false, unrelated = figures["unrelated"]
    x_found, x_first, x_total = figures["cross_language"]
    print(f"{label}:")
    print(
        f"  paraphrases  found {found}/{total} ({100 * found / total:.0f}%), "
        f"ranked first {first}/{total} ({100 * first / total:.0f}%)"
    )
    print(f"  unrelated    false suggestions {false}/{unrelated}")
    print(f"  cross-lang   found {x_found}/{x_total}, ranked first {x_first}/{x_total}")
    lookups = total + x_total + unrelated
    print(f"  time         {figures['seconds']:.2f} s for {lookups} claims added and matched")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--verbose", action="store_true", help="print every miss")
    args = parser.parse_args()
    data = json.loads(PAIRS.read_text("utf-8"))
    from workbench import matching

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.db"
        checks = build(path)
        print(f"{len(checks)} real fact-checks imported from {SAMPLES.relative_to(ROOT)}")
        report("both passes", run(path, data, checks, args.verbose))
        saved = matching.RERANK_TOP
        matching.RERANK_TOP = 0
        try:
            report("first pass only", run(path, data, checks, args.verbose))
        finally:
            matching.RERANK_TOP = saved


if __name__ == "__main__":
    main()
