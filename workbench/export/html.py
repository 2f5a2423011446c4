"""The HTML report: one self-contained file (inline CSS and SVG, no JavaScript) that prints
well. Rendered by streaming the Jinja2 template over the claim stream."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, TextIO

from sqlalchemy.orm import Session

from workbench import __version__
from workbench.audit import head_hash
from workbench.export import ExportOptions
from workbench.export.data import ClaimRecord, Summary, summary
from workbench.export.htmlclaim import claim_renderer
from workbench.export.safety import safe_url
from workbench.export.sections import report_parts, report_sections
from workbench.export.templating import html_environment, stream_to, when
from workbench.ratings import RatingScale

NO_VERDICT_COLOUR = "#9aa0a6"
OFF_SCALE_COLOUR = "#7b5ea7"
# Worst to best on the numeric scale: red through amber to green.
_GRADIENT = ("#c5221f", "#e8710a", "#f9ab00", "#7cb342", "#188038")


def rating_colour(value: int | None, scale: RatingScale) -> str:
    if value is None:
        return OFF_SCALE_COLOUR
    span = scale.best - scale.worst
    position = 0.0 if span == 0 else (value - scale.worst) / span
    return _GRADIENT[round(position * (len(_GRADIENT) - 1))]


@dataclass(frozen=True)
class Bar:
    label: str
    count: int
    colour: str
    y: int
    width: int


@dataclass(frozen=True)
class Chart:
    bars: tuple[Bar, ...]
    width: int
    height: int
    label_width: int


def verdict_chart(report: Summary, scale: RatingScale) -> Chart:
    """Horizontal bars, one per rating present, sized against the largest count."""
    # 450 units wide: on a phone the SVG scales down, and its labels must stay readable.
    label_width, bar_space, row = 130, 260, 28
    top = max((r.count for r in report.by_rating), default=0)
    bars = []
    for index, r in enumerate(report.by_rating):
        colour = NO_VERDICT_COLOUR if r.rating is None else rating_colour(r.value, scale)
        width = 0 if top == 0 else max(2, round(bar_space * r.count / top))
        bars.append(Bar(r.label, r.count, colour, 4 + index * row, width))
    return Chart(tuple(bars), label_width + bar_space + 60, 8 + len(bars) * row, label_width)


def filters_text(options: ExportOptions) -> str:
    return ", ".join(f"{k}={v}" for k, v in options.query.filters_json().items() if v is not None)


class _Counter:
    """Counts the claims flowing through the group stream."""

    def __init__(self) -> None:
        self.claims = 0

    def wrap(self, groups: Any) -> Any:
        for group in groups:
            group.claims = self._count(group.claims)
            yield group

    def _count(self, claims: Any) -> Any:
        for claim in claims:
            self.claims += 1
            yield claim


def common_context(session: Session, options: ExportOptions, counted: _Counter) -> dict[str, Any]:
    """What the HTML and Markdown templates share: the summary, and the report's two parts
    (verdicts, then the open claims when shown) as streams of article groups."""
    parts = report_parts(session, options)
    query = options.query
    return {
        "version": __version__,
        "audit_head": head_hash(session),
        "filters": filters_text(options),
        "summary": summary(session, query),
        "parts": parts,
        "sections": [
            replace(part, groups=counted.wrap(part.groups))
            for part in report_sections(session, options, parts)
        ],
    }


def write_html(session: Session, options: ExportOptions, out: TextIO) -> int:
    scale = options.query.scale
    classes = {r.name: f"r-{i}" for i, r in enumerate(scale.ratings, start=1)}
    template = html_environment().get_template("report.html.j2")
    counted = _Counter()
    context = common_context(session, options, counted)
    report = context["summary"]
    organisation, organisation_url = options.header_organisation()
    context |= {
        "organisation": organisation,
        "organisation_href": safe_url(organisation_url),
        "exported_at": when(options.exported_at),
        "chart": verdict_chart(report, scale),
        "ratings": [{"colour": rating_colour(r.value, scale)} for r in scale.ratings],
    }
    # Per report (the scale decides the class names), so passed in, not a shared filter.
    context["claim_html"] = claim_renderer(lambda name: classes.get(name or "", ""))
    # A chunk is a whole claim block now, so fewer chunks make a write of a few hundred KB.
    stream_to(template.generate(context), out, batch=256)
    return counted.claims


__all__ = ["write_html", "verdict_chart", "rating_colour", "ClaimRecord"]
