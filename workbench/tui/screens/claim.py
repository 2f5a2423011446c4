"""The claim screen: the claim, its place in the article, sources, evidence, verdict, history.

Everything from the database is shown through `Content` built from plain strings (never
parsed as markup) after `textsafe.printable` removed control and escape sequences.
"""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.widgets import Button, Static
from textual.worker import Worker

from workbench.claims.reading import show_claim
from workbench.core.details import ClaimDetail, EvidenceView
from workbench.core.history_text import describe_event
from workbench.core.results import ClaimRow
from workbench.core.source_text import citation_head, cited_from, is_citation
from workbench.errors import WorkbenchError
from workbench.textsafe import one_line, printable
from workbench.tui.base import DeskScreen
from workbench.tui.messages import ClaimLoaded, DataChanged, ListFailed, forward_worker_state
from workbench.tui.widgets.keybar import KeyBar

Part = str | tuple[str, str]


def _when(value: datetime | None) -> str:
    return f"{value:%Y-%m-%d %H:%M}" if value is not None else "-"


def _safe(text: str | None, default: str = "-") -> str:
    return printable(text) if text else default


class ClaimScreen(DeskScreen):
    """One claim in full."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "escape,backspace",
            "back",
            "Back",
            tooltip="Back to the claims list",
            id="claim.back",
        ),
    ]

    def __init__(self, claim_id: int) -> None:
        super().__init__()
        self.claim_id = claim_id
        self.detail: ClaimDetail | None = None

    def compose(self) -> ComposeResult:
        yield self.header()
        with VerticalScroll(id="claim-body"):
            yield Static(id="claim-title", markup=False)
            yield Static(id="claim-text", markup=False)
            yield Static("In the article", classes="section-title")
            yield Static(id="claim-context", markup=False)
            yield Static("Verdict", classes="section-title")
            yield Static(id="claim-verdict", markup=False)
            yield Static("Sources and evidence", classes="section-title")
            yield Static(id="claim-sources", markup=False)
            yield Static("History", classes="section-title")
            yield Static(id="claim-history", markup=False)
        with Horizontal(id="claim-actions"):
            yield Button("Verdict", id="do-verdict", compact=True, tooltip="Record a verdict (v)")
            yield Button("Cite", id="do-cite", compact=True, tooltip="Attach a citation (c)")
            yield Button(
                "Attach URL", id="do-attach-url", compact=True, tooltip="Attach a URL source (u)"
            )
            yield Button("Status", id="do-status", compact=True, tooltip="Change the status (s)")
            yield Button(
                "Approve", id="do-approve", compact=True, tooltip="Approve the verdict (a)"
            )
            yield Button("Back", id="do-back", compact=True, tooltip="Back to the list (escape)")
        yield KeyBar(every_key=True)  # every key that works here, not only the main ones

    def on_mount(self) -> None:
        self.query_one("#claim-body").focus()
        self.load()

    def current_claim(self) -> ClaimRow | None:
        return self.detail.claim if self.detail else None

    def load(self) -> None:
        self._load_claim(self.claim_id)

    @work(thread=True, exclusive=True, group="claim", exit_on_error=False)
    def _load_claim(self, claim_id: int) -> None:
        try:
            detail = self.wb.desk.read(show_claim, claim_id)
        except WorkbenchError as exc:
            self.post_message(ListFailed(str(exc)))
            return
        self.post_message(ClaimLoaded(detail))

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        forward_worker_state(self, event)

    def on_list_failed(self, message: ListFailed) -> None:
        self.notify(message.error, title="Cannot read the claim", severity="error", markup=False)

    def on_data_changed(self, _message: DataChanged) -> None:
        self.load()

    def on_claim_loaded(self, message: ClaimLoaded) -> None:
        self.detail = detail = message.detail
        claim = detail.claim
        score = f"{claim.score:.2f}" if claim.score is not None else "-"
        self.query_one("#claim-title", Static).update(
            Content.assemble(
                (f"Claim {claim.id}", "bold"),
                f" · status {claim.status} · score {score} · rating {_safe(claim.rating)}"
                f" · sources {claim.source_count} · updated {_when(claim.updated_at)}",
            )
        )
        summary = f"\nShort form (t): {printable(detail.summary)}" if detail.summary else ""
        self.query_one("#claim-text", Static).update(Content(printable(claim.text) + summary))
        self.query_one("#claim-context", Static).update(self._render_context(detail))
        self.query_one("#claim-verdict", Static).update(self._render_verdict(detail))
        self.query_one("#claim-sources", Static).update(self._render_sources(detail))
        self.query_one("#claim-history", Static).update(self._render_history(detail))

    def _render_context(self, detail: ClaimDetail) -> Content:
        claim = detail.claim
        if claim.article_id is None:
            return Content.styled("Added by hand; not from an article.", "dim")
        parts: list[Part] = [
            (
                f"Article {claim.article_id}: {one_line(detail.article_title or '(untitled)')}\n",
                "italic",
            )
        ]
        for sentence in detail.context_before:
            parts.append((printable(sentence, keep_newlines=False) + " ", "dim"))
        parts.append((printable(claim.text, keep_newlines=False), "bold reverse"))
        for sentence in detail.context_after:
            parts.append((" " + printable(sentence, keep_newlines=False), "dim"))
        return Content.assemble(*parts)

    def _render_verdict(self, detail: ClaimDetail) -> Content:
        verdict = detail.verdict
        if detail.ratings_hidden:
            return Content.styled(
                "Blind review: the other ratings are hidden until you record yours (v).", "bold"
            )
        if verdict is None:
            return Content.styled("No verdict yet. Press v to record one.", "dim")
        parts: list[Part] = [
            (_safe(verdict.rating), "bold"),
            f"  by {_safe(verdict.reviewer)} at {_when(verdict.created_at)}\n",
            printable(verdict.rationale),
        ]
        if len(detail.verdicts) > 1:
            earlier = ", ".join(
                f"{one_line(v.rating)} by {one_line(v.reviewer)}" for v in detail.verdicts[:-1]
            )
            parts.append((f"\nEarlier: {earlier}", "dim"))
        return Content.assemble(*parts)

    def _render_sources(self, detail: ClaimDetail) -> Content:
        if not detail.evidence:
            return Content.styled("No sources yet. Press c to cite one, u to attach a URL.", "dim")
        parts: list[Part] = []
        for number, evidence in enumerate(detail.evidence, start=1):
            source = evidence.source
            if is_citation(source.kind, source.url):
                parts += _citation_parts(number, evidence)
                continue
            title = source.title or source.citation or source.url or f"source {source.id}"
            site = source.publisher or _site(source.url) or source.kind
            parts.append((f"{number}. [{evidence.stance}] ", "bold"))
            parts.append(one_line(title, 100) + "\n")
            fetch = source.fetch_status or ("citation" if source.kind == "citation" else "-")
            if source.fetch_error:
                fetch += f" ({one_line(source.fetch_error, 60)})"
            digest = source.content_hash[:12] if source.content_hash else "-"
            parts.append(
                (
                    f"   site {one_line(site, 40)}   fetch {fetch}   hash {digest}"
                    f"   date {_when(source.fetched_at or evidence.created_at)}\n",
                    "dim",
                )
            )
            if source.url:
                parts.append((f"   {one_line(source.url, 120)}\n", "dim"))
            if evidence.quote:
                parts.append(
                    ("   “" + printable(evidence.quote, keep_newlines=False) + "”\n", "italic")
                )
        return Content.assemble(*parts)

    def _render_history(self, detail: ClaimDetail) -> Content:
        parts: list[Part] = []
        for event in detail.history:
            parts.append((f"{_when(event.at)}  ", "dim"))
            parts.append((f"{one_line(event.reviewer, 16):<16} ", "bold"))
            parts.append(one_line(describe_event(event), 160) + "\n")
        return Content.assemble(*parts) if parts else Content("-")

    def action_back(self) -> None:
        self.app.pop_screen()

    @on(Button.Pressed)
    async def _button(self, event: Button.Pressed) -> None:
        actions = {
            "do-verdict": "verdict",
            "do-cite": "cite",
            "do-attach-url": "attach_url",
            "do-status": "status",
            "do-approve": "approve",
            "do-back": "back",
        }
        action = actions.get(event.button.id or "")
        if action == "back":
            self.action_back()
        elif action:
            await self.app.run_action(action)


def _citation_parts(number: int, evidence: EvidenceView) -> list[Part]:
    """A citation as a citation: what it quotes, its stance and what it cites; a citation
    has no site, fetch or hash to show."""
    source = evidence.source
    quote = printable(evidence.quote, keep_newlines=False) if evidence.quote else None
    cited = cited_from(source.title, source.citation, source.url)
    return [
        (f"{number}. {citation_head(evidence.stance, quote)}\n", "bold"),
        f"   from: {one_line(cited, 120)}\n",
        (f"   added {_when(evidence.created_at)}\n", "dim"),
    ]


def _site(url: str | None) -> str | None:
    if not url:
        return None
    from urllib.parse import urlsplit

    try:
        return urlsplit(url).hostname
    except ValueError:
        return None
