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

    def _requested(self) -> tuple[str | None, str]:
        """The reviewer asked for, and where it was asked (for messages)."""
        given = [
            (self.reviewer_arg, "--reviewer"),
            (os.environ.get("WORKBENCH_REVIEWER"), "WORKBENCH_REVIEWER"),
            (self.settings.reviewer, "the config file's reviewer"),
        ]
        return next(((n, s) for n, s in given if n), (None, ""))

    @property
    def reviewer(self) -> str:
        """Who is working: the name asked for (default: the login name); on a team server
        the database login (which opens the database to ask it)."""
        from workbench.config import default_reviewer
        from workbench.identity import is_postgresql

        if is_postgresql(self.db_url()):
            return self.desk.reviewer
        return self._requested()[0] or default_reviewer()

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

        name, source = self._requested()
        desk = open_desk(db_url, name, self.settings, source=source)
        self.opened.append(desk)
        return desk

    def close(self) -> None:
        for desk in self.opened:
            desk.dispose()
