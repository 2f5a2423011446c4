"""Earlier fact-checks of a claim from the Fact Check Tools API, in the TUI (key f): the search
runs in a thread worker (the fetcher is network work, never on the event loop); the results
list publisher, rating, date and URL, one a line; the chosen ones are imported as earlier
fact-checks in one unit of work."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy.orm import Session
from textual import on, work
from textual.app import ComposeResult
from textual.content import Content
from textual.widgets import SelectionList, Static
from textual.widgets.selection_list import Selection

from workbench import factcheck_search, matching
from workbench.errors import WorkbenchError
from workbench.factcheck_search import FoundReview, SearchResult
from workbench.review import ClaimRow
from workbench.textsafe import one_line
from workbench.tui.screens.modals import Dialog

if TYPE_CHECKING:
    from workbench.config import Settings
    from workbench.tui.app import WorkbenchApp


def result_line(number: int, review: FoundReview) -> str:
    """One line of the list: who, rating, date, URL (the claim shows below the list)."""
    who = one_line(review.publisher or review.site or "?", 28)
    rating = one_line(review.rating or "-", 24)
    date = (review.date or "-")[:10]
    return f"{number:>2}. {who} · {rating} · {date} · {one_line(review.url or '-', 70)}"


def detail_text(review: FoundReview) -> str:
    claimant = f" ({review.claimant})" if review.claimant else ""
    lines = [one_line(f"Claim: {review.claim}{claimant}", 300)]
    if review.title:
        lines.append(one_line(f"Review: {review.title}", 200))
    return "\n".join(lines)


class FactCheckSearchDialog(Dialog[list[FoundReview]]):
    """Searches for the claim's words when it opens; returns the reviews chosen to import."""

    TITLE_TEXT = "Earlier fact-checks (Google Fact Check Tools API)"
    SAVE_LABEL = "Import chosen"
    DEFAULT_CSS = """
    FactCheckSearchDialog #search-results { height: auto; max-height: 14; }
    FactCheckSearchDialog #search-detail { height: 3; }
    """

    def __init__(self, claim: ClaimRow, query: str, settings: Settings) -> None:
        super().__init__()
        self.claim = claim
        self.search_text = query
        self.settings = settings
        self.found: SearchResult | None = None

    def body(self) -> ComposeResult:
        yield Static(
            Content(f"Searching for: {one_line(self.search_text, 200)}"), classes="dialog-claim"
        )
        yield Static(Content("Searching…"), id="search-status")
        yield SelectionList[int](id="search-results")
        yield Static("", id="search-detail", markup=False)

    def on_mount(self) -> None:  # Dialog's own on_mount runs too (Textual calls each class's)
        self._search()

    @work(thread=True, exclusive=True, group="factcheck-search", exit_on_error=False)
    def _search(self) -> None:
        try:
            found = factcheck_search.search(self.search_text, self.settings, limit=20)
        except WorkbenchError as exc:
            self.app.call_from_thread(self._failed, str(exc))
            return
        self.app.call_from_thread(self._show, found)

    def _failed(self, message: str) -> None:
        self.query_one("#search-status", Static).update(Content("No results."))
        self.complain(message)

    def _show(self, found: SearchResult) -> None:
        self.found = found
        results = self.query_one("#search-results", SelectionList)
        results.add_options(
            [Selection(Content(result_line(n, r)), n - 1) for n, r in enumerate(found.reviews, 1)]
        )
        if found.reviews:
            more = " (more: --limit on the command line)" if found.more else ""
            status = f"{len(found.reviews)} found{more} · space chooses · ctrl+s imports"
            results.highlighted = 0
            results.focus()
            detail = Content(detail_text(found.reviews[0]))
            self.query_one("#search-detail", Static).update(detail)
        else:
            status = "No fact-check of a claim like this was found."
        self.query_one("#search-status", Static).update(Content(status))

    @on(SelectionList.SelectionHighlighted, "#search-results")
    def _highlighted(self, event: SelectionList.SelectionHighlighted[int]) -> None:
        if self.found is not None:
            review = self.found.reviews[event.selection.value]
            self.query_one("#search-detail", Static).update(Content(detail_text(review)))

    def result(self) -> list[FoundReview] | None:
        if self.found is None:
            self.complain("The search has not answered yet.")
            return None
        chosen = self.query_one("#search-results", SelectionList).selected
        if not chosen:
            self.complain("Choose results with space first, or close with escape.")
            return None
        return [self.found.reviews[i] for i in chosen]


def open_search(app: WorkbenchApp, claim: ClaimRow) -> None:
    """Searches for the claim's short form when it has one (few words search better)."""

    def load() -> None:
        from workbench import claim_summary

        with app.store.read() as session:
            query = claim_summary.get_summary(session, claim.id) or claim.text
        app.call_from_thread(
            app.push_screen, FactCheckSearchDialog(claim, query, app.settings), save
        )

    def save(chosen: list[FoundReview] | None) -> None:
        if not chosen:
            return

        def store(session: Session) -> None:
            factcheck_search.import_found(session, app.reviewer, chosen)
            matching.suggest_matches(session, app.reviewer, claim.id)  # they show at once

        app.write(
            f"Claim {claim.id}: {len(chosen)} earlier fact-check(s) imported and matched",
            store,
        )

    app.run_worker(load, thread=True, group="factcheck-search", exit_on_error=False)
