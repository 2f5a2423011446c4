"""Starting the terminal UI from the command line: the one way across the front ends.

Textual is imported only here, inside `run_app`, after the start-up read of the first rows
has begun (tui/first_window.py): importing Textual takes about a third of a second, and the
read is done in that time instead of after it.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from workbench import collector
from workbench.tui.first_window import FirstWindow

if TYPE_CHECKING:
    from workbench.desk import Desk


def run_app(desk: Desk) -> int:
    """Runs the app on `desk` (opened by the command line, so a bad database fails before the
    screen takes over) until it quits; its exit status."""
    first_window = FirstWindow(desk)
    # Textual draws at most TEXTUAL_FPS frames a second (60 by default), so a change that
    # follows another within a frame (a search's rows, after the echo of the letter typed)
    # waits for the next one. At 120 that wait halves; with nothing changing no frame is
    # drawn either way. Read when Textual is imported; a value the user set wins.
    os.environ.setdefault("TEXTUAL_FPS", "120")
    # Textual's import makes only long-lived objects: no collections meanwhile, nor of them
    # afterwards.
    with collector.paused(freeze=True):
        from workbench.tui.app import WorkbenchApp

    app = WorkbenchApp(
        db_url=desk.url,
        reviewer=desk.reviewer,
        settings=desk.settings,
        desk=desk,
        first_window=first_window,
    )
    app.run()
    return int(app.return_code or 0)
