"""Flow tests: each action of the TUI, driven with keys (and the mouse), checked in the
database through the service layer afterwards."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from markupsafe import escape
from sqlalchemy import select
from textual.command import CommandPalette
from textual.pilot import Pilot
from textual.widgets import Input, OptionList, RadioSet, Select, Static, TextArea
from tui_helpers import choose_rating, demo_app, notifications, settings, settle

from workbench.claims.reading import articles, get_claim
from workbench.claims.service import add_claim, set_status
from workbench.core.details import ClaimDetail
from workbench.core.results import ClaimAt, ClaimFilter
from workbench.listing.queries import list_claims
from workbench.storage.models import Article, Sentence
from workbench.storage.store import Store
from workbench.tui.app import WorkbenchApp
from workbench.tui.screens.claim import ClaimScreen
from workbench.tui.screens.claims import ClaimsScreen
from workbench.tui.screens.help import HelpScreen
from workbench.tui.screens.modals import AddClaimDialog, CiteDialog, StatusDialog, VerdictDialog
from workbench.tui.screens.pickers import PromoteDialog
from workbench.tui.widgets.choice import ChoiceButton, ChoiceMenu
from workbench.tui.widgets.claims_table import ClaimsTable

SIZE = (120, 32)
# Demo claims all lack a score, so the list shows them newest first: 6, 5, 4, 3, 2, 1.


def claim(store: Store, claim_id: int) -> ClaimDetail:
    with store.read() as session:
        return get_claim(session, claim_id)


async def test_claims_screen_lists_claims_and_counts(store: Store) -> None:
    app = demo_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ClaimsScreen)
        table = screen.query_one(ClaimsTable)
        assert table.total is not None and table.total.count == 6
        assert [table.rows[i].id for i in range(6)] == [6, 5, 4, 3, 2, 1]
        assert screen.counts == {
            "new": 0,
            "in-progress": 2,
            "reviewed": 2,
            "approved": 1,
            "dismissed": 1,
        }
        await pilot.press("down", "down")
        assert table.current_row is not None and table.current_row.id == 4
        await pilot.press("end")
        assert table.current_row is not None and table.current_row.id == 1


async def test_record_verdict(store: Store) -> None:
    app = demo_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("down")  # claim 5
        await pilot.press("v")
        dialog = app.screen
        assert isinstance(dialog, VerdictDialog)
        choose_rating(dialog, "mostly-false")
        dialog.query_one("#rationale", TextArea).text = "The museum counted 40 items, not 400."
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ClaimsScreen)
    detail = claim(store, 5)
    assert detail.verdict is not None
    assert (detail.verdict.rating, detail.verdict.reviewer) == ("mostly-false", "tester")
    assert detail.claim.status == "reviewed"
    assert detail.history[-1].action == "verdict.add"


async def test_verdict_needs_a_rationale(store: Store) -> None:
    app = demo_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("down", "v")
        dialog = app.screen
        assert isinstance(dialog, VerdictDialog)
        choose_rating(dialog, "false")
        dialog.query_one("#rationale", TextArea).text = "   \n  "
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is dialog  # still open, saying why
        error = dialog.query_one("#error")
        assert "rationale may not be empty" in str(error.render())
    assert claim(store, 5).verdict is None


async def test_cite_source(store: Store) -> None:
    app = demo_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("down", "c")
        dialog = app.screen
        assert isinstance(dialog, CiteDialog)
        dialog.query_one("#citation", Input).value = "Museum annual report 2025, p. 12"
        dialog.query_one("#stance", Select).value = "refutes"
        dialog.query_one("#quote", Input).value = "forty objects were recovered"
        await pilot.press("ctrl+s")
        await settle(pilot)
    detail = claim(store, 5)
    assert len(detail.evidence) == 1
    evidence = detail.evidence[0]
    assert evidence.stance == "refutes"
    assert evidence.quote == "forty objects were recovered"
    assert evidence.source.citation == "Museum annual report 2025, p. 12"
    assert detail.claim.source_count == 1


async def test_change_status_and_dismiss(store: Store) -> None:
    app = demo_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("s")  # claim 6, dismissed
        dialog = app.screen
        assert isinstance(dialog, StatusDialog)
        dialog.query_one(OptionList).highlighted = 1  # in-progress
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("down", "d")  # claim 5
        await settle(pilot)
    assert claim(store, 6).claim.status == "in-progress"
    assert claim(store, 5).claim.status == "dismissed"


async def test_approve_by_another_reviewer(store: Store) -> None:
    app = demo_app(store, reviewer="lena")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("down", "down", "down", "a")  # claim 3, verdict by omar
        await settle(pilot)
    detail = claim(store, 3)
    assert detail.claim.status == "approved"
    assert detail.history[-1].reviewer == "lena"


async def test_approving_own_verdict_is_refused_with_a_notification(store: Store) -> None:
    app = demo_app(store, reviewer="omar")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("down", "down", "down", "a")  # claim 3, omar's own verdict
        await settle(pilot)
        assert any("another reviewer must approve" in n for n in notifications(app))
        assert app.is_running
    assert claim(store, 3).claim.status == "reviewed"


async def test_add_claim(store: Store) -> None:
    app = demo_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("n")
        assert isinstance(app.screen, AddClaimDialog)
        app.screen.query_one("#claim-text", Input).value = "Tram fares doubled"
        await pilot.press("tab", "tab")
        await pilot.press("enter")
        await settle(pilot)
        table = app.screen.query_one(ClaimsTable)
        assert table.total is not None and table.total.count == 7
    with store.read() as session:
        rows = list_claims(session, ClaimFilter(search="fares"))
    assert [r.text for r in rows] == ["Tram fares doubled"]


async def test_promote_sentence(store: Store) -> None:
    with store.write() as session:  # an article as the ingester would store it
        article = Article(title="Tram news", text="One. Two is a claim. Three.")
        session.add(article)
        session.flush()
        for position, (start, end, text) in enumerate(
            [(0, 4, "One."), (5, 20, "Two is a claim."), (21, 27, "Three.")]
        ):
            session.add(
                Sentence(article_id=article.id, position=position, start=start, end=end, text=text)
            )
    app = demo_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("p")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, PromoteDialog)
        dialog.query_one("#sentences", OptionList).highlighted = 1
        await pilot.press("ctrl+s")
        await settle(pilot)
        # The new claim tops the list; its screen shows the sentences around it.
        await pilot.press("home", "enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ClaimScreen)
        context = str(screen.query_one("#claim-context").render())
        assert "One." in context and "Two is a claim." in context and "Three." in context
        assert "Tram news" in context
    with store.read() as session:
        rows = list_claims(session, ClaimFilter(article_id=1))
    assert [r.text for r in rows] == ["Two is a claim."]


async def test_open_claim_by_keyboard_and_mouse(store: Store) -> None:
    app = demo_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("end", "enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ClaimScreen)
        assert screen.detail is not None and screen.detail.claim.id == 1
        text = str(screen.query_one("#claim-sources").render())
        assert "supports" in text or "refutes" in text or "context" in text
        await pilot.press("escape")
        assert isinstance(app.screen, ClaimsScreen)
        table = app.screen.query_one(ClaimsTable)
        # Mouse: one click highlights the row (line 3 = header + 2), a second opens it.
        await pilot.click(ClaimsTable, offset=(3, 3))
        assert table.current_row is not None and table.current_row.id == 4
        await pilot.click(ClaimsTable, offset=(3, 3))
        await settle(pilot)
        assert isinstance(app.screen, ClaimScreen) and app.screen.claim_id == 4
        # The claim screen's buttons reach the actions too.
        await pilot.click("#do-verdict")
        assert isinstance(app.screen, VerdictDialog)


async def test_search_and_filters(store: Store) -> None:
    app = demo_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        table = screen.query_one(ClaimsTable)
        await pilot.press("slash", *"bike")
        await settle(pilot)
        assert table.total is not None and table.total.count == 1
        assert table.rows[0].id == 6
        await pilot.press("escape", "escape")  # leave the box, then clear everything
        await settle(pilot)
        assert table.total is not None and table.total.count == 6
        screen.query_one("#status-filter", ChoiceButton).value = "reviewed"
        await settle(pilot)
        assert sorted(r.id for r in table.rows.values()) == [2, 3]
        screen.query_one("#status-filter", ChoiceButton).clear()
        screen.query_one("#reviewer-filter", Input).value = "ana"
        await settle(pilot)
        assert sorted(r.id for r in table.rows.values()) == [1, 2]
        screen.query_one("#reviewer-filter", Input).value = ""
        screen.query_one("#rating-filter", ChoiceButton).value = "misleading"
        await settle(pilot)
        assert [r.id for r in table.rows.values()] == [3]


async def test_sort_cycle(store: Store) -> None:
    app = demo_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = app.screen.query_one(ClaimsTable)
        await pilot.press("o")  # score, lowest first: all unscored, so ids ascending
        await settle(pilot)
        assert [table.rows[i].id for i in range(6)] == [1, 2, 3, 4, 5, 6]
        await pilot.press("o", "o", "o")  # status
        await settle(pilot)
        statuses = [table.rows[i].status for i in range(6)]
        assert statuses == sorted(statuses)


async def test_filter_menus_by_mouse_and_keyboard(store: Store) -> None:
    app = demo_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = app.screen.query_one(ClaimsTable)
        await pilot.click("#sort")
        menu = app.screen
        assert isinstance(menu, ChoiceMenu)
        await pilot.press("down", "down", "enter")  # score ↓ -> score ↑ -> updated ↓
        await settle(pilot)
        assert table.filter.sort == "updated" and table.filter.descending
        assert "updated ↓" in str(app.screen.query_one("#sort").render())
        status = app.screen.query_one("#status-filter", ChoiceButton)
        status.focus()
        await pilot.press("enter")
        assert isinstance(app.screen, ChoiceMenu)
        await pilot.press("escape")  # a menu closed without a pick changes nothing
        await settle(pilot)
        assert status.value is None and table.filter.status is None
        await pilot.press("enter", "down", "down", "enter")  # any -> new -> in-progress
        await settle(pilot)
        assert status.value == "in-progress" and table.filter.status == "in-progress"
        assert {r.status for r in table.rows.values()} == {"in-progress"}
        await pilot.press("enter", "home", "enter")  # back to any
        await settle(pilot)
        assert status.value is None and table.total is not None and table.total.count == 6


@pytest.mark.parametrize("delay_ms", [0, 5, 10, 15, 20, 25, 30, 40, 60])
async def test_quitting_while_starting_is_clean(store: Store, delay_ms: int) -> None:
    # A quit while the screen is still starting (rows being read, widgets mounting) is clean.
    import asyncio

    app = demo_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await asyncio.sleep(delay_ms / 1000)
        await pilot.press("q")
    assert app.return_code == 0


async def test_refresh_shows_changes_from_another_process(store: Store) -> None:
    app = demo_app(store)
    app.refresh_interval = 0.2
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = app.screen.query_one(ClaimsTable)
        with store.write() as session:  # as the CLI or a teammate would
            add_claim(session, "teammate", "Written elsewhere")
        for _ in range(30):
            await pilot.pause(0.1)
            await settle(pilot, 1)
            if table.total is not None and table.total.count == 7:
                break
        assert table.total is not None and table.total.count == 7
        assert app.screen.counts["new"] == 1  # type: ignore[attr-defined]


async def test_conflict_becomes_a_notification(store: Store) -> None:
    app = demo_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("down", "v")  # claim 5, version as read
        dialog = app.screen
        with store.write() as session:  # someone else changes claim 5 meanwhile
            set_status(session, "teammate", ClaimAt(5), "new")
        choose_rating(dialog, "true")
        dialog.query_one("#rationale", TextArea).text = "Confirmed."
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert any("was changed by teammate" in n for n in notifications(app))
        assert app.is_running
        assert claim(store, 5).verdict is None
        # The dialog comes back with the input kept, saying who changed the claim and when.
        again = app.screen
        assert isinstance(again, VerdictDialog) and again is not dialog
        note = str(again.query_one("#error").render())
        assert "changed by teammate at 20" in note and "input is kept" in note
        assert again.query_one("#rationale", TextArea).text == "Confirmed."
        pressed = again.query_one("#rating", RadioSet).pressed_button
        assert pressed is not None and pressed.name == "true"
        await pilot.press("ctrl+s")  # against the claim as it is now
        await settle(pilot)
        assert isinstance(app.screen, ClaimsScreen)
    verdict = claim(store, 5).verdict
    assert verdict is not None and (verdict.rating, verdict.rationale) == ("true", "Confirmed.")


async def test_conflicting_citation_keeps_the_input(store: Store) -> None:
    app = demo_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("down", "c")
        dialog = app.screen
        assert isinstance(dialog, CiteDialog)
        with store.write() as session:
            set_status(session, "teammate", ClaimAt(5), "new")
        dialog.query_one("#citation", Input).value = "Annual report, p. 3"
        dialog.query_one("#stance", Select).value = "supports"
        dialog.query_one("#quote", Input).value = "[b]3,000[/b] objects"
        await pilot.press("ctrl+s")
        await settle(pilot)
        again = app.screen
        assert isinstance(again, CiteDialog) and again is not dialog
        assert again.query_one("#citation", Input).value == "Annual report, p. 3"
        assert again.query_one("#stance", Select).value == "supports"
        assert again.query_one("#quote", Input).value == "[b]3,000[/b] objects"
        assert "changed by teammate" in str(again.query_one("#error").render())
        await pilot.press("escape")  # given up: nothing saved
        await settle(pilot)
        assert isinstance(app.screen, ClaimsScreen)
    assert claim(store, 5).evidence == []


async def test_help_lists_every_key(store: Store) -> None:
    app = demo_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        screen = app.screen
        assert isinstance(screen, HelpScreen)
        described = {description for _, description, _ in screen.entries}
        for binding_id, description, _ in app.binding_entries(with_ids=True):
            assert description in described, binding_id
        await pilot.press("escape")
        assert isinstance(app.screen, ClaimsScreen)


async def test_keymap_from_settings(store: Store) -> None:
    app = demo_app(store, settings=settings(keymap={"claim.verdict": "V", "nonsense.id": "z"}))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert any("unknown binding id 'nonsense.id'" in n for n in notifications(app))
        await pilot.press("v")
        assert isinstance(app.screen, ClaimsScreen)
        await pilot.press("V")
        assert isinstance(app.screen, VerdictDialog)


async def test_command_palette_runs_actions(store: Store) -> None:
    app = demo_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
        await pilot.press(*"Record verdict")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, VerdictDialog)


async def test_database_errors_become_notifications(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    from workbench.errors import DatabaseError
    from workbench.listing import browse

    app = demo_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)

        def broken(*_args: object, **_kwargs: object) -> None:
            raise DatabaseError("database workbench.db is busy (another program is writing)")

        def crashing(*_args: object, **_kwargs: object) -> None:
            raise RuntimeError("unexpected")

        monkeypatch.setattr(browse, "first_page", broken)
        await pilot.press("r")
        await settle(pilot)
        assert any("is busy" in n for n in notifications(app))
        monkeypatch.setattr(browse, "first_page", crashing)
        await pilot.press("r")
        await settle(pilot)
        assert any("RuntimeError: unexpected" in n for n in notifications(app))
        assert app.is_running


async def test_ingest_runs_in_a_worker(store: Store, tmp_path: Path) -> None:
    from workbench.tui.screens.modals import IngestDialog

    article = tmp_path / "article.txt"
    article.write_text(
        "The city council met on Tuesday. Unemployment fell by 42 percent in 2024, "
        "the mayor said. The budget grew to 3.1 billion euros.\n",
        encoding="utf-8",
    )
    app = demo_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("i")
        assert isinstance(app.screen, IngestDialog)
        app.screen.query_one("#ingest-source", Input).value = str(article)
        await pilot.press("enter")
        await settle(pilot)
        assert any(" ingested: " in n for n in notifications(app)), notifications(app)
        assert "ingesting" not in app.sub_title
    with store.read() as session:
        assert articles(session)


PAGE = (
    "<html><head><title>Museum report</title></head><body><article>"
    "<p>The museum opened in 1901 and has been renovated twice since then.</p>"
    "<p>In 2025 the museum recovered forty stolen objects, not four hundred as claimed.</p>"
    "<p>Visitors can see the recovered objects in the east wing from March onwards.</p>"
    "</article></body></html>"
)


async def _attach(app: WorkbenchApp, pilot: Pilot[Any], url: str) -> None:
    from workbench.tui.screens.modals import AttachUrlDialog

    await pilot.press("down", "u")  # claim 5
    dialog = app.screen
    assert isinstance(dialog, AttachUrlDialog)
    dialog.query_one("#url", Input).value = url
    dialog.query_one("#stance", Select).value = "refutes"
    await pilot.press("ctrl+s")
    await settle(pilot)


async def test_attach_url_fetches_and_archives(
    store: Store, httpserver: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from workbench.sources.archive import snapshots_of

    monkeypatch.setenv("WORKBENCH_ALLOW_PRIVATE_NETWORKS", "1")
    httpserver.expect_request("/report").respond_with_data(PAGE, content_type="text/html")
    url = httpserver.url_for("/report")
    app = demo_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await _attach(app, pilot, url)
        assert any("attached (fetched and archived)" in n for n in notifications(app))
        assert "fetching" not in app.sub_title
    detail = claim(store, 5)
    [evidence] = [e for e in detail.evidence if e.source.kind == "url"]
    assert evidence.stance == "refutes"
    assert evidence.source.url == url and evidence.source.fetch_status == "ok"
    with store.read() as session:
        [snapshot] = snapshots_of(session, evidence.source.id)
    assert snapshot.outcome == "ok" and snapshot.status == 200


async def test_attach_url_failure_says_why(
    store: Store, httpserver: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from workbench.tui.screens.modals import AttachUrlDialog

    monkeypatch.setenv("WORKBENCH_ALLOW_PRIVATE_NETWORKS", "1")
    httpserver.expect_request("/gone").respond_with_data("no", status=404)
    app = demo_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("down", "u")
        dialog = app.screen
        assert isinstance(dialog, AttachUrlDialog)
        dialog.query_one("#url", Input).value = "ftp://nope"
        await pilot.press("ctrl+s")
        assert app.screen is dialog  # refused: not http(s)
        dialog.query_one("#url", Input).value = httpserver.url_for("/gone")
        await pilot.press("ctrl+s")
        await settle(pilot)
        failed = [n for n in notifications(app) if "fetching it failed" in n]
        assert failed and "http_error" in failed[0], notifications(app)
        assert app.is_running
        await pilot.press("v")  # the claim stays editable
        assert isinstance(app.screen, VerdictDialog)
    [evidence] = [e for e in claim(store, 5).evidence if e.source.kind == "url"]
    assert evidence.source.fetch_status != "ok"


async def test_conflicting_attach_keeps_the_url(store: Store) -> None:
    from workbench.tui.screens.modals import AttachUrlDialog

    app = demo_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        with store.write() as session:  # changed after the list read it: nothing fetched
            set_status(session, "teammate", ClaimAt(5), "new")
        await _attach(app, pilot, "https://example.org/report")
        again = app.screen
        assert isinstance(again, AttachUrlDialog)
        assert again.query_one("#url", Input).value == "https://example.org/report"
        assert again.query_one("#stance", Select).value == "refutes"
        assert "changed by teammate" in str(again.query_one("#error").render())
    assert not [e for e in claim(store, 5).evidence if e.source.kind == "url"]


async def test_attach_invalid_url_is_refused_before_any_fetch(store: Store) -> None:
    app = demo_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await _attach(app, pilot, "http://exa mple.org/x y")
        assert any("contains a space" in n for n in notifications(app)), notifications(app)
        assert not any("fetched and archived" in n for n in notifications(app))
    assert not [e for e in claim(store, 5).evidence if e.source.kind == "url"]


async def test_pick_evidence_passage(
    store: Store, httpserver: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from workbench.storage.models import Evidence, Snapshot
    from workbench.tui.screens.pickers import EvidenceDialog

    monkeypatch.setenv("WORKBENCH_ALLOW_PRIVATE_NETWORKS", "1")
    httpserver.expect_request("/report").respond_with_data(PAGE, content_type="text/html")
    app = demo_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("e")  # claim 6 has no URL source: said, no dialog
        await settle(pilot)
        assert any("no fetched URL source" in n for n in notifications(app))
        assert isinstance(app.screen, ClaimsScreen)
        await _attach(app, pilot, httpserver.url_for("/report"))
        await pilot.press("enter")  # open claim 5
        await settle(pilot)
        assert isinstance(app.screen, ClaimScreen)
        await pilot.press("e")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, EvidenceDialog)
        listing = dialog.query_one("#passages", OptionList)
        assert listing.option_count >= 1
        first = dialog.passages[0]
        await pilot.press("enter")  # passage 1, then the stance
        dialog.query_one("#stance", Select).value = "refutes"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ClaimScreen)
    with store.read() as session:
        evidence = session.scalars(
            select(Evidence).where(Evidence.claim_id == 5, Evidence.quote.is_not(None))
        ).all()
        pinned = [e for e in evidence if e.snapshot_id is not None]
        assert len(pinned) == 1
        row = pinned[0]
        snapshot = session.get(Snapshot, row.snapshot_id)
        assert snapshot is not None and snapshot.text is not None
        assert (row.quote_start, row.quote_end) == first
        assert row.quote == snapshot.text[row.quote_start : row.quote_end]
        assert "forty" in row.quote or "museum" in row.quote.lower()
        assert row.stance == "refutes"


async def test_export_html_report(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from workbench.tui.screens.export import ExportDialog

    target = tmp_path / "report.html"
    (tmp_path / "documents").mkdir()
    monkeypatch.setenv("XDG_DOCUMENTS_DIR", str(tmp_path / "documents"))
    app = demo_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("x")
        dialog = app.screen
        assert isinstance(dialog, ExportDialog)
        # Issue 18: the default is a file in the reports folder, not the starting folder.
        reports = tmp_path / "documents" / "workbench-reports"
        path = dialog.query_one("#export-path", Input)
        assert path.value == str(reports / "workbench-report.html")
        dialog.query_one("#export-format", Select).value = "md"
        await pilot.pause()
        assert path.value == str(reports / "workbench-report.md")
        dialog.query_one("#export-format", Select).value = "html"
        dialog.query_one("#export-path", Input).value = str(target)
        await pilot.press("ctrl+s")
        await settle(pilot)
        # The reader's report: the 3 reviewed or approved claims (open ones need --include-open).
        assert any(f"Wrote 3 claims to {target}" in n for n in notifications(app)), notifications(
            app
        )
    text = target.read_text(encoding="utf-8")
    assert text.lstrip().lower().startswith("<!doctype html")
    with store.read() as session:
        rows = list_claims(session)
    published = [r for r in rows if r.status in ("reviewed", "approved")]
    assert len(published) == 3 and all(str(escape(r.text)) in text for r in published)
    assert claim(store, 5).claim.text not in text  # an open claim: listed only when asked


async def test_export_follows_the_list_filter_and_reports_bad_folders(
    store: Store, tmp_path: Path
) -> None:
    import json

    from workbench.tui.screens.export import ExportDialog

    target = tmp_path / "dismissed.json"
    app = demo_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.screen.query_one("#status-filter", ChoiceButton).value = "dismissed"
        await settle(pilot)
        await pilot.press("x")
        dialog = app.screen
        assert isinstance(dialog, ExportDialog)
        dialog.query_one("#export-format", Select).value = "json"
        await pilot.pause()
        # Issue 18: a bad folder is said in the dialog, which stays open with the input.
        dialog.query_one("#export-path", Input).value = str(tmp_path / "missing" / "r.json")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is dialog
        assert "does not exist" in str(dialog.query_one("#error", Static).render())
        dialog.query_one("#export-path", Input).value = str(target)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert any("Wrote 1 claim to" in n for n in notifications(app)), notifications(app)
    assert target.exists() and '"dismissed"' in target.read_text(encoding="utf-8")
    json.loads(target.read_text(encoding="utf-8"))


async def test_list_shows_a_change_made_on_the_claim_screen(store: Store) -> None:
    app = demo_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("down", "enter")  # claim 5, in-progress
        await settle(pilot)
        await pilot.press("d")  # dismiss it from its own screen
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ClaimScreen)
        assert screen.detail is not None and screen.detail.claim.status == "dismissed"
        await pilot.press("escape")
        await settle(pilot)
        table = app.screen.query_one(ClaimsTable)
        assert table.rows[1].id == 5 and table.rows[1].status == "dismissed"
        assert app.screen.counts["dismissed"] == 2  # type: ignore[attr-defined]


async def test_key_bar_keys_are_clickable_with_tooltips_and_q_quits(store: Store) -> None:
    from workbench.tui.widgets.keybar import KeyBar

    app = demo_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        bar = app.screen.query_one(KeyBar)
        shown = {e.key: e for e in bar.entries}
        assert {"v", "slash", "question_mark", "q"} <= set(shown)
        assert "Verdict" in str(bar.render()) and shown["v"].tooltip.startswith("Record")
        column, row = bar.offset_of("v")
        await pilot.hover(KeyBar, offset=(column + 1, row))
        assert bar.tooltip == shown["v"].tooltip
        await pilot.click(KeyBar, offset=(column + 1, row))
        assert isinstance(app.screen, VerdictDialog)
        await pilot.press("escape")
        await settle(pilot)
        # Focus in the search box: the bar follows the focused widget's bindings.
        await pilot.press("slash")
        await settle(pilot)
        assert "v" not in {e.key for e in app.screen.query_one(KeyBar).entries}
        await pilot.press("escape")
        await pilot.press("q")
        await pilot.pause()
        assert not app.is_running
    assert app.return_code == 0


async def test_large_search_lists_newest_first_then_counts_exactly(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    from workbench.listing import browse

    if store.dialect != "sqlite":
        pytest.skip("the newest-first mode is for SQLite's full-text index")
    monkeypatch.setattr(browse, "SMALL_SEARCH", 2)  # "the" is in more claims than that
    app = demo_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = app.screen.query_one(ClaimsTable)
        app.screen.query_one("#search", Input).value = "the"
        await settle(pilot)
        assert table.total is not None and table.total.ordered_by_id
        ids = [table.rows[i].id for i in range(len(table.rows))]
        assert ids == sorted(ids, reverse=True)
        for _ in range(20):  # the exact count follows a moment later
            await pilot.pause(0.1)
            await settle(pilot, 1)
            if table.total is not None and table.total.exact:
                break
        assert table.total is not None and table.total.exact
        assert table.total.count == len(ids) > 2


def test_start_up_read_is_waited_for_briefly_then_left_to_the_worker(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    import threading

    from workbench.desk import Desk
    from workbench.listing import browse, lookup
    from workbench.tui.first_window import FirstWindow

    demo_app(store)  # fills the database
    release = threading.Event()
    real_count = browse.count

    def slow_count(session: Any, f: ClaimFilter) -> browse.Total:
        release.wait(5)  # a slow disk
        return real_count(session, f)

    real_claim_count = lookup.claim_count

    def slow_claim_count(reading: Any) -> browse.Total:  # the sqlite3 read of a SQLite file
        release.wait(5)
        return real_claim_count(reading)

    monkeypatch.setattr(browse, "count", slow_count)
    monkeypatch.setattr(lookup, "claim_count", slow_claim_count)
    window = FirstWindow(Desk(store, "tester"))
    assert window.take(ClaimFilter(search="x"), 0, 10, wait=5) is None  # another question
    assert window.take(ClaimFilter(), 0, 10, wait=0.05) is None  # not read yet: no waiting on
    release.set()
    answer = window.take(ClaimFilter(), 0, 10, wait=5)  # the worker's call gets it
    assert answer is not None and answer[0].count == 6 and len(answer[1]) == 6
    assert window.take(ClaimFilter(), 0, 10, wait=5) is None  # used once only
