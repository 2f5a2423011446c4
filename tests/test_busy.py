"""A second program holding the write lock: longer than the busy timeout, a save fails with
"database busy, try again" and gives the input back; shorter, the save waits and succeeds."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from workbench.claims.reading import get_claim
from workbench.claims.service import add_claim
from workbench.listing.queries import list_claims
from workbench.storage.store import Store, database_url

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.skipif(
    bool(os.environ.get("WORKBENCH_TEST_DATABASE_URL")), reason="SQLite locking"
)

HOLDER = """
import sqlite3, sys, time
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN IMMEDIATE")
conn.execute("UPDATE claims SET score = score")
print("locked", flush=True)
time.sleep(float(sys.argv[2]))
conn.execute("COMMIT")
print("released", flush=True)
"""


@contextmanager
def write_lock_held(db: Path, seconds: float) -> Iterator[subprocess.Popen[str]]:
    """Another process takes the write lock (BEGIN IMMEDIATE) and keeps it `seconds`."""
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(db), str(seconds)],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "locked"
        yield proc
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait(timeout=10)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "busy.db"
    store = Store(database_url(path))
    with store.write() as session:
        add_claim(session, "ana", "The first claim")
    store.dispose()
    return path


def claim_texts(db: Path) -> list[str]:
    store = Store(database_url(db))
    try:
        with store.read() as session:
            return sorted(r.text for r in list_claims(session))
    finally:
        store.dispose()


def test_save_fails_clearly_and_gives_the_input_back_when_the_lock_is_held_too_long(
    db: Path,
) -> None:
    with write_lock_held(db, 30):
        started = time.monotonic()
        result = subprocess.run(
            [sys.executable, "-m", "workbench.cli", "--db", str(db)]
            + ["claim", "add", "Rents rose 12% in 2025"],
            capture_output=True,
            text=True,
            env={**os.environ, "PYTHONPATH": str(ROOT), "WORKBENCH_BUSY_TIMEOUT_MS": "300"},
            cwd=ROOT,
            timeout=60,
        )
        elapsed = time.monotonic() - started
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "is busy (another program is writing); try again" in result.stderr
    # The input comes back, ready to run again.
    assert "nothing was saved; to try again, run: workbench --db" in result.stderr
    assert "claim add 'Rents rose 12% in 2025'" in result.stderr
    assert result.stdout == ""
    assert elapsed < 20  # it gave up after the short timeout, not the holder's 30 s
    assert claim_texts(db) == ["The first claim"]


def test_save_waits_for_a_short_lock_and_succeeds(
    db: Path, cli: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WORKBENCH_BUSY_TIMEOUT_MS", "10000")
    with write_lock_held(db, 0.8) as holder:
        started = time.monotonic()
        result = cli("claim", "add", "Rents rose 12% in 2025", db=str(db))
        waited = time.monotonic() - started
        assert holder.wait(timeout=10) == 0
    assert result.code == 0, result.err
    assert waited >= 0.4  # it really waited for the other writer
    assert claim_texts(db) == ["Rents rose 12% in 2025", "The first claim"]


def test_busy_verdict_in_process_keeps_everything_as_it_was(
    db: Path, cli: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WORKBENCH_BUSY_TIMEOUT_MS", "100")
    with write_lock_held(db, 30):
        result = cli("verdict", "1", "false", "--rationale", "Survey says 3%", db=str(db))
        # Readers are not blocked by a writer (WAL): the list still shows.
        listing = cli("claims", db=str(db))
    assert result.code == 1
    assert "busy" in result.err and "try again" in result.err
    assert "verdict 1 false --rationale 'Survey says 3%'" in result.err
    assert listing.code == 0 and "The first claim" in listing.out
    store = Store(database_url(db))
    with store.read() as session:
        detail = get_claim(session, 1)
    store.dispose()
    assert detail.verdicts == [] and [e.action for e in detail.history] == ["claim.add"]


def test_a_bad_busy_timeout_setting_is_a_clear_error(
    db: Path, cli: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WORKBENCH_BUSY_TIMEOUT_MS", "soon")
    result = cli("claims", db=str(db))
    assert result.code == 1
    assert "WORKBENCH_BUSY_TIMEOUT_MS is 'soon'" in result.err
