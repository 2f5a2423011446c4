"""Progress on the long commands (issue 18): `import`, `export` and `check` report on stderr
through workbench/progress.py, on a terminal or when forced (WORKBENCH_PROGRESS=1), and
their stdout (JSON, CSV) stays exactly what it was."""

from __future__ import annotations

import csv
import io
import json
import os
import pty
import select
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from workbench import progress
from workbench.progress import StageLine

COUNT = 2_500


def _claims_file(tmp_path: Path) -> Path:
    path = tmp_path / "claims.jsonl"
    lines = (json.dumps({"text": f"Claim {i}: the budget rose by {i}%."}) for i in range(COUNT))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_forced_progress_on_import_export_and_check(
    cli: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WORKBENCH_PROGRESS", "1")
    imported = cli("import", str(_claims_file(tmp_path)), "--json")
    assert imported.code == 0, imported.err
    assert imported.json()["added"]["claims"] == COUNT  # stdout is the JSON, only
    assert "importing " in imported.err and "records read" in imported.err
    assert f"records read {COUNT:,}/{COUNT:,}" in imported.err

    exported = cli("export", "--format", "csv")
    assert exported.code == 0, exported.err
    rows = list(csv.DictReader(io.StringIO(exported.out)))
    assert len(rows) == COUNT and "exporting" not in exported.out
    assert f"exporting: claims written {COUNT:,}/{COUNT:,}" in exported.err
    report = tmp_path / "report.json"
    to_file = cli("export", "--format", "json", "-o", str(report))
    assert to_file.code == 0 and "claims written" in to_file.err
    assert len(json.loads(report.read_text(encoding="utf-8"))["claims"]) == COUNT

    checked = cli("check", "--json")
    assert checked.code == 0, checked.err
    assert checked.json()["events"] >= COUNT
    assert "checking: events checked 1,000" in checked.err
    if checked.json()["backend"] == "sqlite":  # PostgreSQL has no built-in one to run
        assert "running SQLite's integrity check" in checked.err


def test_progress_on_a_real_terminal_leaves_stdout_clean(
    cli: Any, db_url: str, tmp_path: Path
) -> None:
    assert cli("import", str(_claims_file(tmp_path))).code == 0
    # The real program, its stderr on a pseudo-terminal, its stdout on a pipe.
    env = {k: v for k, v in os.environ.items() if k != "WORKBENCH_PROGRESS"}
    main, child = pty.openpty()
    try:
        run = subprocess.Popen(
            [sys.executable, "-m", "workbench.cli", "--db", db_url, "export", "--format", "json"],
            stdout=subprocess.PIPE,
            stderr=child,
            env=env,
        )
        os.close(child)
        out, _ = run.communicate(timeout=120)
        terminal = _drain(main)
    finally:
        os.close(main)
    assert run.returncode == 0, terminal
    assert len(json.loads(out)["claims"]) == COUNT
    assert "\r\x1b[2Kexporting: claims written" in terminal
    assert f"{COUNT:,}/{COUNT:,}" in terminal
    assert terminal.endswith("\r\x1b[2K")  # the line is cleared when the export is done


def _drain(fd: int) -> str:
    chunks = []
    while select.select([fd], [], [], 0.5)[0]:
        try:
            data = os.read(fd, 65536)
        except OSError:  # the terminal's other end closed
            break
        if not data:
            break
        chunks.append(data)
    return b"".join(chunks).decode("utf-8", "replace")


def test_off_a_terminal_a_stage_speaks_only_after_a_second(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("WORKBENCH_PROGRESS", raising=False)
    clock = [100.0]
    monkeypatch.setattr(progress.time, "monotonic", lambda: clock[0])
    out = io.StringIO()
    line = StageLine("importing a.jsonl", out)
    line(1_000, 0, "records read")
    assert out.getvalue() == ""  # quick: a script's log stays quiet
    clock[0] += 1.5
    line(2_000, 0, "records read")
    assert out.getvalue() == "importing a.jsonl: records read 2,000\n"
    clock[0] += 0.5
    line(3_000, 0, "records read")  # not again within two seconds
    assert out.getvalue().count("\n") == 1
    clock[0] += 2.0
    line(4_000, 10_000, "claims written")
    assert out.getvalue().endswith("importing a.jsonl: claims written 4,000/10,000\n")
