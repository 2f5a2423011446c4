"""The bulk status change of the TUI: every claim the list shows (its search and filters)
set to one status in one audited transaction, and undone with `z`, each claim back to its
own earlier status."""

from __future__ import annotations

from textual import work

from workbench.core.results import ClaimFilter, ClaimRow
from workbench.errors import WorkbenchError
from workbench.tui.writes import WritingApp
from workbench.wording import counted

BULK_LIMIT = 1000  # more than this at once is a filter to narrow, not a review decision


class BulkActions(WritingApp):
    def _claims_filter(self) -> ClaimFilter:
        """The claims list's filter (search, status, rating…), wherever the user is now."""
        from workbench.tui.screens.claims import ClaimsScreen

        for screen in reversed(self.screen_stack):
            if isinstance(screen, ClaimsScreen):
                return screen.table.filter
        return ClaimFilter()

    def action_bulk_status(self) -> None:
        self._open_bulk(self._claims_filter())

    @work(thread=True, exclusive=True, group="bulk", exit_on_error=False)
    def _open_bulk(self, claims: ClaimFilter) -> None:
        from workbench.listing.queries import visible_claims

        try:
            rows = self.desk.read(visible_claims, claims, limit=BULK_LIMIT + 1)
        except WorkbenchError as exc:
            self.call_from_thread(self._failed, str(exc), "Cannot list the claims")
            return
        self.call_from_thread(self._show_bulk, rows)

    def _show_bulk(self, rows: list[ClaimRow]) -> None:
        from workbench.tui.screens.modals import StatusDialog

        if not rows:
            self.notify("The list shows no claim to change.", severity="warning")
            return
        if len(rows) > BULK_LIMIT:
            self.notify(
                f"The list shows more than {BULK_LIMIT} claims: narrow it (search, status, "
                "article) to change them at once.",
                severity="warning",
            )
            return
        heading = f"Every claim the list shows: {counted(len(rows), 'claim')} (z undoes it)"
        self.ask(
            StatusDialog(None, heading=heading), lambda status: self._bulk_status(rows, status)
        )

    def _bulk_status(self, rows: list[ClaimRow], status: str) -> None:
        from workbench.team.workflow import bulk_set_status

        versions = {r.id: r.version for r in rows}
        changed = {r.id: r.version for r in rows if r.status != status}
        if not changed:
            self.notify(f"Every one of them is {status} already.")
            return
        self.write(
            f"Set {counted(len(changed), 'claim')} to {status}",
            lambda desk: desk.write(
                bulk_set_status, list(versions), status, expected_versions=versions
            ),
            undo=changed,
        )
