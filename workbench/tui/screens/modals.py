"""Dialogs: each returns a plain dataclass (or None when cancelled) to the app, which does
the write in a thread worker through the service layer."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar, Generic, TypeVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import (
    Button,
    Input,
    Label,
    OptionList,
    RadioButton,
    RadioSet,
    Select,
    Static,
    TextArea,
)
from textual.widgets.option_list import Option
from textual.worker import Worker

from workbench.ratings import RatingScale
from workbench.review import MANUAL_STATUSES, STANCES, ClaimRow
from workbench.textsafe import one_line

T = TypeVar("T")


@dataclass(frozen=True)
class NewClaim:
    text: str
    article_id: int | None


@dataclass(frozen=True)
class VerdictInput:
    rating: str
    rationale: str


@dataclass(frozen=True)
class CitationInput:
    text: str
    stance: str
    quote: str | None


@dataclass(frozen=True)
class UrlInput:
    url: str
    stance: str
    quote: str | None


@dataclass(frozen=True)
class SentencePick:
    article_id: int
    position: int


def _claim_line(claim: ClaimRow) -> Content:
    return Content.assemble((f"Claim {claim.id}: ", "bold"), one_line(claim.text, 300))


class Dialog(ModalScreen[T | None], Generic[T]):
    """A modal with Save (ctrl+s) and Cancel (escape); shows problems in its #error line."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", tooltip="Close without saving", id="dialog.cancel"),
        Binding("ctrl+s", "save", "Save", tooltip="Save and close", id="dialog.save"),
    ]
    TITLE_TEXT = ""
    SAVE_LABEL = "Save"
    conflict: str | None = None  # why a save failed, when the dialog is reopened with the input

    def on_mount(self) -> None:
        if self.conflict:
            # The service's advice to reload is what this dialog has just done.
            why = self.conflict.removesuffix("; reload it and apply your change")
            self.complain(
                f"Not saved: {why}. Your input is kept: save again to apply it to the claim "
                "as it is now."
            )

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(Content(self.TITLE_TEXT), classes="dialog-title")
            yield from self.body()
            yield Static("", id="error", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button(self.SAVE_LABEL, variant="primary", id="save")
                yield Button("Cancel", id="cancel")

    def body(self) -> ComposeResult:
        yield from ()

    def result(self) -> T | None:
        """The dialog's value, or None after showing why it cannot be saved yet."""
        raise NotImplementedError

    def complain(self, why: str, focus: str | None = None) -> None:
        self.query_one("#error", Static).update(Content(why))
        if focus:
            self.query_one(focus).focus()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        # Worker messages do not bubble: a dialog's failed loader is reported by the app.
        report = getattr(self.app, "report_worker", None)
        if report is not None:
            report(event)

    def action_cancel(self) -> None:
        self.dismiss(None)

    def action_save(self) -> None:
        value = self.result()
        if value is not None:
            self.dismiss(value)

    @on(Button.Pressed, "#save")
    def _save(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#cancel")
    def _cancel(self) -> None:
        self.action_cancel()


class AddClaimDialog(Dialog[NewClaim]):
    TITLE_TEXT = "Add a claim"

    def body(self) -> ComposeResult:
        yield Label("The claim, as said")
        yield Input(placeholder="e.g. Unemployment fell by half since 2020", id="claim-text")
        yield Label("From article number (optional)")
        yield Input(placeholder="article #", id="claim-article", type="integer")

    def result(self) -> NewClaim | None:
        text = self.query_one("#claim-text", Input).value.strip()
        if not text:
            self.complain("Write the claim first.", "#claim-text")
            return None
        article = self.query_one("#claim-article", Input).value.strip()
        return NewClaim(text, int(article) if article.isdigit() else None)

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.action_save()


class VerdictDialog(Dialog[VerdictInput]):
    """The rating scale from the settings and a rationale that may not be empty."""

    TITLE_TEXT = "Record a verdict"

    def __init__(
        self,
        claim: ClaimRow,
        scale: RatingScale,
        *,
        kept: VerdictInput | None = None,
        conflict: str | None = None,
    ) -> None:
        super().__init__()
        self.claim = claim
        self.scale = scale
        self.kept = kept
        self.conflict = conflict

    def body(self) -> ComposeResult:
        yield Static(_claim_line(self.claim), classes="dialog-claim")
        with RadioSet(id="rating"):
            for rating in self.scale.ratings:
                value = f" ({rating.value})" if rating.value is not None else ""
                yield RadioButton(
                    Content(f"{rating.label}{value}"),
                    value=rating.name == (self.kept.rating if self.kept else self.claim.rating),
                    name=rating.name,
                )
        yield Label("Rationale (why this rating; required)")
        yield TextArea(
            self.kept.rationale if self.kept else "",
            id="rationale",
            soft_wrap=True,
            show_line_numbers=False,
        )

    def result(self) -> VerdictInput | None:
        pressed = self.query_one("#rating", RadioSet).pressed_button
        if pressed is None or not pressed.name:
            self.complain("Choose a rating (arrow keys, then space).", "#rating")
            return None
        rationale = self.query_one("#rationale", TextArea).text.strip()
        if not rationale:
            self.complain(
                "The rationale may not be empty: say why the claim gets this rating.", "#rationale"
            )
            return None
        return VerdictInput(pressed.name, rationale)


class CiteDialog(Dialog[CitationInput]):
    TITLE_TEXT = "Attach a citation"

    def __init__(
        self, claim: ClaimRow, *, kept: CitationInput | None = None, conflict: str | None = None
    ) -> None:
        super().__init__()
        self.claim = claim
        self.kept = kept
        self.conflict = conflict

    def body(self) -> ComposeResult:
        kept = self.kept
        yield Static(_claim_line(self.claim), classes="dialog-claim")
        yield Label("Citation (a book, a call, a dataset: what and where)")
        yield Input(kept.text if kept else "", id="citation")
        yield Label("Stance")
        yield Select(
            [(s, s) for s in STANCES],
            value=kept.stance if kept else "context",
            allow_blank=False,
            id="stance",
        )
        yield Label("Quote (optional: the passage that matters)")
        yield Input((kept.quote or "") if kept else "", id="quote")

    def result(self) -> CitationInput | None:
        text = self.query_one("#citation", Input).value.strip()
        if not text:
            self.complain("Write the citation first.", "#citation")
            return None
        quote = self.query_one("#quote", Input).value.strip() or None
        return CitationInput(text, str(self.query_one("#stance", Select).value), quote)


class AttachUrlDialog(Dialog[UrlInput]):
    TITLE_TEXT = "Attach a URL source (fetched in the background)"

    def __init__(
        self, claim: ClaimRow, *, kept: UrlInput | None = None, conflict: str | None = None
    ) -> None:
        super().__init__()
        self.claim = claim
        self.kept = kept
        self.conflict = conflict

    def body(self) -> ComposeResult:
        kept = self.kept
        yield Static(_claim_line(self.claim), classes="dialog-claim")
        yield Label("URL")
        yield Input(kept.url if kept else "", placeholder="https://", id="url")
        yield Label("Stance")
        yield Select(
            [(s, s) for s in STANCES],
            value=kept.stance if kept else "context",
            allow_blank=False,
            id="stance",
        )
        yield Label("Quote (optional)")
        yield Input((kept.quote or "") if kept else "", id="quote")

    def result(self) -> UrlInput | None:
        url = self.query_one("#url", Input).value.strip()
        if not url.lower().startswith(("http://", "https://")):
            self.complain("Give an http:// or https:// address.", "#url")
            return None
        quote = self.query_one("#quote", Input).value.strip() or None
        return UrlInput(url, str(self.query_one("#stance", Select).value), quote)


class IngestDialog(Dialog[str]):
    TITLE_TEXT = "Ingest an article"
    SAVE_LABEL = "Ingest"

    def body(self) -> ComposeResult:
        yield Label("A file (.txt, .md, .html) or an http(s) URL")
        yield Input(placeholder="path or URL", id="ingest-source")

    def result(self) -> str | None:
        value = self.query_one("#ingest-source", Input).value.strip()
        if not value:
            self.complain("Give a file path or a URL.", "#ingest-source")
            return None
        return value

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.action_save()


class StatusDialog(Dialog[str]):
    TITLE_TEXT = "Change the status"
    SAVE_LABEL = "Set"

    def __init__(self, claim: ClaimRow) -> None:
        super().__init__()
        self.claim = claim

    def body(self) -> ComposeResult:
        yield Static(_claim_line(self.claim), classes="dialog-claim")
        options = [Option(Content(status), id=status) for status in MANUAL_STATUSES]
        yield OptionList(*options, id="status-choice")

    def on_mount(self) -> None:
        choice = self.query_one("#status-choice", OptionList)
        if self.claim.status in MANUAL_STATUSES:
            choice.highlighted = MANUAL_STATUSES.index(self.claim.status)
        else:
            choice.highlighted = 0
        choice.focus()

    def result(self) -> str | None:
        choice = self.query_one("#status-choice", OptionList)
        if choice.highlighted is None:
            self.complain("Choose a status.")
            return None
        return MANUAL_STATUSES[choice.highlighted]

    @on(OptionList.OptionSelected)
    def _chosen(self) -> None:
        self.action_save()


class PromoteDialog(Dialog[SentencePick]):
    """Pick an article, then one of its sentences, to make it a claim."""

    TITLE_TEXT = "Promote a sentence of an article to a claim"
    SAVE_LABEL = "Promote"

    def __init__(self, articles: list[tuple[int, str | None, int]], article_id: int | None) -> None:
        super().__init__()
        self.articles = articles
        self.article_id = article_id if article_id is not None else articles[0][0]
        self.positions: list[int] = []

    def body(self) -> ComposeResult:
        yield Select(
            [
                (one_line(f"{i}: {t or '(untitled)'} ({n} claims)", 80), i)
                for i, t, n in self.articles
            ],
            value=self.article_id,
            allow_blank=False,
            id="article",
        )
        yield OptionList(id="sentences")

    def on_mount(self) -> None:
        self._load_sentences(self.article_id)

    @on(Select.Changed, "#article")
    def _article(self, event: Select.Changed) -> None:
        if isinstance(event.value, int):
            self.article_id = event.value
            self._load_sentences(event.value)

    @work(thread=True, exclusive=True, group="sentences", exit_on_error=False)
    def _load_sentences(self, article_id: int) -> None:
        from workbench import review
        from workbench.tui.app import WorkbenchApp

        app = self.app
        assert isinstance(app, WorkbenchApp)
        with app.store.read() as session:
            sentences = review.article_sentences(session, article_id)
        self.app.call_from_thread(self._show_sentences, article_id, sentences)

    def _show_sentences(
        self, article_id: int, sentences: list[tuple[int, str, float | None]]
    ) -> None:
        if article_id != self.article_id:
            return
        listing = self.query_one("#sentences", OptionList)
        listing.clear_options()
        self.positions = [p for p, _, _ in sentences]
        listing.add_options(
            [
                Option(
                    Content.assemble(
                        (f"{p:>3} ", "dim"),
                        (f"{s:.2f} " if s is not None else "  -  ", "bold"),
                        one_line(text, 200),
                    )
                )
                for p, text, s in sentences
            ]
        )
        if not sentences:
            self.complain("This article has no sentences.")
        listing.focus()

    def result(self) -> SentencePick | None:
        listing = self.query_one("#sentences", OptionList)
        if listing.highlighted is None or not self.positions:
            self.complain("Choose a sentence.", "#sentences")
            return None
        return SentencePick(self.article_id, self.positions[listing.highlighted])

    @on(OptionList.OptionSelected, "#sentences")
    def _chosen(self) -> None:
        self.action_save()


class HelpScreen(ModalScreen[None]):
    """Every key, what it does, and how to change it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "escape,q,question_mark", "close", "Close", tooltip="Close the help", id="help.close"
        ),
    ]

    def __init__(self, entries: list[tuple[str, str, str]], config_hint: str) -> None:
        super().__init__()
        self.entries = entries
        self.config_hint = config_hint

    def compose(self) -> ComposeResult:
        parts: list[Any] = []
        width = max((len(key) for key, _, _ in self.entries), default=4) + 2
        parts.append(
            ("key".ljust(width) + "action".ljust(14) + "id (for [keymap])".ljust(20), "underline")
        )
        parts.append(("what it does\n", "underline"))
        for key, description, about in self.entries:
            tooltip, _, binding_id = about.partition("\t")
            parts.append((key.ljust(width), "bold"))
            parts.append(description.ljust(14))
            parts.append((binding_id.ljust(20), "italic"))
            parts.append((tooltip + "\n", "dim"))
        parts.append(("\n" + self.config_hint, "italic"))
        with Vertical(classes="dialog help"):
            yield Label("Keys", classes="dialog-title")
            with VerticalScroll(id="help-scroll"):
                yield Static(Content.assemble(*parts), id="help-keys")

    def action_close(self) -> None:
        self.dismiss(None)


@dataclass(frozen=True)
class PassagePick:
    source_id: int
    start: int
    end: int
    stance: str


class EvidenceDialog(Dialog[PassagePick]):
    """The passages of a fetched source, best match to the claim first; the one picked is
    pinned as the claim's quote, with its offsets in the archived text."""

    TITLE_TEXT = "Pick an evidence passage"
    SAVE_LABEL = "Pin"

    def __init__(self, claim: ClaimRow, sources: list[tuple[int, str]]) -> None:
        super().__init__()
        self.claim = claim
        self.sources = sources
        self.source_id = sources[0][0]
        self.passages: list[tuple[int, int]] = []

    def body(self) -> ComposeResult:
        yield Static(_claim_line(self.claim), classes="dialog-claim")
        yield Select(
            [(one_line(f"{i}: {label}", 80), i) for i, label in self.sources],
            value=self.source_id,
            allow_blank=False,
            id="evidence-source",
        )
        yield OptionList(id="passages")
        yield Label("Stance")
        yield Select([(s, s) for s in STANCES], value="context", allow_blank=False, id="stance")

    def on_mount(self) -> None:
        self._load_passages(self.source_id)

    @on(Select.Changed, "#evidence-source")
    def _source(self, event: Select.Changed) -> None:
        if isinstance(event.value, int) and event.value != self.source_id:
            self.source_id = event.value
            self._load_passages(event.value)

    @work(thread=True, exclusive=True, group="passages", exit_on_error=False)
    def _load_passages(self, source_id: int) -> None:
        from workbench.errors import WorkbenchError
        from workbench.sources.service import source_passages
        from workbench.tui.app import WorkbenchApp

        app = self.app
        assert isinstance(app, WorkbenchApp)
        try:
            with app.store.read() as session:
                _, passages = source_passages(session, self.claim.id, source_id, limit=10)
        except WorkbenchError as exc:
            self.app.call_from_thread(self.complain, str(exc))
            return
        rows = [(p.start, p.end, p.text, p.score) for p in passages]
        self.app.call_from_thread(self._show_passages, source_id, rows)

    def _show_passages(self, source_id: int, rows: list[tuple[int, int, str, float]]) -> None:
        if source_id != self.source_id:
            return
        listing = self.query_one("#passages", OptionList)
        listing.clear_options()
        self.passages = [(start, end) for start, end, _, _ in rows]
        # Fetched text is data: a Content object, never markup, control characters removed.
        listing.add_options(
            [
                Option(
                    Content.assemble(
                        (f"{rank:>2} ", "dim"), (f"{score:.2f} ", "bold"), one_line(text, 400)
                    )
                )
                for rank, (_, _, text, score) in enumerate(rows, 1)
            ]
        )
        if rows:
            listing.highlighted = 0
        else:
            self.complain("This source has no passages to quote.")
        listing.focus()

    def result(self) -> PassagePick | None:
        listing = self.query_one("#passages", OptionList)
        if listing.highlighted is None or not self.passages:
            self.complain("Choose a passage.", "#passages")
            return None
        start, end = self.passages[listing.highlighted]
        stance = str(self.query_one("#stance", Select).value)
        return PassagePick(self.source_id, start, end, stance)

    @on(OptionList.OptionSelected, "#passages")
    def _chosen(self) -> None:
        self.query_one("#stance", Select).focus()


EXPORT_FORMATS = ("md", "html", "json", "csv", "claimreview")


@dataclass(frozen=True)
class ExportInput:
    fmt: str
    path: str


def default_export_path(fmt: str) -> str:
    extension = "claimreview.json" if fmt == "claimreview" else fmt
    return f"./workbench-report.{extension}"


class ExportDialog(Dialog[ExportInput]):
    """A format and a file; the claims are those of the list's current filter."""

    TITLE_TEXT = "Export a report (the claims the list shows)"
    SAVE_LABEL = "Export"

    def body(self) -> ComposeResult:
        yield Label("Format")
        yield Select(
            [(f, f) for f in EXPORT_FORMATS], value="html", allow_blank=False, id="export-format"
        )
        yield Label("Write to (an existing file is replaced)")
        yield Input(value=default_export_path("html"), id="export-path")

    @on(Select.Changed, "#export-format")
    def _format(self, event: Select.Changed) -> None:
        # The path follows the format while it is still a default one.
        path = self.query_one("#export-path", Input)
        if path.value in {default_export_path(f) for f in EXPORT_FORMATS}:
            path.value = default_export_path(str(event.value))

    def result(self) -> ExportInput | None:
        path = self.query_one("#export-path", Input).value.strip()
        if not path:
            self.complain("Give a file to write to.", "#export-path")
            return None
        return ExportInput(str(self.query_one("#export-format", Select).value), path)

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.action_save()
