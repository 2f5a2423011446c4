"""A live search of earlier fact-checks: Google's Fact Check Tools API `claims:search`.

`search(text, settings, language=...)` asks the API (GET, `query`, `languageCode`,
`pageSize`, `pageToken`, the key as `key`) through the hardened fetcher (sources/fetch.py:
bounded in time and size, private addresses refused unless allowed), follows
`nextPageToken` until `limit` results or the last page, and returns one `FoundReview` per
review of each claim: publisher, rating, date, URL, language, and the claim with its
claimant. `import_found` stores chosen ones as earlier fact-checks, through the importer (the
same fingerprints, so a search result already imported is not added twice).

The key comes from `[factchecks] api_key` in the configuration, or WORKBENCH_FACTCHECK_API_KEY;
`[factchecks] endpoint` points the search elsewhere (a test server on 127.0.0.1). The key
never appears in a message: every text that could carry the URL is redacted.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from sqlalchemy.orm import Session

from workbench.config import Settings, config_path
from workbench.errors import ValidationError, WorkbenchError

DEFAULT_ENDPOINT = "https://factchecktools.googleapis.com/v1alpha1/claims:search"
KEY_VARIABLE = "WORKBENCH_FACTCHECK_API_KEY"
PAGE_SIZE = 10  # the API's own default
MAX_PAGES = 10
MAX_QUERY_CHARS = 500


class SearchError(WorkbenchError):
    """The API could not be asked, or refused; the message says what to do."""


@dataclass(frozen=True)
class FoundReview:
    claim: str
    claimant: str | None
    claim_date: str | None
    publisher: str | None
    site: str | None
    rating: str | None
    title: str | None
    date: str | None  # reviewDate
    url: str | None
    language: str | None
    raw_claim: dict[str, Any]  # the API's claim with this one review, for the import

    def to_json(self) -> dict[str, Any]:
        return {
            "claim": self.claim,
            "claimant": self.claimant,
            "claim_date": self.claim_date,
            "publisher": self.publisher,
            "site": self.site,
            "rating": self.rating,
            "title": self.title,
            "date": self.date,
            "url": self.url,
            "language": self.language,
        }


@dataclass(frozen=True)
class SearchResult:
    query: str
    language: str | None
    reviews: list[FoundReview]
    pages: int
    more: bool  # the API had more pages than were read


def api_key(settings: Settings) -> str:
    key = os.environ.get(KEY_VARIABLE) or settings.factchecks.get("api_key", "")
    if not key.strip():
        where = settings.path or config_path()
        raise SearchError(
            'no API key for the Google Fact Check Tools API: put api_key = "..." under '
            f"[factchecks] in {where} (or set {KEY_VARIABLE}); a key comes from the Google "
            "Cloud console, with the Fact Check Tools API enabled"
        )
    return key.strip()


def _text(value: Any) -> str | None:
    return " ".join(value.split()) or None if isinstance(value, str) else None


def _reviews(claims: Any) -> list[FoundReview]:
    found: list[FoundReview] = []
    for claim in claims if isinstance(claims, list) else []:
        if not isinstance(claim, dict) or not _text(claim.get("text")):
            continue
        context = {k: v for k, v in claim.items() if k != "claimReview"}
        reviews = claim.get("claimReview")
        for review in reviews if isinstance(reviews, list) else []:
            if not isinstance(review, dict):
                continue
            given = review.get("publisher")
            publisher: dict[str, Any] = given if isinstance(given, dict) else {}
            found.append(
                FoundReview(
                    claim=_text(claim["text"]) or "",
                    claimant=_text(claim.get("claimant")),
                    claim_date=_text(claim.get("claimDate")),
                    publisher=_text(publisher.get("name")),
                    site=_text(publisher.get("site")),
                    rating=_text(review.get("textualRating")),
                    title=_text(review.get("title")),
                    date=_text(review.get("reviewDate")),
                    url=_text(review.get("url")),
                    language=_text(review.get("languageCode")),
                    raw_claim={**context, "claimReview": [review]},
                )
            )
    return found


_STATUS_ADVICE = {
    400: "the API refused the request (a bad query, language code or API key); check the "
    "key in [factchecks] api_key",
    401: "the API key was refused; check [factchecks] api_key",
    403: "the API key was refused or the Fact Check Tools API is not enabled for it; enable "
    "it in the Google Cloud console or check [factchecks] api_key",
    404: "no Fact Check Tools API at this address; check [factchecks] endpoint",
    429: "the API's quota is used up (HTTP 429); wait a while or raise the quota in the Google "
    "Cloud console, then search again",
}


def _fail(result: Any, redact: str) -> SearchError:
    status = result.status
    if result.outcome == "http_error" and status is not None:
        advice = _STATUS_ADVICE.get(status)
        if advice is None:
            advice = f"the API answered HTTP {status}; try again later"
        return SearchError(advice)
    message = (result.error or result.outcome).replace(redact, "***")
    return SearchError(f"could not reach the Fact Check Tools API: {message}")


def search(
    text: str,
    settings: Settings,
    *,
    language: str | None = None,
    limit: int = 20,
    fetcher_config: Any = None,
) -> SearchResult:
    """The first `limit` reviews the API returns for `text` (pages of PAGE_SIZE)."""
    from workbench.sources.fetch import fetch_sync
    from workbench.sources.service import fetch_config

    query = " ".join(text.split())
    if not query:
        raise ValidationError("the search text is empty; give words of the claim to look for")
    if len(query) > MAX_QUERY_CHARS:
        raise ValidationError(
            f"the search text is {len(query)} characters; the limit is {MAX_QUERY_CHARS}"
        )
    if limit < 1:
        raise ValidationError("--limit must be at least 1")
    key = api_key(settings)
    endpoint = settings.factchecks.get("endpoint") or DEFAULT_ENDPOINT
    # One retry for a 503 or a 429, then a clear message: a quota is not waited out here.
    config = fetcher_config or fetch_config(settings, retries=1)
    reviews: list[FoundReview] = []
    token: str | None = None
    pages = 0
    while True:
        params = {"query": query, "pageSize": str(min(PAGE_SIZE, limit)), "key": key}
        if language:
            params["languageCode"] = language
        if token:
            params["pageToken"] = token
        result = fetch_sync(f"{endpoint}?{urlencode(params)}", config)
        if not result.ok:
            raise _fail(result, key)
        try:
            page = json.loads(result.body.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            raise SearchError(
                "the Fact Check Tools API answered with something that is not JSON; check "
                "[factchecks] endpoint"
            ) from None
        if not isinstance(page, dict):
            raise SearchError("the Fact Check Tools API answered with an unexpected layout")
        pages += 1
        reviews.extend(_reviews(page.get("claims")))
        token = page.get("nextPageToken") if isinstance(page.get("nextPageToken"), str) else None
        if not token or len(reviews) >= limit or pages >= MAX_PAGES:
            break
    return SearchResult(
        query, language, reviews[:limit], pages, bool(token) or len(reviews) > limit
    )


def parse_choice(choice: str, count: int) -> list[int]:
    """ "1,3" or "2-4" or "all" -> 0-based indexes into the results shown."""
    if choice.strip().lower() == "all":
        return list(range(count))
    picked: list[int] = []
    for part in choice.split(","):
        part = part.strip()
        first, _, last = part.partition("-")
        if not first.isdigit() or (last and not last.isdigit()):
            raise ValidationError(f"{choice!r}: give result numbers like 1,3 or 2-4, or all")
        for number in range(int(first), int(last or first) + 1):
            if not 1 <= number <= count:
                raise ValidationError(f"there is no result {number}; the search found {count}")
            picked.append(number - 1)
    return list(dict.fromkeys(picked))


def import_found(session: Session, reviewer: str, chosen: list[FoundReview]) -> Any:
    """Stores the chosen reviews as earlier fact-checks (an `import.file` event says so)."""
    from workbench import importer

    document = {"claims": [r.raw_claim for r in chosen]}
    return importer.import_text(
        session, reviewer, "factchecks-search.json", json.dumps(document, ensure_ascii=False)
    )
