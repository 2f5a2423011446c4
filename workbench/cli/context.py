"""What a command runs with: the options every command shares, read lazily (a command that
needs no database opens none, and `--help` loads no settings)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from workbench.config import Settings
    from workbench.desk import Desk


class UserError(Exception):
    """Raised by command code for problems with the input; printed without a traceback."""


@dataclass
class Context:
    db_arg: str | None
    reviewer_arg: str | None
    _settings: Settings | None = None
    _desk: Desk | None = None
    opened: list[Desk] = field(default_factory=list)

    @property
    def settings(self) -> Settings:
        if self._settings is None:
            from workbench.config import load_settings

            self._settings = load_settings()
        return self._settings

    @property
    def reviewer(self) -> str:
        from workbench.config import default_reviewer

        return (
            self.reviewer_arg
            or os.environ.get("WORKBENCH_REVIEWER")
            or self.settings.reviewer
            or default_reviewer()
        )

    def db_url(self) -> str:
        from workbench.config import default_database_path
        from workbench.desk import database_url

        explicit = self.db_arg or os.environ.get("WORKBENCH_DB") or self.settings.database
        if explicit:
            return database_url(explicit)
        path = default_database_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        return database_url(path)

    @property
    def desk(self) -> Desk:
        """The configured database, opened (and migrated) on first use."""
        if self._desk is None:
            self._desk = self.open(self.db_url())
        return self._desk

    def open(self, db_url: str) -> Desk:
        from workbench.desk import open_desk

        desk = open_desk(db_url, self.reviewer, self.settings)
        self.opened.append(desk)
        return desk

    def close(self) -> None:
        for desk in self.opened:
            desk.store.dispose()
