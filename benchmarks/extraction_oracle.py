"""How low extraction CPU could go while keeping the faithful text (issue 16's "halved" goal).

For each saved page (best of three process-CPU timings each):
- before: the extraction before issue 16 (fetch_speed.pre_issue_extract);
- always done: decode, parse, title and site, lean copy, the fast precise pass, the
  wholeness check and the cleaning, which every page costs now;
- each fuller pass that runs now, and whether it changes the cleaned text.

Prints the ratio now, the ratio an oracle would reach if it ran the fuller pass only where it
changes the text, and the ratio with no check at all (which loses that text). It uses
ingest.html's internals on purpose: it prices its stages one by one. Nothing is asserted.
Usage: PYTHONPATH=. python benchmarks/extraction_oracle.py DIR [--count N]
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from fetch_speed import pre_issue_extract, saved_pages  # noqa: E402


def best_of_three(fn: Callable[[], Any]) -> tuple[float, Any]:
    best, result = float("inf"), None
    for _ in range(3):
        started = time.process_time()
        result = fn()
        best = min(best, time.process_time() - started)
    return best, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("pages", help="a folder of saved pages (*.html)")
    parser.add_argument("--count", type=int, default=200)
    args = parser.parse_args()
    import trafilatura

    from workbench.ingest import faithful, html
    from workbench.ingest.clean import clean_plain_text
    from workbench.ingest.decode import decode_text, html_declared_charset

    logging.getLogger("trafilatura").setLevel(logging.ERROR)
    pages = saved_pages(args.pages, args.count, cycle=False)
    pre_issue_extract(pages[0])  # imports, caches
    cost = dict.fromkeys(("before", "always", "fuller", "needed"), 0.0)
    ran = changed = 0
    for page in pages:
        cost["before"] += best_of_three(partial(pre_issue_extract, page))[0]

        def always(page: bytes = page) -> tuple[Any, Any, str, bool] | None:
            text = decode_text(page, html_declared_charset(page))
            text = html.strip_escape_sequences(html._XML_DECL.sub("", text, count=1))
            tree = trafilatura.load_html(text)
            if tree is None:
                return None
            html._metadata(trafilatura, tree, None, False)
            lean = html._lean_copy(tree)
            doc = html._extract(trafilatura, lean, None, precise=True, fast=True)
            raw = html._as_dict(doc).get("text") or ""
            whole = faithful.is_whole(raw, lean)
            clean_plain_text(raw, markdown=False)
            return tree, lean, raw, whole

        seconds, found = best_of_three(always)
        cost["always"] += seconds
        if found is None or found[3]:
            continue
        tree, lean, raw, _ = found
        short = len(raw) < faithful.MIN_TRUSTED
        fuller = partial(
            html._fuller_text, trafilatura, raw, tree if short else lean, None, fast=not short
        )
        seconds, text = best_of_three(fuller)
        cost["fuller"] += seconds
        ran += 1
        if clean_plain_text(text, markdown=False) != clean_plain_text(raw, markdown=False):
            cost["needed"] += seconds
            changed += 1
    before = cost["before"]
    for name, value in cost.items():
        print(f"{name:<8} {value * 1000 / len(pages):6.2f} ms per page")
    print(f"{len(pages)} pages; fuller passes {ran}, of which {changed} change the cleaned text")
    print(
        f"ratio now {(cost['always'] + cost['fuller']) / before:.3f}; "
        f"oracle gate {(cost['always'] + cost['needed']) / before:.3f}; "
        f"no check at all {cost['always'] / before:.3f} (goal <= 0.5)"
    )


if __name__ == "__main__":
    main()
