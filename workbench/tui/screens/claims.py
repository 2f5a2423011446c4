"""The claims screen: filters, per-status counts and the virtual claims table."""

from __future__ import annotations

from typing import Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.content import Content
from textual.widget import Widget
from textual.widgets import Input
from textual.worker import Worker

from workbench.core.results import ClaimFilter, ClaimRow
from workbench.core.vocabulary import STATUSES
from workbench.errors import WorkbenchError
from workbench.tui.base import DeskScreen
from workbench.tui.messages import (
    CountsLoaded,
    DataChanged,
    ListFailed,
    OpenClaim,
    forward_worker_state,
)
from workbench.tui.widgets.choice import ChoiceButton
from workbench.tui.widgets.claims_table import ClaimsTable
from workbench.tui.widgets.keybar import KeyBar

SORTS = (
    ("score ↓", "score:desc"),
    ("score ↑", "score:asc"),
    ("updated ↓", "updated:desc"),
    ("updated ↑", "updated:asc"),
    ("status", "status:asc"),
)


class CountsBar(Widget):
    """One line: claims per status and where the cursor is. Repainting it never re-lays
    out the screen (a `Static.update` would, on every cursor move)."""

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self._content = Content("")

    def show(self, content: Content) -> None:
        if content != self._content:
            self._content = content
            self.refresh()

    def render(self) -> Content:
        return self._content


class ClaimsScreen(DeskScreen):
    """Every claim, one line each, with search, filters and counts."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "slash",
            "focus_search",
            "Search",
            tooltip="Search the claims as you type (full-text)",
            id="claims.search",
        ),
        Binding(
            "o",
            "cycle_sort",
            "Sort",
            tooltip="Next sort order: score, updated time, status",
            id="claims.sort",
        ),
        Binding(
            "escape",
            "clear_or_focus",
            "Back to list",
            show=False,
            tooltip="Leave the search box (twice: clear search and filters)",
            id="claims.escape",
        ),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.counts: dict[str, int] = dict.fromkeys(STATUSES, 0)
        self._counted = False

    def compose(self) -> ComposeResult:
        # One-line ChoiceButtons rather than Selects: the filter bar costs a few
        # milliseconds of start-up instead of more than the table (see widgets/choice.py).
        yield self.header()
        with Horizontal(id="filters"):
            yield Input(placeholder="Search claims…", id="search")
            yield ChoiceButton(
                "status",
                [(s, s) for s in STATUSES],
                tooltip="Only claims with this status",
                id="status-filter",
            )
            yield ChoiceButton(
                "rating",
                [(r.label, r.name) for r in self.wb.desk.settings.scale.ratings],
                tooltip="Only claims whose verdict has this rating",
                id="rating-filter",
            )
            yield ChoiceButton(
                "sort",
                [(label, value) for label, value in SORTS],
                allow_any=False,
                tooltip="The list's order (o: the next one)",
                id="sort",
            )
            yield Input(
                placeholder="art. #",
                id="article-filter",
                type="integer",
                tooltip="Only claims of this article",
            )
            yield Input(
                placeholder="by…",
                id="reviewer-filter",
                tooltip="Only claims with a verdict by this reviewer",
            )
        yield CountsBar(id="counts")
        yield ClaimsTable(self.wb.desk, first_window=self.wb.first_window, id="claims")
        yield KeyBar()

    def on_mount(self) -> None:
        self.table.moved.subscribe(self, self._cursor_moved, immediate=True)
        self.table.focus()
        self.refresh_all(keep=False)

    # ------------------------------------------------------------ data

    @property
    def table(self) -> ClaimsTable:
        return self.query_one(ClaimsTable)

    def current_claim(self) -> ClaimRow | None:
        return self.table.current_row

    def refresh_all(self, *, keep: bool = True) -> None:
        if keep:
            self.table.reload(keep=True)
        else:
            self.table.set_filter(self._filter())
        if self._counted and self.table.total is not None:
            self._load_counts()
        # else: counted once the first rows are on screen (on_cursor_moved), not competing

    @work(thread=True, exclusive=True, group="counts", exit_on_error=False)
    def _load_counts(self) -> None:
        from workbench.listing import browse  # after the first rows: see tui/app.py

        try:
            counts = self.wb.desk.read(browse.status_counts)
        except WorkbenchError as exc:
            self.post_message(ListFailed(str(exc)))
            return
        self.post_message(CountsLoaded(counts))

    def on_counts_loaded(self, message: CountsLoaded) -> None:
        self.counts = message.counts
        self._show_counts()

    def _cursor_moved(self, _row: ClaimRow | None) -> None:
        if not self._counted and self.table.total is not None:
            self._counted = True
            # After the frame that paints the first rows: the count's thread imports the
            # ORM reads, which would otherwise take the interpreter from that frame.
            self.call_after_refresh(self._load_counts)
        self._show_counts()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        forward_worker_state(self, event)

    def on_list_failed(self, message: ListFailed) -> None:
        self.notify(message.error, title="Cannot read the claims", severity="error", markup=False)

    def on_data_changed(self, _message: DataChanged) -> None:
        self.refresh_all(keep=True)

    def on_screen_resume(self) -> None:
        # Back from a claim or a dialog: what was done there shows in the list at once.
        if self._counted:
            self.refresh_all(keep=True)

    def on_open_claim(self, message: OpenClaim) -> None:
        from workbench.tui.screens.claim import ClaimScreen

        self.app.push_screen(ClaimScreen(message.claim_id))

    def _show_counts(self) -> None:
        parts: list[str | tuple[str, str]] = []
        for status in STATUSES:
            parts.append((f"{status} ", "bold"))
            parts.append(f"{self.counts.get(status, 0):,}   ")
        table = self.table
        total = table.total
        if total is None:
            parts.append("counting…")
        else:
            shown = f"{total.count:,}" if total.exact else f"over {total.count - 1:,}"
            where = f"claim {table.cursor + 1:,} of {shown}" if total.count else "no claims match"
            parts.append(("│ ", "dim"))
            parts.append(where)
            if total.ordered_by_id:
                parts.append(("  (many matches: newest first; refine the search to sort)", "dim"))
        self.query_one(CountsBar).show(Content.assemble(*parts))

    # ------------------------------------------------------------ filters

    def _filter(self) -> ClaimFilter:
        search = self.query_one("#search", Input).value.strip() or None
        status = self.query_one("#status-filter", ChoiceButton).value
        rating = self.query_one("#rating-filter", ChoiceButton).value
        sort, _, direction = str(self.query_one("#sort", ChoiceButton).value).partition(":")
        article_text = self.query_one("#article-filter", Input).value.strip()
        reviewer = self.query_one("#reviewer-filter", Input).value.strip() or None
        return ClaimFilter(
            status=status,
            rating=rating,
            article_id=int(article_text) if article_text.isdigit() else None,
            reviewer=reviewer,
            search=search,
            sort=sort,
            descending=direction != "asc",
        )

    @on(Input.Changed)
    @on(ChoiceButton.Changed)
    def _filters_changed(self, _event: Any) -> None:
        wanted = self._filter()
        if self.is_mounted and wanted != self.table.filter:
            self.table.set_filter(wanted)

    @on(Input.Submitted)
    def _submitted(self, _event: Input.Submitted) -> None:
        self.table.focus()

    def action_focus_search(self) -> None:
        self.query_one("#search", Input).focus()

    def action_cycle_sort(self) -> None:
        sort = self.query_one("#sort", ChoiceButton)
        values = [value for _, value in SORTS]
        sort.value = values[(values.index(str(sort.value)) + 1) % len(values)]

    def action_clear_or_focus(self) -> None:
        if not self.table.has_focus:
            self.table.focus()
            return
        self.query_one("#search", Input).value = ""
        self.query_one("#status-filter", ChoiceButton).clear()
        self.query_one("#rating-filter", ChoiceButton).clear()
        self.query_one("#article-filter", Input).value = ""
        self.query_one("#reviewer-filter", Input).value = ""
