"""The TUI keeps every review rule the CLI keeps (issue 13): blind review (ratings hidden in
the list, the claim screen and the history; the verdict of a reviewer shown no rating is a
blind one), no approval of one's own verdict, a failed fetch fetched again, and a source
attached by mistake removed (audited, and gone from reports)."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import OptionList, Static, TextArea
from tui_helpers import choose_rating, notifications, settle

from workbench.claims.reading import get_claim
from workbench.storage.models import Verdict
from workbench.storage.store import Store
from workbench.tui.app import WorkbenchApp
from workbench.tui.screens.claim import ClaimScreen
from workbench.tui.screens.claims import ClaimsScreen
from workbench.tui.screens.modals import VerdictDialog
from workbench.tui.screens.pickers import RemoveSourceDialog
from workbench.tui.widgets.claims_table import ClaimsTable

SIZE = (120, 32)
RATIONALE = "The ministry's own table shows a rise of two points, not a fall."


def _blind_setup(cli: Any) -> int:
    """The issue's reproduction: ann rates claim 1, then assigns it to bob for a blind review."""
    claim_id = int(
        cli("claim", "add", "Unemployment fell by half since 2020", "--json").json()["id"]
    )
    assert (
        cli(
            "--reviewer", "ann", "verdict", str(claim_id), "mostly-false", "--rationale", RATIONALE
        ).code
        == 0
    )
    assert cli("--reviewer", "ann", "assign", str(claim_id), "bob", "--blind").code == 0
    return claim_id


def _screen_text(screen: ClaimScreen) -> str:
    return "\n".join(str(static.render()) for static in screen.query(Static))


def _table_lines(table: ClaimsTable) -> str:
    return "\n".join(table.render_line(y).text for y in range(1, 4))


async def test_blind_reviewer_sees_no_rating_and_records_a_blind_verdict(
    store: Store, cli: Any
) -> None:
    claim_id = _blind_setup(cli)
    app = WorkbenchApp(store.url, reviewer="bob", refresh_interval=0)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = app.screen.query_one(ClaimsTable)
        assert table.rows[0].id == claim_id and table.rows[0].rating is None
        assert "mostly-false" not in _table_lines(table)
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ClaimScreen)
        shown = _screen_text(screen)
        assert "mostly-false" not in shown and "ministry" not in shown
        assert "Blind review" in shown
        await pilot.press("v")
        dialog = app.screen
        assert isinstance(dialog, VerdictDialog)
        choose_rating(dialog, "false")
        dialog.query_one("#rationale", TextArea).text = "Checked the series myself."
        await pilot.press("ctrl+s")
        await settle(pilot)
    with store.read() as session:
        verdicts = session.query(Verdict).filter_by(claim_id=claim_id).order_by(Verdict.id).all()
        assert [(v.reviewer, v.rating, v.blind) for v in verdicts] == [
            ("ann", "mostly-false", False),
            ("bob", "false", True),
        ]
    stats = cli("stats", "--json").json()
    assert stats["blind_pairs"] == 1
    # Two ratings are in: everyone sees them again, in the CLI as in the TUI.
    shown = cli("--reviewer", "bob", "claim", "show", str(claim_id), "--json").json()
    assert shown["ratings_hidden"] is False and shown["rating"] == "false"


async def test_blind_reviewer_history_and_report_hold_no_rating(
    store: Store, cli: Any, tmp_path: Path
) -> None:
    claim_id = _blind_setup(cli)
    history = cli("--reviewer", "bob", "history", str(claim_id), "--json").json()
    assert "mostly-false" not in json.dumps(history)
    report = tmp_path / "report.json"
    assert cli("--reviewer", "bob", "export", "--format", "json", "-o", str(report)).code == 0
    [hidden] = json.loads(report.read_text(encoding="utf-8"))["claims"]
    assert hidden["rating"] is None and hidden["verdict"] is None
    assert "ministry" not in report.read_text(encoding="utf-8")
    ann_report = tmp_path / "ann.json"
    assert cli("--reviewer", "ann", "export", "--format", "json", "-o", str(ann_report)).code == 0
    # (The claim's own rating column stays empty under blind review on a PostgreSQL team
    # server, for everyone: migration 0006. The verdict is what the reviewer who rated sees.)
    [seen] = json.loads(ann_report.read_text(encoding="utf-8"))["claims"]
    assert seen["verdict"]["rating"] == "mostly-false"
    assert seen["verdict"]["rationale"] == RATIONALE
    # The reviewer who rated sees their verdict in the TUI.
    app = WorkbenchApp(store.url, reviewer="ann", refresh_interval=0)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ClaimScreen)
        shown = _screen_text(screen)
        assert "mostly-false" in shown and "ministry" in shown and "Blind review" not in shown


async def test_author_cannot_approve_in_the_tui(store: Store, cli: Any) -> None:
    claim_id = int(cli("claim", "add", "The bridge cost 40 million", "--json").json()["id"])
    assert (
        cli("--reviewer", "ann", "verdict", str(claim_id), "true", "--rationale", "Budget").code
        == 0
    )
    app = WorkbenchApp(store.url, reviewer="ann", refresh_interval=0)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        assert any("is yours" in n for n in notifications(app)), notifications(app)
    with store.read() as session:
        assert get_claim(session, claim_id).claim.status == "reviewed"


async def test_a_failed_fetch_is_fetched_again(
    store: Store, cli: Any, httpserver: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WORKBENCH_ALLOW_PRIVATE_NETWORKS", "1")
    httpserver.expect_oneshot_request("/flaky").respond_with_data("not yet", status=404)
    httpserver.expect_request("/flaky").respond_with_data(
        "<html><title>Figures</title><body><p>The rate rose to 5 percent.</p></body></html>",
        content_type="text/html",
    )
    claim_id = int(cli("claim", "add", "The rate fell", "--json").json()["id"])
    url = httpserver.url_for("/flaky")
    # The CLI's fetch runs its own event loop: not on this test's.
    added = await asyncio.to_thread(cli, "source", "add", str(claim_id), url, "--json")
    assert added.code == 0 and added.json()["source"]["fetch_status"] != "ok"
    app = WorkbenchApp(store.url, reviewer="ann", refresh_interval=0)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("F")
        await settle(pilot)
        assert any("fetched and archived" in n for n in notifications(app)), notifications(app)
    with store.read() as session:
        [evidence] = get_claim(session, claim_id).evidence
        assert evidence.source.fetch_status == "ok"


async def test_a_source_attached_by_mistake_is_removed(
    store: Store, cli: Any, tmp_path: Path
) -> None:
    claim_id = int(cli("claim", "add", "Tram fares doubled", "--json").json()["id"])
    good = cli("source", "cite", str(claim_id), "Fare table 2026", "--json").json()
    wrong = cli("source", "cite", str(claim_id), "Wrong claim's dataset", "--json").json()
    app = WorkbenchApp(store.url, reviewer="ann", refresh_interval=0)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, ClaimsScreen)
        await pilot.press("delete")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, RemoveSourceDialog)
        dialog.query_one("#remove-choice", OptionList).highlighted = 1
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert any("source removed" in n for n in notifications(app)), notifications(app)
    with store.read() as session:
        detail = get_claim(session, claim_id)
    assert [e.id for e in detail.evidence] == [good["id"]]
    assert detail.claim.source_count == 1
    removed = [e for e in detail.history if e.action == "evidence.remove"]
    assert removed and removed[0].before is not None
    assert removed[0].before["citation"] == "Wrong claim's dataset"
    report = tmp_path / "report.md"
    assert cli("export", "--format", "md", "--include-open", "-o", str(report)).code == 0
    text = report.read_text(encoding="utf-8")
    assert "Fare table 2026" in text and "Wrong claim's dataset" not in text
    assert wrong["id"] != good["id"]


def test_cli_removes_a_source_and_says_which(cli: Any) -> None:
    claim_id = int(cli("claim", "add", "Rents rose 9 percent", "--json").json()["id"])
    wrong = cli("source", "cite", str(claim_id), "A typo'd citation", "--json").json()
    result = cli("source", "remove", str(claim_id), str(wrong["id"]))
    assert result.code == 0 and "A typo'd citation" in result.out
    shown = cli("claim", "show", str(claim_id), "--json").json()
    assert shown["evidence"] == [] and shown["source_count"] == 0
    again = cli("source", "remove", str(claim_id), str(wrong["id"]))
    assert again.code == 1 and f"has no evidence {wrong['id']}" in again.err
