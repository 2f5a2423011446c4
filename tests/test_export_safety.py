"""Reports made from hostile text: parsed back, nothing in them runs or forges structure."""

from __future__ import annotations

import csv
import io
import json
from html.parser import HTMLParser
from typing import Any

import pytest
from markdown_it import MarkdownIt

from tests.export_fixtures import HOSTILE_TEXT, HOSTILE_URLS, SAFE_URL, SCRIPT, build_hostile
from workbench.export import ExportOptions, write_report
from workbench.export.safety import (
    csv_guard,
    csv_unguard,
    md_link,
    md_text,
    safe_url,
)
from workbench.storage.store import Store

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def render(store: Store, fmt: str, **kw: Any) -> str:
    out = io.StringIO()
    with store.read() as session:
        write_report(fmt, session, ExportOptions(**kw), out)
    return out.getvalue()


@pytest.mark.parametrize("url", HOSTILE_URLS)
def test_hostile_urls_are_never_links(url: str) -> None:
    assert safe_url(url) is None
    assert "](" not in md_link("label", url)


@pytest.mark.parametrize(
    "url", ["http://a.example", "https://a.example/p?q=1#f", "HTTPS://A.EXAMPLE/x"]
)
def test_plain_http_urls_are_links(url: str) -> None:
    assert safe_url(url) == url


class Parsed(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str, str | None]] = []
        self.text: list[str] = []
        self.comments: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attrs.extend((tag, k, v) for k, v in attrs)

    handle_startendtag = handle_starttag

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def handle_comment(self, data: str) -> None:
        self.comments.append(data)


def test_html_report_from_payloads(store: Store) -> None:
    build_hostile(store)
    html = render(store, "html", organisation_url="javascript:alert('org')", include_open=True)
    page = Parsed()
    page.feed(html)
    page.close()
    assert "script" not in page.tags
    assert "img" not in page.tags and "iframe" not in page.tags and "object" not in page.tags
    assert [a for a in page.attrs if a[1].lower().startswith("on")] == []
    assert page.comments == []
    hrefs = [v for tag, k, v in page.attrs if k in ("href", "src", "xlink:href")]
    assert hrefs and all(v is not None and safe_url(v) == v for v in hrefs)
    assert SAFE_URL in hrefs  # the one good source is still a link, its & escaped
    assert "id=1&amp;x=2" in html
    text = "".join(page.text)
    for payload in HOSTILE_TEXT:  # every payload is shown literally, as text
        assert payload in text
    for url in HOSTILE_URLS:
        if url.strip() and "\x01" not in url and "\t" not in url:
            assert url.strip() in text
    # Attributes hold only our own values: classes, ids, our links.
    for _tag, name, value in page.attrs:
        if name in ("class", "id"):
            assert value is not None and all(ch.isalnum() or ch in " -_" for ch in value), value


def test_markdown_report_from_payloads(store: Store) -> None:
    info = build_hostile(store)
    md = render(store, "md", include_open=True)
    tokens = MarkdownIt("commonmark").enable("table").enable("strikethrough").parse(md)
    kinds = {t.type for t in tokens}
    assert "html_block" not in kinds
    headings = [tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "heading_open"]
    # Ours only: the title, the summary, the two parts (verdicts, open claims), one article,
    # one group without article, the claims.
    assert len(headings) == 6 + info["claims"]
    assert headings[0] == "Verdict report" and headings[1] == "Summary"
    claim_headings = [h for h in headings if h.startswith("Claim ")]
    assert len(claim_headings) == info["claims"]
    inline = [c for t in tokens if t.type == "inline" for c in (t.children or [])]
    assert not [c for c in inline if c.type == "html_inline"]
    assert not [c for c in inline if c.type == "image"]
    links = [c.attrs.get("href") for c in inline if c.type == "link_open"]
    assert links and all(isinstance(h, str) and h.startswith("https://") for h in links)
    strong = [inline[i + 1].content for i, c in enumerate(inline) if c.type == "strong_open"]
    # Exactly one "Verdict:" label per claim: the payloads could not forge another.
    assert strong.count("Verdict:") == info["claims"]
    # The summary table has its own rows and three columns in each.
    rows = [t for t in tokens if t.type == "tr_open"]
    cells = [t for t in tokens if t.type in ("td_open", "th_open")]
    assert len(cells) == 3 * len(rows)
    plain = "".join(c.content for c in inline if c.type == "text")
    for payload in HOSTILE_TEXT:  # shown literally, as text
        assert payload in plain, payload


@pytest.mark.parametrize("per_evidence", [False, True])
def test_csv_from_payloads_is_guarded_and_round_trips(store: Store, per_evidence: bool) -> None:
    build_hostile(store)
    text = render(store, "csv", per_evidence=per_evidence)
    rows = list(csv.reader(io.StringIO(text)))
    header, body = rows[0], rows[1:]
    assert body
    for row in body:
        assert len(row) == len(header)
        for cell in row:
            assert not cell.startswith(FORMULA_START), cell
    texts = {csv_unguard(row[header.index("text")]) for row in body}
    assert set(HOSTILE_TEXT) <= texts


@pytest.mark.parametrize(
    "value",
    ["=1+1", "+1", "-1", "@x", "\tx", "\rx", "'=x", "''+x", "'plain", "plain", "", "a=b"],
)
def test_csv_guard_round_trip(value: str) -> None:
    guarded = csv_guard(value)
    assert isinstance(guarded, str)
    assert not guarded.startswith(FORMULA_START)
    assert csv_unguard(guarded) == value
    buffer = io.StringIO()
    csv.writer(buffer).writerow([guarded])
    assert csv_unguard(next(csv.reader(io.StringIO(buffer.getvalue())))[0]) == value


@pytest.mark.parametrize("payload", HOSTILE_TEXT + [SCRIPT + "\n# x"])
def test_md_text_is_one_inert_line(payload: str) -> None:
    line = md_text(payload)
    assert "\n" not in line
    tokens = MarkdownIt("commonmark").enable("table").parse("prefix " + line + "\n\n" + line)
    assert [t.type for t in tokens] == [
        "paragraph_open",
        "inline",
        "paragraph_close",
        "paragraph_open",
        "inline",
        "paragraph_close",
    ]
    kids = [c.type for t in tokens if t.type == "inline" for c in (t.children or [])]
    assert set(kids) <= {"text", "softbreak"}


def test_claimreview_from_payloads_is_json(store: Store) -> None:
    build_hostile(store)
    doc = json.loads(render(store, "claimreview"))
    texts = {r["claimReviewed"] for r in doc["dataFeedElement"]}
    assert set(HOSTILE_TEXT) <= texts
    for review in doc["dataFeedElement"]:
        appearance = review["itemReviewed"].get("appearance", {})
        assert "url" not in appearance  # the article's javascript: URL is not published


def test_autoescape_by_template_name() -> None:
    from workbench.export.templating import html_environment, markdown_environment

    html = html_environment().from_string("{{ x }}")  # unnamed: escaped by default
    assert html.render(x="<b>") == "&lt;b&gt;"
    report = html_environment().get_template("report.html.j2")
    assert report.environment.autoescape("report.html.j2") is True  # type: ignore[operator]
    md = markdown_environment().get_template("report.md.j2")
    assert md.environment.autoescape("report.md.j2") is False  # type: ignore[operator]
