"""Sources end to end against a real HTTP server on 127.0.0.1: attach, fetch once per
canonical URL, archive snapshots with verified hashes, rank passages, pin quotes, check."""

from __future__ import annotations

import io
import zlib
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, text

from workbench.claims.reading import get_claim
from workbench.errors import DatabaseError
from workbench.storage.models import Evidence, Snapshot, Source

PAGE = b"""<!doctype html><html><head><title>Port statistics 2024</title>
<meta property="og:site_name" content="Harbour Authority"></head><body>
<nav><a href="/">Home</a> | <a href="/about">About</a></nav>
<article><h1>Port statistics 2024</h1>
<p>The port handled 2.1 million containers in 2024, an increase of 8 percent on the year before.</p>
<p>Cruise ship visits fell to 140, down from 162, after two terminals closed for repairs.</p>
<p>The authority employs 1,240 people, most of them in the container terminal.</p>
<p>Dredging of the main channel is planned for 2026 and will cost 35 million euros.</p>
</article><footer>Harbour Authority, 1 Quay Road</footer></body></html>"""


@pytest.fixture(autouse=True)
def _allow_local(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WORKBENCH_ALLOW_PRIVATE_NETWORKS", "1")


@pytest.fixture
def claims(cli: Any) -> list[int]:
    texts = [
        "The port handled 2.1 million containers in 2024.",
        "Cruise ship visits fell by a third in 2024.",
    ]
    return [cli("claim", "add", t, "--json").json()["id"] for t in texts]


def _serve(httpserver: Any, path: str, body: bytes, content_type: str = "text/html") -> str:
    httpserver.expect_request(path).respond_with_data(body, content_type=content_type)
    return str(httpserver.url_for(path))


def test_same_page_two_claims_fetched_once(
    cli: Any, store: Any, httpserver: Any, claims: list[int]
) -> None:
    url = _serve(httpserver, "/stats", PAGE, "text/html; charset=utf-8")
    first = cli("source", "add", str(claims[0]), url, "--stance", "supports", "--json")
    assert first.code == 0, first.err
    assert first.json()["source"]["fetch_status"] == "ok"
    second = cli("source", "add", str(claims[1]), url + "#section", "--json")
    assert second.code == 0, second.err
    assert second.json()["source"]["id"] == first.json()["source"]["id"]
    assert len(httpserver.log) == 1  # one canonical URL, one fetch
    with store.read() as session:
        source = session.get(Source, first.json()["source"]["id"])
        assert source is not None
        assert source.title == "Port statistics 2024"
        assert "2.1 million containers" in (source.fetched_text or "")
        assert "Quay Road" not in (source.fetched_text or "")
        snapshot = session.scalars(select(Snapshot)).one()
        assert zlib.decompress(snapshot.body or b"") == PAGE
        assert snapshot.body_size == len(PAGE)
        detail = get_claim(session, claims[0])
        assert detail.claim.status == "in-progress" and detail.claim.source_count == 1
        actions = [e.action for e in detail.history]
        assert actions == ["claim.add", "evidence.add", "source.fetch"]


def test_refetch_adds_snapshot_and_check_lists_changes(
    cli: Any, store: Any, httpserver: Any, claims: list[int]
) -> None:
    url = _serve(httpserver, "/stats", PAGE)
    gone = _serve(httpserver, "/gone", PAGE)
    cli("source", "add", str(claims[0]), url)
    cli("source", "add", str(claims[1]), gone)
    cli("verdict", str(claims[0]), "true", "--rationale", "Matches the authority's figures.")
    httpserver.clear()
    _serve(httpserver, "/stats", PAGE.replace(b"2.1 million", b"2.0 million"))
    httpserver.expect_request("/gone").respond_with_data("missing", status=404)
    result = cli("sources", "check", "--json")
    assert result.code == 0, result.err
    findings = {f["url"]: f for f in result.json()}
    assert findings[url]["problem"] == "changed"
    assert findings[url]["verdicts"] == [{"claim_id": claims[0], "rating": "true"}]
    assert findings[gone]["problem"] == "http_error"
    assert "404" in findings[gone]["detail"]
    with store.read() as session:
        assert session.scalar(select(text("count(*)")).select_from(Snapshot)) == 4
        # The older snapshot is kept as it was.
        first = session.scalars(select(Snapshot).order_by(Snapshot.id)).first()
        assert first is not None and zlib.decompress(first.body or b"") == PAGE


def test_tampered_snapshot_fails_its_hash(
    cli: Any, store: Any, httpserver: Any, claims: list[int]
) -> None:
    from workbench.sources.archive import open_snapshot

    url = _serve(httpserver, "/stats", PAGE)
    cli("source", "add", str(claims[0]), url)
    with store.read() as session:
        snapshot_id = session.scalars(select(Snapshot.id)).one()
        _, body = open_snapshot(session, snapshot_id)
        assert body == PAGE
    with store.engine.begin() as conn:
        conn.execute(
            text("UPDATE snapshots SET body = :b"), {"b": zlib.compress(PAGE.replace(b"8", b"9"))}
        )
    with store.read() as session, pytest.raises(DatabaseError, match="SHA-256"):
        open_snapshot(session, snapshot_id)


def test_passages_ranked_and_quote_pinned(
    cli: Any, store: Any, httpserver: Any, claims: list[int]
) -> None:
    url = _serve(httpserver, "/stats", PAGE)
    source_id = cli("source", "add", str(claims[1]), url, "--json").json()["source"]["id"]
    ranked = cli("passages", str(claims[1]), str(source_id), "--json")
    assert ranked.code == 0, ranked.err
    passages = ranked.json()["passages"]
    assert "Cruise ship visits fell to 140" in passages[0]["text"]
    pinned = cli(
        "source",
        "quote",
        str(claims[1]),
        str(source_id),
        "--passage",
        "1",
        "--stance",
        "refutes",
        "--json",
    )
    assert pinned.code == 0, pinned.err
    with store.read() as session:
        evidence = session.scalars(select(Evidence).where(Evidence.claim_id == claims[1])).one()
        snapshot = session.get(Snapshot, evidence.snapshot_id)
        assert snapshot is not None and snapshot.text is not None
        assert evidence.stance == "refutes"
        assert snapshot.text[evidence.quote_start : evidence.quote_end] == evidence.quote
        assert evidence.context_after is not None
    actions = [e["action"] for e in cli("history", str(claims[1]), "--json").json()]
    assert actions[-1] == "evidence.quote"


def test_fetch_failure_keeps_claim_editable(cli: Any, httpserver: Any, claims: list[int]) -> None:
    httpserver.expect_request("/down").respond_with_data("oops", status=500)
    result = cli("source", "add", str(claims[0]), httpserver.url_for("/down"), "--json")
    assert result.code == 0
    assert result.json()["source"]["fetch_status"] == "http_error"
    verdict = cli("verdict", str(claims[0]), "unverifiable", "--rationale", "Source is down.")
    assert verdict.code == 0


def test_add_no_fetch_then_fetch_command(cli: Any, httpserver: Any, claims: list[int]) -> None:
    urls = [
        _serve(httpserver, f"/p{i}", PAGE.replace(b"2024", str(2000 + i).encode()))
        for i in range(4)
    ]
    for url in urls:
        assert cli("source", "add", str(claims[0]), url, "--no-fetch").code == 0
    assert len(httpserver.log) == 0
    result = cli("fetch", "--json")
    assert result.code == 0, result.err
    assert sorted(r["outcome"] for r in result.json()) == ["ok"] * 4
    assert cli("fetch", "--json").json() == []  # nothing left to fetch


def test_invalid_url_refused_before_io(cli: Any, claims: list[int]) -> None:
    for bad in ("javascript:alert(1)", "file:///etc/passwd", "http://", "not a url"):
        result = cli("source", "add", str(claims[0]), bad)
        assert result.code == 1, bad
        assert "Traceback" not in result.err
    shown = cli("claim", "show", str(claims[0]), "--json").json()
    assert shown["evidence"] == []


def test_pdf_and_binary_content(cli: Any, store: Any, httpserver: Any, claims: list[int]) -> None:
    pdf = _make_pdf("Harbour dredging will cost 35 million euros.")
    _serve(httpserver, "/report.pdf", pdf, "application/pdf")
    png = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8
    _serve(httpserver, "/image", png, "text/html")
    pdf_source = cli("source", "add", str(claims[0]), httpserver.url_for("/report.pdf"), "--json")
    png_source = cli("source", "add", str(claims[0]), httpserver.url_for("/image"), "--json")
    with store.read() as session:
        pdf_row = session.get(Source, pdf_source.json()["source"]["id"])
        png_row = session.get(Source, png_source.json()["source"]["id"])
        assert pdf_row is not None and png_row is not None
        assert "35 million euros" in (pdf_row.fetched_text or "")
        assert png_row.fetched_text is None  # no text invented from bytes
        snapshot = session.scalars(select(Snapshot).where(Snapshot.source_id == png_row.id)).one()
        assert zlib.decompress(snapshot.body or b"") == png


def test_warc_export(
    cli: Any, store: Any, httpserver: Any, claims: list[int], tmp_path: Path
) -> None:
    from warcio.archiveiterator import ArchiveIterator

    from workbench.core.results import ClaimFilter
    from workbench.sources.warc import write_warc

    url = _serve(httpserver, "/stats", PAGE)
    cli("source", "add", str(claims[0]), url)
    out = io.BytesIO()
    with store.read() as session:
        assert write_warc(session, ClaimFilter(), out) == 1
    out.seek(0)
    # The iterator moves past a record's body, so read each as it comes.
    responses = [
        (r.rec_headers.get_header("WARC-Target-URI"), r.content_stream().read())
        for r in ArchiveIterator(out)
        if r.rec_type == "response"
    ]
    assert responses == [(url, PAGE)]


def _make_pdf(sentence: str) -> bytes:
    """A minimal one-page PDF with a text layer, written by hand."""
    stream = f"BT /F1 12 Tf 72 720 Td ({sentence}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return out.getvalue()


def test_warc_export_command(cli: Any, httpserver: Any, claims: list[int], tmp_path: Path) -> None:
    from warcio.archiveiterator import ArchiveIterator

    url = _serve(httpserver, "/stats", PAGE)
    cli("source", "add", str(claims[0]), url)
    out = tmp_path / "sources.warc.gz"
    result = cli("export", "--format", "warc", "-o", str(out))
    assert result.code == 0, result.err
    with out.open("rb") as handle:
        bodies = [
            r.content_stream().read() for r in ArchiveIterator(handle) if r.rec_type == "response"
        ]
    assert bodies == [PAGE]
