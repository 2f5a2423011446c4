"""Storing earlier fact-checks read from ClaimReview (importing/claimreview.py reads them):
each once, by its fingerprint, with one summary event per import."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from workbench.errors import ValidationError
from workbench.importing.claimreview import LEGACY
from workbench.importing.claimreview import read_document as read_fact_checks
from workbench.importing.records import READABLE_FORMATS
from workbench.importing.results import ImportResult
from workbench.importing.writer import chunks, finish_chunk, summary_event
from workbench.storage.bulk import insert_plain
from workbench.storage.models import FactCheck, utcnow


def import_fact_checks(
    session: Session, reviewer: str, result: ImportResult, document: Any, strict: bool
) -> None:
    reading = read_fact_checks(document)
    fields: list[dict[str, Any]] = []
    for found in reading.found:
        result.records += 1
        if found.fields is None:
            result.problem(found.where, found.problem or "not readable")
        else:
            fields.append(found.fields)
    finish_chunk(session, reviewer, result, strict)
    if not fields:
        first = result.problems[0] if result.problems else None
        raise ValidationError(
            f"{result.file}: no fact-check could be read"
            + (
                f" ({result.problem_count} record(s) reported; first: {first})"
                if first
                else " (no ClaimReview, Fact Check Tools API or ClaimReviewMarkupPage layout found)"
            )
            + f"; {READABLE_FORMATS}"
        )
    store_fact_checks(session, result, fields)
    summary_event(session, reviewer, result)


def store_fact_checks(session: Session, result: ImportResult, fields: list[dict[str, Any]]) -> None:
    """Inserts the fact-checks not stored yet (by fingerprint, or by the fingerprint the first
    importer gave them: `claimreview.legacy_fingerprint`); counts the others."""
    seen: set[str] = set()
    fingerprints = [f["fingerprint"] for f in fields]
    fingerprints += [f[LEGACY] for f in fields if f.get(LEGACY)]
    for chunk in chunks(fingerprints):
        seen.update(
            session.scalars(select(FactCheck.fingerprint).where(FactCheck.fingerprint.in_(chunk)))
        )
    now = utcnow()
    rows = []
    for f in fields:
        legacy = f.get(LEGACY)
        if f["fingerprint"] in seen or (legacy and legacy in seen):
            result.duplicates += 1
            continue
        seen.add(f["fingerprint"])
        rows.append({k: v for k, v in f.items() if k != LEGACY} | {"created_at": now})
    insert_plain(session, FactCheck.__table__, rows)  # type: ignore[arg-type]
    result.fact_checks += len(rows)
