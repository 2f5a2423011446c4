"""The ClaimReview reader: earlier fact-checks (JSON-LD: an object, a list, a DataFeed or an
@graph) stored as known fact-checks with their publisher, rating and URL."""

from __future__ import annotations

import hashlib
import json
import math
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from workbench.export.claimreview import find_reviews
from workbench.importing.results import ImportResult, RecordError
from workbench.importing.writer import chunks, finish_chunk, summary_event
from workbench.storage.bulk import insert_plain
from workbench.storage.models import (
    FactCheck,
    utcnow,
)


def _name_of(value: Any) -> str | None:
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("name")
    if isinstance(value, str) and value.strip():
        return " ".join(value.split())[:500]
    return None


def _review_fields(review: dict[str, Any]) -> dict[str, Any]:
    claim = review.get("claimReviewed")
    if not isinstance(claim, str) or not claim.strip():
        raise RecordError("'claimReviewed' is missing or empty")
    rating = review.get("reviewRating")
    if isinstance(rating, list):
        rating = rating[0] if rating else None
    if not isinstance(rating, dict):
        raise RecordError("'reviewRating' is missing")
    label = rating.get("alternateName") or rating.get("name")
    value = rating.get("ratingValue")
    number: float | None = None
    if value is not None and not isinstance(value, bool):
        try:
            number = float(value)
        except (TypeError, ValueError):
            number = None
        if number is not None and not math.isfinite(number):
            number = None
    if not (isinstance(label, str) and label.strip()) and number is None:
        raise RecordError("'reviewRating' has neither alternateName nor a numeric ratingValue")
    url = review.get("url")
    if url is not None and not isinstance(url, str):
        raise RecordError("'url' must be text")
    date = review.get("datePublished")
    item = review.get("itemReviewed") if isinstance(review.get("itemReviewed"), dict) else {}
    fields: dict[str, Any] = {
        "claim_reviewed": " ".join(claim.split()),
        "rating": " ".join(label.split())[:200] if isinstance(label, str) else None,
        "rating_value": number,
        "publisher": _name_of(review.get("author")) or _name_of(review.get("publisher")),
        "url": url.strip() if isinstance(url, str) and url.strip() else None,
        "claimant": _name_of(item.get("author")) if isinstance(item, dict) else None,
        "date_published": str(date)[:64] if date is not None else None,
    }
    identity = [fields["claim_reviewed"].lower(), fields["url"], fields["publisher"]]
    fields["fingerprint"] = hashlib.sha256(
        json.dumps(identity, ensure_ascii=False).encode()
    ).hexdigest()
    return fields


def _top_level(document: Any) -> list[tuple[str, Any]]:
    if isinstance(document, list):
        return [(f"[{i}]", item) for i, item in enumerate(document)]
    if isinstance(document, dict):
        for key in ("dataFeedElement", "@graph"):
            if isinstance(document.get(key), list):
                return [(f"{key}[{i}]", item) for i, item in enumerate(document[key])]
        return [("$", document)]
    return [("$", document)]


def import_fact_checks(
    session: Session, reviewer: str, result: ImportResult, document: Any, strict: bool
) -> None:
    fields: list[dict[str, Any]] = []
    for where, element in _top_level(document):
        result.records += 1
        reviews = list(find_reviews(element, where))
        if not reviews:
            result.problem(where, "not a ClaimReview (no @type ClaimReview found)")
            continue
        for path, review in reviews:
            try:
                fields.append({**_review_fields(review), "raw": review})
            except RecordError as exc:
                result.problem(path, str(exc))
    finish_chunk(session, reviewer, result, strict)
    seen: set[str] = set()
    fingerprints = [f["fingerprint"] for f in fields]
    for chunk in chunks(fingerprints):
        seen.update(
            session.scalars(select(FactCheck.fingerprint).where(FactCheck.fingerprint.in_(chunk)))
        )
    now = utcnow()
    rows = []
    for f in fields:
        if f["fingerprint"] in seen:
            result.duplicates += 1
            continue
        seen.add(f["fingerprint"])
        rows.append({**f, "created_at": now})
    insert_plain(session, FactCheck.__table__, rows)  # type: ignore[arg-type]
    result.fact_checks = len(rows)
    summary_event(session, reviewer, result)


# --------------------------------------------------------------------- JSON report
