"""Earlier fact-checks as publishers and aggregators write them, read into one shape.

Layouts read (`read_document` tells them apart by their keys):
- schema.org ClaimReview JSON-LD: one object, a list, an `@graph`, a `DataFeed` (the
  DataCommons feed: `dataFeedElement[].item[]`), ClaimReviews nested in other nodes
  (`mainEntity`, `review`), publishers and claimants given by `@id` reference, values given
  as one item or as a list, authors as Organization, Person, a list of them or a bare URL;
- an HTML page: the JSON-LD of its `<script type="application/ld+json">` blocks, with
  references resolved across blocks;
- the Google Fact Check Tools API: a `claims:search` response (`claims[].claimReview[]`)
  and ClaimReviewMarkupPage (one page, or `claimReviewMarkupPages[]` as listed).

Each record found is either normalised (`Found.fields`, the FactCheck columns) or reported
(`Found.problem`) with its position in the document. Nodes of a page's graph that are not
ClaimReviews (WebPage, Organization, BreadcrumbList) are context, not records; elements of
a feed or a list that hold no ClaimReview are reported.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from workbench.core import jsonld
from workbench.importing.htmlpage import Page

MAX_CLAIM_CHARS = 10_000
REVIEW = "ClaimReview"
# Key of Found.fields (not a column): the first importer's fingerprint, where it differs.
LEGACY = "legacy_fingerprint"


@dataclass(frozen=True)
class Found:
    where: str  # "dataFeedElement[3].item[0]", "claims[2].claimReview[0]", "script[1].@graph[4]"
    fields: dict[str, Any] | None = None  # FactCheck columns, when the record could be read
    problem: str | None = None  # why not


@dataclass
class Reading:
    layout: str  # "jsonld", "html", "factcheck-api" or "markup-page"
    found: list[Found] = field(default_factory=list)


class _Bad(Exception):
    """A record cannot be read; the message says which field and why."""


def fingerprint(claim: str, url: str | None, publisher: str | None) -> str:
    # Unchanged from the first importer, so files imported before stay recognised.
    identity = [claim.lower(), url, publisher]
    return hashlib.sha256(json.dumps(identity, ensure_ascii=False).encode()).hexdigest()


def _first_name(value: Any) -> str | None:
    """The first importer's publisher: the name of the first author, whitespace collapsed."""
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("name")
    if isinstance(value, str) and value.strip():
        return " ".join(value.split())[:500]
    return None


def legacy_fingerprint(node: dict[str, Any]) -> str | None:
    """The fingerprint the first importer gave this ClaimReview node (it read JSON-LD only).

    Its identity differed from today's in three ways: every Unicode space was collapsed (a
    French non-breaking space too, which is now kept as published), a publisher known only by
    URL had no name (it is now the URL's host), and only `claimReviewed` and `url` given as
    text counted. Files imported then must still be recognised, so the duplicate check
    accepts this fingerprint too; None when the first importer could not read the node."""
    claim, url = node.get("claimReviewed"), node.get("url")
    if not isinstance(claim, str) or not claim.strip():
        return None
    if url is not None and not isinstance(url, str):
        return None
    publisher = _first_name(node.get("author")) or _first_name(node.get("publisher"))
    return fingerprint(" ".join(claim.split()), (url or "").strip() or None, publisher)


def _object(value: Any) -> dict[str, Any]:
    """The value if it is a JSON object, else an empty one (a missing or odd sub-object)."""
    return value if isinstance(value, dict) else {}


def _clip(value: str | None, limit: int) -> str | None:
    return value[:limit] if value else None


def _number(value: Any) -> float | None:
    value = jsonld.as_list(value)[0] if isinstance(value, list) and value else value
    if value is None or isinstance(value, bool) or isinstance(value, dict | list):
        return None
    try:
        number = float(str(value).strip().replace(",", "."))
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def _row(
    *,
    claim: str | None,
    rating: str | None,
    rating_value: float | None,
    publisher: str | None,
    url: str | None,
    claimant: str | None,
    date: Any,
    raw: dict[str, Any],
) -> dict[str, Any]:
    if not claim:
        raise _Bad("'claimReviewed' is missing or empty")
    if len(claim) > MAX_CLAIM_CHARS:
        raise _Bad(f"'claimReviewed' is {len(claim)} characters; the limit is {MAX_CLAIM_CHARS}")
    if not rating and rating_value is None:
        raise _Bad("'reviewRating' has neither alternateName nor a numeric ratingValue")
    date_text = jsonld.text_of(date) if not isinstance(date, int | float) else str(date)
    fields: dict[str, Any] = {
        "claim_reviewed": claim,
        "rating": _clip(rating, 200),
        "rating_value": rating_value,
        "publisher": _clip(publisher, 500),
        "url": url,
        "claimant": _clip(claimant, 500),
        "date_published": _clip(date_text, 64),
        "raw": raw,
    }
    fields["fingerprint"] = fingerprint(claim, fields["url"], fields["publisher"])
    return fields


# --------------------------------------------------------------------- JSON-LD


def _names(value: Any) -> str | None:
    """Who: an Organization, a Person, a list of them (organisations first), a bare URL."""
    people = [v for v in jsonld.as_list(value) if v not in (None, "", [])]
    people.sort(key=lambda v: "Organization" not in jsonld.types(v))
    names: list[str] = []
    for person in people:
        name = jsonld.text_of(person) if not isinstance(person, str) else None
        if name is None and isinstance(person, str) and not person.startswith("http"):
            name = " ".join(person.split()) or None
        if name is None:  # known only by its URL, @id or sameAs
            link = jsonld.url_of(person)
            if link is None and isinstance(person, dict):
                link = jsonld.url_of(person.get("sameAs"))
            name = jsonld.host_of(link)
        if name and name not in names:
            names.append(name)
    return ", ".join(names[:3]) or None


def _language(*values: Any) -> str | None:
    for value in values:
        for item in jsonld.as_list(value):
            code = item.get("alternateName") or item.get("name") if isinstance(item, dict) else item
            if isinstance(code, str) and code.strip():
                return code.strip()[:20]
    return None


def _jsonld_review(
    node: dict[str, Any], page_language: str | None, base: str | None = None
) -> dict[str, Any]:
    items = [i for i in jsonld.as_list(node.get("itemReviewed")) if isinstance(i, dict)]
    item = items[0] if items else {}
    claim = jsonld.text_of(node.get("claimReviewed"))
    if claim is None:  # the Claim's own wording, where the review left its summary out
        claim = jsonld.text_of(item.get("text")) or (
            jsonld.text_of(item.get("name")) if "Claim" in jsonld.types(item) else None
        )
    ratings = [r for r in jsonld.as_list(node.get("reviewRating")) if isinstance(r, dict)]
    if not ratings:
        raise _Bad("'reviewRating' is missing")
    rating = ratings[0]
    url = jsonld.url_of(node.get("url"), base) or jsonld.url_of(node.get("mainEntityOfPage"), base)
    if url is None and isinstance(node.get("@id"), str):
        url = jsonld.url_of(node["@id"].split("#", 1)[0])
    url = url or base  # a page's review of itself may name no URL at all
    language = _language(node.get("inLanguage"), item.get("inLanguage"), page_language)
    raw = dict(node)
    if language and "inLanguage" not in raw:
        raw["inLanguage"] = language
    fields = _row(
        claim=claim,
        rating=jsonld.text_of(rating.get("alternateName")) or jsonld.text_of(rating.get("name")),
        rating_value=_number(rating.get("ratingValue")),
        # No author at all (several desks leave it out): the desk is the site of the review.
        publisher=_names(node.get("author"))
        or _names(node.get("publisher"))
        or jsonld.host_of(url),
        url=url,
        claimant=_names(item.get("author")) or _names(item.get("creator")),
        date=node.get("datePublished") or node.get("dateCreated"),
        raw=raw,
    )
    legacy = legacy_fingerprint(node)
    if legacy is not None and legacy != fields["fingerprint"]:
        fields[LEGACY] = legacy
    return fields


def _units(document: Any, prefix: str) -> list[tuple[str, Any, bool]]:
    """(path, value, reported when it holds no review) for each top-level part."""
    if isinstance(document, list):
        return [(f"{prefix}[{i}]", item, True) for i, item in enumerate(document)]
    if isinstance(document, dict):
        feed = document.get("dataFeedElement")
        if isinstance(feed, list):
            return [(f"{prefix}dataFeedElement[{i}]", e, True) for i, e in enumerate(feed)]
        graph = document.get("@graph")
        if isinstance(graph, list):
            return [(f"{prefix}@graph[{i}]", node, False) for i, node in enumerate(graph)]
    return [(prefix.rstrip(".") or "$", document, True)]


def _read_jsonld(
    reading: Reading,
    document: Any,
    graph: jsonld.Graph,
    prefix: str = "",
    language: str | None = None,
    base: str | None = None,
) -> None:
    for where, unit, report in _units(document, prefix):
        reviews = list(jsonld.walk(unit, where, REVIEW))
        if not reviews:
            if report:
                kinds = ", ".join(sorted(jsonld.types(unit))) or type(unit).__name__
                reading.found.append(
                    Found(where, problem=f"not a ClaimReview (no @type ClaimReview found; {kinds})")
                )
            continue
        for path, review in reviews:
            _record(
                reading,
                path,
                graph.resolve(review),
                "ClaimReview",
                lambda node: _jsonld_review(node, language, base),
            )


# --------------------------------------------------------------------- Fact Check Tools API


def _record(
    reading: Reading,
    path: str,
    item: Any,
    kind: str,
    convert: Callable[[dict[str, Any]], dict[str, Any]],
    reword: Callable[[str], str] = str,
) -> None:
    """One record: read by `convert`, or reported with its path."""
    try:
        if not isinstance(item, dict):
            raise _Bad(f"a {kind} must be an object")
        fields = convert(item)
    except _Bad as exc:
        reading.found.append(Found(path, problem=reword(str(exc))))
    else:
        reading.found.append(Found(path, fields=fields))


def _api_claims(reading: Reading, claims: list[Any]) -> None:
    """claims:search: one record per claimReview of each claim."""
    for i, claim in enumerate(claims):
        where = f"claims[{i}]"
        reviews = claim.get("claimReview") if isinstance(claim, dict) else None
        if not isinstance(reviews, list) or not reviews:
            reading.found.append(Found(where, problem="no claimReview in this claim"))
            continue

        def convert(review: dict[str, Any], claim: dict[str, Any] = claim) -> dict[str, Any]:
            context = {k: v for k, v in claim.items() if k != "claimReview"}
            # The API nests the publisher; tools that cache its replies often flatten it
            # into the review ("name", "site"), which the API itself does not use.
            publisher = _object(review.get("publisher")) or review
            return _row(
                claim=jsonld.text_of(claim.get("text")),
                rating=jsonld.text_of(review.get("textualRating")),
                rating_value=None,
                publisher=jsonld.text_of(publisher.get("name"))
                or jsonld.text_of(publisher.get("site"))
                or jsonld.host_of(jsonld.url_of(review.get("url"))),
                url=jsonld.url_of(review.get("url")),
                claimant=jsonld.text_of(claim.get("claimant")),
                date=review.get("reviewDate"),
                raw={**context, "claimReview": review},
            )

        for j, review in enumerate(reviews):
            _record(
                reading, f"{where}.claimReview[{j}]", review, "claimReview", convert, _api_message
            )


def _api_message(message: str) -> str:
    return message.replace("'claimReviewed'", "'text'").replace(
        "'reviewRating' has neither alternateName nor a numeric ratingValue",
        "'textualRating' is missing",
    )


def _markup_page(reading: Reading, page: Any, where: str) -> None:
    """ClaimReviewMarkupPage: page-level url, date and author; one record per markup."""
    markups = page.get("claimReviewMarkups") if isinstance(page, dict) else None
    if not isinstance(markups, list) or not markups:
        reading.found.append(Found(where or "$", problem="no claimReviewMarkups in this page"))
        return
    author = _object(page.get("claimReviewAuthor"))
    context = {k: v for k, v in page.items() if k != "claimReviewMarkups"}

    def convert(markup: dict[str, Any]) -> dict[str, Any]:
        rating = _object(markup.get("rating"))
        claimant = _object(markup.get("claimAuthor"))
        url = jsonld.url_of(markup.get("url")) or jsonld.url_of(page.get("pageUrl"))
        return _row(
            claim=jsonld.text_of(markup.get("claimReviewed")),
            rating=jsonld.text_of(rating.get("textualRating")),
            rating_value=_number(rating.get("ratingValue")),
            publisher=jsonld.text_of(author.get("name")) or jsonld.host_of(url),
            url=url,
            claimant=jsonld.text_of(claimant.get("name")),
            date=page.get("publishDate"),
            raw={**context, "claimReviewMarkup": markup},
        )

    for k, markup in enumerate(markups):
        path = f"{where}{'.' if where else ''}claimReviewMarkups[{k}]"
        _record(reading, path, markup, "claimReviewMarkup", convert)


# --------------------------------------------------------------------- entry point


def read_document(document: Any) -> Reading:
    """Every fact-check record of a parsed JSON document or an HTML page, in order."""
    if isinstance(document, Page):
        reading = Reading("html")
        graph = jsonld.Graph([b.document for b in document.blocks if b.error is None])
        for block in document.blocks:
            where = f"script[{block.index}] (line {block.line})"
            if block.error is not None:
                reading.found.append(Found(where, problem=block.error))
                continue
            before = len(reading.found)
            _read_jsonld(
                reading,
                block.document,
                graph,
                f"script[{block.index}].",
                document.language,
                document.address,
            )
            # A page's other blocks (WebSite, BreadcrumbList) are not records.
            reading.found[before:] = [
                f
                for f in reading.found[before:]
                if f.fields or "not a ClaimReview" not in (f.problem or "")
            ]
        return reading
    if isinstance(document, dict):
        if isinstance(document.get("claims"), list):
            reading = Reading("factcheck-api")
            _api_claims(reading, document["claims"])
            return reading
        if "claimReviewMarkups" in document:
            reading = Reading("markup-page")
            _markup_page(reading, document, "")
            return reading
        if isinstance(document.get("claimReviewMarkupPages"), list):
            reading = Reading("markup-page")
            for i, page in enumerate(document["claimReviewMarkupPages"]):
                _markup_page(reading, page, f"claimReviewMarkupPages[{i}]")
            return reading
    reading = Reading("jsonld")
    _read_jsonld(reading, document, jsonld.Graph(document))
    return reading
