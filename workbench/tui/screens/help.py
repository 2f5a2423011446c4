"""The help screen: every key, what it does, and how to change it."""

from __future__ import annotations

from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Label, Static


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
