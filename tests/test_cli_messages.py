"""CLI messages a new user reads: the retry advice after a failed fetch runs and works,
`sources check` names a source never fetched, counts agree in number, and a mistyped URL
scheme gets the URL that was meant."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import PG_URL
from workbench.sources.url_typos import suggested_url
from workbench.sources.urls import InvalidSourceURL, normalise_url
from workbench.wording import counted

PAGE = b"<html><head><title>Stats</title></head><body><p>Spending rose by 38%.</p></body></html>"


@pytest.fixture(autouse=True)
def _allow_local(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WORKBENCH_ALLOW_PRIVATE_NETWORKS", "1")


def test_failed_fetch_advice_names_a_command_that_retries(cli: Any, httpserver: Any) -> None:
    claim = cli("claim", "add", "Spending rose by 38%.", "--json").json()["id"]
    url = httpserver.url_for("/flaky")
    httpserver.expect_oneshot_request("/flaky").respond_with_data("down", status=503)
    added = cli("source", "add", str(claim), url)
    assert added.code == 0, added.err
    advice = f"retry with: workbench fetch --retry-failed --claim {claim}"
    assert advice in added.out
    # Plain `fetch` takes only sources never fetched, and now says how to retry the failed one.
    plain = cli("fetch")
    assert "0 fetched, 0 failed" in plain.out
    assert "1 source failed to fetch; retry it with: workbench fetch --retry-failed" in plain.out
    httpserver.expect_request("/flaky").respond_with_data(PAGE, content_type="text/html")
    retried = cli(*advice.split(": ", 1)[1].split()[1:])  # the advised command, as written
    assert retried.code == 0 and "1 fetched, 0 failed" in retried.out, retried.out
    assert "retry" not in retried.out
    shown = cli("claim", "show", str(claim), "--json").json()
    assert [e["source"]["fetch_status"] for e in shown["evidence"]] == ["ok"]
    # Each asked-for run tries a failed source once; an ok one is not fetched again.
    assert "0 fetched, 0 failed" in cli("fetch", "--retry-failed").out


def test_sources_check_names_a_source_never_fetched(cli: Any, httpserver: Any) -> None:
    claim = cli("claim", "add", "Spending rose by 38%.", "--json").json()["id"]
    httpserver.expect_request("/page").respond_with_data(PAGE, content_type="text/html")
    url = httpserver.url_for("/page")
    assert cli("source", "add", str(claim), url, "--no-fetch").code == 0
    first = cli("sources", "check")
    assert first.code == 0
    assert "never fetched before, so nothing to compare" in first.out
    assert "still answers" not in first.out
    again = cli("sources", "check")  # now there is a snapshot to compare with
    assert "every source still answers with the content it was checked against" in again.out
    data = cli("sources", "check", "--json").json()
    assert data == []


def test_sources_check_with_no_url_source(cli: Any) -> None:
    assert "no URL source to check" in cli("sources", "check").out


def test_counts_agree_in_number(cli: Any, tmp_path: Any) -> None:
    assert counted(1, "claim") == "1 claim" and counted(2, "claim") == "2 claims"
    assert counted(0, "evidence") == "0 evidence" and counted(3, "match") == "3 matches"
    cli("claim", "add", "The tunnel carried 41,000 vehicles a day.")
    wrote = cli("export", "--format", "json", "-o", str(tmp_path / "r.json"))
    assert "wrote 1 claim to" in wrote.err
    if not PG_URL:  # backup copies SQLite files (PostgreSQL has pg_dump)
        backup = cli("backup", str(tmp_path / "b.db"))
        assert ": 1 claim, 0 verdicts, 1 event (" in backup.out, backup.out
    lines = tmp_path / "c.jsonl"
    lines.write_text('{"text": "Fares rose by 5% in 2025."}\n', encoding="utf-8")
    assert "1 claim" in cli("import", str(lines)).out
    assert "1 claims" not in cli("import", str(lines)).out


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("http//news.example/a?b=1", "http://news.example/a?b=1"),
        ("https//news.example/a", "https://news.example/a"),
        ("https:/news.example/a", "https://news.example/a"),
        ("http:news.example/a", "http://news.example/a"),
        ("http:///news.example/a", "http://news.example/a"),
        ("htp://news.example/a", "http://news.example/a"),
        ("htps://news.example/a", "https://news.example/a"),
        ("htttps://news.example/a", "https://news.example/a"),
        ("http:\\\\news.example", "http://news.example"),
        ("http;//news.example", "http://news.example"),
        ("hxxps://news.example/a", "https://news.example/a"),
        ("HTTP//news.example", "http://news.example"),
    ],
)
def test_mistyped_scheme_suggests_the_url_meant(typed: str, meant: str) -> None:
    assert suggested_url(typed) == meant
    with pytest.raises(InvalidSourceURL) as caught:
        normalise_url(typed)
    assert str(caught.value).endswith(f"write it as {meant}")
    assert normalise_url(meant)  # the suggestion is itself a URL that passes


@pytest.mark.parametrize(
    "text",
    [
        "https://news.example/a",
        "HTTP://news.example",
        "ftp://files.example/x",
        "news.example/a",
        "localhost:8000/x",
        "mailto:desk@news.example",
        "httpbin.example/get",
    ],
)
def test_no_suggestion_for_good_urls_or_other_schemes(text: str) -> None:
    assert suggested_url(text) is None


def test_cli_messages_for_a_mistyped_url(cli: Any) -> None:
    claim = cli("claim", "add", "Spending rose by 38%.", "--json").json()["id"]
    result = cli("source", "add", str(claim), "http//host.example/x")
    assert result.code == 1
    assert "write it as http://host.example/x" in result.err and "https://http" not in result.err
    assert "https://news.example/a" in cli("source", "add", str(claim), "news.example/a").err
    ingest = cli("ingest", "htps://host.example/story")
    assert ingest.code == 1 and "write https://host.example/story" in ingest.err
