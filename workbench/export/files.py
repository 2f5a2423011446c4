"""Writing a report to a file: shared by the CLI's `export` and the TUI's export dialog, so
both write the same bytes the same safe way."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, TextIO

from workbench import collector
from workbench.errors import ValidationError
from workbench.export import ExportOptions, write_report

if TYPE_CHECKING:
    from workbench.core.results import ClaimFilter
    from workbench.desk import Desk
from workbench.storage.dbfiles import refuse_database_file


def unit_of(fmt: str, per_evidence: bool = False, count: int = 2) -> str:
    """What a report's count counts, in the number `count` takes ("1 claim", "2 claims")."""
    from workbench.wording import plural

    if fmt == "csv" and per_evidence:
        return plural(count, "row")
    return plural(count, "review" if fmt == "claimreview" else "claim")


def report_writer(
    desk: Desk, fmt: str, options: ExportOptions, lint: list[Any] | None = None
) -> Callable[[TextIO], int]:
    """A function that writes the report to a text stream, in one read of the database, and
    returns how many claims (reviews, rows) it wrote. ClaimReview problems go to `lint`."""

    def write(out: TextIO) -> int:
        with collector.paused(), desk.store.read() as session:
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
    desk: Desk, fmt: str, options: ExportOptions, path: Path, lint: list[Any] | None = None
) -> int:
    """Writes the report to `path` (atomically); returns how many claims it holds."""
    refuse_database_output(desk, path)
    return write_atomically(path, report_writer(desk, fmt, options, lint))


def refuse_database_output(desk: Desk, path: str | Path) -> None:
    """A report written over the database (or its journal files) would destroy it."""
    refuse_database_file(path, desk.store.sqlite_path, "write the report to")


def warc_writer(desk: Desk, claims: ClaimFilter) -> Callable[[BinaryIO], int]:
    """A function that writes the archived snapshots of the claims' sources as a gzipped
    WARC file to a binary stream, and returns how many it wrote."""
    from workbench.core.visibility import seen_by
    from workbench.sources.warc import write_warc

    def write(out: BinaryIO) -> int:
        with desk.store.read() as session:
            return write_warc(session, seen_by(claims, desk.reviewer), out)

    return write
