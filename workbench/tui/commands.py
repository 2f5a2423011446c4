"""The command palette (ctrl+p): every workbench action, searchable by name."""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

from workbench.tui.base import DeskApp


class WorkbenchCommands(Provider):
    """Lists the app's actions with their keys; choosing one runs it."""

    def _entries(self) -> list[tuple[str, str, str]]:
        app = self.app
        return app.palette_entries() if isinstance(app, DeskApp) else []

    def _run(self, action: str) -> None:
        self.app.call_next(self.app.run_action, action)

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
