"""ClaimReview as publishers write it: @graph and @id references, lists for single values,
authors of every kind, HTML pages, the Fact Check Tools API layouts, the DataCommons feed."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sqlalchemy import select

from workbench.storage.models import FactCheck
from workbench.storage.store import Store


def write(tmp_path: Path, name: str, content: Any) -> str:
    path = tmp_path / name
    path.write_text(content if isinstance(content, str) else json.dumps(content), "utf-8")
    return str(path)


def stored(store: Store) -> list[FactCheck]:
    with store.read() as session:
        rows = list(session.scalars(select(FactCheck).order_by(FactCheck.id)))
        session.expunge_all()
        return rows


GRAPH = {
    "@context": "https://schema.org",
    "@graph": [
        {"@type": "WebSite", "@id": "https://desk.example/#site", "name": "Desk"},
        {
            "@type": "Organization",
            "@id": "https://desk.example/#org",
            "name": "Verificador Ejemplo",
            "sameAs": ["https://twitter.com/desk"],
        },
        {"@type": "Person", "@id": "https://desk.example/#claimant", "name": ["Juan Pérez"]},
        {
            "@type": ["ClaimReview"],
            "@id": "https://desk.example/2024/03/salario#review",
            "claimReviewed": ["El salario mínimo subió un 40 % en 2023"],
            "author": {"@id": "https://desk.example/#org"},
            "datePublished": "2024-03-01",
            "inLanguage": "es",
            "reviewRating": [
                {"@type": "Rating", "alternateName": ["Engañoso"], "ratingValue": "2"}
            ],
            "itemReviewed": {
                "@type": "Claim",
                "author": {"@id": "https://desk.example/#claimant"},
                "firstAppearance": {"@type": "CreativeWork", "url": "https://social.example/p/1"},
                "appearance": ["https://social.example/p/2", {"url": "https://social.example/p/3"}],
            },
        },
    ],
}


def test_graph_references_lists_and_languages(tmp_path: Path, cli: Any, store: Store) -> None:
    data = cli("import", write(tmp_path, "page.jsonld", GRAPH), "--json").json()
    assert data["added"]["fact_checks"] == 1 and data["problem_count"] == 0
    (check,) = stored(store)
    assert check.claim_reviewed == "El salario mínimo subió un 40 % en 2023"
    assert check.publisher == "Verificador Ejemplo"  # the @id reference, resolved
    assert check.claimant == "Juan Pérez"  # a name given as a list
    assert check.rating == "Engañoso" and check.rating_value == 2.0
    assert check.url == "https://desk.example/2024/03/salario"  # from the review's @id
    assert check.raw is not None and check.raw["inLanguage"] == "es"
    assert check.raw["itemReviewed"]["appearance"][1]["url"] == "https://social.example/p/3"


def test_authors_as_list_person_or_bare_url(tmp_path: Path, cli: Any, store: Store) -> None:
    reviews = [
        {
            "@type": "ClaimReview",
            "url": "https://a.example/1",
            "claimReviewed": "One",
            "reviewRating": {"alternateName": "False"},
            "author": [
                {"@type": "Person", "name": "Ana"},
                {"@type": "Organization", "name": "Desk A"},
            ],
        },
        {
            "@type": "ClaimReview",
            "url": "https://b.example/2",
            "claimReviewed": "Two",
            "reviewRating": {"alternateName": "True"},
            "author": {"@type": "Organization", "url": "https://www.checker-b.example/"},
            "itemReviewed": [{"@type": "Claim", "author": ["Posts on Facebook", "Telegram"]}],
        },
        {
            "@type": "ClaimReview",
            "url": "https://c.example/3",
            "claimReviewed": "Three",
            "reviewRating": {"ratingValue": 1},
            "author": "https://c.example/",
        },
    ]
    data = cli("import", write(tmp_path, "list.json", reviews), "--json").json()
    assert data["added"]["fact_checks"] == 3, data
    assert [(c.publisher, c.claimant) for c in stored(store)] == [
        ("Desk A, Ana", None),  # organisations first
        ("checker-b.example", "Posts on Facebook, Telegram"),
        ("c.example", None),
    ]


PAGE = """<!doctype html>
<html lang="fr"><head><title>Vérification</title>
<script type="application/ld+json">{"@context":"https://schema.org","@type":"WebSite","name":"x"}</script>
<script type="application/ld+json">
{"@context":"https://schema.org","@type":"NewsArticle","headline":"h",
 "publisher":{"@id":"https://v.example/#org"},
 "review":{"@type":"ClaimReview","claimReviewed":"La tour Eiffel va être vendue",
   "url":"https://v.example/tour","author":{"@id":"https://v.example/#org"},
   "reviewRating":{"@type":"Rating","alternateName":"Faux"}}}
</script>
<script type="application/ld+json">{"@type":"Organization","@id":"https://v.example/#org",
 "name":"Vérif Exemple"}</script>
<script type="application/ld+json">{ not json </script>
</head><body><p>texte</p></body></html>
"""


def test_html_page_blocks(tmp_path: Path, cli: Any, store: Store) -> None:
    data = cli("import", write(tmp_path, "page.html", PAGE), "--json").json()
    assert data["added"]["fact_checks"] == 1
    # The broken block is reported with its position; the WebSite block is not a record.
    assert [p["where"] for p in data["problems"]] == ["script[3] (line 13)"]
    assert "not JSON" in data["problems"][0]["message"]
    (check,) = stored(store)
    assert check.publisher == "Vérif Exemple"  # a reference to another block of the page
    assert check.raw is not None and check.raw["inLanguage"] == "fr"  # from <html lang>


def test_html_without_claimreview_exits_1(tmp_path: Path, cli: Any, store: Store) -> None:
    result = cli("import", write(tmp_path, "plain.html", "<html><body>hi</body></html>"))
    assert result.code == 1 and "no fact-check could be read" in result.err
    assert "Traceback" not in result.err and stored(store) == []


API = {
    "claims": [
        {
            "text": "Vaccines contain microchips",
            "claimant": "Social media",
            "claimDate": "2021-01-01T00:00:00Z",
            "claimReview": [
                {
                    "publisher": {"name": "Checker One", "site": "one.example"},
                    "url": "https://one.example/chips",
                    "title": "No chips",
                    "reviewDate": "2021-01-02T00:00:00Z",
                    "textualRating": "False",
                    "languageCode": "en",
                },
                {"publisher": {"site": "two.example"}, "url": "https://two.example/c"},
            ],
        },
        {"text": "No reviews here", "claimReview": []},
    ],
    "nextPageToken": "abc",
}


def test_fact_check_api_search_response(tmp_path: Path, cli: Any, store: Store) -> None:
    data = cli("import", write(tmp_path, "api.json", API), "--json").json()
    assert data["records"] == 3 and data["added"]["fact_checks"] == 1
    assert {p["where"]: p["message"] for p in data["problems"]} == {
        "claims[0].claimReview[1]": "'textualRating' is missing",
        "claims[1]": "no claimReview in this claim",
    }
    (check,) = stored(store)
    assert (check.claim_reviewed, check.publisher, check.rating, check.claimant) == (
        "Vaccines contain microchips",
        "Checker One",
        "False",
        "Social media",
    )
    assert check.date_published == "2021-01-02T00:00:00Z"
    assert check.raw is not None and check.raw["claimReview"]["languageCode"] == "en"


MARKUP = {
    "claimReviewMarkupPages": [
        {
            "name": "pages/1",
            "pageUrl": "https://desk.example/checks/1",
            "publishDate": "2022-05-01",
            "claimReviewAuthor": {"name": "Desk"},
            "claimReviewMarkups": [
                {
                    "claimReviewed": "Die Erde ist flach",
                    "claimAuthor": {"name": "Ein Blog"},
                    "rating": {"textualRating": "Falsch", "ratingValue": 1},
                },
                {"claimReviewed": "", "rating": {"textualRating": "Falsch"}},
            ],
        }
    ]
}


def test_markup_pages(tmp_path: Path, cli: Any, store: Store) -> None:
    data = cli("import", write(tmp_path, "pages.json", MARKUP), "--json").json()
    assert data["added"]["fact_checks"] == 1
    assert data["problems"][0]["where"] == "claimReviewMarkupPages[0].claimReviewMarkups[1]"
    (check,) = stored(store)
    assert (check.url, check.publisher, check.rating, check.claimant) == (
        "https://desk.example/checks/1",  # the page's URL stands for the markup's
        "Desk",
        "Falsch",
        "Ein Blog",
    )


DATACOMMONS = {
    "@context": "http://schema.org",
    "@type": "DataFeed",
    "dataFeedElement": [
        {
            "@type": "DataFeedItem",
            "dateCreated": "2019-06-01",
            "item": [
                {
                    "@context": "http://schema.org",
                    "@type": "ClaimReview",
                    "url": "https://fc.example/1",
                    "claimReviewed": "Unemployment is at a 50-year low",
                    "author": {"@type": "Organization", "name": "FC", "url": "https://fc.example"},
                    "reviewRating": {
                        "@type": "Rating",
                        "alternateName": "True",
                        "ratingValue": "5",
                    },
                },
                {"@type": "ClaimReview", "claimReviewed": "no rating"},
            ],
        },
        {"@type": "DataFeedItem", "item": []},
    ],
}


def test_datacommons_feed(tmp_path: Path, cli: Any, store: Store) -> None:
    data = cli("import", write(tmp_path, "feed.json", DATACOMMONS), "--json").json()
    assert data["added"]["fact_checks"] == 1
    assert [p["where"] for p in data["problems"]] == [
        "dataFeedElement[0].item[1]",
        "dataFeedElement[1]",
    ]
    assert stored(store)[0].publisher == "FC"


def test_all_records_malformed_exits_1(tmp_path: Path, cli: Any, store: Store) -> None:
    bad = [{"@type": "ClaimReview", "claimReviewed": "x"}, {"@type": "WebPage"}]
    result = cli("import", write(tmp_path, "bad.json", bad))
    assert result.code == 1
    assert "2 record(s) reported; first: [0]: 'reviewRating' is missing" in result.err
    assert stored(store) == []


def test_self_reference_does_not_loop(tmp_path: Path, cli: Any, store: Store) -> None:
    node = {
        "@type": "ClaimReview",
        "@id": "https://x.example/#r",
        "url": "https://x.example/r",
        "claimReviewed": "Loop",
        "reviewRating": {"alternateName": "False"},
        "author": {"@id": "https://x.example/#r"},
        "isBasedOn": {"@id": "https://x.example/#r"},
    }
    data = cli("import", write(tmp_path, "loop.json", node), "--json").json()
    assert data["added"]["fact_checks"] == 1


PAGE_WITHOUT_AUTHOR = """<html lang="pt-BR"><head>
<meta property="og:url" content="https://og.example/not-this/">
<link rel="canonical" href="https://checagem.example/verifica/vacina-x/?a=1&amp;b=2">
<script type="application/ld+json">{"@type": "ClaimReview",
 "claimReviewed": "Vacina X altera o DNA", "url": "/verifica/vacina-x/",
 "reviewRating": {"@type": "Rating", "alternateName": "Falso"}}</script>
<script type="application/ld+json">{"@type": "ClaimReview",
 "claimReviewed": "Vacina Y foi proibida", "reviewRating": {"alternateName": "Falso"}}</script>
</head></html>"""


def test_page_review_without_author_or_absolute_url(tmp_path: Path, cli: Any, store: Store) -> None:
    """A relative `url` is read against the page's canonical link (over og:url); a review
    with no URL is the page's own; a desk that names no author is its site's host."""
    result = cli("import", write(tmp_path, "page.html", PAGE_WITHOUT_AUTHOR), "--json").json()
    assert (result["records"], result["added"]["fact_checks"]) == (2, 2)
    first, second = stored(store)
    assert first.url == "https://checagem.example/verifica/vacina-x/"
    assert second.url == "https://checagem.example/verifica/vacina-x/?a=1&b=2"
    assert first.publisher == second.publisher == "checagem.example"
    assert (first.raw or {})["inLanguage"] == "pt-BR"


def test_page_address_falls_back_to_og_url(tmp_path: Path, cli: Any, store: Store) -> None:
    page = PAGE_WITHOUT_AUTHOR.replace('<link rel="canonical"', '<link rel="alternate"')
    cli("import", write(tmp_path, "page.html", page))
    assert stored(store)[0].url == "https://og.example/verifica/vacina-x/"


def test_api_reply_with_the_publisher_flattened(tmp_path: Path, cli: Any, store: Store) -> None:
    """Tools that cache claims:search replies often keep the publisher's name and site in
    the review itself; the name is the publisher, else the site, else the URL's host."""
    reply = {
        "claims": [
            {
                "text": "Claim one",
                "claimReview": [
                    {
                        "name": "Verify",
                        "site": "verifythis.com",
                        "url": "https://v.example/1",
                        "textualRating": "False",
                    },
                    {
                        "site": "checkyourfact.com",
                        "url": "https://c.example/2",
                        "textualRating": "False",
                    },
                    {"url": "https://www.u.example/3", "textualRating": "False"},
                ],
            }
        ]
    }
    assert cli("import", write(tmp_path, "reply.json", reply)).code == 0
    assert [c.publisher for c in stored(store)] == ["Verify", "checkyourfact.com", "u.example"]
