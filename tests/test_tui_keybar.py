"""The key bar (issue 18): on the claim screen it lists every key that works there (the
secondary ones too: u, e, d, F, delete, z...), wrapped to fit an 80-column terminal; each
key, on whatever line, is clickable."""

from __future__ import annotations

from textual.binding import Binding
from tui_helpers import demo_app, settle

from workbench.storage.store import Store
from workbench.tui.bindings import APP_BINDINGS
from workbench.tui.screens.claim import ClaimScreen
from workbench.tui.screens.claims import ClaimsScreen
from workbench.tui.screens.modals import AttachUrlDialog
from workbench.tui.widgets.keybar import KeyBar


async def test_the_claim_screen_lists_every_key_that_works_there_at_80_columns(
    store: Store,
) -> None:
    app = demo_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ClaimScreen)
        bar = app.screen.query_one(KeyBar)
        keys = {e.key for e in bar.entries}
        for binding in Binding.make_bindings(APP_BINDINGS):
            assert binding.key in keys, binding.key
        assert {"u", "e", "d", "F", "delete", "z", "escape"} <= keys
        assert all(e.end <= 80 for e in bar.entries)
        rows = max(e.row for e in bar.entries) + 1
        assert rows > 1 and bar.size.height == rows  # wrapped, and every line is drawn
        drawn = str(bar.render())
        assert "del Remove source" in drawn and "z Undo" in drawn and "esc Back" in drawn
        # A key on a wrapped line is pressed by a click, like one on the first.
        column, row = bar.offset_of("u")
        assert row > 0
        await pilot.click(KeyBar, offset=(column + 1, row))
        await settle(pilot)
        assert isinstance(app.screen, AttachUrlDialog)


async def test_the_claims_list_keeps_its_main_keys_on_one_line_when_they_fit(
    store: Store,
) -> None:
    app = demo_app(store)
    async with app.run_test(size=(140, 30)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, ClaimsScreen)
        bar = app.screen.query_one(KeyBar)
        keys = {e.key for e in bar.entries}
        assert "d" not in keys and "v" in keys  # secondary keys stay in help there
        assert {e.row for e in bar.entries} == {0} and bar.size.height == 1
        await pilot.resize_terminal(60, 30)
        await settle(pilot)
        assert max(e.row for e in bar.entries) >= 1
        assert all(e.end <= 60 for e in bar.entries)
