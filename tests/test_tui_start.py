"""`workbench` starts reading the first rows before it imports Textual (tui/start.py), and
the app it starts uses that read and the database the command line opened."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent

_BEFORE_TEXTUAL = """
import sys
import workbench.tui.start as start

class Seen(Exception):
    pass

class Spy(start.FirstWindow):
    def __init__(self, desk):
        print("textual imported:", "textual" in sys.modules)
        raise Seen

start.FirstWindow = Spy
from workbench.desk import database_url, open_desk
url = database_url(sys.argv[1])
desk = open_desk(url, "tester")
try:
    start.run_app(desk)
except Seen:
    pass
print("textual imported:", "textual" in sys.modules)
"""


def test_the_first_rows_are_asked_for_before_textual_is_imported(tmp_path: Path) -> None:
    from workbench.desk import database_url, open_desk

    db = tmp_path / "w.db"

    open_desk(database_url(db), "tester").dispose()
    out = subprocess.run(
        [sys.executable, "-c", _BEFORE_TEXTUAL, str(db)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    ).stdout
    assert out.splitlines() == ["textual imported: False", "textual imported: False"]


def test_the_app_uses_the_open_desk_and_its_start_up_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import workbench.tui.app as app_module
    from workbench.core.results import ClaimFilter
    from workbench.desk import database_url, open_desk
    from workbench.tui.first_window import FirstWindow
    from workbench.tui.start import run_app

    url = database_url(tmp_path / "w.db")
    desk = open_desk(url, "tester")
    seen: dict[str, Any] = {}

    def run(self: Any) -> None:
        seen.update(desk=self.desk, window=self.first_window)

    monkeypatch.setattr(app_module.WorkbenchApp, "run", run)
    try:
        assert run_app(desk) == 0
        assert seen["desk"] is desk
        assert isinstance(seen["window"], FirstWindow)
        total, rows = seen["window"].take(ClaimFilter(), 0, 10, wait=5)
        assert total.count == 0 and rows == []
    finally:
        desk.dispose()
