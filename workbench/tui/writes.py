"""The app's machinery for the actions: the current claim, writes in thread workers with
one clear message each (and the dialog reopened with the user's input when someone else
changed the claim first), and slow work shown in the header."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, TypeVar

from textual import work
from textual.binding import Binding
from textual.screen import Screen

from workbench.config import Settings
from workbench.core.results import ClaimRow
from workbench.desk import Desk
from workbench.errors import ConflictError, WorkbenchError
from workbench.textsafe import printable
from workbench.tui.base import DeskApp
from workbench.wording import counted

if TYPE_CHECKING:
    from workbench.core.details import ClaimDetail

Reopen = Callable[[ClaimRow, str], None]
T = TypeVar("T")
UNDO_DEPTH = 20  # the changes `z` can still undo, newest first


class WritingApp(DeskApp):
    settings: Settings
    reviewer: str
    _base_title: str
    _activities: dict[object, str]
    undo_steps: list[tuple[str, dict[int, int]]]

    def action_refresh(self) -> None:
        """Re-reads what the screen shows (the app's own does more)."""

    # ------------------------------------------------------------ the current claim

    def current_claim(self) -> ClaimRow | None:
        getter: Callable[[], ClaimRow | None] | None = getattr(self.screen, "current_claim", None)
        return getter() if getter else None

    def _need_claim(self) -> ClaimRow | None:
        claim = self.current_claim()
        if claim is None:
            self.notify(
                "Choose a claim first (highlight it in the list, or open it).", severity="warning"
            )
        return claim

    def ask(self, dialog: Screen[T | None], then: Callable[[T], None]) -> None:
        """Opens `dialog`; `then` gets its answer, unless the user cancelled it (None)."""

        def answered(result: T | None) -> None:
            if result is not None:
                then(result)

        self.push_screen(dialog, answered)

    # ------------------------------------------------------------ writes

    def write(
        self,
        done: str,
        change: Callable[[Desk], Any],
        *,
        reopen: Reopen | None = None,
        undo: dict[int, int] | None = None,
    ) -> None:
        """Runs `change(desk)` (one use case) in a thread; `done` is said when it worked. If
        someone else changed the claim meanwhile, `reopen(fresh claim, why)` gives the user
        their input back, against the claim as it is now. `undo` (claim id -> its version
        before the change) makes the change one that `z` undoes."""
        self._write(done, change, reopen, undo)

    @work(thread=True, group="write", exit_on_error=False)
    def _write(
        self,
        done: str,
        change: Callable[[Desk], Any],
        reopen: Reopen | None,
        undo: dict[int, int] | None,
    ) -> None:
        try:
            change(self.desk)
        except ConflictError as exc:
            self.changed_meanwhile(exc, reopen)
            return
        except WorkbenchError as exc:
            self.call_from_thread(self._failed, str(exc), "Not saved")
            return
        if undo:
            self.call_from_thread(self._undoable, done, undo)
        else:
            self.call_from_thread(self._written, done)

    def _undoable(self, done: str, undo: dict[int, int]) -> None:
        """Remembered for `z`; the message says how to undo it (with the key as mapped)."""
        self.undo_steps.append((done, undo))
        del self.undo_steps[:-UNDO_DEPTH]
        self._written(f"{done} - press {self.undo_key()} to undo")

    def undo_key(self) -> str:
        keys = self._keymap.get("app.undo", "z").split(",")[0].strip()
        return self.get_key_display(Binding(keys, ""))

    def action_undo(self) -> None:
        if not self.undo_steps:
            self.notify("Nothing to undo yet.", severity="warning")
            return
        done, undo = self.undo_steps.pop()
        self._undo(done, undo)

    @work(thread=True, group="write", exit_on_error=False)
    def _undo(self, done: str, undo: dict[int, int]) -> None:
        from workbench.claims.undo import undo_change, undo_changes

        try:
            if len(undo) == 1:
                [(claim_id, version)] = undo.items()
                said = self.desk.write(undo_change, claim_id, from_version=version).what
            else:
                report = self.desk.write(undo_changes, undo)
                said = f"{counted(len(report.undone), 'claim')} set back"
                if report.refused:
                    left = counted(len(report.refused), "claim")
                    said += f"; {left} left as they are: {report.refused[0]}"
                    self.call_from_thread(self._warned, f"Undone: {done} ({said})", "Undo")
                    self.call_from_thread(self.action_refresh)
                    return
        except ConflictError as exc:
            self.call_from_thread(self._failed, str(exc), "Not undone: changed meanwhile")
            self.call_from_thread(self.action_refresh)
            return
        except WorkbenchError as exc:
            self.call_from_thread(self._failed, str(exc), "Not undone")
            return
        self.call_from_thread(self._written, f"Undone: {done} ({said})")

    def changed_meanwhile(self, exc: ConflictError, reopen: Reopen | None) -> None:
        """Says so, refreshes, and (from the worker thread) reopens the dialog with the input."""
        self.call_from_thread(self._failed, str(exc), "Changed meanwhile")
        self.call_from_thread(self.action_refresh)
        if reopen is None or exc.claim_id is None:
            return
        detail = self.read_claim(exc.claim_id)
        if detail is not None:
            self.call_from_thread(reopen, detail.claim, str(exc))

    def read_claim(self, claim_id: int) -> ClaimDetail | None:
        """The claim as this reviewer may see it, read in the calling worker thread; None
        (after saying why) when it cannot be read."""
        try:
            from workbench.claims.reading import show_claim

            return self.desk.read(show_claim, claim_id)
        except WorkbenchError as exc:
            self.call_from_thread(self._failed, str(exc), "Cannot read the claim")
            return None

    def _failed(self, message: str, title: str) -> None:
        self.notify(printable(message), title=title, severity="error", markup=False, timeout=8)

    def _warned(self, message: str, title: str) -> None:
        self.notify(printable(message), title=title, severity="warning", markup=False, timeout=10)

    def _written(self, done: str) -> None:
        self.notify(printable(done), markup=False)
        self.action_refresh()

    @contextmanager
    def _activity(self, label: str) -> Iterator[None]:
        """Shows slow background work in the header (on every screen) while it runs; called
        from a worker thread."""
        token = object()
        self.call_from_thread(self._set_activity, token, label)
        try:
            yield
        finally:
            self.call_from_thread(self._set_activity, token, None)

    def _set_activity(self, token: object, label: str | None) -> None:
        if label is None:
            self._activities.pop(token, None)
        else:
            self._activities[token] = label
        busy = "; ".join(self._activities.values())
        self.sub_title = f"{self._base_title} · {busy}" if busy else self._base_title
