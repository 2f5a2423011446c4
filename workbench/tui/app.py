"""Placeholder until the TUI lands (issue 5)."""

from __future__ import annotations

from typing import Any


class WorkbenchApp:
    def __init__(self, db_url: str, **_: Any) -> None:
        self.db_url = db_url
        self.return_code: int | None = 0

    def run(self) -> None:
        print("the terminal UI is not built yet; use the CLI (workbench --help)")
