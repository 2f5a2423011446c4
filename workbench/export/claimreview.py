"""ClaimReview: schema.org JSON-LD for search engines and fact-check aggregators.

One `ClaimReview` per claim with a verdict; one claim gives a single object, several give a
schema.org `DataFeed` whose `dataFeedElement` lists them. Required by Google: claimReviewed,
reviewRating.alternateName, url. Recommended, and filled where the data exists: author
(the organisation from the configuration), datePublished (the verdict's date),
itemReviewed (a Claim with its author, datePublished and appearance, from the article), and
ratingValue/bestRating/worstRating for ratings with a number on the scale (GUIDE section 4).

`check_document` lints any ClaimReview document (ours or anyone's) and names the JSON path
of each problem: errors for what Google requires, warnings for what it recommends.
claimReviewed is the claim's summary when one is set (claim_summary.py), else its text.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, TextIO

from sqlalchemy.orm import Session

from workbench.export import ExportOptions
from workbench.export.data import ClaimRecord, iso, iter_claims, summary
from workbench.export.safety import safe_url
from workbench.importing.jsonld import Graph, as_list, host_of, text_of
from workbench.ratings import RatingScale

CONTEXT = "https://schema.org"
# Google asks publishers to try to keep claimReviewed under 75 characters: a warning.
CLAIM_REVIEWED_MAX = 75


def claim_url(options: ExportOptions, claim_id: int) -> str:
    """The page this review is published on: the organisation's URL with the claim anchor."""
    return f"{options.organisation_url.split('#', 1)[0]}#claim-{claim_id}"


PLACEHOLDER_HOSTS = ("example.org", "example.com", "example.net")


def placeholder_warning(options: ExportOptions) -> str | None:
    """Publishable output naming the placeholder organisation deserves a word first."""
    host = host_of(options.organisation_url) or ""
    if host.split(".", host.count(".") - 1)[-1] not in PLACEHOLDER_HOSTS:
        return None
    return (
        f"the ClaimReview names the placeholder organisation ({options.organisation_name}, "
        f"{options.organisation_url}); set [organisation] name and url in the config file "
        "before publishing it"
    )


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
        "claimReviewed": claim.summary or claim.text,
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
    """Errors only for what Google's fact-check documentation requires (claimReviewed,
    reviewRating with alternateName, an http(s) url); everything it recommends, or asks
    publishers to try (a claimReviewed under 75 characters), is a warning. Values given as
    a list are read as JSON-LD allows."""
    problems: list[Problem] = []

    def error(field: str, message: str) -> None:
        problems.append(Problem(f"{path}.{field}", "error", message))

    def warn(field: str, message: str) -> None:
        problems.append(Problem(f"{path}.{field}", "warning", message))

    claim_reviewed = text_of(review.get("claimReviewed"))
    if claim_reviewed is None:
        error("claimReviewed", "missing or empty: the claim being reviewed is required")
    elif len(claim_reviewed) > CLAIM_REVIEWED_MAX:
        warn(
            "claimReviewed",
            f"{len(claim_reviewed)} characters; Google advises under {CLAIM_REVIEWED_MAX} "
            "(a claim's summary is published instead when set: workbench claim edit N --summary)",
        )
    url = next(iter(as_list(review.get("url"))), None)
    if _text(url) is None:
        error("url", "missing: the URL of the page with the review is required")
    elif safe_url(url) is None:
        error("url", f"not an http(s) URL: {str(url)[:80]!r}")
    rating = next((r for r in as_list(review.get("reviewRating")) if isinstance(r, dict)), None)
    if rating is None:
        error("reviewRating", "missing: a Rating object with alternateName is required")
    else:
        if text_of(rating.get("alternateName")) is None:
            error("reviewRating.alternateName", "missing or empty: the rating in words")
        _check_scale(rating, warn)
    _check_recommended(review, warn)
    return problems


_SCALE_KEYS: tuple[str, ...] = ("ratingValue", "bestRating", "worstRating")


def _check_scale(rating: dict[str, Any], warn: Callable[[str, str], None]) -> None:
    present = [k for k in _SCALE_KEYS if k in rating]
    numbers = {k: _number(rating[k]) for k in present}
    for key, number in numbers.items():
        if number is None:
            warn(f"reviewRating.{key}", f"not a number: {str(rating[key])[:40]!r}")
    if present and len(present) < 3:
        for missing in sorted(set(_SCALE_KEYS) - set(present)):
            warn(
                f"reviewRating.{missing}", "missing: give the numeric scale in full, or none of it"
            )
    value, best, worst = (numbers.get(k) for k in _SCALE_KEYS)
    if value is not None and best is not None and worst is not None:
        if best == worst:
            warn("reviewRating.bestRating", "equals worstRating: the scale has no range")
        elif not min(best, worst) <= value <= max(best, worst):
            warn(
                "reviewRating.ratingValue",
                f"{value:g} is outside the scale {worst:g} (worst) to {best:g} (best)",
            )


def _check_recommended(review: dict[str, Any], warn: Callable[[str, str], None]) -> None:
    author = review.get("author")
    if author is None:
        warn("author", "missing: the organisation publishing the review is recommended")
    elif not any(text_of(a) for a in as_list(author) if isinstance(a, dict)):
        warn("author.name", "missing: name the organisation publishing the review")
    date = next(iter(as_list(review.get("datePublished"))), None)
    if date is None:
        warn("datePublished", "missing: the date the review was published is recommended")
    elif not isinstance(date, str) or not _DATE.match(date):
        warn("datePublished", f"not an ISO 8601 date: {str(date)[:40]!r}")
    items = as_list(review.get("itemReviewed"))
    if not items:
        warn("itemReviewed", "missing: a Claim with author, datePublished, appearance")
        return
    item = items[0]
    if not isinstance(item, dict):
        warn("itemReviewed", "should be an object of type Claim")
        return
    if "Claim" not in _types(item):
        warn("itemReviewed.@type", "should be Claim")
    if item.get("author") is None:
        warn("itemReviewed.author", "missing: who made the claim is recommended")
    if item.get("datePublished") is None:
        warn("itemReviewed.datePublished", "missing: when the claim was made")
    appearance = item.get("appearance", item.get("firstAppearance"))
    if appearance is None:
        warn("itemReviewed.appearance", "missing: where the claim appeared")
        return
    for index, entry in enumerate(as_list(appearance)):
        where = "itemReviewed.appearance" + (f"[{index}]" if isinstance(appearance, list) else "")
        link = entry.get("url") if isinstance(entry, dict) else entry
        if link is not None and safe_url(link) is None:
            warn(f"{where}.url", f"not an http(s) URL: {str(link)[:80]!r}")


def check_document(document: Any) -> tuple[int, list[Problem]]:
    """(number of ClaimReviews found, problems). No ClaimReview at all is itself a problem.
    Nodes referred to by @id (a publisher described elsewhere in the graph) are resolved."""
    found = 0
    problems: list[Problem] = []
    graph = Graph(document)
    for path, review in find_reviews(document):
        found += 1
        problems.extend(check_review(graph.resolve(review), path))
    if found == 0:
        problems.append(
            Problem("$", "error", "no ClaimReview found (expected an object, a list or a DataFeed)")
        )
    return found, problems
