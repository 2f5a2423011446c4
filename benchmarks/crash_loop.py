"""Crash loop: a writer process is killed with SIGKILL at random moments; after each kill the
database must be intact and hold every write the writer reported as done.

    python benchmarks/crash_loop.py [--rounds 30] [--seed N] [--db PATH] [--keep]

The writer (this file with --writer) does service-layer writes through `Store.write()` and
`workbench.review`: single claims, citations, verdicts, and batches of claims with verdicts
in one transaction. Before each write it prints `START key op claim rating`; only after the
commit has returned does it print `ACK key op entity_id claim_id`. It pauses briefly inside
the transaction and between commit and acknowledgement, so kills land in every phase:
mid-transaction, after the commit but before the reply (a "lost reply"), and between writes.

After each kill the checker verifies, on the file the writer left behind:
- `PRAGMA integrity_check` is ok, the full-text index agrees with the claims, no foreign
  key points nowhere;
- every acknowledged write is there;
- every claim, citation and verdict has its audit event and every event its row (no half
  transaction), and every batch is all there or not there at all;
- no request id was carried out twice;
- then the unacknowledged request is repeated with the same request id, as a client whose
  reply was lost would: it must end up done exactly once, whether or not it had committed.

The CI test (tests/test_crash.py) runs a few rounds; this script runs the full 30 and prints
its counts. With --restore-rounds N it also kills `workbench restore` N times at random
moments: the database must afterwards hold the old contents or the new, never a mix.
SQLite only.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RATINGS = ("true", "mostly-true", "mixed", "mostly-false", "false", "misleading")
BATCH_SIZE = 12
REVIEWER = "crash-writer"


# ---------------------------------------------------------------- the requests


def claim_text(key: str) -> str:
    return f"Crash test claim {key}: the harbour handled {len(key) * 1000} containers"


def citation_text(key: str) -> str:
    return f"Port authority yearly report, table {key}"


def rationale_text(key: str) -> str:
    return f"Checked against the port authority figures ({key})"


def perform(store: Any, key: str, op: str, claim_id: int | None, rating: str) -> tuple[int, int]:
    """Carries out one request in its own transaction; returns (entity id, claim id).
    Deterministic in its arguments, so the checker can repeat it exactly."""
    from workbench.claims.service import add_claim
    from workbench.core.results import ClaimAt
    from workbench.sources.evidence import Attachment, cite_source
    from workbench.verdicts.service import record_verdict

    pause = float(os.environ.get("CRASH_PAUSE", "0"))
    with store.write() as session:
        if op == "claim":
            row = add_claim(session, REVIEWER, claim_text(key), request_id=key)
            result = (row.id, row.id)
        elif op == "cite":
            assert claim_id is not None
            ev = cite_source(
                session,
                REVIEWER,
                claim_id,
                citation_text(key),
                Attachment("supports"),
                request_id=key,
            )
            result = (ev.id, claim_id)
        elif op == "verdict":
            assert claim_id is not None
            v = record_verdict(
                session, REVIEWER, ClaimAt(claim_id), rating, rationale_text(key), request_id=key
            )
            result = (v.id, claim_id)
        elif op == "batch":
            # Many rows and events in one transaction: all of them or none must survive.
            first = 0
            for i in range(BATCH_SIZE):
                sub = f"{key}/{i}"
                row = add_claim(session, REVIEWER, claim_text(sub), request_id=sub)
                record_verdict(
                    session, REVIEWER, ClaimAt(row.id), rating, rationale_text(sub), request_id=sub
                )
                first = first or row.id
            result = (first, first)
        else:
            raise ValueError(op)
        if pause:
            time.sleep(random.random() * pause)  # still inside the transaction
    return result


def writer_main(db: str, seed: int, prefix: str) -> None:
    # The use cases are loaded before READY, so the kills fall among writes, not imports.
    import workbench.claims.service
    import workbench.sources.evidence
    import workbench.verdicts.service  # noqa: F401
    from workbench.listing.queries import list_claims
    from workbench.storage.store import Store, database_url

    rng = random.Random(seed)
    store = Store(database_url(db))
    claims: list[int] = []
    with store.read() as session:
        claims = [r.id for r in list_claims(session, limit=200)]
    print("READY", flush=True)
    n = 0
    pause = float(os.environ.get("CRASH_PAUSE", "0"))
    while True:
        n += 1
        key = f"{prefix}-{n}"
        roll = rng.random()
        if not claims or roll < 0.3:
            op = "claim"
        elif roll < 0.5:
            op = "cite"
        elif roll < 0.85:
            op = "verdict"
        else:
            op = "batch"
        claim_id = rng.choice(claims) if op in ("cite", "verdict") else None
        rating = rng.choice(RATINGS)
        print(f"START {key} {op} {claim_id or '-'} {rating}", flush=True)
        entity_id, claim_of = perform(store, key, op, claim_id, rating)
        if pause:
            time.sleep(rng.random() * pause * 3)  # committed, reply not yet sent
        print(f"ACK {key} {op} {entity_id} {claim_of}", flush=True)
        if op in ("claim", "batch"):
            claims.append(claim_of)


# ---------------------------------------------------------------- the checker


@dataclass
class Request:
    key: str
    op: str
    claim_id: int | None
    rating: str


@dataclass
class Tally:
    rounds: int = 0
    acknowledged: Counter[str] = field(default_factory=Counter)
    lost_replies_repeated: int = 0  # committed, killed before the reply; repeat was a no-op
    unfinished_repeated: int = 0  # killed before the commit; repeat did it once
    killed_idle: int = 0  # killed with no request in flight
    problems: list[str] = field(default_factory=list)

    def summary(self) -> dict[str, Any]:
        return {
            "rounds": self.rounds,
            "acknowledged_writes": sum(self.acknowledged.values()),
            "acknowledged_by_kind": dict(sorted(self.acknowledged.items())),
            "lost_replies_repeated_without_duplicate": self.lost_replies_repeated,
            "unfinished_requests_repeated_once": self.unfinished_repeated,
            "kills_between_requests": self.killed_idle,
            "problems": len(self.problems),
        }


def _read_lines(stream: Any, into: list[str]) -> None:
    for line in stream:
        into.append(line.rstrip("\n"))


def run_writer_once(
    db: Path, seed: int, prefix: str, kill_after: float, pause: float
) -> tuple[list[str], str]:
    """Starts the writer, kills it with SIGKILL `kill_after` seconds after it is ready."""
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""),
        "CRASH_PAUSE": str(pause),
    }
    proc = subprocess.Popen(
        [sys.executable, "-u", __file__, "--writer", str(db), "--seed", str(seed)]
        + ["--prefix", prefix],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    lines: list[str] = []
    reader = threading.Thread(target=_read_lines, args=(proc.stdout, lines), daemon=True)
    reader.start()
    deadline = time.monotonic() + 60
    while "READY" not in lines and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.005)
    time.sleep(kill_after)
    if proc.poll() is None:
        proc.send_signal(signal.SIGKILL)
    proc.wait()
    reader.join(timeout=10)
    err = proc.stderr.read() if proc.stderr else ""
    return lines, err


def check(db: Path, acked: dict[str, tuple[str, int, int]], tally: Tally) -> None:
    """Checks the file as the killed writer left it."""
    problems = tally.problems
    conn = sqlite3.connect(db)
    try:
        result = [r[0] for r in conn.execute("PRAGMA integrity_check")]
        if result != ["ok"]:
            problems.append(f"integrity_check: {result[:3]}")
        try:
            conn.execute("INSERT INTO claims_fts(claims_fts) VALUES ('integrity-check')")
        except sqlite3.DatabaseError as exc:
            problems.append(f"full-text index disagrees with claims: {exc}")
        bad_keys = conn.execute("PRAGMA foreign_key_check").fetchall()
        if bad_keys:
            problems.append(f"foreign keys pointing nowhere: {bad_keys[:3]}")

        events: dict[tuple[str, int], list[str | None]] = {}
        by_request: Counter[tuple[str, str]] = Counter()
        for action, entity_id, after in conn.execute("SELECT action, entity_id, after FROM events"):
            request_id = json.loads(after).get("request_id") if after else None
            events.setdefault((action, entity_id), []).append(request_id)
            if request_id:
                by_request[(action, request_id)] += 1
        for (action, request_id), n in by_request.items():
            if n > 1:
                problems.append(f"request {request_id} ({action}) was carried out {n} times")

        def rows(sql: str) -> set[int]:
            return {r[0] for r in conn.execute(sql)}

        tables = {
            "claim.add": rows("SELECT id FROM claims"),
            "evidence.add": rows("SELECT id FROM evidence"),
            "verdict.add": rows("SELECT id FROM verdicts"),
        }
        for action, ids in tables.items():
            with_event = {eid for (a, eid) in events if a == action}
            if ids - with_event:
                problems.append(
                    f"{action}: rows without their event: {sorted(ids - with_event)[:5]}"
                )
            if with_event - ids:
                problems.append(
                    f"{action}: events without their row: {sorted(with_event - ids)[:5]}"
                )

        # Denormalised columns agree with the rows they summarise (same transaction).
        for claim_id, rating, newest in conn.execute(
            "SELECT c.id, c.rating, (SELECT v.rating FROM verdicts v WHERE v.claim_id = c.id "
            "ORDER BY v.id DESC LIMIT 1) FROM claims c"
        ):
            if rating != newest:
                problems.append(f"claim {claim_id}: rating {rating} but newest verdict {newest}")
        for claim_id, count, actual in conn.execute(
            "SELECT c.id, c.source_count, (SELECT COUNT(DISTINCT e.source_id) FROM evidence e "
            "WHERE e.claim_id = c.id) FROM claims c"
        ):
            if count != actual:
                problems.append(f"claim {claim_id}: source_count {count} but {actual} sources")

        # Batches: every part or none.
        parts: Counter[str] = Counter()
        for (action, _eid), request_ids in events.items():
            for rid in request_ids:
                if action == "claim.add" and rid and "/" in rid:
                    parts[rid.split("/")[0]] += 1
        for batch, n in parts.items():
            if n != BATCH_SIZE:
                problems.append(f"batch {batch}: {n} of {BATCH_SIZE} claims survived")

        # Every acknowledged write is there.
        action_of = {
            "claim": "claim.add",
            "cite": "evidence.add",
            "verdict": "verdict.add",
            "batch": "claim.add",
        }
        for key, (op, entity_id, _claim) in acked.items():
            wanted = action_of[op]
            request_id = f"{key}/0" if op == "batch" else key
            if request_id not in events.get((wanted, entity_id), []):
                problems.append(f"acknowledged {op} {key} ({wanted} {entity_id}) is missing")
    finally:
        conn.close()


def repeat_unfinished(db: Path, request: Request, tally: Tally) -> None:
    """Repeats the request that was in flight, as a client whose reply was lost would."""
    from workbench.storage.store import Store, database_url

    action = {"claim": "claim.add", "cite": "evidence.add", "verdict": "verdict.add"}.get(
        request.op, "claim.add"
    )
    request_id = f"{request.key}/0" if request.op == "batch" else request.key

    def times_done() -> int:
        conn = sqlite3.connect(db)
        try:
            return sum(
                1
                for (after,) in conn.execute("SELECT after FROM events WHERE action = ?", (action,))
                if after and json.loads(after).get("request_id") == request_id
            )
        finally:
            conn.close()

    before = times_done()
    store = Store(database_url(db))
    try:
        perform(store, request.key, request.op, request.claim_id, request.rating)
    finally:
        store.dispose()
    after = times_done()
    if after != 1:
        tally.problems.append(f"repeated request {request.key} is done {after} times")
    elif before == 1:
        tally.lost_replies_repeated += 1
    else:
        tally.unfinished_repeated += 1


def run(
    db: Path, rounds: int, seed: int = 1, pause: float = 0.004, max_kill_after: float = 1.0
) -> Tally:
    rng = random.Random(seed)
    tally = Tally()
    acked: dict[str, tuple[str, int, int]] = {}
    for number in range(1, rounds + 1):
        kill_after = rng.uniform(0.0, max_kill_after)
        lines, err = run_writer_once(db, rng.randrange(1 << 30), f"r{number}", kill_after, pause)
        tally.rounds += 1
        if "READY" not in lines:
            tally.problems.append(f"round {number}: the writer did not start: {err[-500:]}")
            continue
        if "Traceback" in err:
            tally.problems.append(f"round {number}: the writer failed: {err[-500:]}")
        in_flight: Request | None = None
        for line in lines:
            parts = line.split()
            if parts[:1] == ["START"]:
                claim = None if parts[3] == "-" else int(parts[3])
                in_flight = Request(parts[1], parts[2], claim, parts[4])
            elif parts[:1] == ["ACK"]:
                acked[parts[1]] = (parts[2], int(parts[3]), int(parts[4]))
                tally.acknowledged[parts[2]] += 1
                in_flight = None
        check(db, acked, tally)
        if in_flight is None:
            tally.killed_idle += 1
        else:
            repeat_unfinished(db, in_flight, tally)
            check(db, acked, tally)
    return tally


RESTORER = (
    "import sys; from pathlib import Path; from workbench import maintenance; "
    "print('go', flush=True); maintenance.restore(Path(sys.argv[1]), Path(sys.argv[2])); "
    "print('done', flush=True)"
)


def _fill(path: Path, tag: str, n: int) -> None:
    from workbench.storage.store import Store, database_url

    Store(database_url(path)).dispose()
    conn = sqlite3.connect(path)
    with conn:
        conn.executemany(
            "INSERT INTO claims (text, status, source_count, created_at, updated_at, version) "
            "VALUES (?, 'new', 0, '2026-01-01', '2026-01-01', 1)",
            [(f"{tag} claim {i} " + "y" * 400,) for i in range(n)],
        )
    conn.close()


def restore_rounds(folder: Path, rounds: int, seed: int) -> dict[str, Any]:
    """Kills restore at random moments; counts how each round ended."""
    import shutil

    from workbench.errors import WorkbenchError
    from workbench.storage import maintenance
    from workbench.storage.store import Store, database_url

    rng = random.Random(seed)
    work = folder / "restore"
    work.mkdir()
    pristine, backup, db = work / "old.pristine", work / "backup.db", work / "w.db"
    _fill(pristine, "old", 6000)
    _fill(backup, "new", 4500)
    outcome: Counter[str] = Counter()
    # How long one restore takes here, so the kills spread over all of it.
    shutil.copyfile(pristine, db)
    started = time.monotonic()
    maintenance.restore(db, backup)
    duration = time.monotonic() - started
    outcome_extra = {"one_restore_seconds": round(duration, 3)}
    env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    for _ in range(rounds):
        for path in work.iterdir():
            if path not in (pristine, backup):
                path.unlink()
        shutil.copyfile(pristine, db)  # the test's own setup: nobody has it open
        proc = subprocess.Popen(
            [sys.executable, "-c", RESTORER, str(db), str(backup)],
            stdout=subprocess.PIPE,
            text=True,
            env=env,
        )
        assert proc.stdout is not None
        proc.stdout.readline()
        time.sleep(rng.uniform(0.0, duration * 1.2))
        proc.kill()
        finished = "done" in proc.stdout.read()
        proc.wait()
        try:
            store = Store(database_url(db))
            problems = maintenance.integrity_problems(store)
            store.dispose()
            conn = sqlite3.connect(db)
            tags = conn.execute(
                "SELECT COUNT(*), MIN(substr(text, 1, 3)), MAX(substr(text, 1, 3)) FROM claims"
            ).fetchone()
            conn.close()
        except WorkbenchError as exc:
            outcome["unreadable: " + str(exc)[:80]] += 1
            continue
        if problems:
            outcome["damaged"] += 1
        elif tags == (6000, "old", "old"):
            outcome["old contents (killed before the switch)"] += 1
        elif tags == (4500, "new", "new"):
            outcome["new contents" + (" (finished)" if finished else "")] += 1
        else:
            outcome[f"MIXED {tags}"] += 1
    return {**outcome_extra, **dict(outcome)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--seed", type=int, default=int(time.time()))
    parser.add_argument("--db", help="database file (default: a new temporary one)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary database")
    parser.add_argument(
        "--restore-rounds", type=int, default=0, help="also kill `restore` this many times"
    )
    parser.add_argument("--writer", metavar="DB", help=argparse.SUPPRESS)
    parser.add_argument("--prefix", default="w", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.writer:
        writer_main(args.writer, args.seed, args.prefix)
        return 0
    sys.path.insert(0, str(ROOT))
    folder = Path(tempfile.mkdtemp(prefix="crash-loop-"))
    db = Path(args.db) if args.db else folder / "crash.db"
    started = time.monotonic()
    tally = run(db, args.rounds, seed=args.seed)
    summary = tally.summary()
    if args.restore_rounds:
        restores = restore_rounds(folder, args.restore_rounds, args.seed)
        summary["killed_restores"] = restores
        if any(str(k).startswith(("MIXED", "damaged", "unreadable")) for k in restores):
            tally.problems.append(f"a killed restore left a bad database: {restores}")
    summary["seed"] = args.seed
    summary["seconds"] = round(time.monotonic() - started, 1)
    summary["database"] = str(db) if args.keep or args.db else "(deleted)"
    print(json.dumps(summary, indent=2))
    for problem in tally.problems[:20]:
        print("PROBLEM:", problem)
    if not args.keep and not args.db:
        import shutil

        shutil.rmtree(folder, ignore_errors=True)
    return 1 if tally.problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
