"""CSV: one row per claim, or with `per_evidence` one row per piece of evidence (claims
without evidence still get one row). Cells a spreadsheet would run as a formula are
guarded with a leading `'` (safety.csv_guard); `workbench import` removes exactly that."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from typing import Any, TextIO

from sqlalchemy.orm import Session

from workbench.export import ExportOptions
from workbench.export.data import iter_claims
from workbench.export.records import ClaimRecord, iso
from workbench.export.safety import csv_guard

CLAIM_COLUMNS = (
    "claim_id",
    "text",
    "status",
    "score",
    "rating",
    "rating_label",
    "rating_value",
    "rationale",
    "reviewer",
    "verdict_at",
    "article_id",
    "article_title",
    "article_url",
    "source_count",
    "source_urls",
)
EVIDENCE_COLUMNS = (
    "claim_id",
    "text",
    "rating",
    "article_title",
    "article_url",
    "evidence_id",
    "stance",
    "quote",
    "source_kind",
    "source_title",
    "source_url",
    "source_citation",
    "source_publisher",
    "fetched_at",
    "snapshot_sha256",
)
# Between URLs in the one-row-per-claim `source_urls` cell.
URL_SEPARATOR = " | "


def _claim_cells(c: ClaimRecord) -> dict[str, Any]:
    v = c.verdict
    urls = [e.source.url or e.source.citation or "" for e in c.evidence]
    return {
        "claim_id": c.id,
        "text": c.text,
        "status": c.status,
        "score": c.score,
        "rating": c.rating,
        "rating_label": v.label if v else None,
        "rating_value": v.value if v else None,
        "rationale": v.rationale if v else None,
        "reviewer": v.reviewer if v else None,
        "verdict_at": iso(v.created_at) if v else None,
        "article_id": c.article_id,
        "article_title": c.article.title if c.article else None,
        "article_url": c.article.url if c.article else None,
        "source_count": len({e.source.id for e in c.evidence}),
        "source_urls": URL_SEPARATOR.join(urls),
    }


def _evidence_rows(c: ClaimRecord) -> Iterator[dict[str, Any]]:
    base = {
        "claim_id": c.id,
        "text": c.text,
        "rating": c.rating,
        "article_title": c.article.title if c.article else None,
        "article_url": c.article.url if c.article else None,
    }
    if not c.evidence:
        yield base
    for e in c.evidence:
        s = e.source
        yield {
            **base,
            "evidence_id": e.id,
            "stance": e.stance,
            "quote": e.quote,
            "source_kind": s.kind,
            "source_title": s.title,
            "source_url": s.url,
            "source_citation": s.citation,
            "source_publisher": s.publisher,
            "fetched_at": iso(s.fetched_at),
            "snapshot_sha256": s.snapshot_sha256,
        }


def write_csv(session: Session, options: ExportOptions, out: TextIO) -> int:
    columns = EVIDENCE_COLUMNS if options.per_evidence else CLAIM_COLUMNS
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\r\n")
    writer.writeheader()
    rows = 0
    for claim in iter_claims(session, options.query):
        records = _evidence_rows(claim) if options.per_evidence else iter((_claim_cells(claim),))
        for record in records:
            writer.writerow({k: csv_guard(v) for k, v in record.items()})
            rows += 1
    return rows
