"""Dialogs that pick from the database: a sentence of an article to promote, a passage of a
fetched source to pin, a source to remove. Their lists are read in thread workers."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on, work
from textual.app import ComposeResult
from textual.content import Content
from textual.widgets import Label, OptionList, Select, Static
from textual.widgets.option_list import Option

from workbench.core.details import EvidenceView
from workbench.core.results import ClaimRow
from workbench.core.vocabulary import STANCES
from workbench.errors import WorkbenchError
from workbench.textsafe import one_line
from workbench.tui.base import desk_app
from workbench.tui.screens.modals import Dialog, PickDialog, SentencePick, _claim_line
from workbench.tui.widgets.picklist import PickList


def _scored(number: str, score: float | None, text: str, width: int) -> Option:
    """A numbered, scored line of text (data: a Content object, never markup, on one line
    with control characters removed)."""
    shown = f"{score:.2f} " if score is not None else "  -  "
    return Option(Content.assemble((number, "dim"), (shown, "bold"), one_line(text, width)))


class PromoteDialog(PickDialog[SentencePick]):
    """Pick an article, then one of its sentences, to make it a claim."""

    TITLE_TEXT = "Promote a sentence of an article to a claim"
    SAVE_LABEL = "Promote"
    PICK_ID, PICK_WHAT = "sentences", "a sentence"

    def __init__(self, articles: list[tuple[int, str | None, int]], article_id: int | None) -> None:
        super().__init__()
        self.articles = articles
        self.article_id = article_id if article_id is not None else articles[0][0]
        self.sentences: list[tuple[int, str]] = []  # (position, text) as listed

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
        yield PickList(id=self.PICK_ID)
        # What Enter (or Promote) will make a claim, before it is made.
        yield Static("", id="promote-preview", classes="dialog-claim")

    def on_mount(self) -> None:
        self._load_sentences(self.article_id)

    @on(OptionList.OptionHighlighted, "#sentences")
    def _preview(self, event: OptionList.OptionHighlighted) -> None:
        position, text = self.sentences[event.option_index]
        self.query_one("#promote-preview", Static).update(
            Content.assemble(
                (f"Enter makes sentence {position} of article {self.article_id} a claim: ", "bold"),
                one_line(text, 300),
            )
        )

    @on(Select.Changed, "#article")
    def _article(self, event: Select.Changed) -> None:
        if isinstance(event.value, int):
            self.article_id = event.value
            self._load_sentences(event.value)

    @work(thread=True, exclusive=True, group="sentences", exit_on_error=False)
    def _load_sentences(self, article_id: int) -> None:
        from workbench.claims.reading import article_sentences

        sentences = desk_app(self.app).desk.read(article_sentences, article_id)
        self.app.call_from_thread(self._show_sentences, article_id, sentences)

    def _show_sentences(
        self, article_id: int, sentences: list[tuple[int, str, float | None]]
    ) -> None:
        if article_id != self.article_id:
            return
        self.query_one("#promote-preview", Static).update("")
        self.sentences = [(p, text) for p, text, _ in sentences]
        options = [_scored(f"{p:>3} ", s, text, 200) for p, text, s in sentences]
        if not self.query_one("#sentences", PickList).show(options):
            self.complain("This article has no sentences.")

    def item(self, index: int) -> SentencePick:
        return SentencePick(self.article_id, self.sentences[index][0])


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
        yield PickList(id="passages")
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
        from workbench.sources.evidence import ranked_passages

        desk = desk_app(self.app).desk
        try:
            _, passages = desk.read(ranked_passages, self.claim.id, source_id, limit=10)
        except WorkbenchError as exc:
            self.app.call_from_thread(self.complain, str(exc))
            return
        rows = [(p.start, p.end, p.text, p.score) for p in passages]
        self.app.call_from_thread(self._show_passages, source_id, rows)

    def _show_passages(self, source_id: int, rows: list[tuple[int, int, str, float]]) -> None:
        if source_id != self.source_id:
            return
        self.passages = [(start, end) for start, end, _, _ in rows]
        options = [
            _scored(f"{rank:>2} ", score, text, 400)
            for rank, (_, _, text, score) in enumerate(rows, 1)
        ]
        if not self.query_one("#passages", PickList).show(options):
            self.complain("This source has no passages to quote.")

    def result(self) -> PassagePick | None:
        index = self.picked("#passages", "a passage")
        if index is None:
            return None
        start, end = self.passages[index]
        stance = str(self.query_one("#stance", Select).value)
        return PassagePick(self.source_id, start, end, stance)

    @on(OptionList.OptionSelected, "#passages")
    def _chosen(self) -> None:
        self.query_one("#stance", Select).focus()


class RemoveSourceDialog(PickDialog[int]):
    """The claim's sources; the one chosen is removed (the audit trail keeps what it was)."""

    TITLE_TEXT = "Remove a source attached by mistake"
    SAVE_LABEL = "Remove"
    PICK_ID, PICK_WHAT = "remove-choice", "the source to remove"

    def __init__(self, claim: ClaimRow, evidence: list[EvidenceView]) -> None:
        super().__init__()
        self.claim = claim
        self.evidence = evidence

    def body(self) -> ComposeResult:
        yield Static(_claim_line(self.claim), classes="dialog-claim")
        options = []
        for item in self.evidence:
            source = item.source
            label = source.url or source.citation or source.title or f"source {source.id}"
            options.append(Option(Content(one_line(f"[{item.stance}] {label}", 200))))
        yield PickList(*options, id=self.PICK_ID)

    def on_mount(self) -> None:
        choice = self.query_one("#remove-choice", OptionList)
        choice.highlighted = 0
        choice.focus()

    def item(self, index: int) -> int:
        return self.evidence[index].id
