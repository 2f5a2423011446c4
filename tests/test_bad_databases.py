"""Corrupt and wrong database files: each gets one clear message, exit 1, no traceback, and
nothing is written to the file (same bytes, same modification time)."""

from __future__ import annotations

import errno
import os
import sqlite3
import stat
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, event

from workbench.claims.service import add_claim
from workbench.storage import maintenance
from workbench.storage import store as store_module
from workbench.storage.store import Store, database_url

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.skipif(
    bool(os.environ.get("WORKBENCH_TEST_DATABASE_URL")), reason="SQLite files"
)

COMMANDS = (("claims",), ("claim", "add", "Bus fares fell by 20% last year"))


def make_db(path: Path, claims: int = 30) -> Path:
    store = Store(database_url(path))
    with store.write() as session:
        for i in range(claims):
            add_claim(session, "ana", f"Claim {i}: the tram line carried {i} million")
    store.dispose()
    return path


def state(path: Path) -> tuple[bytes, int, list[str]]:
    """Bytes, mtime, and the files beside it (a -wal or -shm would be a write too)."""
    beside = sorted(p.name for p in path.parent.iterdir() if p.name != path.name)
    return path.read_bytes(), path.stat().st_mtime_ns, beside


@pytest.fixture
def folder(tmp_path: Path) -> Iterator[Path]:
    here = tmp_path / "data"
    here.mkdir()
    yield here
    here.chmod(0o755)  # so pytest can clean up after the read-only cases
    for p in here.iterdir():
        p.chmod(0o644)


def truncated(folder: Path) -> Path:
    path = make_db(folder / "w.db")
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path


def random_bytes(folder: Path) -> Path:
    path = folder / "w.db"
    path.write_bytes(os.urandom(64 * 1024))
    return path


def newer_schema(folder: Path) -> Path:
    path = make_db(folder / "w.db")
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999'")
    conn.close()
    return path


def other_sqlite(folder: Path) -> Path:
    path = folder / "w.db"
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("CREATE TABLE recipes (name TEXT)")
    conn.close()
    return path


def read_only_file(folder: Path) -> Path:
    path = make_db(folder / "w.db")
    path.chmod(0o444)
    return path


def read_only_folder(folder: Path) -> Path:
    path = make_db(folder / "w.db")
    folder.chmod(0o555)
    return path


def damaged_page(folder: Path) -> Path:
    """A valid header and schema, but the claims table's page overwritten."""
    path = make_db(folder / "w.db")
    conn = sqlite3.connect(path)
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'claims'").fetchone()[0]
    conn.close()
    data = bytearray(path.read_bytes())
    start = (root - 1) * 4096
    data[start : start + 4096] = os.urandom(4096)
    path.write_bytes(bytes(data))
    return path


CASES: dict[str, tuple[Callable[[Path], Path], str]] = {
    "truncated": (truncated, "is truncated"),
    "random bytes": (random_bytes, "not an SQLite file"),
    "newer schema": (newer_schema, "schema revision 9999, newer than this program knows"),
    "another program's database": (other_sqlite, "not a workbench one"),
    "read-only file": (read_only_file, "is read-only; make it writable"),
    "read-only folder": (read_only_folder, "is read-only, and SQLite must write its journal"),
    "damaged page": (damaged_page, "is corrupted"),
}


@pytest.mark.parametrize("case", list(CASES))
@pytest.mark.parametrize("command", COMMANDS, ids=["read", "write"])
def test_bad_file_gets_a_clear_message_and_stays_untouched(
    case: str, command: tuple[str, ...], folder: Path, cli: Any
) -> None:
    make, expected = CASES[case]
    path = make(folder)
    before = state(path)
    result = cli(*command, db=str(path))
    assert result.code == 1, result.out
    assert result.err.startswith("workbench: error: "), result.err
    assert expected in result.err, result.err
    assert "Traceback" not in result.err
    assert result.err.count("\n") <= 2  # the message, and for a save the input to retry
    assert state(path) == before


def test_the_real_program_prints_no_traceback(folder: Path) -> None:
    path = truncated(folder)
    before = state(path)
    result = subprocess.run(
        [sys.executable, "-m", "workbench.cli", "--db", str(path), "claims"],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        cwd=ROOT,
        timeout=60,
    )
    assert result.returncode == 1
    assert result.stderr.startswith("workbench: error: database ") and "truncated" in result.stderr
    assert "Traceback" not in result.stderr
    assert state(path) == before


def fill_the_disk(monkeypatch: pytest.MonkeyPatch) -> None:
    """From now on every database the program opens cannot grow: SQLite then fails writes
    with SQLITE_FULL ("database or disk is full"), exactly as on a full disk."""
    original = store_module._install_sqlite_listeners

    def install(engine: Engine) -> None:
        original(engine)

        @event.listens_for(engine, "connect")
        def no_room(dbapi_connection: Any, _record: Any) -> None:
            dbapi_connection.execute("PRAGMA max_page_count = 1")  # = its current size

    monkeypatch.setattr(store_module, "_install_sqlite_listeners", install)


def test_full_disk_keeps_the_file_and_gives_the_input_back(
    folder: Path, cli: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = make_db(folder / "w.db")
    conn = sqlite3.connect(path)
    conn.execute("VACUUM")  # no free pages left to grow into
    conn.close()
    fill_the_disk(monkeypatch)
    before = state(path)
    long_claim = "The new bridge carries " + "forty thousand cars a day " * 150
    result = cli("claim", "add", long_claim.strip(), db=str(path))
    assert result.code == 1
    assert "the disk holding" in result.err and "is full; free some space" in result.err
    assert "nothing was saved; to try again, run: workbench --db" in result.err
    assert "Traceback" not in result.err
    assert state(path) == before
    listing = cli("claims", "--json", db=str(path))  # reading still works
    assert listing.code == 0 and len(listing.json()) == 30


def test_full_disk_during_backup_leaves_no_partial_file(
    folder: Path, cli: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = make_db(folder / "w.db")

    def no_space(*_args: Any) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(maintenance.os, "replace", no_space)
    before = state(path)
    result = cli("backup", str(folder / "b.db"), db=str(path))
    assert result.code == 1
    assert "is full; free some space" in result.err
    assert state(path) == before  # nothing left behind: no b.db, no partial file


def test_missing_folder_and_directory_as_database(tmp_path: Path, cli: Any) -> None:
    result = cli("claims", db=str(tmp_path / "nowhere" / "w.db"))
    assert result.code == 1 and "does not exist" in result.err
    assert not (tmp_path / "nowhere").exists()
    result = cli("claims", db=str(tmp_path))
    assert result.code == 1 and "is a directory" in result.err


def test_mode_bits_are_what_counts_even_for_root(folder: Path) -> None:
    """CI runs as root, where os.access says yes to everything: the read-only cases above
    must hold because of the mode bits, which this checks are really set."""
    path = read_only_file(folder)
    assert not path.stat().st_mode & stat.S_IWUSR
