"""Builds (or reuses) a large claims database for the TUI benchmarks, fast: the schema comes
from `Store(url)` (the migrations), the rows from raw sqlite3 executemany."""

from __future__ import annotations

import random
import sqlite3
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

WORDS = (
    "unemployment inflation budget deficit crime rate schools hospitals taxes wages energy "
    "prices housing immigration exports farmers climate emissions vaccine police pension "
    "growth debt minister council million billion percent doubled halved record lowest "
    "highest since decade year report study survey claims shows rose fell increased"
).split()
STATUSES = (
    ("new", 0.55),
    ("in-progress", 0.2),
    ("reviewed", 0.15),
    ("approved", 0.07),
    ("dismissed", 0.03),
)
RATINGS = ("true", "mostly-true", "mixed", "mostly-false", "false", "misleading")
MARKER = "bench_rows"


def build(path: Path, rows: int = 1_000_000, *, seed: int = 7) -> float:
    """Creates `path` with `rows` claims unless it already holds them; returns seconds spent."""
    from workbench.store import Store, database_url

    started = time.perf_counter()
    if path.exists():
        conn = sqlite3.connect(path)
        try:
            have = conn.execute("SELECT count(*) FROM claims").fetchone()[0]
        except sqlite3.DatabaseError:
            have = -1
        conn.close()
        if have == rows:
            return 0.0
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
    store = Store(database_url(path))  # the real schema, by the migrations
    store.dispose()
    rng = random.Random(seed)
    base = datetime(2026, 1, 1, tzinfo=UTC)
    names = [s for s, _ in STATUSES]
    weights = [w for _, w in STATUSES]
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute(
        "INSERT INTO articles (id, title, text, created_at) VALUES (1, 'Bench article', '', ?)",
        (base.strftime("%Y-%m-%d %H:%M:%S.%f"),),
    )

    def generate() -> object:
        for i in range(1, rows + 1):
            status = rng.choices(names, weights)[0]
            rating = rng.choice(RATINGS) if status in ("reviewed", "approved") else None
            text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 18)))
            score = None if i % 50 == 0 else round(rng.random(), 4)
            when = (base + timedelta(seconds=rng.randint(0, 300 * 86400))).strftime(
                "%Y-%m-%d %H:%M:%S.%f"
            )
            yield (
                i,
                f"Claim {i}: {text}",
                1 if i % 10 == 0 else None,
                score,
                status,
                rating,
                rng.randint(0, 4),
                "bench",
                when,
                when,
                1,
            )

    with conn:
        conn.executemany(
            "INSERT INTO claims (id, text, article_id, score, status, rating, source_count, "
            "created_by, created_at, updated_at, version) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            generate(),
        )
    conn.execute("ANALYZE")
    conn.close()
    return time.perf_counter() - started


if __name__ == "__main__":
    import sys

    target = Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/workbench-bench-1m.db")
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 1_000_000
    print(f"built {target} in {build(target, count):.1f} s")
