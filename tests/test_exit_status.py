"""Exit status tells the truth (issue 12): `workbench fetch` exits 1 when any fetch failed;
an import in which every record was refused exits 1 and names the formats import reads."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from workbench.storage.models import Claim, Event, FactCheck
from workbench.storage.store import Store

PAGE = (
    b"<html><body><article><p>The port handled 2.1 million containers.</p></article></body></html>"
)


@pytest.fixture(autouse=True)
def _allow_local(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WORKBENCH_ALLOW_PRIVATE_NETWORKS", "1")


def _pending_sources(cli: Any, httpserver: Any, paths: list[str]) -> None:
    claim = cli("claim", "add", "The port handled 2.1 million containers.", "--json").json()
    for path in paths:
        url = httpserver.url_for(path)
        assert cli("source", "add", str(claim["id"]), url, "--no-fetch").code == 0


def test_fetch_exits_1_when_any_fetch_failed(cli: Any, httpserver: Any) -> None:
    httpserver.expect_request("/ok").respond_with_data(PAGE, content_type="text/html")
    httpserver.expect_request("/down").respond_with_data("oops", status=500)
    _pending_sources(cli, httpserver, ["/ok", "/down"])
    result = cli("fetch", "--json")
    assert result.code == 1
    assert sorted(r["outcome"] for r in result.json()) == ["http_error", "ok"]  # JSON still
    assert "1 of 2 fetches failed" in result.err
    # A failed source is not pending any more: a new one that fails, in text mode.
    httpserver.expect_request("/gone").respond_with_data("gone", status=404)
    _pending_sources(cli, httpserver, ["/gone"])
    shown = cli("fetch")
    assert shown.code == 1 and "0 fetched, 1 failed" in shown.out
    assert "1 of 1 fetches failed" in shown.err and "Traceback" not in shown.err


def test_fetch_exits_0_when_all_succeeded_or_nothing_was_pending(cli: Any, httpserver: Any) -> None:
    assert cli("fetch").code == 0  # nothing pending
    httpserver.expect_request("/a").respond_with_data(PAGE, content_type="text/html")
    httpserver.expect_request("/b").respond_with_data(PAGE + b" ", content_type="text/html")
    _pending_sources(cli, httpserver, ["/a", "/b"])
    result = cli("fetch")
    assert result.code == 0, result.err
    assert "2 fetched, 0 failed" in result.out
    assert cli("fetch", "--json").code == 0


def _count(store: Store, model: Any) -> int:
    with store.read() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("page.html", "<!doctype html>\n<html><body><p>An article.</p></body></html>\n"),
        ("notes.txt", "Just some notes\nabout the bridge\n"),
        ("other.json", '{"name": "a settings file", "version": 3}'),
        ("list.json", '[{"@type": "WebPage"}, {"@type": "Person"}]'),
        ("claims.jsonl", '["a", "list"]\n42\n"text"\n'),
        ("bad.csv", 'text,score\n"never closed,0.5\n'),
    ],
)
def test_an_import_with_every_record_refused_exits_1_naming_the_formats(
    tmp_path: Path, cli: Any, store: Store, name: str, content: str
) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    result = cli("import", str(path))
    assert result.code == 1
    assert "reads CSV or JSON Lines of claims" in result.err
    assert "ClaimReview JSON-LD" in result.err and "Traceback" not in result.err
    assert _count(store, Claim) == 0 and _count(store, FactCheck) == 0
    assert _count(store, Event) == 0  # not even the import's summary event
    as_json = cli("import", str(path), "--json")
    assert as_json.code == 1
    if name.endswith((".csv", ".jsonl")):  # the others are refused before a record is read
        assert as_json.json()["imported"] is False


def test_a_binary_file_is_refused_naming_the_formats(tmp_path: Path, cli: Any) -> None:
    path = tmp_path / "report.pdf"
    path.write_bytes(b"%PDF-1.4\n\xe2\xe3\xcf\xd3\n1 0 obj\n")
    result = cli("import", str(path))
    assert result.code == 1 and "not UTF-8" in result.err
    assert "reads CSV or JSON Lines of claims" in result.err


def test_an_import_with_one_good_record_still_succeeds(tmp_path: Path, cli: Any) -> None:
    path = tmp_path / "claims.jsonl"
    path.write_text('["not an object"]\n{"text": "Rents rose 8%."}\n', encoding="utf-8")
    result = cli("import", str(path))
    assert result.code == 0, result.err
    assert "1 claim;" in result.out and "1 malformed record skipped" in result.out
    again = cli("import", str(path))  # nothing new, but nothing refused wholesale either
    assert again.code == 0 and "1 already present" in again.out
