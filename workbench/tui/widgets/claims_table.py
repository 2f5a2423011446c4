"""The claims list: a virtual table that draws only the rows on screen.

A `ScrollView` with the line API: `render_line` draws one screen line from a small cache of
rows; rows not cached yet show as a placeholder while a thread worker reads their page
from the database (workbench.listing.browse, imported by the first worker that needs it;
the first screenful comes from the start-up read of workbench.listing.lookup, without
SQLAlchemy), so a list of 1,000,000 claims opens and scrolls as fast as one of 10. Text
from the database goes into `Segment`s as it is (never parsed as
markup) after `textsafe.one_line` removed control characters and escape sequences.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events, work
from textual.binding import Binding, BindingType
from textual.geometry import Region, Size
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.signal import Signal
from textual.strip import Strip
from textual.worker import Worker

from workbench.core.results import ClaimFilter, ClaimRow, Total
from workbench.errors import WorkbenchError
from workbench.textsafe import one_line
from workbench.tui.first_window import FIRST_ROWS, FirstWindow
from workbench.tui.messages import ExactCount, ListFailed, OpenClaim, WindowLoaded

if TYPE_CHECKING:
    from workbench.desk import Desk

PAGE = FIRST_ROWS  # rows per database read (the start-up read is one page)
FIRST_WINDOW_WAIT = 0.15  # seconds the UI thread may wait for the start-up read
PREFETCH_END_DELAY = 0.3  # seconds after a list's first rows before its last are read
EXACT_COUNT_DELAY = 0.4  # seconds after a large search's first page before counting it all
MAX_CACHED = 3000  # rows kept in memory; the rest are dropped, farthest from the view first

# (title, width); width 0 is the claim text, which takes the space left.
COLUMNS: tuple[tuple[str, int], ...] = (
    ("id", 7),
    ("claim", 0),
    ("score", 5),
    ("status", 12),
    ("rating", 12),
    ("src", 3),
    ("updated", 16),
)
SORT_COLUMN = {"score": "score", "updated": "updated", "status": "status", "id": "id"}


class ClaimsTable(ScrollView, can_focus=True):
    """Claims matching a filter, read from the database a page at a time."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up,k", "cursor(-1)", "Up", show=False, tooltip="Previous claim", id="table.up"),
        Binding("down,j", "cursor(1)", "Down", show=False, tooltip="Next claim", id="table.down"),
        Binding(
            "pageup", "page(-1)", "Page up", show=False, tooltip="A screen up", id="table.page_up"
        ),
        Binding(
            "pagedown,space",
            "page(1)",
            "Page down",
            show=False,
            tooltip="A screen down",
            id="table.page_down",
        ),
        Binding(
            "home,g",
            "first",
            "First claim",
            show=False,
            tooltip="Top of the list",
            id="table.first",
        ),
        Binding(
            "end,G", "last", "Last claim", show=False, tooltip="End of the list", id="table.last"
        ),
        Binding(
            "enter",
            "open",
            "Open",
            tooltip="Open the claim: context, sources, verdict, history",
            id="table.open",
        ),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "claims-table--header",
        "claims-table--cursor",
        "claims-table--placeholder",
        "claims-table--status-new",
        "claims-table--status-in-progress",
        "claims-table--status-reviewed",
        "claims-table--status-approved",
        "claims-table--status-dismissed",
    }

    # repaint=False: a cursor move repaints its two lines, not the whole table.
    cursor: reactive[int] = reactive(0, always_update=True, init=False, repaint=False)

    def __init__(
        self,
        desk: Desk,
        *,
        first_window: FirstWindow | None = None,
        id: str | None = None,  # noqa: A002
    ) -> None:
        super().__init__(id=id)
        self.desk = desk
        self.first_window = first_window
        self.filter = ClaimFilter()
        self.total: Total | None = None
        self.generation = 0
        # The highlighted row changed, or the list under it. Subscribers are called at once,
        # not through the message queue, so what they show (the screen's "claim N of M")
        # changes in the same frame as the rows, not in the next one (1/60 s later).
        self.moved: Signal[ClaimRow | None] = Signal(self, "moved")
        self.rows: dict[int, ClaimRow] = {}
        self._pending: set[int] = set()  # pages being read for this generation
        self._wb_styles: dict[str, Style] = {}
        self.error: str | None = None
        self._line_width = 0
        self._awaiting = False
        self._restart = False
        self._line_style: Style | None = None

    # ------------------------------------------------------------ loading

    def set_filter(self, claim_filter: ClaimFilter) -> None:
        """Shows the claims matching `claim_filter`, from the top."""
        self.filter = claim_filter
        self.reload(keep=False)

    def reload(self, *, keep: bool = True) -> None:
        """Re-reads the list: `keep` stays where the view is (a refresh), otherwise the list
        starts again from the top (a new filter or search). The rows on screen stay until the
        new ones arrive, so typing a search does not flash an empty table."""
        self.generation += 1
        self._pending.clear()
        self._awaiting = True  # no page reads against the old total meanwhile
        self._restart = self._restart or not keep
        top = 0 if not keep else max(int(self.scroll_y), 0)
        rows = min(self._visible_rows() + PAGE, FIRST_ROWS)
        # At start-up the UI thread waits a little for the start-up read: while it waits,
        # the reading thread has the interpreter to itself (the two sharing it made the read
        # several times slower), and the first frame then shows the rows. A slow disk gets
        # the empty table painted first and the rows from the worker below.
        ready = (
            self.first_window.take(self.filter, top, rows, wait=FIRST_WINDOW_WAIT)
            if self.first_window
            else None
        )
        if ready is not None:  # read during start-up: on the first frame, no worker round trip
            total, window = ready
            self.on_window_loaded(WindowLoaded(self.generation, 0, window, total))
            return
        self._load_first(self.generation, self.filter, top, rows)

    @work(thread=True, exclusive=True, group="claims-count", exit_on_error=False)
    def _load_first(self, generation: int, claim_filter: ClaimFilter, top: int, rows: int) -> None:
        """Counts the list and reads the rows on screen, as one message (one repaint)."""
        prefetched = self.first_window.take(claim_filter, top, rows) if self.first_window else None
        if prefetched is not None:
            total, window = prefetched
            self.post_message(WindowLoaded(generation, 0, window, total))
            return
        from workbench.listing import browse

        try:
            total, start, window = self.desk.read(
                browse.first_page, claim_filter, top - top % PAGE, rows
            )
        except WorkbenchError as exc:
            self.post_message(ListFailed(str(exc)))
            return
        self.post_message(WindowLoaded(generation, start, window, total))
        if not total.exact:
            # Counted a moment later, and only if no newer question came meanwhile: while
            # the reviewer types, counts do not pile up behind each keystroke.
            self.app.call_from_thread(self.set_timer, EXACT_COUNT_DELAY, self._count_later)

    def _count_later(self) -> None:
        if self.total is not None and not self.total.exact and not self._awaiting:
            self._load_exact(self.generation, self.filter)

    @work(thread=True, exclusive=True, group="claims-exact", exit_on_error=False)
    def _load_exact(self, generation: int, claim_filter: ClaimFilter) -> None:
        from workbench.listing import browse

        try:
            exact = self.desk.read(browse.exact_count, claim_filter)
        except WorkbenchError:
            return  # the lower bound stays; not worth an error
        self.post_message(ExactCount(generation, exact))

    @work(thread=True, group="claims-page", exit_on_error=False)
    def _load_page(self, generation: int, page: int) -> None:
        claim_filter, total = self.filter, self.total
        if total is None or generation != self.generation:
            return
        from workbench.listing import browse

        try:
            rows = self.desk.read(browse.window, claim_filter, page * PAGE, PAGE, total)
        except WorkbenchError as exc:
            self.post_message(ListFailed(str(exc)))
            return
        self.post_message(WindowLoaded(generation, page * PAGE, rows))

    def on_window_loaded(self, message: WindowLoaded) -> None:
        message.stop()
        if message.generation != self.generation:
            return  # an answer to an older question
        self.error = None
        if message.total is not None:
            old, new = self.total, message.total
            if not self._restart and old is not None and not new.exact and old.count > new.count:
                # A refresh of a large search: keep the size known so far (and the scroll
                # position) until the exact count arrives.
                new = Total(old.count, False, new.ordered_by_id)
            self.total = new
            self._awaiting = False
            self.rows.clear()
            self._update_virtual_size()
            if self._restart:
                self._restart = False
                self.cursor = 0
                self.scroll_to(y=0, animate=False)
        for index, row in enumerate(message.rows, start=message.offset):
            self.rows[index] = row
        self._pending.discard(message.offset // PAGE)
        if message.total is not None:
            # A moment later: a read now would compete with painting these rows.
            generation = self.generation
            self.set_timer(PREFETCH_END_DELAY, lambda: self._prefetch_end(generation))
        if self.total is not None and self.total.count and self.cursor >= self.total.count:
            self.cursor = self.total.count - 1
        self._evict()
        self.refresh()
        self.moved.publish(self.current_row)
        if message.rows:  # once painted, the app may load what later screens need
            self.call_after_refresh(getattr(self.app, "after_first_rows", lambda: None))

    def on_exact_count(self, message: ExactCount) -> None:
        message.stop()
        if message.generation == self.generation and self.total is not None:
            self.total = Total(message.count, True, self.total.ordered_by_id)
            self._update_virtual_size()
            self.refresh()
            self.moved.publish(self.current_row)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        report = getattr(self.app, "report_worker", None)
        if report is not None:
            report(event)

    def on_list_failed(self, message: ListFailed) -> None:
        self.error = message.error
        self._awaiting = False
        self.refresh()

    def _update_virtual_size(self) -> None:
        count = self.total.count if self.total else 0
        self.virtual_size = Size(self.size.width, count + 1)  # + the header line

    def _request(self, index: int) -> None:
        page = index // PAGE
        if page in self._pending or self.total is None or self._awaiting:
            return
        self._pending.add(page)
        self._load_page(self.generation, page)

    def _prefetch_end(self, generation: int) -> None:
        """Reads the end of the list in the background once its start is shown: End is a
        common jump, and with those rows in memory it paints in one frame."""
        total = self.total
        if generation != self.generation or self._awaiting:
            return  # the list changed meanwhile (the reviewer is typing a search)
        if total is not None and total.exact and total.count > FIRST_ROWS:
            self._request(total.count - 1)
            self._request(max(total.count - 1 - self._visible_rows(), 0))

    def _evict(self) -> None:
        if len(self.rows) <= MAX_CACHED:
            return
        middle = int(self.scroll_y) + self._visible_rows() // 2
        for index in sorted(self.rows, key=lambda i: -abs(i - middle))[: len(self.rows) // 2]:
            del self.rows[index]

    # ------------------------------------------------------------ cursor and keys

    @property
    def reading(self) -> bool:
        """True from a new filter or refresh until its first rows arrived."""
        return self._awaiting

    @property
    def current_row(self) -> ClaimRow | None:
        return self.rows.get(self.cursor)

    def _visible_rows(self) -> int:
        return max(self.scrollable_content_region.height - 1, 1)

    def watch_cursor(self, old: int, new: int) -> None:
        count = self.total.count if self.total else 0
        if count and not 0 <= new < count:
            self.cursor = max(0, min(new, count - 1))
            return
        self.refresh_line(old + 1)
        self.refresh_line(new + 1)
        visible = self._visible_rows()
        top = int(self.scroll_y)
        if new < top:
            self.scroll_to(y=new, animate=False)
        elif new >= top + visible:
            self.scroll_to(y=new - visible + 1, animate=False)
        self.moved.publish(self.current_row)

    def action_cursor(self, step: int) -> None:
        self.cursor += step

    def action_page(self, direction: int) -> None:
        visible = self._visible_rows()
        self.scroll_to(y=max(int(self.scroll_y) + direction * visible, 0), animate=False)
        self.cursor += direction * visible

    def action_first(self) -> None:
        self.cursor = 0

    def action_last(self) -> None:
        if self.total is not None and self.total.count:
            self.cursor = self.total.count - 1

    def action_open(self) -> None:
        row = self.current_row
        if row is not None:
            self.post_message(OpenClaim(row.id))

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None or offset.y == 0:
            return
        index = int(self.scroll_y) + offset.y - 1
        if self.total is None or index >= self.total.count:
            return
        if index == self.cursor or event.chain >= 2:
            self.cursor = index
            self.action_open()
        else:
            self.cursor = index

    def on_resize(self, _event: events.Resize) -> None:
        self._update_virtual_size()

    # ------------------------------------------------------------ drawing

    def _style(self, name: str) -> Style:
        style = self._wb_styles.get(name)
        if style is None:
            style = self.get_component_rich_style(name, partial=True)
            self._wb_styles[name] = style
        return style

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._wb_styles.clear()

    def _widths(self, width: int) -> list[int]:
        fixed = sum(w for _, w in COLUMNS) + len(COLUMNS) - 1
        text = max(width - fixed, 10)
        return [w or text for _, w in COLUMNS]

    def render_lines(self, crop: Region) -> list[Strip]:
        # The width once per repaint: asking for the region on every line costs more than
        # drawing the line.
        self._line_width = self.scrollable_content_region.width
        self._line_style = self.rich_style
        strips = super().render_lines(crop)
        self._prefetch()
        return strips

    def _prefetch(self) -> None:
        """Reads the pages just above and below the screen before they are needed, so
        paging and scrolling find their rows in memory."""
        if self.total is None or not self.total.count:
            return
        top = int(self.scroll_y)
        bottom = top + self._visible_rows()
        for index in (top - PAGE // 2, bottom + PAGE // 2, bottom + PAGE):
            if 0 <= index < self.total.count and index not in self.rows:
                self._request(index)

    def render_line(self, y: int) -> Strip:
        width = self._line_width or self.scrollable_content_region.width
        base = self._line_style or self.rich_style
        if y == 0:
            return self._header(width, base)
        index = int(self.scroll_y) + y - 1
        if self.total is None:
            return self._message((self.error or "Loading claims…") if y == 1 else "", width, base)
        if self.total.count == 0:
            text = (
                self.error
                or "No claims match. Clear the search and filters, or press n to add one."
            )
            return self._message(text if y == 1 else "", width, base)
        if index >= self.total.count:
            return Strip.blank(width, base)
        row = self.rows.get(index)
        if row is None:
            self._request(index)
            placeholder = base + self._style("claims-table--placeholder")
            return self._message("…", width, placeholder)
        return self._row(row, index == self.cursor, width, base)

    def _message(self, text: str, width: int, style: Style) -> Strip:
        return Strip([Segment(set_cell_size(" " + one_line(text), width), style)], width)

    def _header(self, width: int, base: Style) -> Strip:
        style = base + self._style("claims-table--header")
        arrow = "▼" if self.filter.descending else "▲"
        sort = "id" if self.total and self.total.ordered_by_id else self.filter.sort
        cells = []
        for (title, _), cell_width in zip(COLUMNS, self._widths(width), strict=True):
            label = f"{title} {arrow}" if SORT_COLUMN.get(sort) == title else title
            cells.append(set_cell_size(label, cell_width))
        return Strip([Segment(set_cell_size(" ".join(cells), width), style)], width)

    def _row(self, row: ClaimRow, is_cursor: bool, width: int, base: Style) -> Strip:
        widths = self._widths(width)
        score = f"{row.score:.2f}" if row.score is not None else "-"
        values = (
            str(row.id),
            one_line(row.text),
            score.rjust(widths[2]),
            row.status,
            one_line(row.rating or "-"),
            str(row.source_count).rjust(widths[5]),
            f"{row.updated_at:%Y-%m-%d %H:%M}",
        )
        line_style = base + self._style("claims-table--cursor") if is_cursor else base
        segments: list[Segment] = []
        for number, (value, cell_width) in enumerate(zip(values, widths, strict=True)):
            style = line_style
            if number == 3 and not is_cursor:
                style = line_style + self._style(f"claims-table--status-{row.status}")
            text = value
            if cell_len(text) > cell_width:
                text = set_cell_size(text, cell_width - 1) + "…"
            segments.append(Segment(set_cell_size(text, cell_width), style))
            if number < len(values) - 1:
                segments.append(Segment(" ", line_style))
        return Strip(segments).adjust_cell_length(width, line_style)
