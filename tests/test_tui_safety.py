"""Text from claims, sources and reviewers is shown literally: markup is not interpreted
(and malformed markup does not crash), and escape sequences never reach the terminal."""

from __future__ import annotations

from typing import Any

from textual.widgets import Static
from tui_helpers import build_fixture, demo_app, notifications, settle

from workbench.claims.service import add_claim
from workbench.core.results import ClaimAt
from workbench.sources.evidence import Attachment, cite_source
from workbench.storage.store import Store
from workbench.tui.app import WorkbenchApp
from workbench.tui.screens.claim import ClaimScreen
from workbench.tui.widgets.claims_table import ClaimsTable
from workbench.verdicts.service import record_verdict

CLICK = "[@click=app.quit]x[/]"
BROKEN = "[link=http://evil.example"
OSC52 = "\x1b]52;c;ZXZpbA==\x07"
CSI = "\x1b[31mred\x1b[0m"
BELL_AND_C1 = "bell\x07 c1\x9b2J"
HOSTILE = f"Claim {CLICK} and {BROKEN} with {OSC52}{CSI} {BELL_AND_C1} [bold]not bold[/bold]"
CONTROL = ("\x1b", "\x07", "\x9b", "\x9d")


def _add_hostile(store: Store) -> int:
    with store.write() as session:
        row = add_claim(session, "[red]mallory[/red]\x1b[2J", HOSTILE)
        cite_source(
            session, "mallory", row.id, f"Book {CLICK} {OSC52}", Attachment("refutes", BROKEN)
        )
        record_verdict(session, "mallory", ClaimAt(row.id), "false", f"Because {CLICK} {CSI}")
        return row.id


def _plain(widget: Static) -> str:
    visual: Any = widget.render()
    return str(getattr(visual, "plain", visual))


async def test_hostile_text_is_literal_in_list_and_claim_screen(store: Store) -> None:
    build_fixture(store)
    claim_id = _add_hostile(store)
    app = WorkbenchApp(store.url, reviewer="tester", refresh_interval=0)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        table = app.screen.query_one(ClaimsTable)
        assert table.rows[0].id == claim_id
        # Every line the table draws: literal brackets, no control characters.
        lines = ["".join(seg.text for seg in table.render_line(y)) for y in range(4)]
        assert "[@click=app.quit]x[/]" in lines[1]
        assert not any(c in line for line in lines for c in CONTROL)
        # Nothing in the strips carries a click action.
        for segment in table.render_line(1):
            assert not (segment.style and segment.style.meta)

        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ClaimScreen)
        texts = {
            name: _plain(screen.query_one(f"#claim-{name}", Static))
            for name in ("text", "verdict", "sources", "history", "title")
        }
        assert CLICK in texts["text"] and BROKEN in texts["text"]
        assert "[bold]not bold[/bold]" in texts["text"]
        assert CLICK in texts["verdict"]
        assert CLICK in texts["sources"] and BROKEN in texts["sources"]
        for name, text in texts.items():
            assert not any(c in text for c in CONTROL), name
        # Clicking the text must not run app.quit.
        await pilot.click("#claim-text")
        await pilot.click("#claim-verdict")
        await settle(pilot)
        assert app.is_running
        # The exported screen has no escape sequences from the data either.
        svg = app.export_screenshot()
        assert "\x1b" not in svg and "\x07" not in svg


async def test_hostile_notification_and_search_do_not_crash(store: Store) -> None:
    app = demo_app(store, reviewer=f"{BROKEN}{OSC52}")
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        # An error message that quotes user input: shown literally (markup=False).
        await pilot.press("down", "down", "down", "a")  # approve claim 3 (by omar): allowed
        await settle(pilot)
        assert app.is_running
        await pilot.press("slash", *"[link=", "]", "\\")
        await settle(pilot)
        assert app.is_running
        assert app.screen.query_one(ClaimsTable).total is not None
    assert any("approved by" in n for n in notifications(app))
    assert not any(c in n for n in notifications(app) for c in CONTROL)
