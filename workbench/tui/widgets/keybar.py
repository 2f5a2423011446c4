"""The key bar at the foot of a screen: the keys that work now, each clickable.

Textual's `Footer` is a widget per key and recomposes them all whenever the bindings may
have changed: five times while the claims screen starts, a third of its start-up. This bar
is one line of text, redrawn (not rebuilt) when the bindings change; a click on a key
presses it, and hovering a key shows what it does.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual import events
from textual.screen import Screen
from textual.widget import Widget


@dataclass(frozen=True)
class KeyEntry:
    key: str  # the key to press, as Textual names it ("v", "question_mark")
    label: str  # as shown ("v", "?")
    description: str
    tooltip: str
    enabled: bool
    start: int  # columns this entry covers in the bar
    end: int


class KeyBar(Widget):
    """One line: key and description for every shown binding of the focused chain."""

    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: 1;
        background: $footer-background;
        color: $footer-foreground;
    }
    KeyBar > .key-bar--key {
        color: $footer-key-foreground;
        background: $footer-key-background;
        text-style: bold;
    }
    KeyBar > .key-bar--description {
        color: $footer-description-foreground;
        background: $footer-description-background;
    }
    KeyBar > .key-bar--hover {
        background: $block-hover-background;
    }
    """
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "key-bar--key",
        "key-bar--description",
        "key-bar--hover",
    }

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self._entries: list[KeyEntry] | None = None
        self._hover: KeyEntry | None = None

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, _screen: Screen[object]) -> None:
        self._entries = None
        self.refresh()

    @property
    def entries(self) -> list[KeyEntry]:
        """What the bar shows now, left to right (the palette key last)."""
        if self._entries is None:
            self._entries = self._layout()
        return self._entries

    def _layout(self) -> list[KeyEntry]:
        app = self.app
        shown: dict[str, KeyEntry] = {}
        palette = None
        column = 0
        for key, active in self.screen.active_bindings.items():
            binding = active.binding
            label = app.get_key_display(binding)
            tooltip = active.tooltip or binding.tooltip or binding.description
            if key == app.COMMAND_PALETTE_BINDING and app.ENABLE_COMMAND_PALETTE:
                palette = (key, label, binding.description, tooltip, active.enabled)
                continue
            if not binding.show or binding.action in shown:
                continue
            width = cell_len(label) + cell_len(binding.description) + 3
            shown[binding.action] = KeyEntry(
                key,
                label,
                binding.description,
                tooltip,
                active.enabled,
                column,
                column + width,
            )
            column += width
        entries = list(shown.values())
        if palette is not None:
            key, label, description, tooltip, enabled = palette
            width = cell_len(label) + cell_len(description) + 3
            start = max(column, self.size.width - width)
            entries.append(
                KeyEntry(key, label, description, tooltip, enabled, start, start + width)
            )
        return entries

    def render(self) -> Text:
        key_style = self.get_component_rich_style("key-bar--key", partial=True)
        text_style = self.get_component_rich_style("key-bar--description", partial=True)
        hover_style = self.get_component_rich_style("key-bar--hover", partial=True)
        line = Text(no_wrap=True, overflow="crop", end="")
        for entry in self.entries:
            if entry.start > line.cell_len:
                line.append(" " * (entry.start - line.cell_len))
            extra = hover_style if entry is self._hover else Style()
            dim = Style(dim=not entry.enabled)
            line.append(f" {entry.label} ", key_style + extra + dim)
            line.append(f"{entry.description} ", text_style + extra + dim)
        return line

    def entry_at(self, x: int) -> KeyEntry | None:
        return next((e for e in self.entries if e.start <= x < e.end), None)

    def offset_of(self, action_key: str) -> int:
        """The column of the entry for `action_key` (a key such as "v"), for tests."""
        return next(e.start for e in self.entries if e.key == action_key)

    def on_click(self, event: events.Click) -> None:
        entry = self.entry_at(event.x)
        if entry is not None and entry.enabled:
            event.stop()
            self.app.simulate_key(entry.key)

    def on_mouse_move(self, event: events.MouseMove) -> None:
        entry = self.entry_at(event.x)
        if entry is not self._hover:
            self._hover = entry
            self.tooltip = entry.tooltip if entry else None
            self.refresh()

    def on_leave(self, _event: events.Leave) -> None:
        if self._hover is not None:
            self._hover = None
            self.tooltip = None
            self.refresh()

    def on_resize(self, _event: events.Resize) -> None:
        self._entries = None  # the palette key sits at the right edge
