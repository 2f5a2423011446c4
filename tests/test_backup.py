"""`workbench backup` (the SQLite backup API, safe while others write), `workbench restore`
(checks the backup first, keeps the old database, refuses while it is in use) and
maintenance.integrity_problems."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from workbench.claims.service import add_claim
from workbench.core.results import ClaimAt
from workbench.errors import BusyError, DatabaseError
from workbench.listing.queries import count_claims
from workbench.storage import maintenance
from workbench.storage.store import Store, database_url
from workbench.verdicts.service import record_verdict

pytestmark = pytest.mark.skipif(
    bool(os.environ.get("WORKBENCH_TEST_DATABASE_URL")), reason="SQLite files"
)

# Writes claims with their events as fast as it can, in real transactions, until killed;
# prints the number of committed transactions after each commit.
WRITER = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("PRAGMA busy_timeout = 5000")
n = 0
while True:
    conn.execute("BEGIN IMMEDIATE")
    cur = conn.execute(
        "INSERT INTO claims (text, status, source_count, created_at, updated_at, version) "
        "VALUES (?, 'new', 0, '2026-01-01 00:00:00', '2026-01-01 00:00:00', 1)",
        (f"Background claim number {n} " + "x" * 400,),
    )
    conn.execute(
        "INSERT INTO events (at, reviewer, action, entity, entity_id, claim_id) "
        "VALUES ('2026-01-01 00:00:00', 'bg', 'claim.add', 'claim', ?, ?)",
        (cur.lastrowid, cur.lastrowid),
    )
    conn.execute("COMMIT")
    n += 1
    print(n, flush=True)
"""


def make_db(path: Path, claims: int = 3) -> Path:
    store = Store(database_url(path))
    with store.write() as session:
        for i in range(claims):
            row = add_claim(session, "ana", f"Claim number {i} about the harbour")
            if i == 0:
                record_verdict(session, "ana", ClaimAt(row.id), "false", "The figures disagree")
    store.dispose()
    return path


def texts(path: Path) -> list[str]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return sorted(r[0] for r in conn.execute("SELECT text FROM claims"))
    finally:
        conn.close()


def snapshot(path: Path) -> tuple[bytes, int]:
    return path.read_bytes(), path.stat().st_mtime_ns


def test_backup_while_another_process_writes(tmp_path: Path, cli: Any) -> None:
    db = make_db(tmp_path / "live.db")
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(db)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert writer.stdout is not None
        for _ in range(20):  # the writer is under way
            writer.stdout.readline()
        results = []
        for i in range(3):
            results.append(cli("backup", str(tmp_path / f"b{i}.db"), "--json", db=str(db)))
            for _ in range(10):
                writer.stdout.readline()  # it kept writing between the backups
    finally:
        writer.kill()
        writer.wait()
    counts = []
    for i, result in enumerate(results):
        assert result.code == 0, result.err
        backup = tmp_path / f"b{i}.db"
        assert result.json()["path"] == str(backup)
        info = maintenance.inspect_database(backup)  # integrity_check ok, known schema
        # Whole transactions only: every claim came with its event.
        conn = sqlite3.connect(backup)
        claims = conn.execute("SELECT COUNT(*) FROM claims").fetchone()[0]
        events = conn.execute("SELECT COUNT(*) FROM events WHERE action='claim.add'").fetchone()[0]
        wal = conn.execute("PRAGMA journal_mode").fetchone()[0]
        conn.close()
        assert claims == events == info.claims
        assert wal == "delete"  # a self-contained file
        assert not Path(f"{backup}-wal").exists()
        counts.append(claims)
    assert counts[0] > 3 + 10 and counts == sorted(counts)
    assert maintenance.integrity_problems(Store(database_url(db))) == []


def test_backup_refuses_to_overwrite_and_names_a_file_in_a_folder(tmp_path: Path, cli: Any) -> None:
    db = make_db(tmp_path / "w.db")
    existing = tmp_path / "exists.db"
    existing.write_bytes(b"keep me")
    result = cli("backup", str(existing), db=str(db))
    assert result.code == 1 and "already exists" in result.err
    assert existing.read_bytes() == b"keep me"
    folder = tmp_path / "backups"
    folder.mkdir()
    result = cli("backup", str(folder), db=str(db))
    assert result.code == 0, result.err
    (made,) = folder.iterdir()
    assert made.name.startswith("w-") and made.suffix == ".db"
    assert texts(made) == texts(db)
    result = cli("backup", str(tmp_path / "missing" / "b.db"), db=str(db))
    assert result.code == 1 and "does not exist" in result.err


def test_restore_replaces_contents_and_keeps_the_old_database(tmp_path: Path, cli: Any) -> None:
    db = make_db(tmp_path / "w.db")
    assert cli("backup", str(tmp_path / "b.db"), db=str(db)).code == 0
    assert cli("claim", "add", "Written after the backup", db=str(db)).code == 0
    before = texts(db)
    result = cli("restore", str(tmp_path / "b.db"), "--json", db=str(db))
    assert result.code == 0, result.err
    kept = Path(result.json()["previous_kept_as"])
    assert kept.name.startswith("w.db.bak-")
    assert texts(kept) == before  # nothing is lost: the replaced database is beside it
    assert texts(db) == texts(tmp_path / "b.db")
    assert "Written after the backup" not in texts(db)
    # The restored database works: it opens, shows its claims and takes new writes.
    assert cli("claim", "add", "Written after the restore", db=str(db)).code == 0
    store = Store(database_url(db))
    assert maintenance.integrity_problems(store) == []
    store.dispose()  # restore refuses a database that is open elsewhere
    # Restoring again at once keeps the second old database too, under another name.
    again = cli("restore", str(tmp_path / "b.db"), "--json", db=str(db)).json()
    assert again["previous_kept_as"] != str(kept)
    assert "Written after the restore" in texts(Path(again["previous_kept_as"]))
    assert texts(kept) == before


def test_restore_into_a_new_path_and_over_a_damaged_file(tmp_path: Path, cli: Any) -> None:
    backup = make_db(tmp_path / "b.db")
    fresh = tmp_path / "new.db"
    result = cli("restore", str(backup), db=str(fresh))
    assert result.code == 0, result.err
    assert texts(fresh) == texts(backup)
    damaged = tmp_path / "damaged.db"
    junk = os.urandom(8192)
    damaged.write_bytes(junk)
    result = cli("restore", str(backup), "--json", db=str(damaged))
    assert result.code == 0, result.err
    kept = Path(result.json()["previous_kept_as"])
    assert kept.read_bytes() == junk  # moved aside untouched
    assert texts(damaged) == texts(backup)


def bad_backups(tmp_path: Path) -> dict[str, tuple[Path, str]]:
    good = make_db(tmp_path / "good.db", claims=40)
    made: dict[str, tuple[Path, str]] = {}
    data = good.read_bytes()
    truncated = tmp_path / "truncated.db"
    truncated.write_bytes(data[: len(data) // 2])
    made["truncated"] = (truncated, "truncated")
    random_bytes = tmp_path / "random.db"
    random_bytes.write_bytes(os.urandom(len(data)))
    made["random"] = (random_bytes, "not an SQLite file")
    newer = tmp_path / "newer.db"
    newer.write_bytes(data)
    with sqlite3.connect(newer) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999'")
    conn.close()
    made["newer"] = (newer, "schema revision 9999")
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE recipes (name TEXT)")
    conn.close()
    made["other"] = (other, "not a workbench one")
    damaged = tmp_path / "damaged.db"
    page = 4096
    conn = sqlite3.connect(good)
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'claims'").fetchone()[0]
    conn.close()
    broken = bytearray(data)
    start = (root - 1) * page
    broken[start + 8 : start + page] = os.urandom(page - 8)  # the claims table's page
    damaged.write_bytes(bytes(broken))
    made["damaged"] = (damaged, "")
    made["missing"] = (tmp_path / "missing.db", "does not exist")
    empty = tmp_path / "empty.db"
    empty.write_bytes(b"")
    made["empty"] = (empty, "is empty")
    return made


def test_restore_checks_the_backup_first_and_changes_nothing(tmp_path: Path, cli: Any) -> None:
    db = make_db(tmp_path / "w.db")
    for name, (backup, expected) in bad_backups(tmp_path).items():
        before = snapshot(db)
        backup_before = snapshot(backup) if backup.exists() else None
        result = cli("restore", str(backup), db=str(db))
        assert result.code == 1, name
        assert "Traceback" not in result.err
        assert expected in result.err, (name, result.err)
        assert snapshot(db) == before, name
        if backup_before is not None:
            assert snapshot(backup) == backup_before, name  # the backup is only read
            assert not Path(f"{backup}-shm").exists() and not Path(f"{backup}-wal").exists()
    assert [p.name for p in tmp_path.iterdir() if ".bak-" in p.name] == []


def test_restore_refuses_while_the_database_is_in_use(tmp_path: Path) -> None:
    db = make_db(tmp_path / "w.db")
    backup = make_db(tmp_path / "b.db", claims=1)
    other = Store(database_url(db))  # another program with the database open, idle
    with other.read() as session:
        count_claims(session)
    try:
        before = texts(db)
        with pytest.raises(BusyError, match="in use by another program"):
            maintenance.restore(db, backup)
        assert texts(db) == before
        assert [p.name for p in tmp_path.iterdir() if ".bak-" in p.name] == []
    finally:
        other.dispose()
    maintenance.restore(db, backup)  # once it is closed
    assert texts(db) == texts(backup)


def test_integrity_problems_reports_broken_invariants(tmp_path: Path) -> None:
    db = make_db(tmp_path / "w.db")
    store = Store(database_url(db))
    assert maintenance.integrity_problems(store) == []
    conn = sqlite3.connect(db)
    with conn:
        # Tampering on purpose: the append-only trigger has to go first.
        conn.execute("DROP TRIGGER events_no_delete")
        conn.execute("DELETE FROM events WHERE action = 'verdict.add'")
        conn.execute("UPDATE claims SET rating = 'true' WHERE id = 2")
        conn.execute("UPDATE claims SET source_count = 4 WHERE id = 3")
    conn.close()
    problems = maintenance.integrity_problems(store)
    store.dispose()
    assert "verdict without its audit event: verdict 1" in problems
    assert "claim rating disagrees with its newest verdict: claim 2: true vs None" in problems
    assert "claim source count disagrees with its sources: claim 3: 4 vs 0" in problems


def test_postgresql_is_refused_with_advice() -> None:
    with pytest.raises(DatabaseError, match="pg_dump"):
        maintenance.sqlite_path_of("postgresql+psycopg://user@localhost/workbench")
