"""Behaviour tests for HTML main-text extraction."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from workbench.ingest.html import MAX_TITLE, ExtractedArticle, NoArticleText, extract_html
from workbench.ingest.split import split_sentences

DATA = Path(__file__).parent / "data"

BODY_SENTENCES = [
    "The Riverton city council voted 7 to 2 on Tuesday night to spend $4.8 million repairing "
    "the Mill Street bridge, which engineers closed to trucks last autumn after finding "
    "corroded steel in two of its supports.",
    "Mayor Elena Ruiz said the repairs would begin in June and take about eight months.",
    "“We cannot keep sending school buses on a twelve-mile detour,” she told the packed chamber.",
    "The money comes from a state infrastructure grant of $3.1 million and from the city’s "
    "reserve fund, which stood at $11 million at the end of 2023, according to the finance "
    "department.",
    "Councillor Tom Barker, one of the two members who voted against the plan, argued that "
    "replacing the bridge outright would cost less over thirty years.",
    "The engineering firm hired by the city estimated a new bridge at $19 million.",
    "The bridge, built in 1958, carries roughly 9,000 vehicles a day.",
    "Its weight limit was cut from 40 tons to 10 tons in October.",
]


@pytest.fixture(scope="module")
def article() -> ExtractedArticle:
    data = (DATA / "article-with-furniture.html").read_bytes()
    return extract_html(data, url="https://ledger.example/news/bridge-budget")


def test_only_the_article_body_comes_out(article: ExtractedArticle) -> None:
    assert [s.text for s in split_sentences(article.text)] == BODY_SENTENCES


@pytest.mark.parametrize(
    "furniture",
    [
        "cookies",
        "Accept all",
        "Skip to content",
        "Subscribe",
        "Share",
        "Tweet",
        "Copy link",
        "Advertisement",
        "Related stories",
        "school bus detour",
        "Comments",
        "commute has doubled",
        "Privacy policy",
        "All rights reserved",
        "Harbour Road",
        "tracked",
        "font-family",
    ],
)
def test_no_page_furniture_leaks(article: ExtractedArticle, furniture: str) -> None:
    assert furniture.lower() not in article.text.lower()


def test_paragraphs_are_separated_by_blank_lines(article: ExtractedArticle) -> None:
    paragraphs = article.text.split("\n\n")
    assert len(paragraphs) == 5
    assert all(p and p == p.strip() and "\n" not in p for p in paragraphs)


def test_metadata(article: ExtractedArticle) -> None:
    assert article.title == "Riverton council approves bridge repair budget"
    assert article.author == "Dana Whitfield"
    assert article.date == "2024-03-14"
    assert article.site_name == "The Riverton Ledger"
    assert article.url == "https://ledger.example/news/bridge-budget"


def test_str_input_gives_the_same_text(article: ExtractedArticle) -> None:
    html = (DATA / "article-with-furniture.html").read_text(encoding="utf-8")
    assert extract_html(html).text == article.text


def test_charset_only_in_meta_is_honoured() -> None:
    data = (DATA / "legacy-charset.html").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")  # the fixture really is a legacy encoding
    result = extract_html(data)
    assert "Renée Dupré" in result.text
    assert "Zürich" in result.text
    assert "“We cannot absorb another rise like that,” she said on Monday." in result.text
    assert result.title == "Prices at the harbour café"


@pytest.mark.parametrize(
    "html",
    [
        "<html><head><style>body{color:red}</style><script>var a = 1;</script></head>"
        "<body><script>document.write('hello there, this is script text')</script>"
        "<style>p { margin: 0 }</style></body></html>",
        "",
        "   \n ",
        b"",
        "<html><head><title>Menu</title></head><body><nav><ul><li><a href='/'>Home</a></li>"
        "<li><a href='/news'>News</a></li><li><a href='/sport'>Sport</a></li></ul></nav>"
        "<div class='share'><a>Share</a> <a>Tweet</a></div><footer><a>Privacy policy</a>"
        "</footer></body></html>",
    ],
)
def test_pages_without_article_text_raise(html: str | bytes) -> None:
    with pytest.raises(NoArticleText, match=r"no article text|empty"):
        extract_html(html)


def test_huge_title_is_capped() -> None:
    body = (
        "The harbour master said the channel would be dredged in July. "
        "Work is expected to last six weeks and cost about $2 million. "
        "Fishing boats will be moved to the north quay while it is done. "
    )
    html = f"<html><head><title>{'Very long title ' * 20000}</title></head><body>"
    html += f"<article><p>{body}</p><p>{body.upper()}</p></article></body></html>"
    result = extract_html(html)
    assert result.title is not None
    assert len(result.title) <= MAX_TITLE
    assert result.title.startswith("Very long title")


def test_control_characters_and_escapes_are_removed_from_extracted_text() -> None:
    html = (
        "<html><body><article><p>The mayor\u00a0said\x1b[2J the budget was \u200bbalanced "
        "and that taxes would not rise next year, according to the minutes.</p><p>Council "
        "members\x07 approved the plan unanimously after a short debate on Tuesday.</p>"
        "</article></body></html>"
    )
    text = extract_html(html).text
    assert "The mayor said the budget was balanced" in text
    assert all(ch >= " " or ch == "\n" for ch in text)


def test_ingest_modules_do_not_import_ui_network_or_database_libraries() -> None:
    code = (
        "import sys\n"
        "import workbench.ingest.decode, workbench.ingest.clean, workbench.ingest.split\n"
        "import workbench.ingest.html\n"
        "bad = [m for m in ('textual', 'httpx', 'sqlalchemy', 'trafilatura') if m in sys.modules]\n"
        "assert not bad, bad\n"
    )
    root = Path(__file__).resolve().parents[1]
    subprocess.run([sys.executable, "-c", code], check=True, cwd=root)


def test_a_year_in_the_text_does_not_date_the_article() -> None:
    body = "".join(
        f"<p>The harbour tunnel opened in 1998 and carried {n} thousand cars a day last year, "
        "the transport office said in its annual report.</p>"
        for n in range(8)
    )
    undated = (
        "<html><head><title>Tunnel traffic</title></head>"
        f"<body><article>{body}</article></body></html>"
    )
    assert extract_html(undated).date is None
    dated = undated.replace(
        "<head>", '<head><meta property="article:published_time" content="2025-06-02T08:00:00Z">'
    )
    assert extract_html(dated).date == "2025-06-02"


def test_justext_gets_trafilaturas_stoplist_as_a_set_of_the_same_words() -> None:
    import trafilatura.external as external

    from workbench.ingest.html import _stoplist_as_set

    _stoplist_as_set()
    words = external.jt_stoplist_init()
    assert isinstance(words, frozenset) and external.JT_STOPLIST is words
    assert {"the", "und", "le", "que"} <= words
    # A page justext reads (trafilatura's text is too short) still gives its text.
    page = "<html><body><div>" + "<br>".join(f"Line {n} of a short note." for n in range(9))
    assert "Line 3 of a short note." in extract_html(page + "</div></body></html>").text
