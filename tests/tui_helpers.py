"""Shared pieces of the TUI tests: a demo database, the app, and waiting for workers."""

from __future__ import annotations

import sqlite3
from typing import Any

from textual.pilot import Pilot

from workbench.claims.service import add_claim
from workbench.config import Settings
from workbench.demo import demo_data, play_reviews
from workbench.storage.store import Store
from workbench.tui.app import WorkbenchApp

FIXED_TIME = "2026-03-14 09:26:53.000000"


def build_fixture(store: Store) -> None:
    """The demo's reviews on six hand-added claims (no ingest, so the scorer's choices do not
    move the TUI tests): claims in every state, citations, verdicts, an approval."""
    reviews = demo_data()["reviews"]
    with store.write() as session:
        ids = {r["claim"]: add_claim(session, r["reviewer"], r["claim"]).id for r in reviews}
        play_reviews(session, reviews, ids)


def demo_app(store: Store, reviewer: str = "tester", **kwargs: Any) -> WorkbenchApp:
    """The fixture data, then the app (which starts reading the database as it is built)."""
    build_fixture(store)
    return WorkbenchApp(store.url, reviewer=reviewer, refresh_interval=0, **kwargs)


def freeze_times(store: Store) -> None:
    """Every timestamp set to one instant, so snapshots do not change from run to run."""
    assert store.sqlite_path is not None
    conn = sqlite3.connect(store.sqlite_path)
    with conn:
        conn.execute("UPDATE claims SET created_at = ?, updated_at = ?", (FIXED_TIME, FIXED_TIME))
        # A test database only: the audit trail is append-only, so its guard goes first.
        conn.execute("DROP TRIGGER IF EXISTS events_no_update")
        conn.execute("UPDATE events SET at = ?", (FIXED_TIME,))
        conn.execute("UPDATE verdicts SET created_at = ?", (FIXED_TIME,))
        conn.execute("UPDATE evidence SET created_at = ?", (FIXED_TIME,))
        conn.execute("UPDATE sources SET created_at = ?", (FIXED_TIME,))
    conn.close()


async def settle(pilot: Pilot[Any], rounds: int = 3) -> None:
    """Waits until the workers are done and their messages handled (workers start workers)."""
    for _ in range(rounds):
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


def notifications(app: WorkbenchApp) -> list[str]:
    return [n.message for n in app._notifications]


def settings(**kwargs: Any) -> Settings:
    return Settings(**kwargs)


def choose_rating(dialog: Any, name: str) -> None:
    from textual.widgets import RadioButton

    button = next(b for b in dialog.query(RadioButton) if b.name == name)
    button.value = True
