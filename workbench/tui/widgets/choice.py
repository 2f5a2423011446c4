"""A one-line choice for the filter bar: it shows its value and opens a short menu.

Textual's `Select` is six widgets with an overlay list each; three of them cost the claims
screen more start-up than its million-row table. A `ChoiceButton` is one line of text, and
its menu (`ChoiceMenu`, a small modal list) is only built when the reviewer opens it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from workbench.textsafe import one_line

# The menu's entry for "no choice" (value None); real values are never empty.
_ANY = ""


@dataclass(frozen=True)
class Choices:
    """What a choice offers: (label, value) options, and whether "any" (None) is one."""

    label: str
    options: tuple[tuple[str, str], ...]
    allow_any: bool = True

    @property
    def first(self) -> str | None:
        """The value before any is chosen: "any", or the first option where "any" is not one."""
        return None if self.allow_any else self.options[0][1]

    def check(self, value: str | None) -> None:
        """Raises ValueError unless `value` is one of the choices."""
        if value is not None and value not in {v for _, v in self.options}:
            raise ValueError(f"{value!r} is not one of {self.label}'s choices")
        if value is None and not self.allow_any:
            raise ValueError(f"{self.label} needs a value")

    def label_of(self, value: str | None) -> str | None:
        return next((label for label, v in self.options if v == value), None)

    def menu(self) -> list[tuple[str, str]]:
        """The options as the menu lists them, "any" first where it is one."""
        return ([("any", _ANY)] if self.allow_any else []) + list(self.options)


class ChoiceMenu(ModalScreen[str | None]):
    """The choices as a list: Enter or a click picks one, Escape leaves the value as it was.
    Returns the picked value ("" for "any"), or None when dismissed."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "escape",
            "cancel",
            "Close menu",
            tooltip="Close the menu, keep the value",
            id="choice.cancel",
        ),
    ]

    def __init__(self, title: str, options: list[tuple[str, str]], current: str) -> None:
        super().__init__()
        self.title_text = title
        self.options = options
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog choice-menu"):
            yield Label(Content(self.title_text), classes="dialog-title")
            yield OptionList(
                *(Option(Content(one_line(label, 60)), id=value) for label, value in self.options),
                id="choices",
            )

    def on_mount(self) -> None:
        menu = self.query_one(OptionList)
        values = [value for _, value in self.options]
        if self.current in values:
            menu.highlighted = values.index(self.current)
        menu.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id or _ANY)

    def action_cancel(self) -> None:
        self.dismiss(None)


class ChoiceButton(Widget, can_focus=True):
    """Shows `label` (no choice) or the chosen option's text; a click, Enter or Space opens
    the menu. With `allow_any`, the menu starts with "any" (value None)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "enter,space",
            "open",
            "Choose",
            show=False,
            tooltip="On a status, rating or sort field: its menu",
            id="choice.open",
        ),
    ]

    class Changed(Message):
        """The value changed (by the menu or by code)."""

        def __init__(self, button: ChoiceButton) -> None:
            super().__init__()
            self.button = button

        @property
        def control(self) -> ChoiceButton:
            return self.button

    def __init__(
        self,
        label: str,
        options: list[tuple[str, str]],
        *,
        allow_any: bool = True,
        tooltip: str | None = None,
        id: str | None = None,  # noqa: A002
    ) -> None:
        super().__init__(id=id)
        self.choices = Choices(label, tuple(options), allow_any)
        self._value = self.choices.first
        if tooltip:
            self.tooltip = tooltip

    @property
    def value(self) -> str | None:
        return self._value

    @value.setter
    def value(self, new: str | None) -> None:
        self.choices.check(new)
        if new != self._value:
            self._value = new
            self.refresh()
            self.post_message(self.Changed(self))

    def clear(self) -> None:
        """Back to "any"."""
        self.value = None

    def render(self) -> Content:
        shown = self.choices.label_of(self._value)
        if shown is None:
            return Content.assemble((f"{self.choices.label} ", "dim"), "▾")
        return Content.assemble(one_line(shown, 40), (" ▾", "dim"))

    def action_open(self) -> None:
        current = self._value if self._value is not None else _ANY

        def chosen(picked: str | None) -> None:
            if picked is not None:
                self.value = picked or None
            self.focus()

        menu = ChoiceMenu(f"Choose {self.choices.label}", self.choices.menu(), current)
        self.app.push_screen(menu, chosen)

    def on_click(self) -> None:
        self.action_open()
