"""The Markdown report: the HTML report's content, readable as plain text and on
code-hosting sites. Every value is escaped by the environment's finalize hook."""

from __future__ import annotations

from typing import Any, TextIO

from sqlalchemy.orm import Session

from workbench import __version__
from workbench.export import ExportOptions
from workbench.export.data import iter_groups, summary
from workbench.export.html import _Counter, filters_text
from workbench.export.safety import md_link, md_text
from workbench.export.templating import Raw, markdown_environment, stream_to, when
from workbench.storage.audit import head_hash

BAR_WIDTH = 30


def _paragraphs(text: str) -> list[str]:
    parts = [p for p in (" ".join(block.split()) for block in text.split("\n\n")) if p]
    return parts or [""]


def write_markdown(session: Session, options: ExportOptions, out: TextIO) -> int:
    report = summary(session, options.query)
    top = max((r.count for r in report.by_rating), default=0)
    counted = _Counter()
    context: dict[str, Any] = {
        "version": __version__,
        "organisation": options.organisation_name,
        "organisation_link": Raw(md_link(options.organisation_url, options.organisation_url)),
        "exported_at": Raw(md_text(when(options.exported_at))),
        "audit_head": head_hash(session),
        "filters": filters_text(options),
        "summary": report,
        "groups": counted.wrap(iter_groups(session, options.query)),
        "link": lambda label, url: Raw(md_link(label, url)),
        "paragraphs": _paragraphs,
        "fixed": lambda x: Raw(f"{x:.2f}"),
        "bar": lambda n: Raw("█" * (0 if top == 0 else max(1, round(BAR_WIDTH * n / top)))),
    }
    template = markdown_environment().get_template("report.md.j2")
    stream_to(template.generate(context), out)
    return counted.claims
