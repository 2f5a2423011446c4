"""`workbench factchecks search` against a local server that speaks the Fact Check Tools
API's JSON: paging, languages, errors, the quota, a missing key; results imported."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from factcheck_api_server import KEY, FactCheckApi
from sqlalchemy import func, select

from workbench.models import FactCheck
from workbench.store import Store


@pytest.fixture
def api(monkeypatch: pytest.MonkeyPatch) -> Iterator[FactCheckApi]:
    server = FactCheckApi().start()
    monkeypatch.setenv("WORKBENCH_ALLOW_PRIVATE_NETWORKS", "1")  # the server is on 127.0.0.1
    configure(endpoint=server.endpoint, api_key=KEY)
    yield server
    server.stop()


def configure(**values: str) -> None:
    lines = ["[factchecks]", *(f'{k} = "{v}"' for k, v in values.items())]
    Path(os.environ["WORKBENCH_CONFIG"]).write_text("\n".join(lines) + "\n", "utf-8")


def stored(store: Store) -> int:
    with store.read() as session:
        return int(session.scalar(select(func.count()).select_from(FactCheck)) or 0)


def test_search_pages_and_shows_publisher_rating_date_url(api: FactCheckApi, cli: Any) -> None:
    result = cli("factchecks", "search", "vaccine microchips", "--limit", "25", "--json")
    assert result.code == 0, result.err
    data = result.json()
    assert [r["number"] for r in data["results"]] == list(range(1, 26))
    first = data["results"][0]
    assert (first["publisher"], first["rating"], first["date"], first["url"]) == (
        "Checker 1",
        "False",
        "2021-02-03T00:00:00Z",
        "https://checker1.test/check/1",
    )
    # Three pages of ten, each asking for the next with the token the last one gave.
    assert [r.get("pageToken") for r in api.requests] == [None, "10", "20"]
    assert all(r["pageSize"] == "10" and r["key"] == KEY for r in api.requests)
    assert data["more"] is True  # the Spanish ones are left: 30 matched
    text = cli("factchecks", "search", "vaccine microchips", "--limit", "3")
    assert "  1. Checker 1 · False · 2021-02-03 · https://checker1.test/check/1" in text.out
    assert "Vaccine claim number 1 about microchips (Social media posts)" in text.out


def test_language_filter(api: FactCheckApi, cli: Any) -> None:
    data = cli("factchecks", "search", "vaccine", "--lang", "es", "--json").json()
    assert {r["language"] for r in data["results"]} == {"es"} and len(data["results"]) == 5
    assert api.requests[-1]["languageCode"] == "es" and not data["more"]


def test_import_chosen_results(api: FactCheckApi, cli: Any, store: Store) -> None:
    result = cli("factchecks", "search", "vaccine", "--limit", "5", "--import", "1,3-4")
    assert result.code == 0, result.err
    assert "3 fact-check(s) imported" in result.out
    with store.read() as session:
        urls = sorted(session.scalars(select(FactCheck.url)))
    assert urls == [
        "https://checker0.test/check/3",
        "https://checker1.test/check/1",
        "https://checker1.test/check/4",
    ]
    again = cli("factchecks", "search", "vaccine", "--limit", "5", "--import", "all", "--json")
    assert again.json()["imported"]["added"]["fact_checks"] == 2
    assert again.json()["imported"]["duplicates"] == 3 and stored(store) == 5
    # An imported search result is an earlier fact-check for a new claim.
    added = cli("claim", "add", "Vaccine claim number 3 about microchips", "--json").json()
    assert added["matches"][0]["url"] == "https://checker0.test/check/3"
    bad = cli("factchecks", "search", "vaccine", "--limit", "2", "--import", "7")
    assert bad.code == 1 and "there is no result 7" in bad.err


def test_empty_results(api: FactCheckApi, cli: Any) -> None:
    result = cli("factchecks", "search", "nothing like this")
    assert result.code == 0 and "no fact-checks found" in result.out
    assert cli("factchecks", "search", "nothing", "--json").json()["results"] == []


@pytest.mark.parametrize(
    ("query", "key", "message"),
    [
        ("quota please", KEY, "quota is used up (HTTP 429)"),
        ("vaccine", "wrong-key", "the API refused the request"),
        ("broken", KEY, "not JSON"),
    ],
)
def test_errors_are_clear_and_never_show_the_key(
    api: FactCheckApi, cli: Any, query: str, key: str, message: str
) -> None:
    configure(endpoint=api.endpoint, api_key=key)
    result = cli("factchecks", "search", query)
    assert result.code == 1 and message in result.err
    assert key not in result.err and "Traceback" not in result.err


def test_missing_key_and_refused_address(cli: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    configure(endpoint="http://127.0.0.1:9/v1alpha1/claims:search")
    result = cli("factchecks", "search", "vaccine")
    assert result.code == 1 and "no API key" in result.err and "[factchecks]" in result.err
    configure(endpoint="http://127.0.0.1:9/v1alpha1/claims:search", api_key="secret-key-9")
    monkeypatch.delenv("WORKBENCH_ALLOW_PRIVATE_NETWORKS", raising=False)
    refused = cli("factchecks", "search", "vaccine")  # the hardened fetcher's own refusal
    assert refused.code == 1 and "could not reach" in refused.err
    assert "secret-key-9" not in refused.err
    empty = cli("factchecks", "search", "   ")
    assert empty.code == 1 and "empty" in empty.err


def test_config_rejects_unknown_factchecks_keys(cli: Any) -> None:
    Path(os.environ["WORKBENCH_CONFIG"]).write_text('[factchecks]\napikey = "x"\n', "utf-8")
    result = cli("factchecks", "search", "vaccine")
    assert result.code == 1 and "factchecks.apikey" in result.err and "line 2" in result.err
