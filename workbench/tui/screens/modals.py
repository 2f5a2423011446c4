"""Dialogs: each returns a plain dataclass (or None when cancelled) to the app, which does
the write in a thread worker through the service layer."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, Generic, TypeVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import (
    Button,
    Checkbox,
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

from workbench.core.ratings import RatingScale
from workbench.core.results import ClaimRow
from workbench.core.vocabulary import MANUAL_STATUSES, STANCES
from workbench.textsafe import one_line
from workbench.tui.messages import forward_worker_state

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


S = TypeVar("S", CitationInput, UrlInput)  # what a source dialog returns


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

    def picked(self, selector: str, what: str) -> int | None:
        """The index highlighted in the list `selector`, or None after asking for `what`."""
        listing = self.query_one(selector, OptionList)
        if listing.highlighted is None or not listing.option_count:
            self.complain(f"Choose {what}: Up and Down in the list.", selector)
            return None
        return listing.highlighted

    def complain(self, why: str, focus: str | None = None) -> None:
        self.query_one("#error", Static).update(Content(why))
        if focus:
            self.query_one(focus).focus()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        forward_worker_state(self, event)  # a dialog's failed loader

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


class PickDialog(Dialog[T]):
    """A dialog whose answer is the item chosen in its list (id PICK_ID): Enter on an item,
    or Save with one highlighted."""

    PICK_ID = ""
    PICK_WHAT = ""  # what to ask for when nothing is highlighted, e.g. "a status"

    def item(self, index: int) -> T:
        """The answer when the list's `index`th item is chosen."""
        raise NotImplementedError

    def result(self) -> T | None:
        index = self.picked(f"#{self.PICK_ID}", self.PICK_WHAT)
        return None if index is None else self.item(index)

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        # Only the pick list: a Select's drop-down is an OptionList too.
        if event.option_list.id == self.PICK_ID:
            self.action_save()


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


class _ClaimInputDialog(Dialog[T]):
    """Input for one claim; when its save meets a conflict (the claim changed meanwhile) the
    app opens it again with the input `kept` and the `conflict` shown."""

    def __init__(
        self, claim: ClaimRow, *, kept: T | None = None, conflict: str | None = None
    ) -> None:
        super().__init__()
        self.claim = claim
        self.kept = kept
        self.conflict = conflict


class VerdictDialog(_ClaimInputDialog[VerdictInput]):
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
        super().__init__(claim, kept=kept, conflict=conflict)
        self.scale = scale

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


class _SourceDialog(_ClaimInputDialog[S]):
    """A source for a claim: what it is (FIELD_LABEL), a stance, and an optional quote."""

    FIELD_LABEL = ""
    FIELD_ID = ""
    PLACEHOLDER = ""

    def body(self) -> ComposeResult:
        kept = self.kept
        first = (kept.text if isinstance(kept, CitationInput) else kept.url) if kept else ""
        yield Static(_claim_line(self.claim), classes="dialog-claim")
        yield Label(self.FIELD_LABEL)
        yield Input(first, placeholder=self.PLACEHOLDER, id=self.FIELD_ID)
        yield Label("Stance")
        yield Select(
            [(s, s) for s in STANCES],
            value=kept.stance if kept else "context",
            allow_blank=False,
            id="stance",
        )
        yield Label("Quote (optional: the passage that matters)")
        yield Input((kept.quote or "") if kept else "", id="quote")

    def problem(self, text: str) -> str | None:
        """What is wrong with the field's text, if anything."""
        raise NotImplementedError

    def made(self, text: str, stance: str, quote: str | None) -> S:
        raise NotImplementedError

    def result(self) -> S | None:
        text = self.query_one(f"#{self.FIELD_ID}", Input).value.strip()
        why = self.problem(text)
        if why:
            self.complain(why, f"#{self.FIELD_ID}")
            return None
        quote = self.query_one("#quote", Input).value.strip() or None
        return self.made(text, str(self.query_one("#stance", Select).value), quote)


class CiteDialog(_SourceDialog[CitationInput]):
    TITLE_TEXT = "Attach a citation"
    FIELD_LABEL = "Citation (a book, a call, a dataset: what and where)"
    FIELD_ID = "citation"

    def problem(self, text: str) -> str | None:
        return None if text else "Write the citation first."

    def made(self, text: str, stance: str, quote: str | None) -> CitationInput:
        return CitationInput(text, stance, quote)


class AttachUrlDialog(_SourceDialog[UrlInput]):
    TITLE_TEXT = "Attach a URL source (fetched in the background)"
    FIELD_LABEL = "URL"
    FIELD_ID = "url"
    PLACEHOLDER = "https://"

    def problem(self, text: str) -> str | None:
        if text.lower().startswith(("http://", "https://")):
            return None
        return "Give an http:// or https:// address."

    def made(self, text: str, stance: str, quote: str | None) -> UrlInput:
        return UrlInput(text, stance, quote)


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


class StatusDialog(PickDialog[str]):
    """The status of one claim, or (with `heading`, no claim) of the claims it names."""

    TITLE_TEXT = "Change the status"
    SAVE_LABEL = "Set"
    PICK_ID, PICK_WHAT = "status-choice", "a status"

    def __init__(self, claim: ClaimRow | None, *, heading: str | None = None) -> None:
        super().__init__()
        self.claim = claim
        self.heading = heading

    def body(self) -> ComposeResult:
        if self.claim is not None:
            yield Static(_claim_line(self.claim), classes="dialog-claim")
        if self.heading:
            yield Static(Content(self.heading), classes="dialog-claim")
        options = [Option(Content(status), id=status) for status in MANUAL_STATUSES]
        yield OptionList(*options, id=self.PICK_ID)

    def on_mount(self) -> None:
        choice = self.query_one("#status-choice", OptionList)
        if self.claim is not None and self.claim.status in MANUAL_STATUSES:
            choice.highlighted = MANUAL_STATUSES.index(self.claim.status)
        else:
            choice.highlighted = 0
        choice.focus()

    def item(self, index: int) -> str:
        return MANUAL_STATUSES[index]


@dataclass(frozen=True)
class Assignment:
    name: str
    blind: bool


class AssignDialog(Dialog[Assignment]):
    """A reviewer's name, and whether theirs is a blind review (no other rating shown)."""

    TITLE_TEXT = "Assign the claim"
    SAVE_LABEL = "Assign"

    def __init__(self, claim: ClaimRow) -> None:
        super().__init__()
        self.claim = claim

    def body(self) -> ComposeResult:
        yield Static(_claim_line(self.claim), classes="dialog-claim")
        yield Label("Reviewer")
        yield Input(self.claim.assignee or "", placeholder="name", id="assignee")
        yield Checkbox("Blind review: they do not see the other ratings", id="blind")

    def result(self) -> Assignment | None:
        name = self.query_one("#assignee", Input).value.strip()
        if not name:
            self.complain("Give the reviewer's name.", "#assignee")
            return None
        return Assignment(name, self.query_one("#blind", Checkbox).value)
