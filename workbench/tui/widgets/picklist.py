"""A list to pick one item from, for the dialogs whose pick writes something (promote a
sentence, pin a passage, remove a source): the item Enter would take is always visible.

Textual's `OptionList` starts with nothing highlighted, so the first Up jumps to the last
item (it wraps), and a click picks an item in the same instant it highlights it. Here the
first item is highlighted as soon as the list has focus, Up and Down stop at the ends, and a
click on another item only highlights it: a second click, or Enter, picks it."""

from __future__ import annotations

from textual import events
from textual.widgets import OptionList
from textual.widgets.option_list import Option


class PickList(OptionList):
    def show(self, options: list[Option]) -> bool:
        """Lists `options` instead, the first highlighted, and takes focus; False if none."""
        self.clear_options()
        self.add_options(options)
        if options:
            self.highlighted = 0
        self.focus()
        return bool(options)

    def on_focus(self, _event: events.Focus) -> None:
        if self.highlighted is None and self.option_count:
            self.highlighted = 0

    def action_cursor_up(self) -> None:
        if self.highlighted is None:
            self.action_first()
        elif self.highlighted > 0:
            super().action_cursor_up()

    def action_cursor_down(self) -> None:
        if self.highlighted is None:
            self.action_first()
        elif self.highlighted < self.option_count - 1:
            super().action_cursor_down()

    async def _on_click(self, event: events.Click) -> None:
        # Textual calls OptionList's own click handler after this one unless prevented.
        clicked = event.style.meta.get("option")
        if clicked is not None and clicked != self.highlighted:
            event.prevent_default()
            self.highlighted = clicked  # shown first; picked by the next click or Enter
