"""Verdict reports: one module per format, all reading `data.py`'s streamed records.

`write_report(fmt, session, options, out)` writes a whole report to a text stream, chunk by
chunk, so a report of 100,000 claims never sits in memory.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TextIO

from sqlalchemy.orm import Session

from workbench.config import DEFAULT_ORGANISATION_NAME, DEFAULT_ORGANISATION_URL
from workbench.errors import ValidationError
from workbench.export.data import ReportQuery

FORMATS = ("md", "html", "json", "csv", "claimreview")


@dataclass(frozen=True)
class ExportOptions:
    query: ReportQuery = field(default_factory=ReportQuery)
    organisation_name: str = DEFAULT_ORGANISATION_NAME
    organisation_url: str = DEFAULT_ORGANISATION_URL
    exported_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    per_evidence: bool = False  # CSV: one row per evidence instead of one per claim
    include_open: bool = False  # HTML, Markdown: list the open claims after the verdicts

    def header_organisation(self) -> tuple[str | None, str | None]:
        """The organisation's name and URL for a report's header; None for a placeholder
        that was never configured (a reader should not see example.org)."""
        name = self.organisation_name.strip()
        url = self.organisation_url.strip()
        return (
            name if name and name != DEFAULT_ORGANISATION_NAME else None,
            url if url and url != DEFAULT_ORGANISATION_URL else None,
        )


Writer = Callable[[Session, ExportOptions, TextIO], int]


def writer_for(fmt: str) -> Writer:
    if fmt == "md":
        from workbench.export.markdown import write_markdown

        return write_markdown
    if fmt == "html":
        from workbench.export.html import write_html

        return write_html
    if fmt == "json":
        from workbench.export.jsondoc import write_json

        return write_json
    if fmt == "csv":
        from workbench.export.csv import write_csv

        return write_csv
    if fmt == "claimreview":
        from workbench.export.claimreview import write_claimreview

        return write_claimreview
    raise ValidationError(f"unknown export format {fmt!r}; choose one of: {', '.join(FORMATS)}")


def write_report(fmt: str, session: Session, options: ExportOptions, out: TextIO) -> int:
    """Writes the report; returns how many claims (or, for CSV per evidence, rows) it holds."""
    return writer_for(fmt)(session, options, out)
