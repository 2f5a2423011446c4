"""Bad input: exit 1, one line on stderr naming the problem and the fix, no traceback, and
the database untouched."""

from __future__ import annotations

import hashlib
import os
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import PG_URL, run_workbench


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else "missing"


def _single_clear_line(err: str) -> str:
    assert "Traceback" not in err
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    assert lines[0].startswith("workbench: error: ")
    return lines[0]


@pytest.fixture
def claim_db(cli: Any) -> Any:
    claim = cli("claim", "add", "Water use fell 12% last year", "--json").json()
    return claim["id"]


def test_verdict_on_missing_claim(cli: Any, claim_db: int) -> None:
    before = cli("history", str(claim_db), "--json").out
    result = cli("verdict", "999", "true", "--rationale", "x")
    assert result.code == 1
    line = _single_clear_line(result.err)
    assert "claim 999 does not exist" in line and "workbench claims" in line
    assert cli("history", str(claim_db), "--json").out == before


def test_unknown_rating_lists_valid_ones(cli: Any, claim_db: int) -> None:
    result = cli("verdict", str(claim_db), "pants-on-fire", "--rationale", "x")
    assert result.code == 1
    line = _single_clear_line(result.err)
    assert "pants-on-fire" in line and "mostly-true" in line and "unverifiable" in line
    assert cli("claim", "show", str(claim_db), "--json").json()["status"] == "new"


@pytest.mark.parametrize("rationale", ["", "   \n\t"])
def test_empty_rationale(cli: Any, claim_db: int, rationale: str) -> None:
    result = cli("verdict", str(claim_db), "true", "--rationale", rationale)
    assert result.code == 1
    assert "rationale is empty" in _single_clear_line(result.err)
    assert len(cli("history", str(claim_db), "--json").json()) == 1


@pytest.mark.parametrize("text", ["", "    "])
def test_empty_claim_text(cli: Any, text: str) -> None:
    result = cli("claim", "add", text)
    assert result.code == 1
    assert "claim text is empty" in _single_clear_line(result.err)
    assert cli("claims", "--json").json() == []


def test_unknown_stance(cli: Any, claim_db: int) -> None:
    result = cli("source", "cite", str(claim_db), "A report", "--stance", "maybe")
    assert result.code == 1
    assert "supports, refutes, context" in _single_clear_line(result.err)


def test_usage_error_exits_2(cli: Any) -> None:
    assert cli("verdict", "not-a-number", "true", "--rationale", "x").code == 2
    assert cli("frobnicate").code == 2


needs_sqlite = pytest.mark.skipif(bool(PG_URL), reason="SQLite file checks")


@needs_sqlite
def test_db_path_is_a_directory(tmp_path: Path) -> None:
    result = run_workbench("--db", str(tmp_path), "claims")
    assert result.returncode == 1
    assert "is a directory" in _single_clear_line(result.stderr)
    assert list(tmp_path.iterdir()) == []


@needs_sqlite
def test_db_is_not_a_database(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_text("These are my notes, not a database.\n" * 20)
    before = _digest(path)
    result = run_workbench("--db", str(path), "claim", "add", "Something")
    assert result.returncode == 1
    assert "not a workbench database" in _single_clear_line(result.stderr)
    assert _digest(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.db"]


@needs_sqlite
def test_db_random_bytes_and_foreign_sqlite(tmp_path: Path) -> None:
    path = tmp_path / "random.db"
    path.write_bytes(os.urandom(8192))
    result = run_workbench("--db", str(path), "claims")
    assert result.returncode == 1
    _single_clear_line(result.stderr)

    other = tmp_path / "other.db"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE recipes (name TEXT)")
    conn.commit()
    conn.close()
    before = _digest(other)
    result = run_workbench("--db", str(other), "claims")
    assert result.returncode == 1
    assert "not a workbench one" in _single_clear_line(result.stderr)
    assert _digest(other) == before


@needs_sqlite
def test_db_truncated(tmp_path: Path) -> None:
    path = tmp_path / "work.db"
    assert run_workbench("--db", str(path), "demo", "--no-tui").returncode == 0
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    for suffix in ("-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    before = _digest(path)
    result = run_workbench("--db", str(path), "claims")
    assert result.returncode == 1
    line = _single_clear_line(result.stderr)
    assert "truncated" in line and "backup" in line
    assert _digest(path) == before


@needs_sqlite
def test_db_read_only(tmp_path: Path) -> None:
    path = tmp_path / "ro.db"
    assert run_workbench("--db", str(path), "claim", "add", "Ferries run hourly").returncode == 0
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    path.chmod(0o444)
    try:
        before = _digest(path)
        result = run_workbench("--db", str(path), "claim", "add", "Another claim")
        assert result.returncode == 1
        assert "read-only" in _single_clear_line(result.stderr)
        assert _digest(path) == before
    finally:
        path.chmod(0o644)


@needs_sqlite
def test_db_in_missing_folder(tmp_path: Path) -> None:
    result = run_workbench("--db", str(tmp_path / "nope" / "x.db"), "claims")
    assert result.returncode == 1
    assert "does not exist" in _single_clear_line(result.stderr)


def test_unknown_driver() -> None:
    result = run_workbench("--db", "oracle+nosuch://u@h/db", "claims")
    assert result.returncode == 1
    line = _single_clear_line(result.stderr)
    assert "unknown database driver" in line and "postgresql+psycopg" in line


def test_broken_config_names_file_and_line(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text('reviewer = "ana"\n[fetch]\nmax_bytes = "lots"\n')
    result = run_workbench("ratings", env={"WORKBENCH_CONFIG": str(config)})
    assert result.returncode == 1
    line = _single_clear_line(result.stderr)
    assert str(config) in line and "line 3" in line and "fetch.max_bytes" in line
    config.write_text("reviewer = \n")
    result = run_workbench("ratings", env={"WORKBENCH_CONFIG": str(config)})
    assert result.returncode == 1
    assert "not valid TOML" in _single_clear_line(result.stderr)
