"""Builds (or reuses) a large claims database for the TUI benchmarks, fast.

The schema comes from `Store(url)` (the real migrations); the rows from raw sqlite3
executemany with the claims indexes and full-text triggers dropped during the load and
rebuilt once after it (index maintenance per row is what makes a naive load take minutes).
Claim texts mix a few very common words with a long tail of rarer ones, as real claims do,
so a search can be measured both for a word in a quarter of the rows and for a rare one.
"""

from __future__ import annotations

import random
import sqlite3
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

COMMON = (
    "unemployment inflation budget deficit crime rate schools hospitals taxes wages energy "
    "prices housing immigration exports farmers climate emissions vaccine police pension "
    "growth debt minister council million billion percent doubled halved record lowest "
    "highest since decade year report study survey shows rose fell increased"
).split()
STATUSES = (
    ("new", 0.55),
    ("in-progress", 0.2),
    ("reviewed", 0.15),
    ("approved", 0.07),
    ("dismissed", 0.03),
)
RATINGS = ("true", "mostly-true", "mixed", "mostly-false", "false", "misleading")
SYLLABLES = "ka lo mi ne su ra ti vo pe da gu ri so me na fi to be lu ze".split()
TIME_FORMAT = "%Y-%m-%d %H:%M:%S.%f"


def rare_words(count: int, rng: random.Random) -> list[str]:
    words: set[str] = set()
    while len(words) < count:
        words.add("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(3, 4))))
    return sorted(words)


def _rows(rows: int, rng: random.Random) -> Iterator[tuple[Any, ...]]:
    base = datetime(2026, 1, 1, tzinfo=UTC)
    names = [s for s, _ in STATUSES]
    weights = [w for _, w in STATUSES]
    tail = rare_words(5000, rng)
    for i in range(1, rows + 1):
        status = rng.choices(names, weights)[0]
        rating = rng.choice(RATINGS) if status in ("reviewed", "approved") else None
        words = [rng.choice(COMMON) for _ in range(rng.randint(4, 9))]
        words += [rng.choice(tail) for _ in range(rng.randint(3, 8))]
        rng.shuffle(words)
        score = None if i % 50 == 0 else round(rng.random(), 4)
        when = (base + timedelta(seconds=rng.randint(0, 300 * 86400))).strftime(TIME_FORMAT)
        yield (
            i,
            " ".join(words).capitalize() + ".",
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


def build(path: Path, rows: int = 1_000_000, *, seed: int = 7) -> float:
    """Creates `path` with `rows` claims unless it already holds them; returns seconds spent."""
    from workbench.storage.store import Store, database_url

    started = time.perf_counter()
    if path.exists():
        conn = sqlite3.connect(path)
        try:
            have = conn.execute("SELECT count(*) FROM claims").fetchone()[0]
            marked = conn.execute("SELECT count(*) FROM articles WHERE title = 'Bench v2'")
            have = have if marked.fetchone()[0] == 1 else -1
        except sqlite3.DatabaseError:
            have = -1
        conn.close()
        if have == rows:
            return 0.0
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
    Store(database_url(path)).dispose()  # the real schema, by the migrations
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute("PRAGMA cache_size = -262144")
    # Indexes and full-text triggers of the claims table, dropped for the load.
    saved = conn.execute(
        "SELECT type, name, sql FROM sqlite_master WHERE tbl_name = 'claims' "
        "AND type IN ('index', 'trigger') AND sql IS NOT NULL"
    ).fetchall()
    conn.execute("BEGIN")
    for kind, name, _ in saved:
        conn.execute(f'DROP {kind.upper()} "{name}"')
    conn.execute(
        "INSERT INTO articles (id, title, text, created_at) VALUES (1, 'Bench v2', '', ?)",
        (datetime(2026, 1, 1).strftime(TIME_FORMAT),),
    )
    conn.executemany(
        "INSERT INTO claims (id, text, article_id, score, status, rating, source_count, "
        "created_by, created_at, updated_at, version) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
        _rows(rows, random.Random(seed)),
    )
    for _, _, sql in saved:
        conn.execute(sql)
    conn.execute("INSERT INTO claims_fts(claims_fts) VALUES ('rebuild')")
    conn.execute("COMMIT")
    conn.execute("ANALYZE")
    conn.close()
    return time.perf_counter() - started


if __name__ == "__main__":
    import sys

    target = Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/workbench-bench-1m.db")
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 1_000_000
    print(f"built {target} in {build(target, count):.1f} s")
