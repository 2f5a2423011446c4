"""`workbench ingest` end to end: files, stdin, HTML, duplicates, bad input, promotion."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT, SHARED

SEED = SHARED / "samples" / "seed-article.txt"
FURNITURE_HTML = ROOT / "tests" / "data" / "article-with-furniture.html"


def _claim_texts(result: Any) -> list[str]:
    return [c["text"] for c in result.json()["claims"]]


def test_seed_article_claims(cli: Any) -> None:
    result = cli("ingest", str(SEED), "--json")
    assert result.code == 0, result.err
    doc = result.json()
    assert isinstance(doc["article_id"], int)
    claims = _claim_texts(result)
    assert claims, "the seed article must yield claims"
    joined = "\n".join(claims)
    for furniture in ("Physical Address", "Cardinal St", "Dorchester", "Additional reporting"):
        assert furniture not in joined
    article_text = SEED.read_text(encoding="utf-8")
    # The sentences the issue names, each kept whole.
    wanted = {
        "capacity": "can accommodate up to 40,000 inmates",
        "per cell": "Each cell reportedly holds between 65 to 70 prisoners",
        "opened": "Opened in 2023",
        "signed": "Noem and Sarabia signed the pivotal agreement",
    }
    for label, fragment in wanted.items():
        matching = [c for c in claims if fragment in c]
        assert matching, f"no claim about {label}"
        sentence = matching[0]
        assert sentence[0].isupper() and sentence.endswith((".", '"', "”")), sentence
        assert sentence in article_text
    # Ranked best first.
    scores = [c["score"] for c in doc["claims"]]
    assert scores == sorted(scores, reverse=True)


def test_claims_point_back_into_article(cli: Any, store: Any) -> None:
    from workbench.claims.reading import get_claim
    from workbench.storage.models import Article, Claim

    doc = cli("ingest", str(SEED), "--json").json()
    with store.read() as session:
        article = session.get(Article, doc["article_id"])
        assert article is not None
        for item in doc["claims"]:
            detail = get_claim(session, item["id"])
            row = session.get(Claim, item["id"])
            assert row is not None and row.start is not None
            assert article.text[row.start : row.end] == detail.claim.text
            assert detail.claim.article_id == article.id


def test_html_page_yields_only_body_claims(cli: Any) -> None:
    result = cli("ingest", str(FURNITURE_HTML), "--json")
    assert result.code == 0, result.err
    claims = _claim_texts(result)
    assert claims
    body = FURNITURE_HTML.read_text(encoding="utf-8")
    paragraphs = re.findall(r"<p>(.*?)</p>", body[body.index("<article") : body.index("</article")])
    body_text = " ".join(re.sub(r"<[^>]+>", "", p) for p in paragraphs)
    for claim in claims:
        assert claim in body_text, claim
    for junk in ("cookie", "Share", "All rights reserved", "commute", "Harbour Road"):
        assert all(junk not in c for c in claims)
    assert result.json()["title"] == "Riverton council approves bridge repair budget"


def test_ingest_twice_adds_nothing(cli: Any) -> None:
    first = cli("ingest", str(SEED), "--json").json()
    count = len(cli("claims", "--json", "--limit", "1000").json())
    second = cli("ingest", str(SEED), "--json").json()
    assert second["article_id"] == first["article_id"]
    assert second["duplicate"] is True
    assert len(cli("claims", "--json", "--limit", "1000").json()) == count


def test_stdin_and_several_sources(cli: Any, tmp_path: Path) -> None:
    other = tmp_path / "other.md"
    other.write_text(
        "# Port traffic\n\nThe port handled **2.1 million** containers in 2023, up 8% on 2022.\n"
        "Dock workers voted 312 to 40 to accept the new contract.\n",
        encoding="utf-8",
    )
    result = cli("ingest", "-", str(other), "--json", stdin=SEED.read_text(encoding="utf-8"))
    assert result.code == 0, result.err
    docs = result.json()
    assert len(docs) == 2 and docs[0]["article_id"] != docs[1]["article_id"]
    md_claims = [c["text"] for c in docs[1]["claims"]]
    assert any("2.1 million" in c and "**" not in c for c in md_claims)


def test_plain_summary(cli: Any) -> None:
    result = cli("ingest", str(SEED))
    assert result.code == 0
    assert "sentences" in result.out and "claims" in result.out


def test_promote_sentence(cli: Any, store: Any) -> None:
    from workbench.claims.reading import article_sentences

    doc = cli("ingest", str(SEED), "--json").json()
    with store.read() as session:
        sentences = article_sentences(session, "ana", doc["article_id"])
    claimed = {c["text"] for c in doc["claims"]}
    position, text, _ = next(s for s in sentences if s[1] not in claimed)
    result = cli(
        "claim", "add", "--article", str(doc["article_id"]), "--sentence", str(position), "--json"
    )
    assert result.code == 0, result.err
    assert result.json()["text"] == text
    again = cli(
        "claim", "add", "--article", str(doc["article_id"]), "--sentence", str(position), "--json"
    )
    assert again.json()["id"] == result.json()["id"]
    missing = cli("claim", "add", "--article", str(doc["article_id"]), "--sentence", "9999")
    assert missing.code == 1 and "no sentence 9999" in missing.err


# ---------------------------------------------------------------- bad input


def _nothing_stored(cli: Any) -> None:
    assert cli("claims", "--json").json() == []


def test_empty_file(cli: Any, tmp_path: Path) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    result = cli("ingest", str(path))
    assert result.code == 1 and "empty" in result.err
    _nothing_stored(cli)


def test_binary_file(cli: Any, tmp_path: Path) -> None:
    path = tmp_path / "photo.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 20)
    result = cli("ingest", str(path))
    assert result.code == 1 and "not text" in result.err
    _nothing_stored(cli)


def test_legacy_encoding_is_decoded(cli: Any, tmp_path: Path) -> None:
    path = tmp_path / "legacy.txt"
    text = (
        "Le café municipal a vendu 12 000 crêpes en 2023, selon la mairie.\n"
        "La fréquentation a augmenté de 15 % par rapport à 2022.\n"
    )
    path.write_bytes(text.encode("cp1252"))
    result = cli("ingest", str(path), "--json")
    assert result.code == 0, result.err
    with_article = cli("claims", "--json", "--limit", "100").json()
    assert any("café" in c["text"] or "fréquentation" in c["text"] for c in with_article) or (
        result.json()["sentences"] >= 2
    )


def test_file_over_size_limit(cli: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "config.toml"
    config.write_text("[ingest]\nmax_bytes = 1000\n")
    monkeypatch.setenv("WORKBENCH_CONFIG", str(config))
    path = tmp_path / "long.txt"
    path.write_text("The council spent 5 million euros on roads in 2021. " * 100)
    result = cli("ingest", str(path))
    assert result.code == 1 and "limit" in result.err and "ingest.max_bytes" in result.err
    _nothing_stored(cli)


def test_html_without_article_text(cli: Any, tmp_path: Path) -> None:
    path = tmp_path / "empty.html"
    path.write_text(
        "<html><head><style>p{}</style><script>var a = 1;</script></head>"
        "<body><nav><a href='/'>Home</a></nav></body></html>"
    )
    result = cli("ingest", str(path))
    assert result.code == 1 and "article" in result.err.lower()
    _nothing_stored(cli)


def test_missing_file_and_bad_scheme(cli: Any) -> None:
    result = cli("ingest", "/nonexistent/article.txt")
    assert result.code == 1 and "no such file" in result.err
    result = cli("ingest", "ftp://example.org/a.txt")
    assert result.code == 1 and "http" in result.err
    _nothing_stored(cli)


def test_url_that_fails(cli: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    import socket

    monkeypatch.setenv("WORKBENCH_ALLOW_PRIVATE_NETWORKS", "1")
    with socket.socket() as sock:  # a port with nobody listening
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    result = cli("ingest", f"http://127.0.0.1:{port}/story")
    assert result.code == 1
    assert "could not fetch" in result.err
    _nothing_stored(cli)


def test_url_refused_when_private(cli: Any) -> None:
    result = cli("ingest", "http://127.0.0.1:9/story")
    assert result.code == 1 and "could not fetch" in result.err
    _nothing_stored(cli)


def test_url_is_ingested(cli: Any, httpserver: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WORKBENCH_ALLOW_PRIVATE_NETWORKS", "1")
    httpserver.expect_request("/story").respond_with_data(
        FURNITURE_HTML.read_bytes(), content_type="text/html; charset=utf-8"
    )
    result = cli("ingest", httpserver.url_for("/story"), "--json")
    assert result.code == 0, result.err
    assert any("$4.8 million" in c for c in _claim_texts(result))


# ---------------------------------------------------------------- rank-sentences


def test_rank_sentences_keeps_order_and_count(cli: Any) -> None:
    lines = [
        "Unemployment fell to 3.5% in 2019, the lowest rate since 1969.",
        "",
        "Thank you all for coming tonight.",
        "The bridge carries 9,000 vehicles a day.",
    ]
    result = cli("rank-sentences", stdin="\n".join(lines) + "\n")
    assert result.code == 0, result.err
    scores = [float(x) for x in result.out.splitlines()]
    assert len(scores) == len(lines)
    assert scores[0] > scores[2]
    assert all(0.0 <= s <= 1.0 for s in scores)
