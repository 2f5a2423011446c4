"""The reader's report (HTML, Markdown) puts verdicts first; the open claims come only when
asked; the header never shows the placeholder organisation. JSON keeps every claim."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

from tests.export_fixtures import build_simple
from workbench.claims.service import set_status
from workbench.core.results import ClaimAt, ClaimFilter
from workbench.export import ExportOptions, write_report
from workbench.export.data import ReportQuery
from workbench.storage.store import Store
from workbench.team.workflow import send_back

OPEN_TEXT = "Crime fell by half last year."  # claim c3 of build_simple: no verdict


def render(store: Store, fmt: str, **kw: Any) -> str:
    out = io.StringIO()
    with store.read() as session:
        write_report(fmt, session, ExportOptions(**kw), out)
    return out.getvalue()


def test_html_lists_verdicts_first_and_open_claims_only_when_asked(store: Store) -> None:
    build_simple(store)
    html = render(store, "html")
    assert OPEN_TEXT not in html
    assert "3 reviewed or approved claims listed below; 1 open claim not listed" in html
    assert html.count('<article class="claim') == 3
    assert html.index("Claims by rating") < html.index("<h2>Verdicts</h2>")
    assert html.index("<h2>Verdicts</h2>") < html.index("The budget rose by 38%")
    assert "Open claims" not in html

    full = render(store, "html", include_open=True)
    assert full.count('<article class="claim') == 4
    assert "then 1 open claim" in full
    verdicts, open_part = full.index("<h2>Verdicts</h2>"), full.index("<h2>Open claims</h2>")
    for text in ("The budget rose by 38%", "The mayor opened", "Unemployment is at"):
        assert verdicts < full.index(text) < open_part  # every verdict before the open part
    assert full.index(OPEN_TEXT) > open_part


def test_sent_back_and_dismissed_claims_are_open(store: Store) -> None:
    ids = build_simple(store)
    with store.write() as session:
        send_back(session, "zoe", ClaimAt(ids["c2"]), "Quote the council minutes.")
        set_status(session, "zoe", ClaimAt(ids["c3"]), "dismissed")
    html = render(store, "html")
    assert "The mayor opened" not in html and OPEN_TEXT not in html
    assert "2 reviewed or approved claims listed below; 2 open claims not listed" in html
    # Asking for an open status by filter lists those claims without --include-open.
    asked = render(store, "html", query=ReportQuery(filter=ClaimFilter(status="dismissed")))
    assert OPEN_TEXT in asked and "No claim in this report has a published verdict" in asked


def test_markdown_follows_the_same_order(store: Store) -> None:
    build_simple(store)
    md = render(store, "md")
    assert OPEN_TEXT not in md and "## Verdicts" in md and "--include-open" in md
    full = render(store, "md", include_open=True)
    assert (
        full.index("## Verdicts") < full.index("Unemployment is at") < full.index("## Open claims")
    )
    assert full.index("## Open claims") < full.index(OPEN_TEXT)


def test_header_shows_only_a_configured_organisation(store: Store) -> None:
    build_simple(store)
    for fmt in ("html", "md"):
        default = render(store, fmt)
        assert "example.org" not in default and "Workbench fact-check desk" not in default
        named = render(
            store,
            fmt,
            organisation_name="Harbourside Fact Check",
            organisation_url="https://hfc.example/",
        )
        assert "Harbourside Fact Check" in named and "https://hfc.example/" in named
    assert "<title>Verdict report</title>" in render(store, "html")
    # ClaimReview still needs an author: the placeholder stays there (its contract).
    assert "example.org" in render(store, "claimreview")


def test_json_and_csv_keep_every_claim(store: Store) -> None:
    build_simple(store)
    assert len(json.loads(render(store, "json"))["claims"]) == 4
    assert OPEN_TEXT in render(store, "csv")


def test_cli_include_open(tmp_path: Path, store: Store, cli: Any) -> None:
    build_simple(store)
    target = tmp_path / "r.html"
    result = cli("export", "--format", "html", "-o", str(target))
    assert result.code == 0 and "wrote 3 claims" in result.err
    assert OPEN_TEXT not in target.read_text(encoding="utf-8")
    result = cli("export", "--format", "html", "--include-open", "-o", str(target))
    assert result.code == 0 and "wrote 4 claims" in result.err
    assert OPEN_TEXT in target.read_text(encoding="utf-8")
