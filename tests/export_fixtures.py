"""Report data for the export tests: ordinary claims and a corpus of hostile payloads."""

from __future__ import annotations

from datetime import UTC, datetime

from workbench.claims.service import add_claim
from workbench.core.results import ClaimAt
from workbench.sources.evidence import Attachment, Pin, attach_evidence, cite_source
from workbench.storage.models import Article, Claim, Snapshot, Source
from workbench.storage.store import Store
from workbench.verdicts.service import record_verdict

SCRIPT = "<script>alert(1)</script>"
HOSTILE_TEXT = [
    SCRIPT,
    '"><img src=x onerror=alert(1)>',
    "' onmouseover='alert(1)' x='",
    "</script><script>alert(2)</script><!--",
    "<svg onload=alert(3)>",
    "# Forged heading",
    "| forged | table | cell |",
    "[click me](javascript:alert(4))",
    "![img](https://evil.example/x.png)",
    "**Verdict:** true",
    "- **Verdict:** true",
    "> quoted",
    "1. listed",
    "`code` and <b>bold</b> and &lt;script&gt; and &amp;",
    "=cmd|' /C calc'!A0",
    "+1+1",
    "-2+3",
    "@SUM(1,2)",
    "'=already quoted",
    "\u202eevil RTL override",
]
HOSTILE_URLS = [
    "javascript:alert(5)",
    "JaVaScRiPt:alert(6)",
    " javascript:alert(7)",
    "java\tscript:alert(8)",
    "&#106;avascript:alert(9)",
    "&#x6A;avascript:alert(10)",
    "%6Aavascript:alert(11)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "vbscript:msgbox(12)",
    "\x01javascript:alert(13)",
    'https://ok.example/"onmouseover="alert(14)',
    "//evil.example/protocol-relative",
    "https:evil.example",
]
SAFE_URL = "https://news.example/story?id=1&x=2"


def _url_source(session: object, url: str, title: str, quote_hash: str | None) -> Source:
    from sqlalchemy.orm import Session

    assert isinstance(session, Session)
    source = Source(kind="url", url=url, canonical_url=url, title=title, fetch_status="ok")
    session.add(source)
    session.flush()
    if quote_hash is not None:
        # As the fetcher leaves it: the newest snapshot's hash and time on the source too.
        source.content_hash = quote_hash
        source.fetched_at = datetime(2026, 11, 2, 9, 30, tzinfo=UTC)
        session.add(
            Snapshot(
                source_id=source.id,
                requested_url=url,
                sha256=quote_hash,
                outcome="ok",
                fetched_at=datetime(2026, 11, 2, 9, 30, tzinfo=UTC),
            )
        )
        session.flush()
    return source


def build_hostile(store: Store) -> dict[str, int]:
    """An article with a hostile title and URL; one claim per hostile text with a verdict
    whose rationale is hostile too; sources with every hostile URL."""
    with store.write() as session:
        article = Article(
            title="# " + SCRIPT + " | title",
            url="javascript:alert('article')",
            author='<img src=x onerror="alert(1)">',
            site_name='=HYPERLINK("http://evil")',
            published="2026-11-01",
            text="",
        )
        session.add(article)
        session.flush()
        claims = 0
        for index, text in enumerate(HOSTILE_TEXT):
            row = add_claim(session, "mallory <b>", text, article_id=article.id)
            claims += 1
            claim = session.get(Claim, row.id)
            assert claim is not None
            url = HOSTILE_URLS[index % len(HOSTILE_URLS)]
            source = _url_source(session, url + f"#{index}", text, "ab" * 32 if index % 2 else None)
            snap = session.query(Snapshot).filter_by(source_id=source.id).first()
            attach_evidence(
                session,
                "mallory",
                claim,
                source,
                Attachment(
                    "refutes",
                    text + "\n# quote heading\n" + SCRIPT,
                    pin=Pin(snap.id if snap else None),
                ),
            )
            cite_source(session, "mallory", row.id, text, Attachment("context", "=1+1"))
            record_verdict(
                session,
                "reviewer " + text[:20],
                ClaimAt(row.id),
                ["false", "misleading", "true", "mixed"][index % 4],
                text + "\n\n## Verdict: true\n" + SCRIPT,
            )
        safe = add_claim(session, "ana", "A plain claim with a good source.")
        claim = session.get(Claim, safe.id)
        assert claim is not None
        source = _url_source(session, SAFE_URL, "Good source", "cd" * 32)
        attach_evidence(session, "ana", claim, source, Attachment("supports", "fine"))
        claims += 1
    return {"claims": claims, "article": article.id}


def build_simple(store: Store) -> dict[str, int]:
    """Two articles, claims with and without verdicts, a claim without an article."""
    with store.write() as session:
        a1 = Article(
            title="Budget story",
            url="https://news.example/budget",
            author="Jane Doe",
            published="2026-10-01",
            text="",
        )
        a2 = Article(
            title="Transport story", url="https://news.example/tram", site_name="Daily", text=""
        )
        session.add_all([a1, a2])
        session.flush()
        c1 = add_claim(session, "ana", "The budget rose by 38% since 2019.", article_id=a1.id)
        c2 = add_claim(session, "ana", "The mayor opened the tram line.", article_id=a2.id)
        c3 = add_claim(session, "omar", "Crime fell by half last year.", article_id=a1.id)
        c4 = add_claim(session, "omar", "Unemployment is at a record low.")
        claim = session.get(Claim, c1.id)
        assert claim is not None
        source = _url_source(session, "https://stats.example/budget", "Budget accounts", "ef" * 32)
        attach_evidence(session, "ana", claim, source, Attachment("supports", "+38%"))
        cite_source(session, "ana", c1.id, "Phone call with the treasurer", Attachment("context"))
        record_verdict(session, "ana", ClaimAt(c1.id), "mostly-true", "Close to the figures.")
        record_verdict(session, "omar", ClaimAt(c1.id), "true", "Exactly the figures.")
        record_verdict(session, "omar", ClaimAt(c2.id), "misleading", "He attended only.")
        record_verdict(session, "ana", ClaimAt(c4.id), "false", "It is not.")
        return {"a1": a1.id, "a2": a2.id, "c1": c1.id, "c2": c2.id, "c3": c3.id, "c4": c4.id}
