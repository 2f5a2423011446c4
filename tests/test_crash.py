"""A writer killed with SIGKILL at random moments loses nothing it reported as saved, leaves
no half transaction, and a request whose reply was lost can be repeated without a duplicate.

The loop itself lives in benchmarks/crash_loop.py (30 rounds there, a few here)."""

from __future__ import annotations

import importlib.util
import json
import os
import sqlite3
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from workbench.claims.reading import get_claim
from workbench.claims.service import add_claim
from workbench.core.results import ClaimAt
from workbench.listing.queries import count_claims
from workbench.sources.evidence import cite_source
from workbench.storage.store import Store, database_url
from workbench.verdicts.service import record_verdict

ROOT = Path(__file__).resolve().parent.parent
PG_URL = os.environ.get("WORKBENCH_TEST_DATABASE_URL")

sqlite_only = pytest.mark.skipif(
    bool(PG_URL) or not hasattr(os, "fork"),
    reason="SQLite crash behaviour on POSIX (PostgreSQL has its own tests)",
)


def load_crash_loop() -> ModuleType:
    spec = importlib.util.spec_from_file_location("crash_loop", ROOT / "benchmarks/crash_loop.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["crash_loop"] = module
    spec.loader.exec_module(module)
    return module


@sqlite_only
def test_killed_writer_loses_nothing_it_acknowledged(tmp_path: Path) -> None:
    crash_loop = load_crash_loop()
    tally = crash_loop.run(tmp_path / "crash.db", rounds=5, seed=20261127, max_kill_after=0.4)
    assert tally.problems == []
    assert tally.rounds == 5
    assert sum(tally.acknowledged.values()) >= 5  # the writer really wrote between kills
    # Every kill left either nothing in flight or a request that the repeat finished once.
    assert tally.lost_replies_repeated + tally.unfinished_repeated + tally.killed_idle == 5


@sqlite_only
def test_checker_notices_a_half_transaction_and_a_lost_write(tmp_path: Path) -> None:
    """The crash checks can fail: a verdict without its event and a missing acknowledged
    claim are both reported."""
    crash_loop = load_crash_loop()
    db = tmp_path / "broken.db"
    store = Store(database_url(db))
    with store.write() as session:
        claim = add_claim(session, "w", "The bridge is 2 km long", request_id="k1")
    store.dispose()
    conn = sqlite3.connect(db)
    with conn:
        conn.execute(
            "INSERT INTO verdicts (claim_id, rating, rationale, reviewer, blind, created_at) "
            "VALUES (?, 'false', 'x', 'w', 0, '2026-01-01')",
            (claim.id,),
        )
    conn.close()
    tally = crash_loop.Tally()
    acked = {"k1": ("claim", claim.id, claim.id), "k2": ("claim", 99, 99)}
    crash_loop.check(db, acked, tally)
    text = "\n".join(tally.problems)
    assert "verdict.add: rows without their event" in text
    assert "acknowledged claim k2" in text
    assert "rating None but newest verdict false" in text


def test_repeating_a_request_returns_the_earlier_result(store: Store) -> None:
    with store.write() as session:
        first = add_claim(session, "ana", "Unemployment fell to 3%", request_id="req-1")
    with store.write() as session:
        again = add_claim(session, "ana", "Unemployment  fell to 3%", request_id="req-1")
        cite = cite_source(session, "ana", first.id, "Labour survey", request_id="c-1")
        verdict = record_verdict(
            session, "ana", ClaimAt(first.id), "false", "It rose", request_id="v-1"
        )
    with store.write() as session:
        cite_again = cite_source(session, "ana", first.id, "Labour survey", request_id="c-1")
        # The repeat carries the version the first attempt saw; it must not be a conflict.
        verdict_again = record_verdict(
            session, "ana", ClaimAt(first.id, 1), "false", "It rose", request_id="v-1"
        )
    assert again.id == first.id
    assert cite_again.id == cite.id
    assert verdict_again.id == verdict.id
    with store.read() as session:
        detail = get_claim(session, first.id)
        assert count_claims(session) == 1
    assert [e.action for e in detail.history] == ["claim.add", "evidence.add", "verdict.add"]
    assert len(detail.verdicts) == 1 and len(detail.evidence) == 1


def test_a_request_id_reused_for_something_else_is_refused(store: Store) -> None:
    from workbench.errors import ConflictError

    with store.write() as session:
        claim = add_claim(session, "ana", "Claim one", request_id="same")
        record_verdict(session, "ana", ClaimAt(claim.id), "true", "Yes", request_id="v")
    with pytest.raises(ConflictError, match="already used"), store.write() as session:
        add_claim(session, "ana", "Claim two", request_id="same")
    with pytest.raises(ConflictError, match="already used"), store.write() as session:
        record_verdict(session, "ana", ClaimAt(claim.id), "false", "No", request_id="v")
    with store.read() as session:
        assert count_claims(session) == 1


def test_cli_request_id_makes_a_retried_command_harmless(cli: Any) -> None:
    first = cli("claim", "add", "Exports doubled", "--request-id", "abc", "--json")
    second = cli("claim", "add", "Exports doubled", "--request-id", "abc", "--json")
    assert first.code == second.code == 0
    assert first.json()["id"] == second.json()["id"]
    assert len(json.loads(cli("claims", "--json").out)) == 1


# A write in rollback-journal mode (as restore does) killed half way: the main file holds
# some new pages, the -journal the old ones.
HALF_WRITER = """
import sqlite3, sys, time
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("PRAGMA journal_mode = DELETE")
conn.execute("PRAGMA cache_size = 5")  # spill changed pages to the file mid-transaction
conn.execute("BEGIN IMMEDIATE")
conn.execute("UPDATE claims SET text = 'half written ' || text")
conn.execute("UPDATE claims SET status = 'dismissed'")  # events are append-only now
print("mid", flush=True)
time.sleep(60)
"""


@sqlite_only
def test_a_write_killed_half_way_in_rollback_mode_is_rolled_back_on_open(
    tmp_path: Path, cli: Any
) -> None:
    import subprocess

    db = tmp_path / "w.db"
    store = Store(database_url(db))
    with store.write() as session:
        for i in range(300):
            add_claim(session, "ana", f"Claim {i} about the ferry timetable " + "z" * 300)
    store.dispose()
    proc = subprocess.Popen([sys.executable, "-c", HALF_WRITER, str(db)], stdout=subprocess.PIPE)
    assert proc.stdout is not None and proc.stdout.readline().strip() == b"mid"
    proc.kill()
    proc.wait()
    assert Path(f"{db}-journal").stat().st_size > 0  # a hot journal was left behind
    result = cli("claims", "--json", "--limit", "1000", db=str(db))
    assert result.code == 0, result.err
    texts = [c["text"] for c in result.json()]
    assert len(texts) == 300 and not any(t.startswith("half written") for t in texts)
    assert not Path(f"{db}-journal").exists()
    from workbench.storage import maintenance

    store = Store(database_url(db))
    assert maintenance.integrity_problems(store) == []
    store.dispose()
