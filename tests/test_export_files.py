"""The shared report-file writer (CLI export and TUI export dialog)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from workbench.errors import ValidationError
from workbench.export.files import unit_of, write_atomically


def _write(out: Any) -> int:
    out.write("report\n")
    return 3


def test_home_is_expanded_and_no_temporary_file_is_left(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    assert write_atomically(Path("~/report.md"), _write) == 3
    assert (tmp_path / "report.md").read_text(encoding="utf-8") == "report\n"
    assert [p.name for p in tmp_path.iterdir()] == ["report.md"]


def test_missing_folder_and_failed_writes_are_clear_errors(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="does not exist"):
        write_atomically(tmp_path / "missing" / "r.md", _write)
    (tmp_path / "dir.md").mkdir()
    with pytest.raises(ValidationError, match="cannot write"):
        write_atomically(tmp_path / "dir.md", _write)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dir.md"]


def test_units() -> None:
    assert unit_of("html") == "claims"
    assert unit_of("claimreview") == "reviews"
    assert (unit_of("csv"), unit_of("csv", per_evidence=True)) == ("claims", "rows")


def test_collector_paused_restores_the_collector_as_it_was() -> None:
    import gc

    from workbench.collector import paused as collector_paused

    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()  # a caller that had it off keeps it off
    finally:
        gc.enable()
    try:
        with collector_paused():
            raise ValueError("an export failed")
    except ValueError:
        pass
    assert gc.isenabled()
