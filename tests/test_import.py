"""`workbench import`: claims from CSV and JSON Lines, fact-checks from ClaimReview."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from workbench.importing import service as importer
from workbench.storage.models import Article, Claim, Event, FactCheck
from workbench.storage.store import Store


def count(store: Store, model: Any) -> int:
    with store.read() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def write(tmp_path: Path, name: str, content: str) -> str:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    return str(path)


CSV = (
    "text,score,status,article_title,article_url,extra\r\n"
    "The bridge cost 12 million.,0.9,new,Bridge story,https://n.example/bridge,x\r\n"
    "'=The tax rose,0.5,in-progress,Bridge story,https://n.example/bridge,\r\n"
    "  ,0.1,new,,,\r\n"  # empty text: malformed
    "Jobs grew.,2.5,new,,,\r\n"  # score out of range: malformed
    "Rents doubled.,,,,,\r\n"
)


def test_csv_import_reports_lines_and_skips_duplicates(
    tmp_path: Path, cli: Any, store: Store
) -> None:
    path = write(tmp_path, "claims.csv", CSV)
    result = cli("import", path, "--json")
    assert result.code == 0, result.err
    data = result.json()
    assert data["format"] == "csv" and data["added"]["claims"] == 3
    assert data["added"]["articles"] == 1
    assert [p["where"] for p in data["problems"]] == ["line 4", "line 5"]
    assert "'text' is missing" in data["problems"][0]["message"]
    assert "between 0 and 1" in data["problems"][1]["message"]
    with store.read() as session:
        rows = session.execute(
            select(Claim.text, Claim.status, Claim.article_id).order_by(Claim.id)
        ).all()
        events = session.scalars(select(Event.action).order_by(Event.id)).all()
    assert [r.text for r in rows] == [
        "The bridge cost 12 million.",
        "=The tax rose",
        "Rents doubled.",
    ]
    assert rows[1].status == "in-progress" and rows[0].article_id == rows[1].article_id
    assert rows[2].article_id is None
    assert events == ["claim.import"] * 3 + ["import.file"]
    again = cli("import", path, "--json").json()
    assert again["added"]["claims"] == 0 and again["duplicates"] == 3
    assert count(store, Claim) == 3 and count(store, Article) == 1
    # The claim is searchable straight away (the full-text index is kept in step).
    found = cli("claims", "--search", "bridge", "--json").json()
    assert [c["text"] for c in found] == ["The bridge cost 12 million."]


def test_strict_imports_all_or_nothing(tmp_path: Path, cli: Any, store: Store) -> None:
    path = write(tmp_path, "claims.csv", CSV)
    result = cli("import", path, "--strict")
    assert result.code == 1
    assert "2 malformed records, nothing imported" in result.err and "line 4" in result.err
    assert count(store, Claim) == 0 and count(store, Event) == 0


def test_jsonl_import(tmp_path: Path, cli: Any, store: Store) -> None:
    lines = [
        json.dumps({"text": "Inflation hit 9%.", "score": 0.7, "article_title": "Economy"}),
        "{not json",
        json.dumps(["a list"]),
        json.dumps({"text": "Taxes fell.", "status": "reviewed"}),  # needs a verdict
        json.dumps({"text": "Inflation hit 9%.", "article_title": "Economy"}),  # duplicate
        "",
        json.dumps({"text": 42}),
    ]
    path = write(tmp_path, "claims.jsonl", "\n".join(lines) + "\n")
    data = cli("import", path, "--json").json()
    assert data["format"] == "jsonl" and data["added"]["claims"] == 1 and data["duplicates"] == 1
    wheres = [p["where"] for p in data["problems"]]
    assert wheres == ["line 2", "line 3", "line 4", "line 7"]
    assert "needs a verdict" in data["problems"][2]["message"]
    # Sniffed without the extension, too.
    other = write(
        tmp_path, "more.txt", json.dumps({"text": "New one."}) + "\n" + json.dumps({"text": "Two."})
    )
    assert cli("import", other, "--json").json()["added"]["claims"] == 2
    # Bulk-written import events are part of the tamper-evident chain.
    checked = cli("check", "--json")
    assert checked.code == 0, checked.out + checked.err
    assert checked.json()["ok"] is True


FEED = {
    "@context": "https://schema.org",
    "@type": "DataFeed",
    "dataFeedElement": [
        {
            "@type": "ClaimReview",
            "url": "https://checker.example/a",
            "claimReviewed": "The moon is made of cheese.",
            "author": {"@type": "Organization", "name": "Checker"},
            "datePublished": "2024-01-02",
            "reviewRating": {
                "@type": "Rating",
                "alternateName": "False",
                "ratingValue": 1,
                "bestRating": 5,
                "worstRating": 1,
            },
            "itemReviewed": {"@type": "Claim", "author": {"@type": "Person", "name": "Bob"}},
        },
        {
            "@type": "DataFeedItem",
            "item": {
                "@type": "ClaimReview",
                "url": "https://checker.example/b",
                "claimReviewed": "Vaccines contain microchips.",
                "reviewRating": {"alternateName": "Pants on fire"},
                "publisher": {"name": "Other desk"},
            },
        },
        {"@type": "ClaimReview", "claimReviewed": "No rating here."},
        {"@type": "WebPage", "name": "not a review"},
    ],
}


def test_claimreview_feed_becomes_fact_checks(tmp_path: Path, cli: Any, store: Store) -> None:
    path = write(tmp_path, "feed.json", json.dumps(FEED))
    data = cli("import", path, "--json").json()
    assert data["format"] == "claimreview" and data["added"]["fact_checks"] == 2
    assert [p["where"] for p in data["problems"]] == ["dataFeedElement[2]", "dataFeedElement[3]"]
    with store.read() as session:
        checks = session.scalars(select(FactCheck).order_by(FactCheck.id)).all()
        assert [(c.publisher, c.rating, c.rating_value, c.url, c.claimant) for c in checks] == [
            ("Checker", "False", 1.0, "https://checker.example/a", "Bob"),
            ("Other desk", "Pants on fire", None, "https://checker.example/b", None),
        ]
    assert cli("import", path, "--json").json()["added"]["fact_checks"] == 0
    single = write(tmp_path, "one.jsonld", json.dumps(FEED["dataFeedElement"][0]))
    assert cli("import", single, "--json").json()["duplicates"] == 1
    as_list = write(tmp_path, "list.json", json.dumps([FEED["dataFeedElement"][1]]))
    assert cli("import", as_list, "--json").json()["duplicates"] == 1
    assert count(store, FactCheck) == 2


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "is empty"),
        ("{broken", "not valid JSON"),
        ("a,b\r\n1,2\r\n", "no 'text' column"),
        ('{"format": "workbench-report", "schema_version": 9}', "schema version 9"),
    ],
)
def test_unreadable_files_are_clear_errors(
    tmp_path: Path, cli: Any, content: str, message: str
) -> None:
    result = cli("import", write(tmp_path, "in.json", content))
    assert result.code == 1 and message in result.err, result.err


def test_missing_and_binary_files(tmp_path: Path, cli: Any) -> None:
    assert "does not exist" in cli("import", str(tmp_path / "nope.csv")).err
    bad = tmp_path / "bin.csv"
    bad.write_bytes(b"text\n\xff\xfe\x00")
    assert "not UTF-8" in cli("import", str(bad)).err


def test_csv_export_imports_back(tmp_path: Path, cli: Any, store: Store) -> None:
    with store.write() as session:
        from workbench.claims.service import add_claim

        add_claim(session, "ana", "=SUM(A1) is a formula-looking claim")
        add_claim(session, "ana", "-5% growth")
    out = tmp_path / "claims.csv"
    assert cli("export", "--format", "csv", "-o", str(out)).code == 0
    other = tmp_path / "other.db"
    data = cli("import", str(out), "--json", db=f"sqlite:///{other}").json()
    assert data["added"]["claims"] == 2
    texts = {c["text"] for c in cli("claims", "--json", db=f"sqlite:///{other}").json()}
    assert texts == {"=SUM(A1) is a formula-looking claim", "-5% growth"}


def test_service_function_directly(store: Store) -> None:
    with store.write() as session:
        result = importer.import_text(session, "ana", "x.jsonl", '{"text": "Direct."}\n')
    assert result.claims == 1 and result.claim_ids


def test_large_import_keeps_full_text_index(tmp_path: Path, cli: Any, store: Store) -> None:
    from workbench.storage.search import DEFER_FULLTEXT_AT

    n = DEFER_FULLTEXT_AT + 10
    lines = "".join(json.dumps({"text": f"Claim {i} about zebra{i % 7}"}) + "\n" for i in range(n))
    data = cli("import", write(tmp_path, "many.jsonl", lines), "--json").json()
    assert data["added"]["claims"] == n
    assert len(cli("claims", "--search", "zebra3", "--limit", str(n), "--json").json()) == len(
        [i for i in range(n) if i % 7 == 3]
    )
    # The trigger is back: a claim added afterwards is searchable too.
    cli("claim", "add", "A unicorn claim")
    assert [c["text"] for c in cli("claims", "--search", "unicorn", "--json").json()] == [
        "A unicorn claim"
    ]
    if store.dialect == "sqlite":
        from sqlalchemy import text

        with store.read() as session:
            triggers = session.execute(
                text("SELECT name FROM sqlite_master WHERE type = 'trigger'")
            ).scalars()
            assert "claims_fts_insert" in list(triggers)


BAD_CLAIMS = [
    {"text": "ok"},
    "not an object",
    {"text": "x", "article_id": [1]},
    {"text": "x", "article_id": 99},
    {"text": "x", "verdict": "true"},
    {"text": "x", "verdict": {"rating": "true"}},
    {"text": "x", "status": "approved"},
    {"text": "x", "evidence": {"a": 1}},
    {"text": "x", "evidence": [{"stance": "maybe", "source": {"kind": "url", "url": "u"}}]},
    {"text": "x", "evidence": [{"source": {"kind": "ftp"}}]},
    {"text": "x", "evidence": [{"source": {"kind": "url", "id": {"x": 1}, "url": "u"}}]},
    {"text": "x", "evidence": [{"source": {"kind": "url"}}]},
    {"text": "x", "created_at": "yesterday"},
    {"text": "x", "score": "high"},
    {"text": ["list"]},
]


def test_malformed_report_records_are_reported_not_fatal(tmp_path: Path, cli: Any) -> None:
    document = {
        "format": "workbench-report",
        "schema_version": 1,
        "articles": [{"id": 1, "title": "A"}, {"title": "no id"}, {"id": [2]}],
        "claims": BAD_CLAIMS,
    }
    path = write(tmp_path, "bad.json", json.dumps(document))
    data = cli("import", path, "--json").json()
    assert data["added"]["claims"] == 1
    wheres = [p["where"] for p in data["problems"]]
    assert wheres == ["articles[1]", "articles[2]"] + [
        f"claims[{i}]" for i in range(1, len(BAD_CLAIMS))
    ]
    assert cli("import", path, "--strict").code == 1
