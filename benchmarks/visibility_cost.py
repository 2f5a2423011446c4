"""What blind-review masking costs on 1,000,000 claims: prints figures, asserts nothing.

    PYTHONPATH=. python benchmarks/visibility_cost.py [DB_PATH] [--blind N] [--repeat R]

Each read is timed twice on the same data, as the services run it for a viewer (ratings
masked, a rating filter skipping hidden claims: core/visibility.py) and without masking
(the internal query alone), and the difference printed. Reads: the CLI's `claims` list
(100 rows), TUI windows of 60 rows near the start, the middle and the end, and a list and
a count filtered by rating.

Two databases: DB_PATH as built by benchmarks/scale_db.py (no claim under blind review,
the usual case: the cost of asking), then a copy of it (SQLite's backup API, beside it
with a `-blind` suffix, kept for the next run) where N rated claims spread over the ids
are under blind review and the viewer has rated none of them (the cost of hiding).
DB_PATH itself is only read.
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from scale_db import build  # noqa: E402

from workbench.core.results import ClaimFilter  # noqa: E402
from workbench.core.visibility import seen_by  # noqa: E402
from workbench.listing import browse  # noqa: E402
from workbench.listing.queries import count_claims, list_claims, visible_claims  # noqa: E402
from workbench.storage.store import Store, database_url  # noqa: E402

VIEWER = "bench-viewer"  # has rated nothing
WINDOW = 60
RATING = "false"


def blind_copy(source: Path, target: Path, blind: int) -> float:
    """`target`: a copy of `source` with `blind` rated claims under blind review (reused
    when it already has them); returns seconds spent."""
    started = time.perf_counter()
    if target.exists():
        conn = sqlite3.connect(target)
        have = conn.execute("SELECT count(*) FROM claims WHERE blind_review").fetchone()[0]
        conn.close()
        if have == blind:
            return 0.0
        for suffix in ("", "-wal", "-shm"):
            Path(str(target) + suffix).unlink(missing_ok=True)
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    dst = sqlite3.connect(target)
    src.backup(dst)
    src.close()
    rated = dst.execute("SELECT count(*) FROM claims WHERE rating IS NOT NULL").fetchone()[0]
    step = max(rated // blind, 1)
    with dst:
        dst.execute(
            "UPDATE claims SET blind_review = 1 WHERE id IN (SELECT id FROM "
            "(SELECT id, row_number() OVER (ORDER BY id) AS n FROM claims "
            "WHERE rating IS NOT NULL) WHERE n % ? = 0 LIMIT ?)",
            (step, blind),
        )
    dst.close()
    return time.perf_counter() - started


def median_ms(run: Callable[[], Any], repeat: int) -> float:
    run()  # warm the page cache and the statement cache
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def reads(session: Any) -> list[tuple[str, Callable[[], Any], Callable[[], Any]]]:
    """(name, masked as a viewer, unmasked) for each read measured."""
    everything = ClaimFilter()
    total = browse.count(session, everything)
    by_rating = ClaimFilter(rating=RATING)
    cases: list[tuple[str, Callable[[], Any], Callable[[], Any]]] = [
        (
            "claims list, 100 rows",
            lambda: visible_claims(session, VIEWER, everything, limit=100),
            lambda: list_claims(session, everything, limit=100),
        )
    ]
    for where, offset in (("start", 0), ("middle", total.count // 2), ("end", total.count - 60)):
        cases.append(
            (
                f"TUI window at the {where}",
                lambda o=offset: browse.window(session, VIEWER, everything, o, WINDOW, total),
                lambda o=offset: browse._window(session, everything, o, WINDOW, total),
            )
        )
    cases += [
        (
            f"--rating {RATING}, 100 rows",
            lambda: visible_claims(session, VIEWER, by_rating, limit=100),
            lambda: list_claims(session, by_rating, limit=100),
        ),
        (
            f"--rating {RATING}, count",
            lambda: count_claims(session, seen_by(by_rating, VIEWER)),
            lambda: count_claims(session, by_rating),
        ),
    ]
    return cases


def measure(path: Path, label: str, repeat: int) -> None:
    store = Store(database_url(path))
    try:
        with store.read() as session:
            blind = session.connection().exec_driver_sql(
                "SELECT count(*) FROM claims WHERE blind_review"
            )
            print(f"\n{label}: {path} ({blind.scalar()} claims under blind review)")
            print(f"{'read':<28} {'masked':>10} {'unmasked':>10} {'cost':>10}")
            for name, masked, plain in reads(session):
                with_ms, without_ms = median_ms(masked, repeat), median_ms(plain, repeat)
                print(
                    f"{name:<28} {with_ms:>8.2f}ms {without_ms:>8.2f}ms "
                    f"{with_ms - without_ms:>+8.2f}ms"
                )
    finally:
        store.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("db", nargs="?", default="/tmp/workbench-bench-1m.db")
    parser.add_argument("--blind", type=int, default=10_000, help="claims under blind review")
    parser.add_argument("--repeat", type=int, default=15, help="timed runs of each read")
    args = parser.parse_args()
    path = Path(args.db)
    built = build(path)
    if built:
        print(f"built {path} in {built:.1f} s")
    measure(path, "no claim under blind review", args.repeat)
    copy = path.with_name(path.stem + "-blind" + path.suffix)
    copied = blind_copy(path, copy, args.blind)
    if copied:
        print(f"\ncopied to {copy} and marked {args.blind:,} claims blind in {copied:.1f} s")
    measure(copy, f"{args.blind:,} claims under blind review", args.repeat)
    print(f"\n(median of {args.repeat} runs each, after one warm-up run)")


if __name__ == "__main__":
    main()
