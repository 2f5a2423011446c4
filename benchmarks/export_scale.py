"""Export and import at scale: prints figures, asserts nothing.

    PYTHONPATH=. python benchmarks/export_scale.py [--claims 100000] [--keep DIR]

Builds a database of N claims (in N/100 articles), 3 URL sources with evidence per claim
and a verdict on each, with raw sqlite3 inserts into a Store-created schema. Then, each in
its own subprocess so its peak memory is its own: HTML export, JSON export, and import of
the JSON into an empty database. Goals (issue 6): exports <= 10 s and <= 300 MB peak RSS
each, import <= 20 s.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WRAPPER = (
    "import resource, subprocess, sys, time\n"
    "t = time.perf_counter()\n"
    "code = subprocess.run(sys.argv[1:]).returncode\n"
    "elapsed = time.perf_counter() - t\n"
    "usage = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
    "cpu = usage.ru_utime + usage.ru_stime\n"
    "print(f'{code} {elapsed:.3f} {cpu:.3f} {usage.ru_maxrss}')\n"
)
STANCES = ("supports", "refutes", "context")
RATINGS = ("true", "mostly-true", "mixed", "mostly-false", "false", "misleading")


def build(path: Path, claims: int) -> float:
    from workbench.storage.store import Store

    started = time.perf_counter()
    Store(f"sqlite:///{path}").dispose()  # the schema, by the migrations
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute("BEGIN")
    trigger = conn.execute(
        "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'claims_fts_insert'"
    ).fetchone()[0]
    conn.execute("DROP TRIGGER claims_fts_insert")
    ts = "2026-11-01 10:00:00.000000"  # SQLAlchemy's SQLite storage format, UTC
    articles = max(claims // 100, 1)
    conn.executemany(
        "INSERT INTO articles (id, title, url, author, published, text, created_at)"
        " VALUES (?, ?, ?, ?, ?, '', ?)",
        (
            (
                a,
                f"Article {a} about budgets & <trams>",
                f"https://news.example/a/{a}",
                f"Reporter {a % 50}",
                "2026-10-01",
                ts,
            )
            for a in range(1, articles + 1)
        ),
    )
    conn.executemany(
        "INSERT INTO claims (id, text, article_id, start, score, status, rating, source_count,"
        " created_by, created_at, updated_at, version)"
        " VALUES (?, ?, ?, ?, ?, 'reviewed', ?, 3, 'ana', ?, ?, 1)",
        (
            (
                i,
                f"Claim {i}: the city spent {i % 997} million euros on project {i % 31}, "
                f"{i % 89}% more than planned.",
                i % articles + 1,
                i,
                (i % 100) / 100,
                RATINGS[i % len(RATINGS)],
                ts,
                ts,
            )
            for i in range(1, claims + 1)
        ),
    )
    conn.executemany(
        "INSERT INTO verdicts (id, claim_id, rating, rationale, reviewer, blind, created_at)"
        " VALUES (?, ?, ?, ?, ?, 0, ?)",
        (
            (
                i,
                i,
                RATINGS[i % len(RATINGS)],
                f"The accounts for project {i % 31} show a different figure; see sources.",
                f"reviewer{i % 7}",
                ts,
            )
            for i in range(1, claims + 1)
        ),
    )
    conn.executemany(
        "INSERT INTO sources (id, kind, url, canonical_url, title, publisher, fetch_status,"
        " http_status, content_hash, fetched_at, created_at)"
        " VALUES (?, 'url', ?, ?, ?, 'Stats office', 'ok', 200, ?, ?, ?)",
        (
            (
                s,
                f"https://stats.example/report/{s}",
                f"https://stats.example/report/{s}",
                f"Report {s}",
                f"{s:064x}",
                ts,
                ts,
            )
            for s in range(1, 3 * claims + 1)
        ),
    )
    conn.executemany(
        "INSERT INTO evidence (id, claim_id, source_id, stance, quote, created_by, created_at)"
        " VALUES (?, ?, ?, ?, ?, 'ana', ?)",
        (
            (
                e,
                (e - 1) // 3 + 1,
                e,
                STANCES[e % 3],
                f"Table {e % 40}: spending rose {e % 70}%.",
                ts,
            )
            for e in range(1, 3 * claims + 1)
        ),
    )
    conn.execute("INSERT INTO claims_fts(claims_fts) VALUES ('rebuild')")
    conn.execute(trigger)
    conn.execute("COMMIT")
    conn.close()
    return time.perf_counter() - started


def measure(args: list[str]) -> tuple[int, float, float, float]:
    """(exit code, wall seconds, CPU seconds, peak RSS in MB) of a command run as a
    grandchild (RUSAGE_CHILDREN of a fresh wrapper process, so it is that command's own)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "WORKBENCH_REVIEWER": "bench"}
    out = subprocess.run(
        [sys.executable, "-c", WRAPPER, *args], env=env, capture_output=True, text=True
    )
    code, seconds, cpu, peak_kb = out.stdout.strip().splitlines()[-1].split()
    if int(code) != 0:
        sys.stderr.write(out.stderr[-2000:])
    return int(code), float(seconds), float(cpu), int(peak_kb) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=100_000)
    parser.add_argument("--keep", metavar="DIR", help="work in DIR and keep the files")
    args = parser.parse_args()
    folder = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="wb-export-"))
    folder.mkdir(parents=True, exist_ok=True)
    db = folder / "big.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    started = time.process_time()
    sum(range(10**8))
    reference = time.process_time() - started
    print(
        f"CPU reference: sum(range(10**8)) took {reference:.2f} s CPU here "
        "(about 0.8 s on an idle recent x86 core): scale the figures below by that"
    )
    seconds = build(db, args.claims)
    print(
        f"built {args.claims:,} claims, {3 * args.claims:,} sources and evidence, "
        f"{args.claims:,} verdicts in {seconds:.1f} s ({db.stat().st_size / 1e6:.0f} MB)"
    )
    cli = [sys.executable, "-m", "workbench.cli", "--db", str(db)]
    for fmt, goal in (("html", 10.0), ("json", 10.0), ("md", None), ("csv", None)):
        target = folder / f"report.{fmt}"
        code, seconds, cpu, peak = measure([*cli, "export", "--format", fmt, "-o", str(target)])
        size = target.stat().st_size / 1e6 if target.exists() else 0
        goal_text = f" (goal <= {goal:.0f} s, <= 300 MB)" if goal else ""
        print(
            f"export {fmt:<5} exit {code}: {seconds:6.2f} s ({cpu:.2f} s CPU), "
            f"peak RSS {peak:4.0f} MB, "
            f"{size:.0f} MB written{goal_text}"
        )
    empty = folder / "imported.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{empty}{suffix}").unlink(missing_ok=True)
    code, seconds, cpu, peak = measure(
        [
            sys.executable,
            "-m",
            "workbench.cli",
            "--db",
            str(empty),
            "import",
            str(folder / "report.json"),
        ]
    )
    print(
        f"import json  exit {code}: {seconds:6.2f} s ({cpu:.2f} s CPU), peak RSS {peak:4.0f} MB "
        "(goal <= 20 s)"
    )
    print(f"load average while measuring: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    if not args.keep:
        import shutil

        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
