"""The claim's short form in the TUI: a small dialog over the claim, saved as a claim edit
(claims/summary.py's set_summary), with the length Google advises counted as you type."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.content import Content
from textual.widgets import Input, Label, Static

from workbench.claims import summary as claim_summary
from workbench.core.results import ClaimAt, ClaimRow
from workbench.textsafe import one_line
from workbench.tui.screens.modals import Dialog

if TYPE_CHECKING:
    from workbench.tui.writes import WritingApp


class SummaryDialog(Dialog[str]):
    """Returns the new summary; an empty one clears it (then ClaimReview uses the text)."""

    TITLE_TEXT = "Short form (published as ClaimReview's claimReviewed)"

    def __init__(self, claim: ClaimRow, start: str, conflict: str | None = None) -> None:
        """`start`: the summary as stored, or the user's input kept after a conflict."""
        super().__init__()
        self.claim, self.start, self.conflict = claim, start, conflict

    def body(self) -> ComposeResult:
        yield Static(Content(one_line(self.claim.text, 300)), classes="dialog-claim")
        yield Label("A few words; leave empty to publish the claim as said")
        value = self.start
        yield Input(value, id="summary-text", placeholder="e.g. School budget rose 38% since 2019")
        yield Static(self._count(value), id="summary-count", markup=False)

    def _count(self, value: str) -> Content:
        length = len(" ".join(value.split()))
        advice = claim_summary.length_advice(" ".join(value.split())) if length else None
        return Content(advice or f"{length} of the {claim_summary.ADVISED_CHARS} advised")

    @on(Input.Changed, "#summary-text")
    def _changed(self, event: Input.Changed) -> None:
        self.query_one("#summary-count", Static).update(self._count(event.value))

    @on(Input.Submitted, "#summary-text")
    def _submitted(self) -> None:
        self.action_save()

    def result(self) -> str | None:
        value = self.query_one("#summary-text", Input).value
        if len(" ".join(value.split())) > claim_summary.MAX_SUMMARY_CHARS:
            self.complain(
                f"Keep it under {claim_summary.MAX_SUMMARY_CHARS} characters.", "#summary-text"
            )
            return None
        return value  # "" is a value here: it clears the summary


def open_summary(
    app: WritingApp, claim: ClaimRow, kept: str | None = None, why: str | None = None
) -> None:
    """Reads the current summary in a thread, then opens the dialog; saving is one audited
    claim edit, and a conflict reopens the dialog with the input kept."""

    def load() -> None:
        current = app.desk.read(
            lambda session, _viewer: claim_summary.get_summary(session, claim.id)
        )
        app.call_from_thread(
            app.push_screen,
            SummaryDialog(claim, kept if kept is not None else current or "", why),
            save,
        )

    def save(result: str | None) -> None:
        if result is None:
            return
        cleared = not result.strip()
        app.write(
            f"Claim {claim.id}: " + ("summary cleared" if cleared else "summary saved"),
            lambda desk: desk.write(claim_summary.set_summary, ClaimAt.of(claim), result),
            reopen=lambda fresh, why: open_summary(app, fresh, result, why),
        )

    app.run_worker(load, thread=True, group="summary", exit_on_error=False)
