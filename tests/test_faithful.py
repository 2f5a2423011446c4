"""Faithful extraction: no article text lost or changed, promotional lines dropped, and every
stored claim a whole sentence of the article text, verbatim."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import SHARED
from workbench.ingest.faithful import has_gap, is_whole, reconcile
from workbench.ingest.furniture import is_promotional
from workbench.ingest.html import extract_html
from workbench.ingest.split import split_sentences

DATA = Path(__file__).parent / "data"
PAGES = sorted(p for p in DATA.glob("*.html") if p.with_suffix(".body.txt").is_file())


def _body(page: Path) -> list[str]:
    return [b for b in page.with_suffix(".body.txt").read_text("utf-8").splitlines() if b]


def test_reconcile_restores_words_the_precise_extraction_lost() -> None:
    precise = "Schefter has reported that for his role in the fight.\nThe team lost 24-27."
    fuller = (
        "Home\nSchefter has reported that the NFL will fine Carter for his role in the fight.\n"
        "The team lost 24-27.\nRead more: other news"
    )
    # The precise choice of paragraphs, the fuller one's words.
    assert reconcile(precise, fuller) == (
        "Schefter has reported that the NFL will fine Carter for his role in the fight.\n"
        "The team lost 24-27."
    )
    assert has_gap("reported that for his role", "reported that the NFL will fine for his role")
    assert not has_gap("The team lost.", "The team lost.")


def test_reconcile_falls_back_when_the_precise_text_lost_the_article() -> None:
    article = "\n".join(
        f"Paragraph {i} of the article has quite a few words in it." for i in range(8)
    )
    notice = "This article is the copyrighted property of the Daily."
    assert reconcile(notice, article + "\n" + notice) == article + "\n" + notice
    assert reconcile(None, article) == article
    # A fuller extraction of menu items only is no article: the precise one (none) stands.
    assert reconcile("", "Home\nNews\nSport") == ""


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.stem)
def test_pages_keep_their_whole_body_and_nothing_gapped(page: Path) -> None:
    text = " ".join(extract_html(page.read_bytes()).text.split())
    for sentence in _body(page):
        assert sentence in text, sentence
    for sentence in split_sentences(text):
        for body in _body(page):
            assert not (has_gap(sentence.text, body) and sentence.text not in body), sentence


@pytest.mark.parametrize(
    "line",
    [
        "Read more: Dale's ejection was his second in two seasons",
        "SEE MORE: Video of the fight from the stands",
        "Related: Where every team stands after week 9",
        "Download: http://example.org/app",
        "Subscribe now for unlimited access to every story, just $1 for your first month.",
        "MORE: Dock workers call off strike after pay deal",
        "- A SIMPLE GUIDE: How do I protect myself?",
        "If you're on the ABC7 News app, click here to watch live",
        "Posted: Thursday, April 21, 2022.",
        "Views: 184",
        "This article is the copyrighted property of Breaking Belize News.",
        "Written permission must be obtained before reprint in online or print media.",
        "To reach the reporter behind this story, contact tips@example.org.",
        "Аdvеrtіѕе wіth thе most visited news site ~ Wе оffеr packages.",  # Cyrillic look-alikes
        "By Ruth Castellanos, Gazette staff writer",
    ],
)
def test_promotional_lines_are_furniture(line: str) -> None:
    assert is_promotional(line)


@pytest.mark.parametrize(
    "line",
    [
        "Shares of Apple fell 3% on Monday.",
        "Updated rules took effect in 2021.",
        "Related stories were published on Monday by the Times.",
        "By 2028, the trust aims to convert 110,000 apartments.",
        "Anyone with information is asked to call police at 502-9991.",
        "The council read the report: it found 12 faults.",
    ],
)
def test_article_sentences_are_not_furniture(line: str) -> None:
    assert not is_promotional(line)


# Sentences for the property test: words, numbers, and inline elements that trafilatura's
# precise mode drops (a span whose class is "link", an inline border style) around some words.
_WORDS = st.sampled_from(
    "the council voted to spend million on repairs after engineers found corroded steel in "
    "two supports of the bridge which carries vehicles a day".split()
)
_WRAPS = [
    '<a href="/x">{}</a>',
    "<em>{}</em>",
    '<span class="link"><a href="/y">{}</a></span>',
    '<span style="border-bottom: 1px dotted">{}</span>',
    "<strong>{}</strong>",
]


@st.composite
def _sentence(draw: Any) -> tuple[str, str]:
    words = draw(st.lists(_WORDS, min_size=8, max_size=18))
    words[0] = words[0].capitalize()
    words.insert(draw(st.integers(1, len(words) - 1)), str(draw(st.integers(2, 9999))))
    plain = " ".join(words) + "."
    cut = draw(st.integers(1, len(words) - 2))
    span = draw(st.integers(1, 3))
    wrap = draw(st.sampled_from(_WRAPS))
    inner = " ".join(words[cut : cut + span])
    marked = " ".join(words[:cut]) + " " + wrap.format(inner) + " " + " ".join(words[cut + span :])
    return plain, marked.rstrip() + "."


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_sentence(), min_size=4, max_size=7, unique_by=lambda s: s[0]))
def test_extracted_sentences_are_the_article_sentences_verbatim(
    sentences: list[tuple[str, str]],
) -> None:
    paragraphs = "".join(f"<p>{marked}</p>\n" for _, marked in sentences)
    page = (
        "<html><head><title>Bridge repairs</title></head><body><nav><a href='/'>Home</a>"
        f"</nav><main><article><h1>Bridge repairs</h1>{paragraphs}</article></main>"
        "<footer>Contact us</footer></body></html>"
    )
    text = extract_html(page).text
    plain = {" ".join(p.split()) for p, _ in sentences}
    got = [" ".join(s.text.split()) for s in split_sentences(text)]
    # Every sentence is one of the article's, whole (the headline is no sentence), and the
    # article is there.
    assert all(g in plain for g in got if g.endswith(".")), (got, plain)
    assert len([g for g in got if g in plain]) == len(plain), (got, plain)


def test_every_stored_claim_is_a_whole_sentence_of_its_article(cli: Any, store: Any) -> None:
    from workbench.storage.models import Article, Claim

    sources = [*PAGES, SHARED / "samples" / "seed-article.txt"]
    for source in sources:
        result = cli("ingest", str(source), "--json")
        assert result.code == 0, result.err
        doc = result.json()
        with store.read() as session:
            article = session.get(Article, doc["article_id"])
            assert article is not None
            sentences = {(s.start, s.end) for s in split_sentences(article.text)}
            for item in doc["claims"]:
                claim = session.get(Claim, item["id"])
                assert claim is not None and claim.start is not None and claim.end is not None
                assert article.text[claim.start : claim.end] == claim.text
                assert (claim.start, claim.end) in sentences, claim.text
        if source.suffix == ".html":
            body = " ".join(" ".join(_body(source)).split())
            for item in doc["claims"]:
                assert " ".join(item["text"].split()) in body, item["text"]


def _news_page(paragraphs: list[str], comments: int = 3) -> str:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    thread = "".join(
        f"<li class='comment'><p>Reader {i} thinks the council should have waited longer.</p></li>"
        for i in range(comments)
    )
    return (
        "<html><head><title>Bridge repairs</title></head><body><nav><ul>"
        + "".join(f"<li><a href='/s{i}'>Section {i}</a></li>" for i in range(12))
        + f"</ul></nav><main><article><h1>Bridge repairs</h1>{body}</article>"
        f"<section id='comments'><ol>{thread}</ol></section></main>"
        "<footer><p>Copyright 2024 The Example</p></footer></body></html>"
    )


_ARTICLE = [
    f"The council voted on Tuesday to spend {n} million on repairs to the river bridge, after "
    f"engineers found corroded steel in {n % 7 + 2} of its supports during an inspection."
    for n in range(11, 31)
]


def test_a_precise_text_of_whole_paragraphs_needs_no_fuller_extraction() -> None:
    import trafilatura

    tree = trafilatura.load_html(_news_page(_ARTICLE))
    precise = "\n".join(_ARTICLE)
    assert is_whole(precise, tree)
    # A paragraph missing words in the middle (an inline element dropped) is no whole text.
    gapped = _ARTICLE[3].replace(" on repairs to the river bridge,", ",")
    assert not is_whole("\n".join([*_ARTICLE[:3], gapped, *_ARTICLE[4:]]), tree)
    # Nor is one that stops early, or a share of the article too small for the page.
    assert not is_whole("\n".join([*_ARTICLE[:5], _ARTICLE[5][:60]]), tree)
    assert not is_whole("\n".join(_ARTICLE[:6]), tree)
    # Short texts always get a fuller pass (with trafilatura's fallbacks).
    assert not is_whole(_ARTICLE[0], trafilatura.load_html(_news_page(_ARTICLE[:1])))


def _page(body: str) -> Any:
    import trafilatura

    return trafilatura.load_html(
        "<html><head><title>Bridge repairs</title></head><body><nav><a href='/'>Home"
        f"</a><a href='/news'>News</a></nav>{body}<footer>Contact us</footer></body></html>"
    )


def test_a_paragraph_that_is_a_run_of_text_between_blocks_is_whole() -> None:
    # Lines split by <br>s, text straight in a <div> around a paragraph, inline wrappers:
    # no element's whole text, but nothing of them can be missing.
    lines = "<br>".join(f"<span>{a[:40]}</span>{a[40:]}" for a in _ARTICLE[2:])
    tree = _page(f"<div class='story'>{_ARTICLE[0]}<p>{_ARTICLE[1]}</p>{lines}<br></div>")
    assert is_whole("\n".join(_ARTICLE), tree)
    # A line with words missing inside it, or cut short, is still no whole paragraph.
    gapped = _ARTICLE[7].replace(" on repairs to the river bridge,", ",")
    assert not is_whole("\n".join([*_ARTICLE[:7], gapped, *_ARTICLE[8:]]), tree)
    assert not is_whole("\n".join([*_ARTICLE[:7], _ARTICLE[7][:70], *_ARTICLE[8:]]), tree)
    # Two lines joined are no run of the page either.
    assert not is_whole("\n".join([*_ARTICLE[:6], " ".join(_ARTICLE[6:8])]), tree)


def test_invisible_characters_and_leading_dashes_do_not_make_a_paragraph_partial() -> None:
    # trafilatura drops soft hyphens and control characters from what it extracts; a
    # paragraph may open with a dash (a quote, a reply) without being a list item.
    soft = [a.replace("river", "ri\u00adver").replace("steel", "st\u200bee\x8fl") for a in _ARTICLE]
    soft[4] = "- " + soft[4]
    tree = _page("".join(f"<p>{a}</p>" for a in soft))
    precise = [a.replace("\u00ad", "").replace("\u200b", "").replace("\x8f", "") for a in soft]
    assert is_whole("\n".join(precise), tree)
    # Words missing are still found, soft hyphens or not.
    precise[6] = precise[6].replace(" on repairs to the river bridge,", ",")
    assert not is_whole("\n".join(precise), tree)


@pytest.mark.parametrize("page", [*PAGES, "news"], ids=lambda p: getattr(p, "stem", p))
def test_the_fast_path_gives_the_careful_paths_text(page: Path | str, monkeypatch: Any) -> None:
    import workbench.ingest.html as html_module

    html = _news_page(_ARTICLE) if page == "news" else page.read_bytes()  # type: ignore[union-attr]
    taken = []
    real = html_module.is_whole
    monkeypatch.setattr(html_module, "is_whole", lambda *a: taken.append(real(*a)) or taken[-1])
    fast = extract_html(html, details=False)
    monkeypatch.setattr(html_module, "is_whole", lambda *a: False)
    assert extract_html(html, details=False) == fast
    if page == "news":
        assert taken == [True]  # the fast path was taken


def test_trafilaturas_fallbacks_run_only_for_a_short_text(
    monkeypatch: Any,
) -> None:
    import workbench.ingest.html as html_module

    passes: list[tuple[bool, bool]] = []  # (precise, fast) of each trafilatura pass
    real_extract, real_whole = html_module._extract, html_module.is_whole

    def counted(*args: Any, precise: bool, fast: bool) -> Any:
        passes.append((precise, fast))
        return real_extract(*args, precise=precise, fast=fast)

    monkeypatch.setattr(html_module, "_extract", counted)
    # A long text that may have lost words: one fast fuller pass, no fallbacks.
    monkeypatch.setattr(html_module, "is_whole", lambda *a: False)
    long = extract_html(_news_page(_ARTICLE), details=False)
    assert long.text.split("\n\n") == _ARTICLE
    assert passes == [(True, True), (False, True)]
    monkeypatch.setattr(html_module, "is_whole", real_whole)
    # Two paragraphs, under the trusted length (trafilatura's own extractor may have missed
    # the article): one fuller pass, with the fallbacks.
    passes.clear()
    short = extract_html(_news_page(_ARTICLE[:2]), details=False)
    assert short.text.split("\n\n") == _ARTICLE[:2]
    assert passes == [(True, True), (False, False)]
