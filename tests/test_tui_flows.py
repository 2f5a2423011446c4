"""Flow tests: each action of the TUI, driven with keys (and the mouse), checked in the
database through the service layer afterwards."""

from __future__ import annotations

import pytest
from textual.command import CommandPalette
from textual.widgets import Input, OptionList, Select, TextArea
from tui_helpers import choose_rating, demo_app, notifications, settings, settle

from workbench import review
from workbench.models import Article, Sentence
from workbench.review import ClaimFilter
from workbench.store import Store
from workbench.tui.screens.claim import ClaimScreen
from workbench.tui.screens.claims import ClaimsScreen
from workbench.tui.screens.modals import (
    AddClaimDialog,
    CiteDialog,
    HelpScreen,
    PromoteDialog,
    StatusDialog,
    VerdictDialog,
)
from workbench.tui.widgets.claims_table import ClaimsTable

SIZE = (120, 32)
# Demo claims all lack a score, so the list shows them newest first: 6, 5, 4, 3, 2, 1.


def claim(store: Store, claim_id: int) -> review.ClaimDetail:
    with store.read() as session:
        return review.get_claim(session, claim_id)


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
        rows = review.list_claims(session, ClaimFilter(search="fares"))
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
        rows = review.list_claims(session, ClaimFilter(article_id=1))
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
        screen.query_one("#status-filter", Select).value = "reviewed"
        await settle(pilot)
        assert sorted(r.id for r in table.rows.values()) == [2, 3]
        screen.query_one("#status-filter", Select).clear()
        screen.query_one("#reviewer-filter", Input).value = "ana"
        await settle(pilot)
        assert sorted(r.id for r in table.rows.values()) == [1, 2]
        screen.query_one("#reviewer-filter", Input).value = ""
        screen.query_one("#rating-filter", Select).value = "misleading"
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


async def test_refresh_shows_changes_from_another_process(store: Store) -> None:
    app = demo_app(store)
    app.refresh_interval = 0.2
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = app.screen.query_one(ClaimsTable)
        with store.write() as session:  # as the CLI or a teammate would
            review.add_claim(session, "teammate", "Written elsewhere")
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
            review.set_status(session, "teammate", 5, "new")
        choose_rating(dialog, "true")
        dialog.query_one("#rationale", TextArea).text = "Confirmed."
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert any("was changed by teammate" in n for n in notifications(app))
        assert app.is_running
    assert claim(store, 5).verdict is None


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
        assert any("unknown binding id(s) nonsense.id" in n for n in notifications(app))
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


@pytest.mark.parametrize(
    ("key", "seam"),
    [("i", "ingest"), ("u", "attach_url"), ("e", "pick_evidence"), ("x", "export")],
)
async def test_missing_services_say_not_available_yet(store: Store, key: str, seam: str) -> None:
    from workbench.tui.app import SEAMS, module_available

    if module_available(SEAMS[seam]):
        pytest.skip(f"{SEAMS[seam]} exists on this branch: the action is wired")
    app = demo_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press(key)
        await settle(pilot)
        assert any("not available yet" in n for n in notifications(app))
        assert isinstance(app.screen, ClaimsScreen)


async def test_database_errors_become_notifications(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    from workbench import browse
    from workbench.errors import DatabaseError

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


def _fake_module(name: str, **functions: object) -> object:
    import importlib.machinery
    import types

    module = types.ModuleType(name)
    module.__spec__ = importlib.machinery.ModuleSpec(name, None)
    for key, value in functions.items():
        setattr(module, key, value)
    return module


async def test_ingest_runs_in_a_worker_when_the_service_exists(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The seam for workbench.ingest.service.ingest_source(store, reviewer, source)."""
    import sys
    from types import SimpleNamespace

    from workbench.tui.screens.modals import IngestDialog

    calls: list[tuple[str, str]] = []
    titles: list[str] = []

    def ingest_source(target: Store, reviewer: str, source: str) -> object:
        calls.append((reviewer, source))
        titles.append(app.sub_title)  # the header says what runs in the background
        with target.write() as session:
            row = review.add_claim(session, reviewer, "Ingested claim")
        return SimpleNamespace(article_id=1, claims=[row])

    name = "workbench.ingest.service"
    monkeypatch.setitem(sys.modules, name, _fake_module(name, ingest_source=ingest_source))
    app = demo_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("i")
        assert isinstance(app.screen, IngestDialog)
        app.screen.query_one("#ingest-source", Input).value = "article.txt"
        await pilot.press("enter")
        await settle(pilot)
        assert any("ingested: 1 claims" in n for n in notifications(app))
        table = app.screen.query_one(ClaimsTable)
        assert table.total is not None and table.total.count == 7
        assert "ingesting" not in app.sub_title
    assert calls == [("tester", "article.txt")]
    assert titles and "ingesting article.txt" in titles[0]


async def test_attach_url_failure_says_why(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    """The seam for workbench.sources.service.attach_url: a failed fetch is a notification."""
    import sys

    from workbench.errors import WorkbenchError
    from workbench.tui.screens.modals import AttachUrlDialog

    def attach_url(*_args: object, **_kwargs: object) -> None:
        raise WorkbenchError("fetching https://example.org/x failed: timed out after 10 s")

    name = "workbench.sources.service"
    monkeypatch.setitem(sys.modules, name, _fake_module(name, attach_url=attach_url))
    app = demo_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("u")
        dialog = app.screen
        assert isinstance(dialog, AttachUrlDialog)
        dialog.query_one("#url", Input).value = "ftp://nope"
        await pilot.press("ctrl+s")
        assert app.screen is dialog  # refused: not http(s)
        dialog.query_one("#url", Input).value = "https://example.org/x"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert any("timed out after 10 s" in n for n in notifications(app))
        assert app.is_running


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


async def test_footer_keys_are_clickable_and_q_quits(store: Store) -> None:
    from textual.widgets._footer import FooterKey

    app = demo_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        verdict = next(k for k in app.screen.query(FooterKey) if k.action == "verdict")
        await pilot.click(verdict)
        assert isinstance(app.screen, VerdictDialog)
        await pilot.press("escape")
        await pilot.press("q")
        await pilot.pause()
        assert not app.is_running
    assert app.return_code == 0


async def test_large_search_lists_newest_first_then_counts_exactly(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    from workbench import browse

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
