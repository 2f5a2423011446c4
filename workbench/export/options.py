"""What a report holds and how it is signed, built in one place for both front ends: the
claims of a filter, as the acting reviewer may see them, on the configured scale, under
the organisation's name."""

from __future__ import annotations

from typing import TYPE_CHECKING

from workbench.core.visibility import seen_by
from workbench.export import ExportOptions
from workbench.export.data import ReportQuery

if TYPE_CHECKING:
    from workbench.core.results import ClaimFilter
    from workbench.desk import Desk


def report_options(
    desk: Desk, claims: ClaimFilter, *, per_evidence: bool = False, include_open: bool = False
) -> ExportOptions:
    settings = desk.settings
    return ExportOptions(
        query=ReportQuery(
            filter=seen_by(claims, desk.reviewer), scale=settings.scale, viewer=desk.reviewer
        ),
        organisation_name=settings.organisation_name,
        organisation_url=settings.organisation_url,
        per_evidence=per_evidence,
        include_open=include_open,
    )
