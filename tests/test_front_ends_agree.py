"""One scenario through each front end (issue 13): add a claim, cite a source, attach and
fetch a URL from a local server, a verdict, a blind second verdict, an approval, an export.
Both front ends call the same services, so both databases and everything a reviewer is
shown must come out the same."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Checkbox, Input, Select, TextArea
from tui_helpers import choose_rating, settle

from workbench.claims.reading import get_claim
from workbench.storage.models import Event, Verdict
from workbench.storage.store import Store
from workbench.tui.app import WorkbenchApp
from workbench.tui.screens.claim import ClaimScreen
from workbench.tui.screens.export import ExportDialog
from workbench.tui.screens.modals import (
    AddClaimDialog,
    AssignDialog,
    AttachUrlDialog,
    CiteDialog,
    VerdictDialog,
)
from workbench.tui.widgets.claims_table import ClaimsTable

SIZE = (120, 32)
CLAIM = "The city cut bus fares by half in 2025"
CITATION = "Council minutes, 3 March 2025"
FIRST = "The minutes record a cut of a fifth, not a half."
SECOND = "Fares fell from 2.50 to 2.00 euros: a fifth."
PAGE = (
    "<html><head><title>Fares 2025</title></head><body><article><p>Bus fares fell from 2.50 "
    "to 2.00 euros in 2025, the council said.</p></article></body></html>"
)
VOLATILE = {"id", "at", "created_at", "updated_at", "fetched_at", "exported_at", "generated_at"}


def _stable(value: Any) -> Any:
    """A result without what differs between two runs: ids, times, hashes of times."""
    if isinstance(value, dict):
        return {
            k: _stable(v)
            for k, v in value.items()
            if k not in VOLATILE and not k.endswith(("_id", "_at", "hash"))
        }
    if isinstance(value, list):
        return [_stable(v) for v in value]
    return value


def _database(store: Store) -> dict[str, Any]:
    with store.read() as session:
        detail = get_claim(session, 1)
        verdicts = [
            (v.reviewer, v.rating, v.rationale, v.blind)
            for v in session.query(Verdict).order_by(Verdict.id)
        ]
        events = [(e.reviewer, e.action) for e in session.query(Event).order_by(Event.id)]
    return {
        "claim": _stable(detail.claim.to_json()),
        "evidence": _stable([e.to_json() for e in detail.evidence]),
        "verdicts": verdicts,
        "events": events,
    }


def _by_cli(cli: Any, db: str, url: str, report: Path) -> dict[str, Any]:
    def run(reviewer: str, *args: str) -> Any:
        result = cli("--reviewer", reviewer, *args, db=db)
        assert result.code == 0, result.err
        return result

    run("ann", "claim", "add", CLAIM)
    run("ann", "source", "cite", "1", CITATION, "--stance", "refutes")
    run("ann", "source", "add", "1", url, "--stance", "refutes")
    run("ann", "verdict", "1", "mostly-false", "--rationale", FIRST)
    run("ann", "assign", "1", "bob", "--blind")
    shown_to_bob = run("bob", "claim", "show", "1", "--json").json()
    run("bob", "verdict", "1", "false", "--rationale", SECOND)
    run("ed", "approve", "1")
    run("ed", "export", "--format", "json", "-o", str(report))
    return shown_to_bob  # type: ignore[no-any-return]


async def _as(url: str, reviewer: str) -> WorkbenchApp:
    return WorkbenchApp(url, reviewer=reviewer, refresh_interval=0)


async def _by_tui(store: Store, url: str, report: Path) -> dict[str, Any]:
    app = await _as(store.url, "ann")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("n")
        assert isinstance(app.screen, AddClaimDialog)
        app.screen.query_one("#claim-text", Input).value = CLAIM
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("c")
        dialog = app.screen
        assert isinstance(dialog, CiteDialog)
        dialog.query_one("#citation", Input).value = CITATION
        dialog.query_one("#stance", Select).value = "refutes"
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("u")
        dialog = app.screen
        assert isinstance(dialog, AttachUrlDialog)
        dialog.query_one("#url", Input).value = url
        dialog.query_one("#stance", Select).value = "refutes"
        await pilot.press("ctrl+s")
        await settle(pilot, rounds=5)
        await pilot.press("v")
        dialog = app.screen
        assert isinstance(dialog, VerdictDialog)
        choose_rating(dialog, "mostly-false")
        dialog.query_one("#rationale", TextArea).text = FIRST
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("w")
        dialog = app.screen
        assert isinstance(dialog, AssignDialog)
        dialog.query_one("#assignee", Input).value = "bob"
        dialog.query_one("#blind", Checkbox).value = True
        await pilot.press("ctrl+s")
        await settle(pilot)
    app = await _as(store.url, "bob")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.screen.query_one(ClaimsTable).rows[0].rating is None
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ClaimScreen) and screen.detail is not None
        shown_to_bob = screen.detail.to_json()
        await pilot.press("v")
        dialog = app.screen
        assert isinstance(dialog, VerdictDialog)
        choose_rating(dialog, "false")
        dialog.query_one("#rationale", TextArea).text = SECOND
        await pilot.press("ctrl+s")
        await settle(pilot)
    app = await _as(store.url, "ed")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        await pilot.press("x")
        dialog = app.screen
        assert isinstance(dialog, ExportDialog)
        dialog.query_one("#export-format", Select).value = "json"
        await pilot.pause()
        dialog.query_one("#export-path", Input).value = str(report)
        await pilot.press("ctrl+s")
        await settle(pilot)
    return shown_to_bob


async def test_cli_and_tui_give_the_same_database_and_results(
    tmp_path: Path, cli: Any, httpserver: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WORKBENCH_ALLOW_PRIVATE_NETWORKS", "1")
    httpserver.expect_request("/fares").respond_with_data(PAGE, content_type="text/html")
    url = httpserver.url_for("/fares")
    by_cli_db, by_tui_db = tmp_path / "cli.db", tmp_path / "tui.db"
    cli_report, tui_report = tmp_path / "cli.json", tmp_path / "tui.json"
    # The CLI's fetch runs its own event loop: not on this test's.
    cli_shown = await asyncio.to_thread(_by_cli, cli, str(by_cli_db), url, cli_report)
    tui_store = Store(f"sqlite:///{by_tui_db}")
    try:
        tui_shown = await _by_tui(tui_store, url, tui_report)
        cli_store = Store(f"sqlite:///{by_cli_db}")
        try:
            by_cli, by_tui = _database(cli_store), _database(tui_store)
        finally:
            cli_store.dispose()
    finally:
        tui_store.dispose()
    assert by_cli == by_tui
    assert by_cli["verdicts"] == [
        ("ann", "mostly-false", FIRST, False),
        ("bob", "false", SECOND, True),
    ]
    assert by_cli["claim"]["status"] == "approved"
    assert [e["source"]["fetch_status"] for e in by_cli["evidence"]] == [None, "ok"]
    # What bob was shown before his own verdict: no rating, the same in both front ends.
    assert cli_shown["ratings_hidden"] is True and cli_shown["rating"] is None
    assert cli_shown["verdicts"] == [] and FIRST not in json.dumps(cli_shown)
    assert _stable(cli_shown) == _stable(tui_shown)
    cli_doc = json.loads(cli_report.read_text(encoding="utf-8"))
    tui_doc = json.loads(tui_report.read_text(encoding="utf-8"))
    assert _stable(cli_doc["claims"]) == _stable(tui_doc["claims"])
    assert _stable(cli_doc["summary"]) == _stable(tui_doc["summary"])
    assert cli_doc["claims"][0]["verdict"]["rationale"] == SECOND
