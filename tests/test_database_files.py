"""No process of the workbench opens a database file outside SQLite (issue 12).

Closing any descriptor of an SQLite file drops every POSIX lock the process holds on it, so
another process may delete the write-ahead log under this one's connections. The guard test
runs a real workload (two Stores on one file, CLI commands in-process, backup, restore,
import, export, ingest, demo, the TUI) while Python's own ways of opening a file refuse any
path that is a database or one of its journal files; a change that reads such a file with
open() (as check_sqlite_header once did) fails it."""

from __future__ import annotations

import builtins
import io
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import PG_URL
from workbench.claims.reading import get_claim
from workbench.claims.service import add_claim
from workbench.listing.queries import list_claims
from workbench.storage.dbfiles import in_use_elsewhere, is_database_file
from workbench.storage.store import Store, database_url

pytestmark = pytest.mark.skipif(bool(PG_URL), reason="SQLite files")

DATABASE_NAME = re.compile(r"\.db(-wal|-shm|-journal)?$")

# Holds a connection to the database in WAL mode, idle, until its stdin closes.
HOLDER = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1])
conn.execute("PRAGMA journal_mode = WAL")
conn.execute("SELECT COUNT(*) FROM sqlite_master").fetchall()
print("ready", flush=True)
sys.stdin.read()
"""


class RawOpenSeen(AssertionError):
    """A database file was opened outside SQLite."""


@contextmanager
def database_files_guarded(folder: Path) -> Iterator[list[str]]:
    """While active, builtins.open, io.open and os.open refuse every path in `folder` named
    like a database or one of its journal files, and note it (a caller that swallows the
    exception is still caught by the list)."""
    seen: list[str] = []
    real_open, real_os_open = builtins.open, os.open
    root = folder.resolve()

    def check(file: Any) -> None:
        if isinstance(file, int):
            return
        path = Path(os.fsdecode(file)).resolve()
        if path.is_relative_to(root) and DATABASE_NAME.search(path.name):
            seen.append(str(path))
            raise RawOpenSeen(f"{path} opened outside SQLite")

    def guarded_open(file: Any, *args: Any, **kwargs: Any) -> Any:
        check(file)
        return real_open(file, *args, **kwargs)

    def guarded_os_open(path: Any, *args: Any, **kwargs: Any) -> int:
        check(path)
        return real_os_open(path, *args, **kwargs)

    builtins.open = io.open = guarded_open
    os.open = guarded_os_open
    try:
        yield seen
    finally:
        builtins.open = io.open = real_open
        os.open = real_os_open


def test_the_guard_sees_a_raw_open(tmp_path: Path) -> None:
    db = tmp_path / "w.db"
    Store(database_url(db)).dispose()
    with database_files_guarded(tmp_path) as seen:
        with pytest.raises(RawOpenSeen):
            db.read_bytes()
        with pytest.raises(RawOpenSeen):
            os.open(f"{db}-wal", os.O_RDONLY | os.O_CREAT)
        (tmp_path / "notes.txt").write_text("not a database")
    assert seen == [str(db.resolve()), str(tmp_path.resolve() / "w.db-wal")]


def _pilot_adds_a_claim(db: Path) -> None:
    import asyncio

    from workbench.tui.app import WorkbenchApp

    async def drive() -> None:
        app = WorkbenchApp(database_url(db), reviewer="tui", refresh_interval=0.2)
        async with app.run_test() as pilot:
            await pilot.press("r")
            await pilot.press("n")
            await pilot.press(*"Guarded UI claim")
            await pilot.press("ctrl+s")
            for _ in range(100):
                await pilot.pause(0.05)
                if not app.workers:
                    break
            await pilot.press("q")

    asyncio.run(drive())


def test_no_database_file_is_opened_outside_sqlite(tmp_path: Path, cli: Any) -> None:
    db, demo, backup = tmp_path / "main.db", tmp_path / "demo.db", tmp_path / "copy.db"
    url = database_url(db)
    article = tmp_path / "article.txt"
    article.write_text("The new bridge cost 12 million euros in 2024, the mayor said.\n")
    claims = tmp_path / "claims.csv"
    claims.write_text("text,score\nRents rose 8% last year.,0.5\n")
    with database_files_guarded(tmp_path) as seen:
        first = Store(url)  # creates the file
        with first.write() as session:
            claim = add_claim(session, "ana", "The tower is 300 m tall.")
        second = Store(url)  # a second store in a process that holds connections
        with second.read() as session:
            assert get_claim(session, claim.id).claim.text == "The tower is 300 m tall."
        steps = [
            ("claim", "add", "The dam is 80 m high."),
            ("verdict", str(claim.id), "false", "--rationale", "It is 280 m"),
            ("claims", "--json"),
            ("init",),
            ("ingest", str(article)),
            ("import", str(claims)),
            ("export", "--format", "html", "-o", str(tmp_path / "report.html")),
            ("export", "--format", "json", "-o", str(tmp_path / "report.json")),
            ("import", str(tmp_path / "report.json")),
            ("backup", str(backup)),
            ("check",),
            ("history", str(claim.id)),
        ]
        for step in steps:
            result = cli(*step, db=url)
            assert result.code == 0, (step, result.err)
        # The database given where a file to read or write is expected: refused, unopened.
        for step in (
            ("import", str(db)),
            ("ingest", f"{db}-wal"),
            ("export", "--format", "csv", "-o", str(db)),
            ("export", "--format", "warc", "-o", f"{db}-shm"),
        ):
            result = cli(*step, db=url)
            assert result.code == 1 and "is the workbench database itself" in result.err, step
        _pilot_adds_a_claim(db)
        found = cli("claims", "--search", "Guarded", "--json", db=url)
        assert [c["text"] for c in found.json()] == ["Guarded UI claim"], found.err
        first.dispose()
        second.dispose()
        assert cli("restore", str(backup), db=url).code == 0
        assert cli("demo", "--no-tui", "--db", str(demo)).code == 0
        assert cli("demo", "--no-tui", "--reset", "--db", str(demo)).code == 0
        assert cli("check", db=url).code == 0
    assert seen == []
    with Store(url).read() as session:  # the UI's claim was written through SQLite too
        texts = {c.text for c in list_claims(session, limit=100)}
    assert "Guarded UI claim" not in texts  # restore put the backup (taken before it) back
    assert "The dam is 80 m high." in texts


def test_a_database_is_known_by_its_names_and_its_links(tmp_path: Path) -> None:
    db = tmp_path / "w.db"
    Store(database_url(db)).dispose()
    os.link(db, tmp_path / "hard-link")
    (tmp_path / "soft-link").symlink_to(db)
    for name in ("w.db", "w.db-wal", "w.db-shm", "w.db-journal", "hard-link", "soft-link"):
        assert is_database_file(tmp_path / name, db), name
    (tmp_path / "other.txt").write_text("x")
    assert not is_database_file(tmp_path / "other.txt", db)
    assert not is_database_file(tmp_path / "w.db.txt", db)


@contextmanager
def held_open_elsewhere(db: Path) -> Iterator[None]:
    """Another process with an idle WAL connection to `db`."""
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(db)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
        yield
    finally:
        assert holder.stdin is not None
        holder.stdin.close()
        holder.wait(timeout=20)


def test_in_use_elsewhere_asks_sqlite(tmp_path: Path) -> None:
    db = tmp_path / "w.db"
    Store(database_url(db)).dispose()
    assert not in_use_elsewhere(db)
    with held_open_elsewhere(db):
        assert in_use_elsewhere(db)
        assert Path(f"{db}-wal").exists()  # the probe deleted nothing from under the holder
    assert not in_use_elsewhere(db)
    assert not in_use_elsewhere(tmp_path / "missing.db")
    (tmp_path / "text.db").write_text("not a database at all, just some words in a file")
    assert not in_use_elsewhere(tmp_path / "text.db")


def test_demo_reset_refuses_while_the_demo_is_open(tmp_path: Path, cli: Any) -> None:
    demo = tmp_path / "demo.db"
    assert cli("demo", "--no-tui", "--db", str(demo)).code == 0
    with held_open_elsewhere(demo):
        result = cli("demo", "--no-tui", "--reset", "--db", str(demo))
        assert result.code == 1
        assert "is open in another program" in result.err and "demo --reset" in result.err
        assert Path(f"{demo}-wal").exists() and Path(f"{demo}-shm").exists()
    rebuilt = cli("demo", "--no-tui", "--reset", "--db", str(demo))
    assert rebuilt.code == 0 and "demo database built" in rebuilt.out, rebuilt.err
