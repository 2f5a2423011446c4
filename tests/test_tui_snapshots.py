"""SVG snapshots of the main screens (pytest-textual-snapshot), on a fixed terminal size and
a demo database whose timestamps are frozen, so they change only when the UI does.
Update with `pytest tests/test_tui_snapshots.py --snapshot-update`, after looking at them."""

from __future__ import annotations

from typing import Any

import pytest
from textual.pilot import Pilot
from tui_helpers import choose_rating, freeze_times, settle

from workbench.demo import build_demo
from workbench.storage.store import Store
from workbench.tui.app import WorkbenchApp

SIZE = (120, 34)


@pytest.fixture
def snap_app(store: Store) -> WorkbenchApp:
    if store.sqlite_path is None:
        pytest.skip("snapshots use the SQLite demo database (fixed times are set with sqlite3)")
    build_demo(store)
    freeze_times(store)  # before the app exists: it starts reading at once
    return WorkbenchApp(store.url, reviewer="snapper", refresh_interval=0)


def test_claims_screen(snap_app: WorkbenchApp, snap_compare: Any) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await pilot.press("down", "down")

    assert snap_compare(snap_app, terminal_size=SIZE, run_before=run_before)


def test_claim_screen(snap_app: WorkbenchApp, snap_compare: Any) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await pilot.press("end", "enter")  # claim 1: sources, verdict, approval
        await settle(pilot)

    assert snap_compare(snap_app, terminal_size=SIZE, run_before=run_before)


def test_verdict_modal(snap_app: WorkbenchApp, snap_compare: Any) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await pilot.press("down", "v")
        await pilot.pause()
        choose_rating(pilot.app.screen, "mixed")
        await pilot.press("ctrl+s")  # no rationale: the dialog says why it stays open
        await pilot.pause()

    assert snap_compare(snap_app, terminal_size=SIZE, run_before=run_before)


def test_help_screen(snap_app: WorkbenchApp, snap_compare: Any) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()

    assert snap_compare(snap_app, terminal_size=(120, 44), run_before=run_before)
