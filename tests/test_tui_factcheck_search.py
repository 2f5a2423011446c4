"""Key f on a claim: earlier fact-checks from the (local) Fact Check Tools API, chosen ones
imported and matched; errors shown in the dialog, never a crash."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from factcheck_api_server import KEY, FactCheckApi
from sqlalchemy import select
from textual.widgets import SelectionList, Static
from tui_helpers import build_fixture, notifications, settle

from workbench import review
from workbench.config import Settings
from workbench.models import FactCheck, Match
from workbench.store import Store
from workbench.tui.app import WorkbenchApp
from workbench.tui.screens.claims import ClaimsScreen
from workbench.tui.screens.factcheck_search import FactCheckSearchDialog

SIZE = (140, 36)


@pytest.fixture
def api(monkeypatch: pytest.MonkeyPatch) -> Iterator[FactCheckApi]:
    server = FactCheckApi().start()
    monkeypatch.setenv("WORKBENCH_ALLOW_PRIVATE_NETWORKS", "1")
    yield server
    server.stop()


def app_with_claim(store: Store, settings: Settings) -> tuple[WorkbenchApp, int]:
    """The demo claims, then one the local API knows: the newest, so first in the list."""
    build_fixture(store)
    with store.write() as session:
        claim_id = review.add_claim(session, "tester", "Vaccine claim number 2 microchips").id
    return WorkbenchApp(
        store.url, reviewer="tester", settings=settings, refresh_interval=0
    ), claim_id


async def test_search_choose_and_import(store: Store, api: FactCheckApi) -> None:
    settings = Settings(factchecks={"api_key": KEY, "endpoint": api.endpoint})
    app, claim_id = app_with_claim(store, settings)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f")  # the new claim is first in the list (newest)
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, FactCheckSearchDialog)
        results = dialog.query_one("#search-results", SelectionList)
        # Claims 2, 12 and 20-29 of the server hold all these words ("2" in "21").
        assert results.option_count == 12
        status = str(dialog.query_one("#search-status", Static).render())
        assert "12 found" in status
        await pilot.press("space", "ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ClaimsScreen)
        assert any("1 earlier fact-check(s) imported" in n for n in notifications(app))
    with store.read() as session:
        assert list(session.scalars(select(FactCheck.url))) == ["https://checker2.test/check/2"]
        assert session.scalar(select(Match.target_kind).where(Match.claim_id == claim_id))


async def test_missing_key_is_said_in_the_dialog(store: Store, api: FactCheckApi) -> None:
    app, _claim_id = app_with_claim(store, Settings(factchecks={"endpoint": api.endpoint}))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, FactCheckSearchDialog)
        error = str(dialog.query_one("#error", Static).render())
        assert "no API key" in error
        await pilot.press("ctrl+s")  # nothing to import: it says so and stays
        await pilot.pause()
        assert isinstance(app.screen, FactCheckSearchDialog)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ClaimsScreen)
    assert api.requests == []
