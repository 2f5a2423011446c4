"""Who is working, on one person's SQLite file: the name given, else the login name; the
team-server commands say they need PostgreSQL. (The PostgreSQL side: test_team_roles.py.)"""

from __future__ import annotations

import getpass
from typing import Any

import pytest

from tests.conftest import PG_URL

pytestmark = pytest.mark.skipif(bool(PG_URL), reason="SQLite identity")


def test_sqlite_records_the_name_given(cli: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    added = cli("--reviewer", "ana", "claim", "add", "Tram fares fell by a third", "--json")
    assert added.code == 0, added.err
    claim = str(added.json()["id"])
    assert cli("history", claim, "--json").json()[0]["reviewer"] == "ana"
    monkeypatch.delenv("WORKBENCH_REVIEWER")  # no flag, no variable: the login name
    assert cli("verdict", claim, "false", "--rationale", "Fare table").code == 0
    shown = cli("claim", "show", claim, "--json").json()
    assert shown["verdict"]["reviewer"] == getpass.getuser()


@pytest.mark.parametrize(
    "args",
    [("users", "list"), ("users", "add", "bob", "--role", "reviewer"), ("init", "--owner")],
)
def test_team_server_commands_need_postgresql(cli: Any, args: tuple[str, ...]) -> None:
    result = cli(*args)
    assert result.code == 1
    lines = result.err.strip().splitlines()
    assert len(lines) == 1 and "PostgreSQL" in lines[0], result.err


def test_tui_takes_the_name_given_on_sqlite(db_url: str) -> None:
    from workbench.tui.app import WorkbenchApp

    app = WorkbenchApp(db_url, reviewer=" ana ")
    try:
        assert app.reviewer == "ana"
    finally:
        app.store.dispose()
