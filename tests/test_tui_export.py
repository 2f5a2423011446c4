"""Export from the TUI (issue 18): the dialog offers a file in the user's reports folder
(documents, else the data folder), Enter writes it and the message gives the full path; an
existing file is replaced only when the user says so; a bad path is said in the dialog.
Also in a real terminal (tmux)."""

from __future__ import annotations

import shlex
import time
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Input, Static
from tui_helpers import demo_app, notifications, settle

from tests.tmux_helpers import NO_TMUX, TMUX, workbench_session
from tests.tmux_helpers import tmux as _tmux
from tests.tmux_helpers import wait_for as _wait_for
from workbench.errors import ValidationError
from workbench.export.places import default_report_path, report_target, reports_folder
from workbench.storage.store import Store
from workbench.tui.screens.export import ExportDialog, ReplaceDialog

SIZE = (120, 32)


@pytest.fixture
def documents(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "Dokumente"
    folder.mkdir()
    monkeypatch.setenv("XDG_DOCUMENTS_DIR", str(folder))
    return folder


def test_the_reports_folder_is_in_documents_else_in_the_data_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("XDG_DOCUMENTS_DIR", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    (tmp_path / "home").mkdir()
    assert reports_folder() == tmp_path / "data" / "workbench" / "reports"  # no ~/Documents
    (tmp_path / "home" / "Documents").mkdir()
    assert reports_folder() == tmp_path / "home" / "Documents" / "workbench-reports"
    monkeypatch.setenv("XDG_DOCUMENTS_DIR", str(tmp_path))
    assert default_report_path("claimreview") == (
        tmp_path / "workbench-reports" / "workbench-report.claimreview.json"
    )


def test_a_typed_path_is_made_absolute_or_refused_with_what_to_do(
    documents: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    assert report_target("fares.md") == documents / "workbench-reports" / "fares.md"
    assert report_target("~/fares.md") == tmp_path / "fares.md"
    with pytest.raises(ValidationError, match="is a folder; add a file name"):
        report_target(str(tmp_path))
    with pytest.raises(ValidationError, match=r"missing does not exist; create it"):
        report_target(str(tmp_path / "missing" / "r.html"))
    (tmp_path / "plain").write_text("x")
    with pytest.raises(ValidationError, match="plain is not a folder"):
        report_target(str(tmp_path / "plain" / "r.html"))
    with pytest.raises(ValidationError, match="give a file"):
        report_target("  ")


async def _open_export(pilot: Any) -> ExportDialog:
    """The claims list settled, then `x`: the export dialog."""
    await settle(pilot)
    await pilot.press("x")
    dialog = pilot.app.screen
    assert isinstance(dialog, ExportDialog)
    return dialog


async def test_enter_writes_to_the_reports_folder_and_says_the_full_path(
    store: Store, documents: Path
) -> None:
    expected = documents / "workbench-reports" / "workbench-report.html"
    app = demo_app(store)
    async with app.run_test(size=SIZE) as pilot:
        dialog = await _open_export(pilot)
        assert dialog.query_one("#export-path", Input).value == str(expected)
        assert dialog.query_one("#export-path", Input).has_focus
        await pilot.press("enter")
        await settle(pilot)
        assert f"Wrote 3 claims to {expected}" in notifications(app), notifications(app)
    assert expected.read_text(encoding="utf-8").lstrip().lower().startswith("<!doctype html")


async def test_an_existing_file_is_replaced_only_when_the_user_says_so(
    store: Store, documents: Path
) -> None:
    target = documents / "kept.md"
    target.write_text("my notes", encoding="utf-8")
    app = demo_app(store)
    async with app.run_test(size=SIZE) as pilot:
        dialog = await _open_export(pilot)
        dialog.query_one("#export-path", Input).value = str(target)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ReplaceDialog)
        await pilot.press("enter")  # the focused button keeps the file
        await settle(pilot)
        assert app.screen is dialog
        assert "Not replaced" in str(dialog.query_one("#error", Static).render())
        assert target.read_text(encoding="utf-8") == "my notes"
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert any(f"to {target}" in n for n in notifications(app)), notifications(app)
    assert target.read_text(encoding="utf-8") != "my notes"


@pytest.mark.skipif(TMUX is None, reason=NO_TMUX)
def test_export_in_a_real_terminal(tmp_path: Path, db_url: str) -> None:
    if not db_url.startswith("sqlite"):
        pytest.skip("the terminal test runs on a SQLite file")
    documents = tmp_path / "docs"
    documents.mkdir()
    expected = documents / "workbench-reports" / "workbench-report.html"
    with workbench_session(
        tmp_path,
        f"--db {shlex.quote(str(tmp_path / 'demo.db'))} demo",
        env={"XDG_DOCUMENTS_DIR": str(documents)},
    ) as session:
        _wait_for(session, "v Verdict")
        _tmux("send-keys", "-t", session, "x")
        _wait_for(session, "Export a report")
        time.sleep(0.4)
        _tmux("send-keys", "-t", session, "Enter")
        _wait_for(session, "Wrote ")
        assert expected.exists()
        first = expected.stat().st_mtime_ns
        time.sleep(0.4)
        _tmux("send-keys", "-t", session, "x")
        _wait_for(session, "Export a report")
        time.sleep(0.4)
        _tmux("send-keys", "-t", session, "Enter")
        _wait_for(session, "The file exists already")
        time.sleep(0.4)
        _tmux("send-keys", "-t", session, "y")
        screen = _wait_for(session, "workbench-report.html", timeout=20)
        assert "Wrote " in screen
        # The first export's notice may still show that name: wait for the second write.
        deadline = time.monotonic() + 20
        while expected.stat().st_mtime_ns == first and time.monotonic() < deadline:
            time.sleep(0.2)
    assert expected.stat().st_mtime_ns > first
    assert "<!doctype html" in expected.read_text(encoding="utf-8").lower()
