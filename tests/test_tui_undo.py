"""Undo in the TUI (issue 18): `d`, a status change and `delete` each say what they did and
that `z` undoes it; `z` sets the claim back through the services, and says so when someone
else changed the claim meanwhile. Also in a real terminal (tmux)."""

from __future__ import annotations

import shlex
import time
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import OptionList
from tui_helpers import notifications, settle

from tests.tmux_helpers import NO_TMUX, TMUX, workbench_session
from tests.tmux_helpers import tmux as _tmux
from tests.tmux_helpers import wait_for as _wait_for
from workbench.claims.reading import get_claim
from workbench.claims.service import set_status
from workbench.config import Settings
from workbench.core.results import ClaimAt
from workbench.storage.store import Store, database_url
from workbench.tui.app import WorkbenchApp
from workbench.tui.screens.modals import StatusDialog
from workbench.tui.screens.pickers import RemoveSourceDialog

SIZE = (120, 32)


def _status(store: Store, claim_id: int) -> str:
    with store.read() as session:
        return get_claim(session, claim_id).claim.status


async def test_d_then_z_dismisses_and_brings_the_claim_back(store: Store, cli: Any) -> None:
    claim_id = int(cli("claim", "add", "Tram fares doubled", "--json").json()["id"])
    assert cli("status", str(claim_id), "in-progress").code == 0
    app = WorkbenchApp(store.url, reviewer="ann", refresh_interval=0)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("d")
        await settle(pilot)
        assert f"Dismissed claim {claim_id} - press z to undo" in notifications(app)
        assert _status(store, claim_id) == "dismissed"
        await pilot.press("z")
        await settle(pilot)
        said = notifications(app)[-1]
        assert said.startswith(f"Undone: Dismissed claim {claim_id}"), notifications(app)
        assert f"claim {claim_id} is in-progress again" in said
        assert _status(store, claim_id) == "in-progress"
        await pilot.press("z")
        await settle(pilot)
        assert notifications(app)[-1] == "Nothing to undo yet."
    with store.read() as session:
        history = get_claim(session, claim_id).history
    assert [e.after["status"] for e in history[-2:] if e.after] == ["dismissed", "in-progress"]
    assert history[-1].reviewer == "ann"


async def test_z_after_someone_else_changed_the_claim_changes_nothing(
    store: Store, cli: Any
) -> None:
    claim_id = int(cli("claim", "add", "Rents rose 9 percent", "--json").json()["id"])
    app = WorkbenchApp(store.url, reviewer="ann", refresh_interval=0)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("d")
        await settle(pilot)
        with store.write() as session:
            set_status(session, "bob", ClaimAt(claim_id), "in-progress")
        await pilot.press("z")
        await settle(pilot)
        said = notifications(app)[-1]
        assert f"claim {claim_id} was changed by bob" in said and "nothing was undone" in said
    assert _status(store, claim_id) == "in-progress"


async def test_z_undoes_a_status_change_and_keeps_the_key_as_remapped(
    store: Store, cli: Any
) -> None:
    claim_id = int(cli("claim", "add", "Bus lanes halved delays", "--json").json()["id"])
    settings = Settings(keymap={"app.undo": "U"})
    app = WorkbenchApp(store.url, reviewer="ann", refresh_interval=0, settings=settings)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        await pilot.press("down", "enter")  # from new (highlighted) to the next status
        await settle(pilot)
        assert _status(store, claim_id) == "in-progress"
        assert f"Claim {claim_id} is now in-progress - press U to undo" in notifications(app)
        await pilot.press("U")
        await settle(pilot)
    assert _status(store, claim_id) == "new"


async def test_z_attaches_a_removed_source_again(store: Store, cli: Any) -> None:
    claim_id = int(cli("claim", "add", "Tram fares doubled", "--json").json()["id"])
    cli("source", "cite", str(claim_id), "Fare table 2026", "--stance", "refutes", "--json")
    app = WorkbenchApp(store.url, reviewer="ann", refresh_interval=0)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("delete")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, RemoveSourceDialog)
        dialog.query_one("#remove-choice", OptionList).highlighted = 0
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert f"Claim {claim_id}: source removed - press z to undo" in notifications(app)
        with store.read() as session:
            assert get_claim(session, claim_id).evidence == []
        await pilot.press("z")
        await settle(pilot)
        assert "Fare table 2026 is attached to claim" in notifications(app)[-1]
    with store.read() as session:
        [evidence] = get_claim(session, claim_id).evidence
    assert (evidence.source.citation, evidence.stance) == ("Fare table 2026", "refutes")


@pytest.mark.skipif(TMUX is None, reason=NO_TMUX)
def test_dismiss_and_undo_in_a_real_terminal(tmp_path: Path, cli: Any, db_url: str) -> None:
    if not db_url.startswith("sqlite"):
        pytest.skip("the terminal test runs on a SQLite file")
    claim_id = int(cli("claim", "add", "The bridge cost twice the budget", "--json").json()["id"])
    with workbench_session(
        tmp_path, f"--db {shlex.quote(db_url)} --reviewer tmuxer tui"
    ) as session:
        _wait_for(session, "The bridge cost")
        _wait_for(session, "z Undo")  # the key bar shows the key
        _tmux("send-keys", "-t", session, "d")
        _wait_for(session, "press z to undo")
        assert _status_of(db_url, claim_id) == "dismissed"
        time.sleep(0.4)
        _tmux("send-keys", "-t", session, "z")
        _wait_for(session, "is new again")
    assert _status_of(db_url, claim_id) == "new"


def _status_of(db_url: str, claim_id: int) -> str:
    store = Store(database_url(db_url))
    try:
        return _status(store, claim_id)
    finally:
        store.dispose()


async def test_bulk_status_changes_the_claims_the_list_shows_and_z_sets_each_back(
    store: Store, cli: Any
) -> None:
    ids = [
        int(cli("claim", "add", text, "--json").json()["id"])
        for text in ("Tram fares doubled", "Tram lines close at night", "Rents rose 9 percent")
    ]
    assert cli("status", str(ids[1]), "in-progress").code == 0
    app = WorkbenchApp(store.url, reviewer="ann", refresh_interval=0)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"tram", "escape")  # the list shows the two tram claims
        await settle(pilot)
        await pilot.press("S")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, StatusDialog)
        assert "2 claims (z undoes it)" in str(dialog.query_one(".dialog-claim").render())
        await pilot.press("end", "enter")  # dismissed, the last status
        await settle(pilot)
        assert "Set 2 claims to dismissed - press z to undo" in notifications(app)
        assert [_status(store, i) for i in ids] == ["dismissed", "dismissed", "new"]
        await pilot.press("z")
        await settle(pilot)
        assert notifications(app)[-1].startswith("Undone: Set 2 claims to dismissed")
    assert [_status(store, i) for i in ids] == ["new", "in-progress", "new"]
