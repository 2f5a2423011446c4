"""ClaimReview: schema.org JSON-LD for search engines and fact-check aggregators.

One `ClaimReview` per claim with a verdict; one claim gives a single object, several give a
schema.org `DataFeed` whose `dataFeedElement` lists them. Required by Google: claimReviewed,
reviewRating.alternateName, url. Recommended, and filled where the data exists: author
(the organisation from the configuration), datePublished (the verdict's date),
itemReviewed (a Claim with its author, datePublished and appearance, from the article), and
ratingValue/bestRating/worstRating for ratings with a number on the scale (GUIDE section 4).

`check_document` lints any ClaimReview document (ours or anyone's) and names the JSON path
of each problem.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, TextIO

from sqlalchemy.orm import Session

from workbench.core.ratings import RatingScale
from workbench.export import ExportOptions
from workbench.export.data import iter_claims, summary
from workbench.export.records import ClaimRecord, iso
from workbench.export.safety import safe_url

CONTEXT = "https://schema.org"
# Google: "Try to keep this less than 75 characters".
CLAIM_REVIEWED_MAX = 75


def claim_url(options: ExportOptions, claim_id: int) -> str:
    """The page this review is published on: the organisation's URL with the claim anchor."""
    return f"{options.organisation_url.split('#', 1)[0]}#claim-{claim_id}"


def _organisation(options: ExportOptions) -> dict[str, Any]:
    org: dict[str, Any] = {"@type": "Organization", "name": options.organisation_name}
    if options.organisation_url:
        org["url"] = options.organisation_url
    return org


def claim_review(claim: ClaimRecord, options: ExportOptions, scale: RatingScale) -> dict[str, Any]:
    verdict = claim.verdict
    assert verdict is not None  # callers pass claims with a verdict
    rating: dict[str, Any] = {"@type": "Rating", "alternateName": verdict.label}
    if verdict.value is not None:
        rating.update(ratingValue=verdict.value, bestRating=scale.best, worstRating=scale.worst)
    item: dict[str, Any] = {"@type": "Claim"}
    article = claim.article
    if article is not None:
        who = article.author or article.site_name
        if who:
            kind = "Person" if article.author else "Organization"
            item["author"] = {"@type": kind, "name": who}
        if article.published:
            item["datePublished"] = article.published
        appearance: dict[str, Any] = {"@type": "CreativeWork"}
        if safe_url(article.url):
            appearance["url"] = article.url
        if article.title:
            appearance["headline"] = article.title
        if len(appearance) > 1:
            item["appearance"] = appearance
    review: dict[str, Any] = {
        "@type": "ClaimReview",
        "url": claim_url(options, claim.id),
        "claimReviewed": claim.text,
        "datePublished": verdict.created_at[:10],
        "author": _organisation(options),
        "reviewRating": rating,
        "itemReviewed": item,
    }
    return review


def iter_reviews(session: Session, options: ExportOptions) -> Iterator[dict[str, Any]]:
    scale = options.query.scale
    for claim in iter_claims(session, options.query):
        if claim.verdict is not None:
            yield claim_review(claim, options, scale)


def write_claimreview(
    session: Session,
    options: ExportOptions,
    out: TextIO,
    *,
    lint: list[Problem] | None = None,
) -> int:
    """Writes the document; with `lint`, also checks each review as it goes and appends the
    problems found (their paths are those of the written document)."""
    with_verdict = summary(session, options.query).with_verdict
    reviews = iter_reviews(session, options)
    if with_verdict == 1:
        single = next(reviews, None)
        if single is not None:
            if lint is not None:
                lint.extend(check_review(single, "$"))
            out.write(json.dumps({"@context": CONTEXT, **single}, ensure_ascii=False, indent=2))
            out.write("\n")
            return 1
    head = {
        "@context": CONTEXT,
        "@type": "DataFeed",
        "name": f"{options.organisation_name}: fact-checks",
        "dateModified": iso(options.exported_at),
        "publisher": _organisation(options),
    }
    out.write(json.dumps(head, ensure_ascii=False, indent=2)[:-2])
    out.write(',\n  "dataFeedElement": [')
    count = 0
    for review in reviews:
        if lint is not None:
            lint.extend(check_review(review, f"$.dataFeedElement[{count}]"))
        out.write(("\n    " if count == 0 else ",\n    ") + json.dumps(review, ensure_ascii=False))
        count += 1
    out.write("\n  ]\n}\n")
    return count


# --------------------------------------------------------------------- lint


@dataclass(frozen=True)
class Problem:
    path: str  # JSONPath of the field, e.g. $.dataFeedElement[3].reviewRating.alternateName
    level: str  # "error": required or wrong; "warning": recommended and missing
    message: str

    def to_json(self) -> dict[str, str]:
        return {"path": self.path, "level": self.level, "message": self.message}


_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}([T ][0-9:.+\-Z]*)?$")


def _types(node: dict[str, Any]) -> set[str]:
    value = node.get("@type")
    if isinstance(value, str):
        return {value.rsplit("/", 1)[-1]}
    if isinstance(value, list):
        return {v.rsplit("/", 1)[-1] for v in value if isinstance(v, str)}
    return set()


def find_reviews(document: Any, path: str = "$") -> Iterator[tuple[str, dict[str, Any]]]:
    """Every object typed ClaimReview in a document (an object, a list, a DataFeed, an
    @graph, or nested in dataFeedElement items), with its path."""
    if isinstance(document, list):
        for index, item in enumerate(document):
            yield from find_reviews(item, f"{path}[{index}]")
        return
    if not isinstance(document, dict):
        return
    if "ClaimReview" in _types(document):
        yield path, document
        return
    for key in ("@graph", "dataFeedElement"):
        if key in document:
            yield from find_reviews(document[key], f"{path}.{key}")
    if "DataFeedItem" in _types(document) and "item" in document:
        yield from find_reviews(document["item"], f"{path}.item")


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return None
    return None


def _text(value: Any) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


def check_review(review: dict[str, Any], path: str) -> list[Problem]:
    problems: list[Problem] = []

    def error(field: str, message: str) -> None:
        problems.append(Problem(f"{path}.{field}", "error", message))

    def warn(field: str, message: str) -> None:
        problems.append(Problem(f"{path}.{field}", "warning", message))

    claim_reviewed = _text(review.get("claimReviewed"))
    if claim_reviewed is None:
        error("claimReviewed", "missing or empty: the claim being reviewed is required")
    elif len(claim_reviewed) > CLAIM_REVIEWED_MAX:
        error(
            "claimReviewed",
            f"{len(claim_reviewed)} characters; keep it to {CLAIM_REVIEWED_MAX} or fewer",
        )
    url = review.get("url")
    if _text(url) is None:
        error("url", "missing: the URL of the page with the review is required")
    elif safe_url(url) is None:
        error("url", f"not an http(s) URL: {str(url)[:80]!r}")
    rating = review.get("reviewRating")
    if not isinstance(rating, dict):
        error("reviewRating", "missing: a Rating object with alternateName is required")
    else:
        if _text(rating.get("alternateName")) is None:
            error("reviewRating.alternateName", "missing or empty: the rating in words")
        present = [k for k in ("ratingValue", "bestRating", "worstRating") if k in rating]
        numbers = {k: _number(rating[k]) for k in present}
        for key, number in numbers.items():
            if number is None:
                error(f"reviewRating.{key}", f"not a number: {str(rating[key])[:40]!r}")
        if present and len(present) < 3:
            missing = sorted({"ratingValue", "bestRating", "worstRating"} - set(present))
            for key in missing:
                error(
                    f"reviewRating.{key}",
                    "missing: give ratingValue, bestRating and "
                    "worstRating together, or none of them",
                )
        value, best, worst = (numbers.get(k) for k in ("ratingValue", "bestRating", "worstRating"))
        if value is not None and best is not None and worst is not None:
            if best == worst:
                error("reviewRating.bestRating", "equals worstRating: the scale has no range")
            elif not min(best, worst) <= value <= max(best, worst):
                error(
                    "reviewRating.ratingValue",
                    f"{value:g} is outside the scale {worst:g} (worst) to {best:g} (best)",
                )
    author = review.get("author")
    if author is None:
        warn("author", "missing: the organisation publishing the review is recommended")
    elif not isinstance(author, dict | list) or (
        isinstance(author, dict) and _text(author.get("name")) is None
    ):
        warn("author.name", "missing: name the organisation publishing the review")
    date = review.get("datePublished")
    if date is None:
        warn("datePublished", "missing: the date the review was published is recommended")
    elif not isinstance(date, str) or not _DATE.match(date):
        error("datePublished", f"not an ISO 8601 date: {str(date)[:40]!r}")
    item = review.get("itemReviewed")
    if item is None:
        warn("itemReviewed", "missing: a Claim with author, datePublished, appearance")
    elif not isinstance(item, dict):
        error("itemReviewed", "must be an object of type Claim")
    else:
        if "Claim" not in _types(item):
            warn("itemReviewed.@type", "should be Claim")
        if item.get("author") is None:
            warn("itemReviewed.author", "missing: who made the claim is recommended")
        if item.get("datePublished") is None:
            warn("itemReviewed.datePublished", "missing: when the claim was made")
        appearance = item.get("appearance", item.get("firstAppearance"))
        if appearance is None:
            warn("itemReviewed.appearance", "missing: where the claim appeared")
        else:
            for index, entry in enumerate(
                appearance if isinstance(appearance, list) else [appearance]
            ):
                where = "itemReviewed.appearance" + (
                    f"[{index}]" if isinstance(appearance, list) else ""
                )
                link = entry.get("url") if isinstance(entry, dict) else entry
                if link is not None and safe_url(link) is None:
                    error(f"{where}.url", f"not an http(s) URL: {str(link)[:80]!r}")
    return problems


def check_document(document: Any) -> tuple[int, list[Problem]]:
    """(number of ClaimReviews found, problems). No ClaimReview at all is itself a problem."""
    found = 0
    problems: list[Problem] = []
    for path, review in find_reviews(document):
        found += 1
        problems.extend(check_review(review, path))
    if found == 0:
        problems.append(
            Problem("$", "error", "no ClaimReview found (expected an object, a list or a DataFeed)")
        )
    return found, problems
