"""The short-form dialog of the TUI (key t): set, counted, cleared, and kept on a conflict."""

from __future__ import annotations

from textual.widgets import Input, Static
from tui_helpers import demo_app, notifications, settle

from workbench.claims import summary as claim_summary
from workbench.claims.service import set_status
from workbench.core.results import ClaimAt
from workbench.storage.store import Store
from workbench.tui.screens.claim import ClaimScreen
from workbench.tui.screens.claims import ClaimsScreen
from workbench.tui.screens.summary import SummaryDialog

SIZE = (120, 32)


def summary_of(store: Store, claim_id: int) -> str | None:
    with store.read() as session:
        return claim_summary.get_summary(session, claim_id)


async def test_set_and_clear_the_short_form(store: Store) -> None:
    app = demo_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("down")  # claim 5
        await pilot.press("t")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, SummaryDialog)
        field = dialog.query_one("#summary-text", Input)
        field.value = "Museum holds 40 items " + "x" * 60
        await pilot.pause()
        count = str(dialog.query_one("#summary-count", Static).render())
        assert "Google advises under 75" in count
        field.value = "Museum holds 40 items"
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ClaimsScreen)
        assert "Claim 5: summary saved" in notifications(app)
    assert summary_of(store, 5) == "Museum holds 40 items"


async def test_short_form_shows_on_the_claim_screen_and_clears(store: Store) -> None:
    app = demo_app(store)
    with store.write() as session:
        claim_summary.set_summary(session, "tester", ClaimAt(5), "Museum holds 40 items")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("down", "enter")
        await settle(pilot)
        assert isinstance(app.screen, ClaimScreen)
        text = str(app.screen.query_one("#claim-text", Static).render())
        assert "Short form (t): Museum holds 40 items" in text
        await pilot.press("t")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, SummaryDialog)
        assert dialog.query_one("#summary-text", Input).value == "Museum holds 40 items"
        dialog.query_one("#summary-text", Input).value = ""
        await pilot.press("ctrl+s")
        await settle(pilot)
    assert summary_of(store, 5) is None


async def test_conflict_reopens_with_the_input_kept(store: Store) -> None:
    app = demo_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("down", "t")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, SummaryDialog)
        with store.write() as session:  # someone else edits claim 5 meanwhile
            set_status(session, "ann", ClaimAt(5), "dismissed")
        dialog.query_one("#summary-text", Input).value = "My short form"
        await pilot.press("ctrl+s")
        await settle(pilot)
        again = app.screen
        assert isinstance(again, SummaryDialog)
        assert again.query_one("#summary-text", Input).value == "My short form"
        await pilot.press("ctrl+s")
        await settle(pilot)
    assert summary_of(store, 5) == "My short form"
