"""The reader's order of the HTML and Markdown reports: verdicts first.

A reader opens a report for its verdicts, so these two formats list the claims whose verdict
is published (reviewed or approved) first, grouped by article, and the open ones (new, in
progress, sent back, dismissed) after them only when asked: `ExportOptions.include_open`
(`workbench export --include-open`), or a status filter that names an open status. JSON, CSV
and ClaimReview keep every matching claim in article order: their readers are programs.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from workbench.export import ExportOptions
from workbench.export.data import ArticleRecord, ClaimRecord, ReportQuery, iter_claims
from workbench.models import Claim
from workbench.review import filtered_claims

PUBLISHED_STATUSES = ("reviewed", "approved")


@dataclass
class ArticleGroup:
    """One article's claims (article None: claims that belong to no article)."""

    article: ArticleRecord | None
    claims: Iterator[ClaimRecord]


def iter_groups(session: Session, query: ReportQuery, where: Any = None) -> Iterator[ArticleGroup]:
    """The claims grouped by article, lazily: consume a group's claims before the next group."""
    stream = iter_claims(session, query, where=where)
    for _key, claims in itertools.groupby(stream, key=lambda c: c.article_id):
        first = next(claims)
        # The group iterator is handed on once; it must be consumed before the next group.
        yield ArticleGroup(first.article, itertools.chain((first,), claims))  # noqa: B031


@dataclass(frozen=True)
class Parts:
    """How many matching claims each part of the report holds, and whether the open part is
    shown."""

    published: int
    open: int
    show_open: bool

    @property
    def hidden(self) -> int:
        return 0 if self.show_open else self.open


def report_parts(session: Session, options: ExportOptions) -> Parts:
    f = options.query.filter
    counted = filtered_claims(select(Claim.status, func.count(Claim.id)), session, f)
    by_status = {s: int(n) for s, n in session.execute(counted.group_by(Claim.status))}
    published = sum(by_status.get(s, 0) for s in PUBLISHED_STATUSES)
    total = sum(by_status.values())
    asked = f.status is not None and f.status not in PUBLISHED_STATUSES
    return Parts(published, total - published, options.include_open or asked)


def published_groups(session: Session, query: ReportQuery) -> Iterator[ArticleGroup]:
    return iter_groups(session, query, Claim.status.in_(PUBLISHED_STATUSES))


def open_groups(session: Session, query: ReportQuery) -> Iterator[ArticleGroup]:
    return iter_groups(session, query, Claim.status.not_in(PUBLISHED_STATUSES))


@dataclass
class Part:
    """A titled part of a report: its anchor, heading, a note under it, its article groups."""

    anchor: str
    title: str
    note: str
    groups: Iterator[ArticleGroup]


def report_sections(session: Session, options: ExportOptions, parts: Parts) -> list[Part]:
    """The parts of an HTML or Markdown report, in reading order."""
    query = options.query
    empty = "" if parts.published else "No claim in this report has a published verdict yet."
    sections = [Part("verdicts", "Verdicts", empty, published_groups(session, query))]
    if parts.show_open and parts.open:
        note = "Claims without a published verdict: new, in progress, sent back or dismissed."
        sections.append(Part("open-claims", "Open claims", note, open_groups(session, query)))
    return sections
