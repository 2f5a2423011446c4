"""The command palette (ctrl+p): every workbench action, searchable by name."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from textual.command import DiscoveryHit, Hit, Hits, Provider

if TYPE_CHECKING:
    from workbench.tui.app import WorkbenchApp


class WorkbenchCommands(Provider):
    """Lists the app's actions with their keys; choosing one runs it."""

    def _entries(self) -> list[tuple[str, str, str]]:
        from workbench.tui.app import WorkbenchApp

        app = self.app
        if not isinstance(app, WorkbenchApp):
            return []
        return app.palette_entries()

    def _run(self, action: str) -> None:
        app: WorkbenchApp = self.app  # type: ignore[assignment]
        app.call_next(app.run_action, action)

    async def discover(self) -> Hits:
        for name, help_text, action in self._entries():
            yield DiscoveryHit(name, partial(self._run, action), help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, help_text, action in self._entries():
            score = matcher.match(name)
            if score > 0:
                yield Hit(
                    score, matcher.highlight(name), partial(self._run, action), help=help_text
                )
