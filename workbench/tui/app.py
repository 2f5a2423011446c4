"""The reviewer's terminal UI.

One app factory with everything injected: the CLI, the tests and the benchmarks all build
`WorkbenchApp(db_url=..., reviewer=..., settings=...)`. The app holds a `Desk` (the
database, the reviewer, the settings), never a live session: every read and write runs in
a thread worker as one use case of the service layer (the same ones the CLI calls, which
apply every rule for this reviewer), and results come back as messages, so the screen never
waits for the database. The actions themselves are in `actions.py`.

Some modules are imported here although nothing below names them (noqa: F401): Textual
imports its layouts, scroll bars and the workers' thread pool on first use, which would be
while the first screen is built; loaded with the app, they cost the import, not the wait for
the first frame. What only later screens and reads need (SQLAlchemy and the ORM reads, the
claim screen, the dialogs: about as long again as Textual) is not imported before the first
rows are painted: on a SQLite file those come from sqlite3 (listing/lookup.py), and a
worker imports the rest once they are on screen (`after_first_rows`).
"""

from __future__ import annotations

import concurrent.futures.thread  # noqa: F401 - preloaded: see the module's docstring
from typing import Any, ClassVar

import textual.layouts.factory  # noqa: F401
import textual.layouts.horizontal  # noqa: F401
import textual.layouts.stream  # noqa: F401
import textual.scrollbar  # noqa: F401
from textual import work
from textual.app import App
from textual.binding import BindingType
from textual.screen import Screen
from textual.worker import Worker

from workbench.config import Settings
from workbench.core.keymap import resolve as resolve_keymap
from workbench.desk import Desk, open_desk
from workbench.errors import WorkbenchError
from workbench.listing.lookup import change_marker
from workbench.textsafe import one_line
from workbench.tui.actions import ReviewActions
from workbench.tui.bindings import APP_BINDINGS, PALETTE, binding_entries
from workbench.tui.commands import WorkbenchCommands
from workbench.tui.first_window import FirstWindow
from workbench.tui.messages import DataChanged
from workbench.tui.screens.claims import ClaimsScreen


class WorkbenchApp(ReviewActions):
    """Claims list, claim detail and every review action, over one database."""

    CSS_PATH = "workbench.tcss"
    TITLE = "workbench"
    COMMANDS: ClassVar[set[Any]] = App.COMMANDS | {WorkbenchCommands}
    BINDINGS: ClassVar[list[BindingType]] = APP_BINDINGS

    def __init__(
        self,
        db_url: str,
        *,
        reviewer: str | None = None,
        settings: Settings | None = None,
        refresh_interval: float = 3.0,
        desk: Desk | None = None,
        first_window: FirstWindow | None = None,
    ) -> None:
        """`desk` and `first_window`: the database already opened at `db_url` and its
        start-up read already begun (as `workbench` does before it imports Textual); by
        default the app opens and begins them here."""
        super().__init__()
        self.db_url = db_url
        self.settings = settings or Settings()
        self.refresh_interval = refresh_interval
        # A bad database fails here, before the screen takes over; on a team server the
        # reviewer is the database login.
        self.desk: Desk = desk or open_desk(db_url, (reviewer or "").strip() or None, self.settings)
        self.reviewer = self.desk.reviewer
        self._marker: int | None = None
        self._base_title = one_line(f"{self.reviewer} · {self.desk.where_short}")
        self.sub_title = self._base_title
        self._activities: dict[object, str] = {}
        self._rest_loaded = False
        self.undo_steps: list[tuple[str, dict[int, int]]] = []  # for `z`, newest last
        # The first screenful is read while Textual starts up (mostly waiting on the disk).
        self.first_window = first_window or FirstWindow(self.desk)

    @property
    def store(self) -> Any:
        """The app's database (for its owner, who may dispose of it; the app itself goes
        through the desk)."""
        return self.desk.store

    # ------------------------------------------------------------ start and refresh

    def get_default_screen(self) -> Screen[Any]:
        return ClaimsScreen()

    def on_mount(self) -> None:
        self._apply_keymap()
        if self.refresh_interval > 0:
            # Changes made after the start-up read show at once: its marker is the baseline.
            # (Checked after the first frame, which its thread would otherwise compete with.)
            self._marker = self.first_window.marker if self.first_window else None
            self.call_after_refresh(self._check_changes)
            self.set_interval(self.refresh_interval, self._poll)

    def _apply_keymap(self) -> None:
        keymap = dict(self.settings.keymap)
        if not keymap:
            return
        known = {entry[0] for entry in self.binding_entries(with_ids=True)}
        resolved = resolve_keymap(keymap, known)
        if resolved.problems:
            self.notify(
                resolved.message(known), title="Configuration", severity="warning", markup=False
            )
        self.set_keymap(resolved.bindings)

    def after_first_rows(self) -> None:
        """Called by the claims table once its first rows are on screen."""
        if not self._rest_loaded:
            self._rest_loaded = True
            self._load_the_rest()

    @work(thread=True, exclusive=True, group="warm-up", exit_on_error=False)
    def _load_the_rest(self) -> None:
        """After the first rows: what opening a claim, a dialog or another list needs, so
        none of them waits for its imports (done earlier, they delayed those rows)."""
        import importlib

        for name in (
            "workbench.listing.browse",
            "workbench.claims.reading",
            "workbench.tui.screens.modals",
            "workbench.tui.screens.claim",
        ):
            importlib.import_module(name)

    def _poll(self) -> None:
        self._check_changes()

    @work(thread=True, exclusive=True, group="poll", exit_on_error=False)
    def _check_changes(self) -> None:
        try:
            marker = self.desk.look(change_marker)
        except WorkbenchError:
            return  # a busy database: try again at the next tick
        self.call_from_thread(self._marker_read, marker)

    def _marker_read(self, marker: int) -> None:
        if self._marker is not None and marker != self._marker:
            self.screen.post_message(DataChanged(marker))
        self._marker = marker

    def action_refresh(self) -> None:
        self._marker = None
        self.screen.post_message(DataChanged(-1))
        self._check_changes()

    # ------------------------------------------------------------ help and palette

    def binding_entries(self, *, with_ids: bool = False) -> list[tuple[str, str, str]]:
        return binding_entries(self, self.settings.keymap, with_ids=with_ids)

    def action_help(self) -> None:
        from workbench.tui.screens.help import HelpScreen

        hint = (
            "Keys can be changed in the configuration file (config.toml) under a [keymap] "
            'line, one binding a line with its keys in quotes: verdict = "V" or '
            'claim.verdict = "V" (ids as listed above; two keys: verdict = "V,ctrl+v"). '
            "Mouse: click a row to highlight, "
            "click it again to open; click a key in the bar at the foot to press it, and a "
            "status, rating or sort field for its menu."
        )
        self.push_screen(HelpScreen(self.binding_entries(), hint))

    def palette_entries(self) -> list[tuple[str, str, str]]:
        return list(PALETTE)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        self.report_worker(event)

    def on_unmount(self) -> None:
        self.desk.dispose()
