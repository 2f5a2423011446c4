"""What the screens, widgets and palette need of the app, without importing the app module
(which imports them): the desk (database, reviewer, settings), the start-up read, worker
error reporting, the palette's entries, and what every full screen has."""

from __future__ import annotations

from typing import Any

from textual.app import App
from textual.screen import Screen
from textual.widgets import Header
from textual.worker import Worker, WorkerState

from workbench.desk import Desk
from workbench.tui.first_window import FirstWindow


class DeskApp(App[int]):
    desk: Desk
    first_window: FirstWindow | None = None

    def report_worker(self, event: Worker.StateChanged) -> None:
        """Anything a worker did not expect becomes a notification, never a crash. (The
        message does not bubble: each screen and widget with workers forwards it here.)"""
        if event.state == WorkerState.ERROR and event.worker.error is not None:
            error = event.worker.error
            self.notify(
                f"{type(error).__name__}: {error}",
                title="Something went wrong",
                severity="error",
                markup=False,
                timeout=10,
            )

    def palette_entries(self) -> list[tuple[str, str, str]]:
        """(name, help, action) of every command-palette entry."""
        return []


def desk_app(app: Any) -> DeskApp:
    assert isinstance(app, DeskApp)
    return app


class DeskScreen(Screen[None]):
    """A full screen of the workbench (not a dialog): the app with its desk, and the header
    every such screen starts with."""

    @property
    def wb(self) -> DeskApp:
        return desk_app(self.app)

    def header(self) -> Header:
        return Header(show_clock=False, icon="☰")
