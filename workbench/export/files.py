"""Writing a report to a file: shared by the CLI's `export` and the TUI's export dialog, so
both write the same bytes the same safe way."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO

from workbench.bulk import collector_paused
from workbench.dbfiles import refuse_database_file
from workbench.errors import ValidationError
from workbench.export import ExportOptions, write_report


def unit_of(fmt: str, per_evidence: bool = False, count: int = 2) -> str:
    """What a report's count counts, in the number `count` takes ("1 claim", "2 claims")."""
    from workbench.wording import plural

    if fmt == "csv" and per_evidence:
        return plural(count, "row")
    return plural(count, "review" if fmt == "claimreview" else "claim")


def report_writer(
    store: Any, fmt: str, options: ExportOptions, lint: list[Any] | None = None
) -> Callable[[TextIO], int]:
    """A function that writes the report to a text stream, in one read of the database, and
    returns how many claims (reviews, rows) it wrote. ClaimReview problems go to `lint`."""

    def write(out: TextIO) -> int:
        with collector_paused(), store.read() as session:
            if fmt == "claimreview":
                from workbench.export.claimreview import write_claimreview

                return write_claimreview(session, options, out, lint=lint)
            return write_report(fmt, session, options, out)

    return write


def write_atomically(path: Path, write: Callable[[Any], int], *, binary: bool = False) -> int:
    """Writes to a temporary file beside `path` and renames it, so a failed export never
    leaves a half-written report where the old one was."""
    path = path.expanduser()  # "~/report.html" typed in the TUI: no shell expanded it
    folder = path.resolve().parent
    if not folder.is_dir():
        raise ValidationError(
            f"the folder {folder} does not exist; create it or choose another output path"
        )
    try:
        if binary:
            handle: Any = tempfile.NamedTemporaryFile(
                "wb", dir=folder, prefix=f".{path.name}.", delete=False
            )
        else:
            handle = tempfile.NamedTemporaryFile(
                "w", encoding="utf-8", newline="", dir=folder, prefix=f".{path.name}.", delete=False
            )
    except OSError as exc:
        raise ValidationError(f"cannot write in {folder}: {exc.strerror}") from None
    try:
        with handle:
            count = write(handle)
        os.replace(handle.name, path)
    except OSError as exc:
        Path(handle.name).unlink(missing_ok=True)
        raise ValidationError(f"cannot write {path}: {exc.strerror or exc}") from None
    except BaseException:
        Path(handle.name).unlink(missing_ok=True)
        raise
    return count


def export_to_file(
    store: Any, fmt: str, options: ExportOptions, path: Path, lint: list[Any] | None = None
) -> int:
    """Writes the report to `path` (atomically); returns how many claims it holds."""
    refuse_database_file(path, getattr(store, "sqlite_path", None), "write the report to")
    return write_atomically(path, report_writer(store, fmt, options, lint))
