"""Each export format, from the database to the parsed output."""

from __future__ import annotations

import csv
import io
import json
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from tests.export_fixtures import build_simple
from workbench.export import ExportOptions, write_report
from workbench.export.claimreview import check_document
from workbench.export.data import ReportQuery, iter_claims, summary
from workbench.review import ClaimFilter
from workbench.store import Store


def render(store: Store, fmt: str, **kw: Any) -> str:
    out = io.StringIO()
    options = ExportOptions(**kw)
    with store.read() as session:
        write_report(fmt, session, options, out)
    return out.getvalue()


def test_records_grouped_by_article_with_current_verdict(store: Store) -> None:
    ids = build_simple(store)
    with store.read() as session:
        claims = list(iter_claims(session, ReportQuery(), batch_size=2))
        report = summary(session, ReportQuery())
    assert [c.id for c in claims] == [ids["c1"], ids["c3"], ids["c2"], ids["c4"]]
    first = claims[0]
    assert first.article is not None and first.article.title == "Budget story"
    assert first.verdict is not None and first.verdict.rating == "true"
    assert first.verdict.reviewer == "omar" and first.verdict.value == 5
    assert [e.stance for e in first.evidence] == ["supports", "context"]
    url_source = first.evidence[0].source
    assert url_source.snapshot_sha256 == "ef" * 32 and url_source.fetched_at is not None
    assert claims[3].article is None and claims[1].verdict is None
    assert report.total == 4 and report.articles == 2 and report.with_verdict == 3
    assert [(r.rating, r.count) for r in report.by_rating] == [
        ("true", 1),
        ("false", 1),
        ("misleading", 1),
        (None, 1),
    ]


def test_filters_and_date_range(store: Store) -> None:
    from datetime import UTC, datetime, timedelta

    ids = build_simple(store)
    with store.read() as session:
        by_rating = ReportQuery(filter=ClaimFilter(rating="misleading"))
        assert [c.id for c in iter_claims(session, by_rating)] == [ids["c2"]]
        by_reviewer = ReportQuery(filter=ClaimFilter(reviewer="ana"))
        assert {c.id for c in iter_claims(session, by_reviewer)} == {ids["c1"], ids["c4"]}
        future = datetime.now(UTC) + timedelta(days=1)
        assert list(iter_claims(session, ReportQuery(filter=ClaimFilter(since=future)))) == []
        assert len(list(iter_claims(session, ReportQuery(filter=ClaimFilter(until=future))))) == 4


class Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_html_report_is_self_contained_with_chart(store: Store) -> None:
    build_simple(store)
    html = render(store, "html", include_open=True)  # every claim (the order: test_report_order)
    parser = Collector()
    parser.feed(html)
    names = [t for t, _ in parser.tags]
    assert "svg" in names and names.count("rect") == 4  # one bar per rating present
    assert "script" not in names and "link" not in names and "img" not in names
    assert names.count("article") == 4
    text = "".join(parser.text)
    assert "Exactly the figures." in text and "Budget accounts" in text
    assert "ef" * 32 in text and "2026-11-02 09:30 UTC" in text
    assert text.index("Budget story") < text.index("Transport story")
    assert "@media print" in html


def test_markdown_report_content(store: Store) -> None:
    build_simple(store)
    md = render(store, "md", include_open=True)
    assert md.startswith("# Verdict report\n")
    assert "## Budget story" in md and "## Claims without an article" in md
    assert "- **Verdict:** True" in md and "- **Verdict:** none yet" in md
    assert "[Budget accounts](<https://stats.example/budget>)" in md
    assert "| True | 1 |" in md


def test_json_document_schema(store: Store) -> None:
    ids = build_simple(store)
    doc = json.loads(render(store, "json"))
    assert doc["format"] == "workbench-report" and doc["schema_version"] == 1
    assert doc["summary"]["claims"] == 4
    assert [a["title"] for a in doc["articles"]] == ["Budget story", "Transport story"]
    first = doc["claims"][0]
    assert first["id"] == ids["c1"] and first["article_id"] == ids["a1"]
    assert first["verdict"]["rating"] == "true" and first["verdict"]["rating_value"] == 5
    assert first["evidence"][0]["source"]["snapshot_sha256"] == "ef" * 32
    schema = Path(__file__).resolve().parent.parent / "docs" / "export-json-schema.md"
    documented = schema.read_text(encoding="utf-8")
    for key in [*doc, *first, *first["verdict"], *first["evidence"][0]["source"]]:
        assert f"`{key}`" in documented, key


def test_csv_per_claim_and_per_evidence(store: Store) -> None:
    ids = build_simple(store)
    rows = list(csv.DictReader(io.StringIO(render(store, "csv"))))
    assert [int(r["claim_id"]) for r in rows] == [ids["c1"], ids["c3"], ids["c2"], ids["c4"]]
    assert rows[0]["rating"] == "true" and rows[0]["source_count"] == "2"
    assert rows[0]["source_urls"] == "https://stats.example/budget | Phone call with the treasurer"
    per = list(csv.DictReader(io.StringIO(render(store, "csv", per_evidence=True))))
    assert len(per) == 5  # c1 has two evidence rows, the others one empty row each
    assert per[0]["quote"] == "'+38%"  # guarded against formula execution


def test_claimreview_feed_and_single(store: Store) -> None:
    build_simple(store)
    doc = json.loads(
        render(
            store, "claimreview", organisation_name="Desk", organisation_url="https://d.example/"
        )
    )
    assert doc["@type"] == "DataFeed" and doc["@context"] == "https://schema.org"
    reviews = doc["dataFeedElement"]
    assert len(reviews) == 3
    first = reviews[0]
    assert first["claimReviewed"] == "The budget rose by 38% since 2019."
    assert first["reviewRating"] == {
        "@type": "Rating",
        "alternateName": "True",
        "ratingValue": 5,
        "bestRating": 5,
        "worstRating": 1,
    }
    assert first["author"] == {"@type": "Organization", "name": "Desk", "url": "https://d.example/"}
    assert first["itemReviewed"]["author"] == {"@type": "Person", "name": "Jane Doe"}
    assert first["itemReviewed"]["appearance"]["url"] == "https://news.example/budget"
    misleading = reviews[1]
    assert misleading["reviewRating"] == {"@type": "Rating", "alternateName": "Misleading"}
    found, problems = check_document(doc)
    assert found == 3 and [p for p in problems if p.level == "error"] == []
    single_query = ReportQuery(filter=ClaimFilter(rating="misleading"))
    single = json.loads(render(store, "claimreview", query=single_query))
    assert single["@type"] == "ClaimReview" and single["@context"] == "https://schema.org"


def test_check_reports_paths(tmp_path: Path, cli: Any) -> None:
    bad = {
        "@context": "https://schema.org",
        "@type": "DataFeed",
        "dataFeedElement": [
            {
                "@type": "ClaimReview",
                "claimReviewed": "x" * 80,
                "reviewRating": {"ratingValue": 7, "bestRating": 5, "worstRating": 1},
                "url": "javascript:alert(1)",
            },
            {"@type": "ClaimReview", "claimReviewed": "ok", "reviewRating": {}},
        ],
    }
    path = tmp_path / "cr.json"
    path.write_text(json.dumps(bad), encoding="utf-8")
    result = cli("export", "--check", str(path), "--json")
    assert result.code == 1
    errors = {(p["path"]) for p in result.json()["problems"] if p["level"] == "error"}
    # Issue 17: only what Google requires is an error; a long claimReviewed and a value
    # outside its scale are warnings.
    assert errors == {
        "$.dataFeedElement[0].reviewRating.alternateName",
        "$.dataFeedElement[0].url",
        "$.dataFeedElement[1].reviewRating.alternateName",
        "$.dataFeedElement[1].url",
    }
    warnings = {(p["path"]) for p in result.json()["problems"] if p["level"] == "warning"}
    assert {
        "$.dataFeedElement[0].claimReviewed",
        "$.dataFeedElement[0].reviewRating.ratingValue",
    } <= warnings
    path.write_text("{not json", encoding="utf-8")
    result = cli("export", "--check", str(path))
    assert result.code == 1 and "not JSON (line 1" in result.err


def test_cli_export_to_file_and_stdout(tmp_path: Path, store: Store, cli: Any) -> None:
    build_simple(store)
    target = tmp_path / "report.html"
    result = cli("export", "--format", "html", "-o", str(target), "--rating", "true")
    assert result.code == 0, result.err
    assert "wrote 1 claim to" in result.err and target.read_text().count("<article") == 1
    result = cli("export", "--format", "json", "--since", "2000-01-01", "--until", "2000-01-02")
    assert result.code == 0 and result.json()["claims"] == []
    result = cli("export", "--format", "json", "--since", "yesterday")
    assert result.code == 1 and "not a date" in result.err
    result = cli("export", "--format", "csv", "-o", str(tmp_path / "missing" / "x.csv"))
    assert result.code == 1 and "does not exist" in result.err
    assert cli("export").code == 1
    folder = tmp_path / "a-folder"
    folder.mkdir()
    result = cli("export", "--format", "md", "-o", str(folder))
    assert result.code == 1 and "cannot write" in result.err
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temp file left


def test_export_import_matching_do_not_import_textual() -> None:
    import subprocess
    import sys

    code = (
        "import sys\n"
        "import workbench.export.html, workbench.export.markdown, workbench.export.jsondoc\n"
        "import workbench.export.csv, workbench.export.claimreview\n"
        "import workbench.importer, workbench.matching\n"
        "print('textual' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


@pytest.mark.parametrize(
    "stored",
    [
        "2026-11-01 10:00:00.000000",
        "2026-11-01 10:00:00.123456",
        "2026-11-01 23:59:59.000001",
        "2026-11-01T10:00:00",
        "2026-11-01 10:00:00+02:00",
        "2026-11-01",
    ],
)
def test_record_times_are_the_iso_text_of_the_stored_time(stored: str) -> None:
    from workbench.export.data import _utc_text, _when

    parsed = _when(stored)
    assert parsed is not None
    assert _utc_text(stored) == parsed.isoformat()
    assert _utc_text(parsed) == parsed.isoformat()  # PostgreSQL hands over datetimes


def test_sqlite_fast_reads_give_the_same_records(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.export_fixtures import build_hostile
    from workbench.export import data

    build_simple(store)
    build_hostile(store)

    def records(batch_size: int) -> list[Any]:
        with store.read() as session:
            return list(iter_claims(session, ReportQuery(), batch_size=batch_size))

    fast = records(2)
    monkeypatch.setattr(data, "FAST_SQLITE_READS", False)
    generic = records(2)
    assert fast == generic and len(fast) >= 5
    assert any(r.evidence for r in fast) and any(r.verdict for r in fast)
