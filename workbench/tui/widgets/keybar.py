"""The key bar at the foot of a screen: the keys that work now, each clickable.

Textual's `Footer` is a widget per key and recomposes them all whenever the bindings may
have changed: five times while the claims screen starts, a third of its start-up. This bar
is text, redrawn (not rebuilt) when the bindings change; a click on a key presses it, and
hovering a key shows what it does.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual import events
from textual.geometry import Size
from textual.screen import Screen
from textual.widget import Widget


@dataclass(frozen=True)
class KeyEntry:
    key: str  # the key to press, as Textual names it ("v", "question_mark")
    label: str  # as shown ("v", "?")
    description: str
    tooltip: str
    enabled: bool
    start: int  # columns this entry covers in its row of the bar
    end: int
    row: int = 0


class KeyBar(Widget):
    """Key and description for every shown binding of the focused chain, wrapped onto as
    many lines as the width needs (a key cut off at the edge could not be found). With
    `every_key`, the secondary bindings (shown in help only elsewhere) are listed too."""

    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: auto;
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

    def __init__(self, *, every_key: bool = False, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self.every_key = every_key
        self._entries: tuple[int, list[KeyEntry]] | None = None  # (width, entries)
        self._hover: KeyEntry | None = None

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, _screen: Screen[object]) -> None:
        self._entries = None
        self.refresh(layout=True)  # the number of lines may change

    @property
    def entries(self) -> list[KeyEntry]:
        """What the bar shows now, row by row, left to right (the palette key last)."""
        return self._entries_for(self.size.width)

    def _entries_for(self, width: int) -> list[KeyEntry]:
        if self._entries is None or self._entries[0] != width:
            self._entries = (width, self._layout(width))
        return self._entries[1]

    def _shown(self) -> list[tuple[str, str, str, str, bool]]:
        """(key, label, description, tooltip, enabled) of each binding the bar lists, one
        per action, with the palette key last."""
        app = self.app
        shown: dict[str, tuple[str, str, str, str, bool]] = {}
        palette = None
        for key, active in self.screen.active_bindings.items():
            binding = active.binding
            label = app.get_key_display(binding)
            tooltip = active.tooltip or binding.tooltip or binding.description
            item = (key, label, binding.description, tooltip, active.enabled)
            if key == app.COMMAND_PALETTE_BINDING and app.ENABLE_COMMAND_PALETTE:
                palette = item
                continue
            # Secondary bindings are the workbench's own (they have ids), not Textual's
            # scrolling and copying keys.
            listed = binding.show or (self.every_key and binding.id and binding.description)
            if listed and binding.action not in shown:
                shown[binding.action] = item
        return [*shown.values(), *([palette] if palette else [])]

    def _layout(self, width: int) -> list[KeyEntry]:
        items = self._shown()
        entries: list[KeyEntry] = []
        row = column = 0
        for index, (key, label, description, tooltip, enabled) in enumerate(items):
            size = cell_len(label) + cell_len(description) + 3
            if column and column + size > width:
                row, column = row + 1, 0
            start = column
            if index == len(items) - 1 and key == self.app.COMMAND_PALETTE_BINDING:
                start = max(column, width - size)  # the palette key sits at the right edge
            entries.append(
                KeyEntry(key, label, description, tooltip, enabled, start, start + size, row)
            )
            column = start + size
        return entries

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        entries = self._entries_for(width)
        return entries[-1].row + 1 if entries else 1

    def render(self) -> Text:
        key_style = self.get_component_rich_style("key-bar--key", partial=True)
        text_style = self.get_component_rich_style("key-bar--description", partial=True)
        hover_style = self.get_component_rich_style("key-bar--hover", partial=True)
        rows: list[Text] = []
        for entry in self.entries:
            if entry.row == len(rows):
                rows.append(Text(no_wrap=True, overflow="crop", end=""))
            line = rows[-1]
            if entry.start > line.cell_len:
                line.append(" " * (entry.start - line.cell_len))
            extra = hover_style if entry is self._hover else Style()
            dim = Style(dim=not entry.enabled)
            line.append(f" {entry.label} ", key_style + extra + dim)
            line.append(f"{entry.description} ", text_style + extra + dim)
        return Text("\n", end="").join(rows)

    def entry_at(self, x: int, y: int = 0) -> KeyEntry | None:
        return next((e for e in self.entries if e.row == y and e.start <= x < e.end), None)

    def offset_of(self, action_key: str) -> tuple[int, int]:
        """The column and row of the entry for `action_key` (a key such as "v"), for tests."""
        return next((e.start, e.row) for e in self.entries if e.key == action_key)

    def on_click(self, event: events.Click) -> None:
        entry = self.entry_at(event.x, event.y)
        if entry is not None and entry.enabled:
            event.stop()
            self.app.simulate_key(entry.key)

    def on_mouse_move(self, event: events.MouseMove) -> None:
        entry = self.entry_at(event.x, event.y)
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
        self._entries = None  # the rows and the palette key's place follow the width
