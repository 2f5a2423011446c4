"""The reviewer's terminal UI.

One app factory with everything injected: the CLI, the tests and the benchmarks all build
`WorkbenchApp(db_url=..., reviewer=..., settings=..., http_client=...)`. The app holds a
`Store`, never a live session: every read and write runs in a thread worker with its own
short unit of work through the service layer, and results come back as messages, so the
screen never waits for the database.

Some modules are imported here although nothing below names them (noqa: F401): Textual
imports its layouts, scroll bars and the workers' thread pool on first use, which would be
while the first screen is built; loaded with the app, they cost the import, not the wait for
the first frame.
"""

from __future__ import annotations

import concurrent.futures.thread  # noqa: F401 - preloaded: see the module's docstring
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, ClassVar

import sqlalchemy.dialects.sqlite  # noqa: F401
import textual.layouts.factory  # noqa: F401
import textual.layouts.horizontal  # noqa: F401
import textual.layouts.stream  # noqa: F401
import textual.scrollbar  # noqa: F401
from sqlalchemy.orm import Session
from textual import work
from textual.app import App
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.worker import Worker, WorkerState

import workbench.tui.screens.claim  # noqa: F401 - likewise: not while the user waits
import workbench.tui.screens.modals  # noqa: F401
from workbench import browse, review
from workbench.config import Settings
from workbench.errors import ConflictError, WorkbenchError
from workbench.identity import reviewer_for
from workbench.keymap import resolve as resolve_keymap
from workbench.review import ClaimRow
from workbench.store import Store
from workbench.textsafe import one_line, printable
from workbench.tui.commands import WorkbenchCommands
from workbench.tui.messages import DataChanged
from workbench.tui.screens.claims import ClaimsScreen
from workbench.tui.screens.modals import ExportInput, UrlInput
from workbench.tui.widgets.claims_table import FirstWindow
from workbench.wording import counted


def _b(
    key: str, action: str, description: str, tooltip: str, binding_id: str, show: bool = True
) -> Binding:
    return Binding(key, action, description, show=show, tooltip=tooltip, id=binding_id)


APP_BINDINGS: list[BindingType] = [
    _b(
        "v",
        "verdict",
        "Verdict",
        "Record a verdict on the claim: a rating and a rationale",
        "claim.verdict",
    ),
    _b(
        "c",
        "cite",
        "Cite",
        "Attach a citation (book, call, dataset), stance, quote",
        "claim.cite",
    ),
    _b(
        "s",
        "status",
        "Status",
        "Change the claim's status (new, in-progress, dismissed)",
        "claim.status",
    ),
    _b(
        "a",
        "approve",
        "Approve",
        "Sign off the verdict (a reviewer other than its author)",
        "claim.approve",
    ),
    _b("n", "add_claim", "Add", "Add a claim by hand", "claim.add"),
    _b(
        "t",
        "summary",
        "Short form",
        "The claim's short form for ClaimReview",
        "claim.summary",
        show=False,
    ),
    _b(
        "f",
        "search_factchecks",
        "Fact-checks",
        "Earlier fact-checks of the claim, from Google's API",
        "claim.factchecks",
        show=False,
    ),
    _b(
        "d",
        "dismiss_claim",
        "Dismiss",
        "Take the claim out of the queue (status dismissed)",
        "claim.dismiss",
        show=False,
    ),
    _b(
        "u",
        "attach_url",
        "Attach URL",
        "Attach a URL source; it is fetched in the background",
        "source.attach_url",
        show=False,
    ),
    _b(
        "e",
        "pick_evidence",
        "Evidence",
        "Pick an evidence passage from a source's ranked passages",
        "source.evidence",
        show=False,
    ),
    _b(
        "p",
        "promote",
        "Promote",
        "Make a sentence of an article a claim",
        "article.promote",
        show=False,
    ),
    _b(
        "i",
        "ingest",
        "Ingest",
        "Ingest an article from a file or a URL",
        "article.ingest",
        show=False,
    ),
    _b("x", "export", "Export", "Export a verdict report", "report.export", show=False),
    _b(
        "r",
        "refresh",
        "Refresh",
        "Re-read the database now (also done every few seconds)",
        "app.refresh",
        show=False,
    ),
    _b("question_mark", "help", "Help", "Every key and what it does", "app.help"),
    _b("q", "quit", "Quit", "Leave the workbench", "app.quit"),
]

# Name, help and action of every command-palette entry.
PALETTE: list[tuple[str, str, str]] = [
    ("Record verdict", "Rate the claim and say why", "verdict"),
    ("Attach citation", "A book, a call, a dataset, with stance and quote", "cite"),
    ("Attach URL source", "Fetched in the background", "attach_url"),
    ("Pick evidence passage", "From a source's ranked passages", "pick_evidence"),
    ("Change status", "new, in-progress or dismissed", "status"),
    ("Dismiss claim", "Take it out of the queue", "dismiss_claim"),
    ("Approve verdict", "Sign off another reviewer's verdict", "approve"),
    ("Add claim", "Type a claim by hand", "add_claim"),
    ("Short form of claim", "The few words ClaimReview publishes", "summary"),
    ("Search earlier fact-checks", "Google Fact Check Tools API", "search_factchecks"),
    ("Promote sentence to claim", "Pick a sentence of an article", "promote"),
    ("Ingest article", "From a file or a URL", "ingest"),
    ("Export report", "A verdict report", "export"),
    ("Refresh", "Re-read the database", "refresh"),
    ("Help: keys", "Every key and what it does", "help"),
]


class WorkbenchApp(App[int]):
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
        http_client: Any = None,
        refresh_interval: float = 3.0,
    ) -> None:
        super().__init__()
        self.db_url = db_url
        self.settings = settings or Settings()
        self.http_client = http_client
        self.refresh_interval = refresh_interval
        self.store = Store(db_url)  # a bad database fails here, before the screen takes over
        try:
            self.reviewer = reviewer_for(self.store, reviewer)  # on PostgreSQL: the login
        except WorkbenchError:
            self.store.dispose()
            raise
        self._marker: int | None = None
        where = self.store.sqlite_path.name if self.store.sqlite_path else self.store.where
        self._base_title = one_line(f"{self.reviewer} · {where}")
        self.sub_title = self._base_title
        self._activities: dict[object, str] = {}
        # The first screenful is read while Textual starts up (mostly waiting on the disk).
        self.first_window = FirstWindow(self.store)

    # ------------------------------------------------------------ start and refresh

    def get_default_screen(self) -> Screen[Any]:
        return ClaimsScreen()

    def on_mount(self) -> None:
        self._apply_keymap()
        if self.refresh_interval > 0:
            # Changes made after the start-up read show at once: its marker is the baseline.
            self._marker = self.first_window.marker
            self._check_changes()
        if self.refresh_interval > 0:
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

    def _poll(self) -> None:
        self._check_changes()

    @work(thread=True, exclusive=True, group="poll", exit_on_error=False)
    def _check_changes(self) -> None:
        try:
            with self.store.read() as session:
                marker = browse.change_marker(session)
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

    # ------------------------------------------------------------ writes

    def write(
        self,
        done: str,
        change: Callable[[Session], Any],
        *,
        reopen: Callable[[ClaimRow, str], None] | None = None,
    ) -> None:
        """Runs `change` in one unit of work in a thread; `done` is said when it worked. If
        someone else changed the claim meanwhile, `reopen(fresh claim, why)` gives the user
        their input back, against the claim as it is now."""
        self._write(done, change, reopen)

    @work(thread=True, group="write", exit_on_error=False)
    def _write(
        self,
        done: str,
        change: Callable[[Session], Any],
        reopen: Callable[[ClaimRow, str], None] | None = None,
    ) -> None:
        try:
            with self.store.write() as session:
                change(session)
        except ConflictError as exc:
            self.call_from_thread(self._failed, str(exc), "Changed meanwhile")
            self.call_from_thread(self.action_refresh)
            if reopen is not None and exc.claim_id is not None:
                self._reopen(exc.claim_id, str(exc), reopen)
            return
        except WorkbenchError as exc:
            self.call_from_thread(self._failed, str(exc), "Not saved")
            return
        self.call_from_thread(self._written, done)

    def _reopen(self, claim_id: int, why: str, reopen: Callable[[ClaimRow, str], None]) -> None:
        """Reads the claim as it is now (in the calling worker thread) and reopens the dialog."""
        try:
            with self.store.read() as session:
                fresh = review.get_claim(session, claim_id).claim
        except WorkbenchError as exc:
            self.call_from_thread(self._failed, str(exc), "Cannot read the claim")
            return
        self.call_from_thread(reopen, fresh, why)

    def _failed(self, message: str, title: str) -> None:
        self.notify(printable(message), title=title, severity="error", markup=False, timeout=8)

    def _written(self, done: str) -> None:
        self.notify(printable(done), markup=False)
        self.action_refresh()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        self.report_worker(event)

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

    # ------------------------------------------------------------ actions

    def action_verdict(self) -> None:
        claim = self._need_claim()
        if claim is not None:
            self._open_verdict(claim)

    def _open_verdict(self, claim: ClaimRow, kept: Any = None, why: str | None = None) -> None:
        from workbench.tui.screens.modals import VerdictDialog, VerdictInput

        scale = self.settings.scale

        def save(result: VerdictInput | None) -> None:
            if result is None:
                return
            self.write(
                f"Claim {claim.id}: verdict {result.rating} recorded",
                lambda s: review.record_verdict(
                    s,
                    self.reviewer,
                    claim.id,
                    result.rating,
                    result.rationale,
                    scale=scale,
                    expected_version=claim.version,
                ),
                reopen=lambda fresh, why: self._open_verdict(fresh, result, why),
            )

        self.push_screen(VerdictDialog(claim, scale, kept=kept, conflict=why), save)

    def action_cite(self) -> None:
        claim = self._need_claim()
        if claim is not None:
            self._open_cite(claim)

    def _open_cite(self, claim: ClaimRow, kept: Any = None, why: str | None = None) -> None:
        from workbench.tui.screens.modals import CitationInput, CiteDialog

        def save(result: CitationInput | None) -> None:
            if result is None:
                return
            self.write(
                f"Claim {claim.id}: citation attached ({result.stance})",
                lambda s: review.cite_source(
                    s,
                    self.reviewer,
                    claim.id,
                    result.text,
                    stance=result.stance,
                    quote=result.quote,
                    expected_version=claim.version,
                ),
                reopen=lambda fresh, why: self._open_cite(fresh, result, why),
            )

        self.push_screen(CiteDialog(claim, kept=kept, conflict=why), save)

    def action_status(self) -> None:
        from workbench.tui.screens.modals import StatusDialog

        claim = self._need_claim()
        if claim is None:
            return

        def save(status: str | None) -> None:
            if status is not None:
                self._set_status(claim, status)

        self.push_screen(StatusDialog(claim), save)

    def action_summary(self) -> None:
        from workbench.tui.screens.summary import open_summary

        if (claim := self._need_claim()) is not None:
            open_summary(self, claim)

    def action_search_factchecks(self) -> None:
        from workbench.tui.screens.factcheck_search import open_search

        if (claim := self._need_claim()) is not None:
            open_search(self, claim)

    def action_dismiss_claim(self) -> None:
        claim = self._need_claim()
        if claim is not None:
            self._set_status(claim, "dismissed")

    def _set_status(self, claim: ClaimRow, status: str) -> None:
        self.write(
            f"Claim {claim.id} is now {status}",
            lambda s: review.set_status(
                s, self.reviewer, claim.id, status, expected_version=claim.version
            ),
        )

    def action_approve(self) -> None:
        claim = self._need_claim()
        if claim is None:
            return
        self.write(
            f"Claim {claim.id} approved by {self.reviewer}",
            lambda s: review.approve(s, self.reviewer, claim.id, expected_version=claim.version),
        )

    def action_add_claim(self) -> None:
        from workbench.tui.screens.modals import AddClaimDialog, NewClaim

        def save(result: NewClaim | None) -> None:
            if result is None:
                return
            self.write(
                "Claim added",
                lambda s: review.add_claim(
                    s, self.reviewer, result.text, article_id=result.article_id
                ),
            )

        self.push_screen(AddClaimDialog(), save)

    def action_promote(self) -> None:
        claim = self.current_claim()
        self._open_promote(claim.article_id if claim else None)

    @work(thread=True, exclusive=True, group="promote", exit_on_error=False)
    def _open_promote(self, article_id: int | None) -> None:
        try:
            with self.store.read() as session:
                articles = review.list_articles(session)
        except WorkbenchError as exc:
            self.call_from_thread(self._failed, str(exc), "Cannot list articles")
            return
        self.call_from_thread(self._show_promote, articles, article_id)

    def _show_promote(
        self, articles: list[tuple[int, str | None, int]], article_id: int | None
    ) -> None:
        from workbench.tui.screens.modals import PromoteDialog, SentencePick

        if not articles:
            self.notify("There are no articles yet: ingest one first (i).", severity="warning")
            return
        if article_id not in {a[0] for a in articles}:
            article_id = None

        def save(pick: SentencePick | None) -> None:
            if pick is None:
                return
            self.write(
                f"Sentence {pick.position} of article {pick.article_id} is a claim",
                lambda s: review.promote_sentence(s, self.reviewer, pick.article_id, pick.position),
            )

        self.push_screen(PromoteDialog(articles, article_id), save)

    def action_ingest(self) -> None:
        from workbench.tui.screens.modals import IngestDialog

        def save(source: str | None) -> None:
            if source:
                self.notify(
                    f"Ingesting {one_line(source, 80)}… (keep working meanwhile)", markup=False
                )
                self._ingest(source)

        self.push_screen(IngestDialog(), save)

    @work(thread=True, group="ingest", exit_on_error=False, description="ingest")
    def _ingest(self, source: str) -> None:
        from workbench.ingest.service import ingest_source

        try:
            with self._activity(f"ingesting {one_line(source, 40)}…"):
                result = ingest_source(self.store, self.reviewer, source, settings=self.settings)
        except WorkbenchError as exc:
            self.call_from_thread(self._failed, str(exc), "Not ingested")
            return
        made = counted(len(result.claims), "claim")
        self.call_from_thread(self._written, f"Article {result.article_id} ingested: {made}")

    def action_attach_url(self) -> None:
        claim = self._need_claim()
        if claim is not None:
            self._open_attach(claim)

    def _open_attach(self, claim: ClaimRow, kept: Any = None, why: str | None = None) -> None:
        from workbench.tui.screens.modals import AttachUrlDialog

        def save(result: UrlInput | None) -> None:
            if result is not None:
                self.notify(f"Fetching {one_line(result.url, 80)}…", markup=False)
                self._attach_url(claim, result)

        self.push_screen(AttachUrlDialog(claim, kept=kept, conflict=why), save)

    @work(thread=True, group="fetch", exit_on_error=False, description="attach URL")
    def _attach_url(self, claim: ClaimRow, url: UrlInput) -> None:
        from workbench.sources.service import attach_url, fetch_and_record_sync, fetch_config

        try:
            with self.store.write() as session:
                evidence, needs_fetch = attach_url(
                    session,
                    self.reviewer,
                    claim.id,
                    url.url,
                    stance=url.stance,
                    quote=url.quote,
                    expected_version=claim.version,
                )
            source = evidence.source
            reports = []
            if needs_fetch and source.url:
                with self._activity(f"fetching {one_line(source.url, 40)}…"):
                    reports = fetch_and_record_sync(
                        self.store,
                        self.reviewer,
                        [(source.id, source.url)],
                        fetch_config(self.settings),
                    )
        except ConflictError as exc:
            self.call_from_thread(self._failed, str(exc), "Changed meanwhile")
            self.call_from_thread(self.action_refresh)
            self._reopen(claim.id, str(exc), lambda fresh, why: self._open_attach(fresh, url, why))
            return
        except WorkbenchError as exc:
            self.call_from_thread(self._failed, str(exc), "URL not attached")
            return
        where = one_line(url.url, 80)
        failed = [r for r in reports if r.outcome != "ok"]
        if failed:
            # The source stays attached (a refetch may work later); the claim stays editable.
            why = failed[0].outcome + (f": {failed[0].error}" if failed[0].error else "")
            self.call_from_thread(
                self._warned,
                f"Claim {claim.id}: {where} attached, but fetching it failed ({why})",
                "Fetch failed",
            )
            self.call_from_thread(self.action_refresh)
            return
        fetched = "fetched and archived" if reports else "already archived"
        self.call_from_thread(self._written, f"Claim {claim.id}: {where} attached ({fetched})")

    def _warned(self, message: str, title: str) -> None:
        self.notify(printable(message), title=title, severity="warning", markup=False, timeout=10)

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

    def action_pick_evidence(self) -> None:
        claim = self._need_claim()
        if claim is not None:
            self._open_evidence(claim)

    @work(thread=True, exclusive=True, group="evidence", exit_on_error=False)
    def _open_evidence(self, claim: ClaimRow) -> None:
        try:
            with self.store.read() as session:
                detail = review.get_claim(session, claim.id)
        except WorkbenchError as exc:
            self.call_from_thread(self._failed, str(exc), "Cannot read the claim")
            return
        sources: dict[int, str] = {}
        for evidence in detail.evidence:
            source = evidence.source
            if source.kind == "url" and source.fetch_status == "ok" and source.url:
                sources.setdefault(source.id, source.title or source.url)
        self.call_from_thread(self._show_evidence, detail.claim, list(sources.items()))

    def _show_evidence(self, claim: ClaimRow, sources: list[tuple[int, str]]) -> None:
        from workbench.sources.service import pin_quote
        from workbench.tui.screens.modals import EvidenceDialog, PassagePick

        if not sources:
            self.notify(
                "This claim has no fetched URL source yet: attach one first (u).",
                severity="warning",
                markup=False,
            )
            return

        def save(pick: PassagePick | None) -> None:
            if pick is None:
                return
            self.write(
                f"Claim {claim.id}: passage of source {pick.source_id} pinned ({pick.stance})",
                lambda s: pin_quote(
                    s,
                    self.reviewer,
                    claim.id,
                    pick.source_id,
                    pick.start,
                    pick.end,
                    stance=pick.stance,
                    expected_version=claim.version,
                ),
            )

        self.push_screen(EvidenceDialog(claim, sources), save)

    def action_export(self) -> None:
        from workbench.tui.screens.modals import ExportDialog

        def save(result: ExportInput | None) -> None:
            if result is not None:
                self.notify(f"Exporting to {one_line(result.path, 80)}…", markup=False)
                self._export(result, self._claims_filter())

        self.push_screen(ExportDialog(), save)

    def _claims_filter(self) -> review.ClaimFilter:
        """The claims list's filter (search, status, rating…), wherever the user is now."""
        for screen in reversed(self.screen_stack):
            if isinstance(screen, ClaimsScreen):
                return screen.table.filter
        return review.ClaimFilter()

    @work(thread=True, group="export", exit_on_error=False, description="export")
    def _export(self, wanted: ExportInput, claims: review.ClaimFilter) -> None:
        from pathlib import Path

        from workbench.export import ExportOptions
        from workbench.export.data import ReportQuery
        from workbench.export.files import export_to_file, unit_of

        options = ExportOptions(
            query=ReportQuery(filter=claims, scale=self.settings.scale),
            organisation_name=self.settings.organisation_name,
            organisation_url=self.settings.organisation_url,
        )
        lint: list[Any] = []
        target = Path(wanted.path).expanduser()
        try:
            with self._activity(f"exporting {wanted.fmt}…"):
                count = export_to_file(self.store, wanted.fmt, options, target, lint)
        except WorkbenchError as exc:
            self.call_from_thread(self._failed, str(exc), "Not exported")
            return
        done = f"Wrote {count} {unit_of(wanted.fmt, count=count)} to {target}"
        errors = [p for p in lint if getattr(p, "level", "") == "error"]
        if errors:
            self.call_from_thread(
                self._warned,
                f"{done}; {counted(len(errors), 'ClaimReview problem')}, e.g. {errors[0].path}: "
                f"{errors[0].message}",
                "Exported with problems",
            )
            return
        self.call_from_thread(self.notify, printable(done), markup=False)

    # ------------------------------------------------------------ help and palette

    def binding_entries(self, *, with_ids: bool = False) -> list[tuple[str, str, str]]:
        """(key or id, description, tooltip) of every binding, with the keymap applied."""
        from workbench.tui.screens.claim import ClaimScreen
        from workbench.tui.screens.claims import ClaimsScreen
        from workbench.tui.screens.modals import Dialog, HelpScreen
        from workbench.tui.widgets.choice import ChoiceButton, ChoiceMenu
        from workbench.tui.widgets.claims_table import ClaimsTable

        order: list[str] = []
        keys: dict[str, list[str]] = {}
        about: dict[str, tuple[str, str]] = {}
        groups: list[list[BindingType]] = [
            ClaimsTable.BINDINGS,
            ClaimsScreen.BINDINGS,
            ChoiceButton.BINDINGS,
            ChoiceMenu.BINDINGS,
            ClaimScreen.BINDINGS,
            APP_BINDINGS,
            Dialog.BINDINGS,
            HelpScreen.BINDINGS,
        ]
        for group in groups:
            for binding in Binding.make_bindings(group):
                if binding.id is None:
                    continue
                if binding.id not in keys:
                    order.append(binding.id)
                    keys[binding.id] = []
                    about[binding.id] = (binding.description, binding.tooltip)
                keys[binding.id].append(binding.key)
        keymap = resolve_keymap(self.settings.keymap, order).bindings
        entries: list[tuple[str, str, str]] = []
        for binding_id in order:
            description, tooltip = about[binding_id]
            if with_ids:
                entries.append((binding_id, description, tooltip))
                continue
            chosen = keymap[binding_id].split(",") if binding_id in keymap else keys[binding_id]
            shown = ", ".join(self.get_key_display(Binding(k.strip(), "")) for k in chosen)
            entries.append((shown, description, f"{tooltip}\t{binding_id}"))
        if not with_ids:
            entries.append(("^p", "Commands", "The command palette: every action by name\t-"))
            entries.append(("^q", "Quit", "Leave the workbench from anywhere\t-"))
        return entries

    def action_help(self) -> None:
        from workbench.tui.screens.modals import HelpScreen

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

    def on_unmount(self) -> None:
        self.store.dispose()


def run(db_url: str, *, reviewer: str | None = None, settings: Settings | None = None) -> int:
    app = WorkbenchApp(db_url, reviewer=reviewer, settings=settings)
    app.run()
    return int(app.return_code or 0)
