"""Importing a JSON report across several write chunks: sources and articles are shared the
same whether the target database was empty (looked up in memory) or not (looked up in the
database), and the audit chain stays whole."""

from __future__ import annotations

import gc
import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from workbench.importing import report as report_reader
from workbench.importing import service as importer
from workbench.importing import stream as report_stream
from workbench.storage import audit
from workbench.storage.models import Article, Claim, Evidence, Source
from workbench.storage.store import Store

TIME = "2026-11-01T10:00:00+00:00"


def _source(n: int) -> dict[str, Any]:
    return {
        "id": n,
        "kind": "url",
        "url": f"https://stats.example/r/{n}",
        "canonical_url": f"https://stats.example/r/{n}",
        "title": f"Report {n}",
        "fetch_status": " ok ",
        "fetched_at": TIME,
    }


def _report() -> dict[str, Any]:
    citation = {"id": 900, "kind": "citation", "citation": "Phone call with the mayor"}
    claims = []
    for i in range(7):
        evidence = [
            {"stance": "supports", "quote": f"q{i}", "created_at": TIME, "source": _source(1)},
            {"stance": "refutes", "created_at": TIME, "source": _source(10 + i)},
            {"stance": "context", "source": dict(citation)},
            {"stance": "context", "source": {"kind": "citation", "citation": "anonymous"}},
        ]
        claims.append(
            {
                "text": f"  Claim   {i} spent money ",
                "status": "reviewed",
                "score": 0.5,
                "article_id": 1 if i < 3 else 2,  # the second from the second chunk on
                "created_at": TIME,
                "updated_at": TIME,
                "verdict": {
                    "rating": "true",
                    "rationale": "Because.",
                    "reviewer": "bo",
                    "created_at": TIME,
                },
                "evidence": evidence,
            }
        )
    # Two entries of the same article (an export of a database that held it twice).
    same = {"title": "Budget", "url": "https://news.example/b", "published": "2026-10-01"}
    return {
        "format": "workbench-report",
        "schema_version": 1,
        "articles": [{"id": 1, **same}, {"id": 2, **same}],
        "claims": claims,
    }


def _counts(store: Store) -> dict[str, int]:
    with store.read() as session:
        return {
            m.__name__: int(session.scalar(select(func.count()).select_from(m)) or 0)
            for m in (Article, Claim, Source, Evidence)
        }


@pytest.mark.parametrize("stored_before", [False, True])
def test_report_in_chunks_shares_sources_and_articles(
    tmp_path: Path, store: Store, monkeypatch: pytest.MonkeyPatch, stored_before: bool
) -> None:
    monkeypatch.setattr(report_reader, "REPORT_CHUNK", 3)
    path = tmp_path / "report.json"
    path.write_text(json.dumps(_report()), encoding="utf-8")
    if stored_before:
        # The same article and source already stored: both are reused, not duplicated.
        head = {**_report(), "claims": [_report()["claims"][0]]}
        head_path = tmp_path / "head.json"
        head_path.write_text(json.dumps(head), encoding="utf-8")
        with store.write() as session:
            importer.import_file(session, "ana", str(head_path))
    with store.write() as session:
        result = importer.import_file(session, "ana", str(path))
    assert gc.isenabled()
    assert result.claims == (6 if stored_before else 7)
    counts = _counts(store)
    # Source 1 and the citation with export id 900 once each, sources 10..16, and one
    # "anonymous" citation per evidence (nothing identifies it); a citation is known by its
    # export id within one import only, so the earlier import's is not reused.
    sources = 1 + 1 + 7 + 7 + (1 if stored_before else 0)
    assert counts == {"Article": 1, "Claim": 7, "Source": sources, "Evidence": 28}
    with store.read() as session:
        texts = session.scalars(select(Claim.text).order_by(Claim.id)).all()
        assert texts == [f"Claim {i} spent money" for i in range(7)]
        statuses = set(session.scalars(select(Source.fetch_status).where(Source.kind == "url")))
        assert statuses == {"ok"}
        source_counts = set(session.scalars(select(Claim.source_count)))
        assert source_counts == {4}
        assert audit.check(session).ok
    with store.write() as session:
        again = importer.import_file(session, "ana", str(path))
    assert again.claims == 0 and again.duplicates == 7
    assert _counts(store) == counts


def test_report_field_messages(tmp_path: Path, store: Store) -> None:
    claims = [
        {"text": "   "},
        {"text": "x", "verdict": {"rating": "true", "rationale": " ", "reviewer": "r"}},
        {"text": "x", "evidence": [{"source": {"kind": "url", "url": "u", "title": 5}}]},
        {"text": "x", "assignee": "a" * 201},
        {"text": "x", "evidence": [{"source": {"kind": "url", "url": "u", "fetched_at": "x"}}]},
    ]
    document = {"format": "workbench-report", "schema_version": 1, "articles": [], "claims": claims}
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    with store.write() as session:
        result = importer.import_file(session, "ana", str(path))
    assert [str(p) for p in result.problems] == [
        "claims[0]: 'text' is missing or empty",
        "claims[1]: verdict: 'rationale' is missing or empty",
        "claims[2]: evidence[0]: 'title' must be text, not int",
        "claims[3]: 'assignee' is 201 characters; the limit is 200",
        "claims[4]: evidence[0]: 'fetched_at' 'x' is not an ISO 8601 time",
    ]


@pytest.mark.parametrize(
    "line",
    [
        '{"score": NaN, "big": 123456789012345678901234567890}',
        '{"text": "\\ud800 lone", "x": 1e400, "y": -0.0, "z": [1.5, "é"]}',
        '{"a": 1, "a": 2}',
    ],
)
def test_claim_lines_parse_as_json_does(line: str) -> None:
    expected = json.loads(line)
    got = report_stream.loads_line(line)
    assert json.dumps(got) == json.dumps(expected)


def test_a_broken_claim_line_reports_jsons_message() -> None:
    line = '{"text": broken}'
    with pytest.raises(json.JSONDecodeError) as caught:
        json.loads(line)
    with pytest.raises(json.JSONDecodeError) as ours:
        report_stream.loads_line(line)
    assert ours.value.msg == caught.value.msg


def test_a_report_broken_in_its_claims_is_a_clear_error(
    tmp_path: Path, store: Store, cli: Any
) -> None:
    # Long enough that the bad byte is decoded after the head was read and claims written.
    claims = [{"text": f"Claim {i} " + "about the budget " * 8} for i in range(300)]
    good = _exporter_layout({**_report(), "articles": [], "claims": claims}, tmp_path / "a.json")
    bad = tmp_path / "bad.json"
    bad.write_bytes(good.read_bytes().replace(b"Claim 250 ", b"Claim \xff250 "))
    result = cli("import", str(bad))
    assert result.code == 1
    assert "bad.json is not UTF-8 text (somewhere past claim" in result.err
    assert "Traceback" not in result.err
    with store.read() as session:
        assert session.scalar(select(func.count()).select_from(Claim)) == 0


def _exporter_layout(document: dict[str, Any], path: Path) -> Path:
    """The document in the exporter's layout (read line by line by the importer)."""
    head = {k: v for k, v in document.items() if k not in ("articles", "claims")}
    lines = ["{"] + [f"{json.dumps(k)}:{json.dumps(v)}," for k, v in head.items()]
    lines.append('"articles":[')
    lines += [json.dumps(a) + "," for a in document["articles"][:-1]]
    lines += [json.dumps(a) for a in document["articles"][-1:]]
    lines += ["],", '"claims":[']
    lines += [json.dumps(c) + "," for c in document["claims"][:-1]]
    lines += [json.dumps(c) for c in document["claims"][-1:]]
    lines += ["]", "}"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
