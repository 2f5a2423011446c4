"""The unfiltered claims list's size and first rows, read in a thread from the moment the
terminal UI is asked for, so reading the database overlaps starting the UI.

No Textual here: `workbench` (cli/app.py) starts this read before it imports Textual, which
takes about a third of a second; the read (sqlite3, which lets go of the interpreter while it
waits on the disk) is then done before the first screen asks for it.
"""

from __future__ import annotations

import threading
import time
from typing import TYPE_CHECKING

from workbench.core.results import ClaimFilter
from workbench.errors import WorkbenchError

if TYPE_CHECKING:
    from workbench.core.results import ClaimRow, Total
    from workbench.desk import Desk

__all__ = ["FIRST_ROWS", "MAX_PREFETCH_AGE", "FirstWindow"]

FIRST_ROWS = 100  # read at start-up: more than any screen is tall; the table's page size
# Seconds a start-up read stays good for: longer than a cold first import of Textual takes;
# a change made after the read shows anyway (the app polls from the marker read with it).
MAX_PREFETCH_AGE = 10.0


class FirstWindow:
    """The unfiltered list's size and first rows, read in a thread from when it is made.
    Used once, by the first load of the table."""

    def __init__(self, desk: Desk) -> None:
        self.done = threading.Event()
        self.result: tuple[Total, list[ClaimRow]] | None = None
        self.error: str | None = None
        self.marker: int | None = None  # read before the rows: a later change shows as new
        self.finished_at = 0.0
        self.used = False
        threading.Thread(target=self._read, args=(desk,), daemon=True).start()

    def _read(self, desk: Desk) -> None:
        try:
            from workbench.listing.lookup import start_up

            self.marker, total, rows = desk.look(start_up, FIRST_ROWS)
            self.result = (total, rows)
        except WorkbenchError as exc:
            self.error = str(exc)
        except Exception as exc:  # reported by the normal load, which runs again
            self.error = f"{type(exc).__name__}: {exc}"
        finally:
            self.finished_at = time.monotonic()
            self.done.set()

    def take(
        self, claim_filter: ClaimFilter, top: int, rows: int, *, wait: float = 30
    ) -> tuple[Total, list[ClaimRow]] | None:
        """The prefetched answer if it answers this question (once), else None. Waits up
        to `wait` seconds for it; if it is not there by then, it stays for a later call."""
        if self.used or claim_filter != ClaimFilter() or top != 0 or rows > FIRST_ROWS:
            return None
        if not self.done.wait(timeout=wait):
            return None
        self.used = True
        if time.monotonic() - self.finished_at > MAX_PREFETCH_AGE:
            return None  # read too long ago (an app built well before it ran): read again
        return self.result
