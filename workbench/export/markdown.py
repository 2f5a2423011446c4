"""The Markdown report: the HTML report's content, readable as plain text and on
code-hosting sites. Every value is escaped by the environment's finalize hook."""

from __future__ import annotations

from typing import TextIO

from sqlalchemy.orm import Session

from workbench.core.source_text import citation_line
from workbench.export import ExportOptions
from workbench.export.html import _Counter, common_context
from workbench.export.records import EvidenceRecord
from workbench.export.safety import md_link, md_text
from workbench.export.templating import Raw, markdown_environment, stream_to, when

BAR_WIDTH = 30


def _paragraphs(text: str) -> list[str]:
    parts = [p for p in (" ".join(block.split()) for block in text.split("\n\n")) if p]
    return parts or [""]


def _citation(e: EvidenceRecord) -> str:
    s = e.source
    return citation_line(e.stance, e.quote, s.title, s.citation, s.url)


def write_markdown(session: Session, options: ExportOptions, out: TextIO) -> int:
    counted = _Counter()
    context = common_context(session, options, counted)
    report = context["summary"]
    top = max((r.count for r in report.by_rating), default=0)
    organisation, organisation_url = options.header_organisation()
    context |= {
        "organisation": organisation,
        "organisation_link": Raw(md_link(organisation_url, organisation_url))
        if organisation_url
        else None,
        "exported_at": Raw(md_text(when(options.exported_at))),
        "link": lambda label, url: Raw(md_link(label, url)),
        "paragraphs": _paragraphs,
        "citation": _citation,
        "fixed": lambda x: Raw(f"{x:.2f}"),
        "bar": lambda n: Raw("█" * (0 if top == 0 else max(1, round(BAR_WIDTH * n / top)))),
    }
    template = markdown_environment().get_template("report.md.j2")
    stream_to(template.generate(context), out)
    return counted.claims
