"""The review actions of the app: each opens its dialog, then runs one use case of the
service layer (the ones the CLI runs) in a worker. The rules live in the services: whether
a verdict is blind, who may approve, what a reviewer may see; the app shows what they say."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import work

from workbench.core.results import ClaimAt, ClaimFilter, ClaimRow
from workbench.errors import ConflictError, WorkbenchError
from workbench.textsafe import one_line, printable
from workbench.tui.bulk import BulkActions
from workbench.wording import counted

if TYPE_CHECKING:
    from collections.abc import Callable

    from workbench.core.details import ClaimDetail
    from workbench.core.fetch_results import FetchReport
    from workbench.tui.screens.export import ExportInput
    from workbench.tui.screens.modals import UrlInput


class ReviewActions(BulkActions):
    def action_verdict(self) -> None:
        if (claim := self._need_claim()) is not None:
            self._open_verdict(claim)

    def _open_verdict(self, claim: ClaimRow, kept: Any = None, why: str | None = None) -> None:
        from workbench.tui.screens.modals import VerdictDialog, VerdictInput
        from workbench.verdicts.service import record_verdict

        scale = self.settings.scale

        def save(result: VerdictInput) -> None:
            self.write(
                f"Claim {claim.id}: verdict {result.rating} recorded",
                lambda desk: desk.write(
                    record_verdict,
                    ClaimAt.of(claim),
                    result.rating,
                    result.rationale,
                    scale=scale,
                ),
                reopen=lambda fresh, why: self._open_verdict(fresh, result, why),
            )

        self.ask(VerdictDialog(claim, scale, kept=kept, conflict=why), save)

    def action_cite(self) -> None:
        if (claim := self._need_claim()) is not None:
            self._open_cite(claim)

    def _open_cite(self, claim: ClaimRow, kept: Any = None, why: str | None = None) -> None:
        from workbench.sources.evidence import Attachment, cite_source
        from workbench.tui.screens.modals import CitationInput, CiteDialog

        def save(result: CitationInput) -> None:
            self.write(
                f"Claim {claim.id}: citation attached ({result.stance})",
                lambda desk: desk.write(
                    cite_source,
                    claim.id,
                    result.text,
                    Attachment(result.stance, result.quote, claim.version),
                ),
                reopen=lambda fresh, why: self._open_cite(fresh, result, why),
            )

        self.ask(CiteDialog(claim, kept=kept, conflict=why), save)

    def action_status(self) -> None:
        from workbench.tui.screens.modals import StatusDialog

        if (claim := self._need_claim()) is not None:
            self.ask(StatusDialog(claim), lambda status: self._set_status(claim, status))

    def action_dismiss_claim(self) -> None:
        claim = self._need_claim()
        if claim is not None:
            self._set_status(claim, "dismissed", f"Dismissed claim {claim.id}")

    def _set_status(self, claim: ClaimRow, status: str, done: str | None = None) -> None:
        from workbench.claims.service import set_status

        if claim.status == status:
            self.notify(f"Claim {claim.id} is {status} already.", markup=False)
            return
        self.write(
            done or f"Claim {claim.id} is now {status}",
            lambda desk: desk.write(set_status, ClaimAt.of(claim), status),
            # An approval is a sign-off, not a status to take back with z.
            undo=None if status == "approved" else {claim.id: claim.version},
        )

    def action_approve(self) -> None:
        from workbench.verdicts.service import approve

        claim = self._need_claim()
        if claim is None:
            return
        self.write(
            f"Claim {claim.id} approved by {self.reviewer}",
            lambda desk: desk.write(approve, ClaimAt.of(claim)),
        )

    def action_add_claim(self) -> None:
        from workbench.claims.service import add_claim
        from workbench.tui.screens.modals import AddClaimDialog, NewClaim

        def save(result: NewClaim) -> None:
            self.write(
                "Claim added",
                lambda desk: desk.write(add_claim, result.text, article_id=result.article_id),
            )

        self.ask(AddClaimDialog(), save)

    def action_summary(self) -> None:
        from workbench.tui.screens.summary import open_summary

        if (claim := self._need_claim()) is not None:
            open_summary(self, claim)

    def action_search_factchecks(self) -> None:
        from workbench.tui.screens.factcheck_search import open_search

        if (claim := self._need_claim()) is not None:
            open_search(self, claim)

    def action_assign(self) -> None:
        from workbench.team.workflow import assign
        from workbench.tui.screens.modals import AssignDialog, Assignment

        claim = self._need_claim()
        if claim is None:
            return

        def save(result: Assignment) -> None:
            blind = " for a blind review" if result.blind else ""
            self.write(
                f"Claim {claim.id} assigned to {result.name}{blind}",
                lambda desk: desk.write(
                    assign,
                    ClaimAt.of(claim),
                    result.name,
                    blind=result.blind,
                ),
            )

        self.ask(AssignDialog(claim), save)

    def action_promote(self) -> None:
        claim = self.current_claim()
        self._open_promote(claim.article_id if claim else None)

    @work(thread=True, exclusive=True, group="promote", exit_on_error=False)
    def _open_promote(self, article_id: int | None) -> None:
        from workbench.claims.reading import articles

        try:
            found = self.desk.read(articles)
        except WorkbenchError as exc:
            self.call_from_thread(self._failed, str(exc), "Cannot list articles")
            return
        self.call_from_thread(self._show_promote, found, article_id)

    def _show_promote(
        self, found: list[tuple[int, str | None, int]], article_id: int | None
    ) -> None:
        from workbench.claims.service import promote_sentence
        from workbench.tui.screens.modals import SentencePick
        from workbench.tui.screens.pickers import PromoteDialog

        if not found:
            self.notify("There are no articles yet: ingest one first (i).", severity="warning")
            return
        if article_id not in {a[0] for a in found}:
            article_id = None

        def save(pick: SentencePick) -> None:
            self.write(
                f"Sentence {pick.position} of article {pick.article_id} is a claim",
                lambda desk: desk.write(promote_sentence, pick.article_id, pick.position),
            )

        self.ask(PromoteDialog(found, article_id), save)

    def action_ingest(self) -> None:
        from workbench.tui.screens.modals import IngestDialog

        def save(source: str) -> None:
            self.notify(f"Ingesting {one_line(source, 80)}… (keep working meanwhile)", markup=False)
            self._ingest(source)

        self.ask(IngestDialog(), save)

    @work(thread=True, group="ingest", exit_on_error=False, description="ingest")
    def _ingest(self, source: str) -> None:
        from workbench.articles.ingesting import ingest_source

        try:
            with self._activity(f"ingesting {one_line(source, 40)}…"):
                result = ingest_source(self.desk, source)
        except WorkbenchError as exc:
            self.call_from_thread(self._failed, str(exc), "Not ingested")
            return
        self.call_from_thread(
            self._written,
            f"Article {result.article_id} ingested: {counted(len(result.claims), 'claim')}",
        )

    # ------------------------------------------------------------ sources

    def action_attach_url(self) -> None:
        if (claim := self._need_claim()) is not None:
            self._open_attach(claim)

    def _open_attach(self, claim: ClaimRow, kept: Any = None, why: str | None = None) -> None:
        from workbench.tui.screens.modals import AttachUrlDialog

        def save(result: UrlInput) -> None:
            self.notify(f"Fetching {one_line(result.url, 80)}…", markup=False)
            self._attach_url(claim, result)

        self.ask(AttachUrlDialog(claim, kept=kept, conflict=why), save)

    @work(thread=True, group="fetch", exit_on_error=False, description="attach URL")
    def _attach_url(self, claim: ClaimRow, url: UrlInput) -> None:
        from workbench.sources.evidence import Attachment
        from workbench.sources.fetching import attach_and_fetch

        where = one_line(url.url, 80)
        try:
            with self._activity(f"fetching {one_line(url.url, 40)}…"):
                done = attach_and_fetch(
                    self.desk,
                    claim.id,
                    url.url,
                    Attachment(url.stance, url.quote, claim.version),
                )
        except ConflictError as exc:
            self.changed_meanwhile(exc, lambda fresh, why: self._open_attach(fresh, url, why))
            return
        except WorkbenchError as exc:
            self.call_from_thread(self._failed, str(exc), "URL not attached")
            return
        if done.report is not None and done.report.outcome != "ok":
            # The source stays attached (a refetch, F, may work later).
            self._fetch_failed(f"Claim {claim.id}: {where} attached, but", [done.report])
            return
        fetched = "fetched and archived" if done.report else "already archived"
        self.call_from_thread(self._written, f"Claim {claim.id}: {where} attached ({fetched})")

    def _fetch_failed(self, what: str, failed: list[FetchReport]) -> None:
        first = failed[0]
        why = first.outcome + (f": {first.error}" if first.error else "")
        more = f" (and {len(failed) - 1} more)" if len(failed) > 1 else ""
        self.call_from_thread(
            self._warned,
            f"{what} fetching it failed ({why}){more}; F fetches again",
            "Fetch failed",
        )
        self.call_from_thread(self.action_refresh)

    def action_refetch(self) -> None:
        claim = self._need_claim()
        if claim is not None:
            self.notify(f"Fetching the sources of claim {claim.id} again…", markup=False)
            self._refetch(claim)

    @work(thread=True, group="fetch", exit_on_error=False, description="refetch")
    def _refetch(self, claim: ClaimRow) -> None:
        from workbench.sources.fetching import fetch_sources

        try:
            with self._activity(f"fetching claim {claim.id}'s sources…"):
                reports = fetch_sources(self.desk, claim_id=claim.id, retry_failed=True)
        except WorkbenchError as exc:
            self.call_from_thread(self._failed, str(exc), "Not fetched")
            return
        failed = [r for r in reports if r.outcome != "ok"]
        if failed:
            self._fetch_failed(f"Claim {claim.id}: {len(reports)} source(s) refetched, but", failed)
        elif reports:
            self.call_from_thread(
                self._written, f"Claim {claim.id}: {len(reports)} source(s) fetched and archived"
            )
        else:
            self.call_from_thread(
                self.notify, f"Claim {claim.id}: every URL source is archived already"
            )

    def action_remove_source(self) -> None:
        if (claim := self._need_claim()) is not None:
            self._with_evidence(claim, self._show_remove)

    @work(thread=True, exclusive=True, group="evidence", exit_on_error=False)
    def _with_evidence(self, claim: ClaimRow, show: Callable[[ClaimDetail], None]) -> None:
        """Reads the claim with its evidence in a thread; `show` gets it on the app's."""
        detail = self.read_claim(claim.id)
        if detail is not None:
            self.call_from_thread(show, detail)

    def _show_remove(self, detail: ClaimDetail) -> None:
        from workbench.sources.evidence import detach_evidence
        from workbench.tui.screens.pickers import RemoveSourceDialog

        claim, evidence = detail.claim, detail.evidence
        if not evidence:
            self.notify("This claim has no source to remove.", severity="warning")
            return

        def save(evidence_id: int) -> None:
            self.write(
                f"Claim {claim.id}: source removed",
                lambda desk: desk.write(
                    detach_evidence, claim.id, evidence_id, expected_version=claim.version
                ),
                undo={claim.id: claim.version},
            )

        self.ask(RemoveSourceDialog(claim, evidence), save)

    def action_pick_evidence(self) -> None:
        if (claim := self._need_claim()) is not None:
            self._with_evidence(claim, self._show_evidence)

    def _show_evidence(self, detail: ClaimDetail) -> None:
        from workbench.sources.evidence import pin_quote
        from workbench.tui.screens.pickers import EvidenceDialog, PassagePick

        claim = detail.claim
        fetched: dict[int, str] = {}  # the claim's fetched URL sources, once each
        for evidence in detail.evidence:
            source = evidence.source
            if source.kind == "url" and source.fetch_status == "ok" and source.url:
                fetched.setdefault(source.id, source.title or source.url)
        sources = list(fetched.items())
        if not sources:
            self.notify(
                "This claim has no fetched URL source yet: attach one first (u).",
                severity="warning",
                markup=False,
            )
            return

        def save(pick: PassagePick) -> None:
            self.write(
                f"Claim {claim.id}: passage of source {pick.source_id} pinned ({pick.stance})",
                lambda desk: desk.write(
                    pin_quote,
                    claim.id,
                    pick.source_id,
                    pick.start,
                    pick.end,
                    stance=pick.stance,
                    expected_version=claim.version,
                ),
            )

        self.ask(EvidenceDialog(claim, sources), save)

    # ------------------------------------------------------------ reports

    def action_export(self) -> None:
        from workbench.tui.screens.export import ExportDialog

        def save(result: ExportInput) -> None:
            self.notify(f"Exporting to {one_line(result.path, 80)}…", markup=False)
            self._export(result, self._claims_filter())

        self.ask(ExportDialog(), save)

    @work(thread=True, group="export", exit_on_error=False, description="export")
    def _export(self, wanted: ExportInput, claims: ClaimFilter) -> None:
        from workbench.export.files import export_to_file, unit_of
        from workbench.export.options import report_options
        from workbench.export.places import make_room

        lint: list[Any] = []
        target = Path(wanted.path)  # absolute: the dialog made it so
        try:
            with self._activity(f"exporting {wanted.fmt}…"):
                make_room(target)
                options = report_options(self.desk, claims)
                count = export_to_file(self.desk, wanted.fmt, options, target, lint)
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
