"""The terminal UI and CLI processes on one SQLite file at once (issue 12): a real
`workbench tui` in tmux driven by keystrokes, CLI writers and readers, in every start order;
and backup, check and restore while the UI has the file open. The rounds themselves are in
tests/multiprocess_harness.py (benchmarks/multiprocess_soak.py runs many of them)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tests.conftest import PG_URL
from tests.multiprocess_harness import ORDERS, READY, Cli, Ledger, TerminalUi, run_round
from tests.tmux_helpers import NO_TMUX, TMUX

pytestmark = [
    pytest.mark.skipif(TMUX is None, reason=NO_TMUX),
    pytest.mark.skipif(bool(PG_URL), reason="SQLite files shared by processes"),
]

WRITERS, WRITES = 2, 3


@pytest.mark.parametrize("order", ORDERS)
def test_ui_and_cli_share_one_file(order: str, tmp_path: Path) -> None:
    result = run_round(
        order, tmp_path / "round", writers=WRITERS, readers=1, writes=WRITES, reads=2
    )
    assert result.problems == [], "\n".join(result.problems)
    # Every writer's claims, status changes and verdicts, and the UI's claim and status.
    by = {ack.by for ack in result.acked}
    assert {f"writer{n}" for n in range(WRITERS)} | {"ui"} <= by
    kinds = sorted(ack.what for ack in result.acked if ack.by != "setup")
    extra_creator = 1 if order == "cli-creates" else 0
    assert kinds.count("claim") == WRITERS * WRITES + 1 + extra_creator
    assert kinds.count("status") == WRITERS + 1 and kinds.count("verdict") == WRITERS


def _texts(db: Path) -> list[str]:
    conn = sqlite3.connect(db)
    try:
        return sorted(row[0] for row in conn.execute("SELECT text FROM claims"))
    finally:
        conn.close()


def test_backup_check_and_restore_while_the_ui_has_the_file_open(tmp_path: Path) -> None:
    db = tmp_path / "shared.db"
    cli = Cli(db, tmp_path)
    ledger = Ledger()
    for text in ("The tower is 300 m tall.", "The dam is 80 m high."):
        assert cli.json(ledger, "ana", "claim", "add", text) is not None, ledger.refused
    assert cli.run("ana", "backup", str(tmp_path / "early.db")).returncode == 0
    assert cli.json(ledger, "ana", "claim", "add", "The canal was dug in 1820.") is not None
    ui = TerminalUi(cli, tmp_path, "tui")
    ui.start()
    try:
        ui.wait_for(READY, timeout=90)
        before = _texts(db)
        backup = cli.run("ana", "backup", str(tmp_path / "while-open.db"))
        assert backup.returncode == 0, backup.stderr
        assert "3 claims" in backup.stdout
        check = cli.run("ana", "check")
        assert check.returncode == 0, check.stderr
        restore = cli.run("ana", "restore", str(tmp_path / "early.db"))
        assert restore.returncode == 1
        assert "in use by another program" in restore.stderr
        assert "close it and run restore again; nothing was changed" in restore.stderr
        assert "Traceback" not in restore.stderr
        assert _texts(db) == before
        assert not [p for p in tmp_path.iterdir() if ".bak-" in p.name or ".partial" in p.name]
        # The UI still writes to the same database, and the CLI sees it at once.
        ui.keys("n")
        ui.wait_for("Add a claim")
        ui.type("The bridge is 120 m long.")
        ui.keys("C-s")
        ui.wait_for("Claim added")
        listed = cli.json(ledger, "ana", "claims", "--search", "bridge")
        assert [c["text"] for c in listed] == ["The bridge is 120 m long."]
        assert ui.quit() == 0
    finally:
        ui.close()
    assert ui.deleted == set()
    assert cli.run("ana", "check").returncode == 0
    # Once the UI is closed, restore goes ahead (and keeps what it replaced).
    restored = cli.run("ana", "restore", str(tmp_path / "while-open.db"))
    assert restored.returncode == 0, restored.stderr
    assert _texts(db) == before
    assert cli.run("ana", "check").returncode == 0
