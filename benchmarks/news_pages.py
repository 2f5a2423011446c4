# ruff: noqa: E501 - HTML templates read better as whole lines than split mid-tag
"""Realistic news-article pages of about 190 KB, generated (deterministic per seed).

Built like the pages of a commercial news site: a head full of meta tags, JSON-LD and a large
inline stylesheet; tracking and configuration scripts; a mega-menu; a breadcrumb; the article
(headline, byline, date, figures, 25-40 paragraphs, pull quotes, inline links); share buttons;
a related-stories rail; a reader-comment thread; a newsletter box; a cookie banner; a footer
of link columns. Only the article paragraphs are the text an extractor should keep.
"""

from __future__ import annotations

import json
import random
import re

WORDS = (
    "government council minister budget report percent million billion year week month "
    "people city region country police court hospital school university company market "
    "price rate growth energy water climate election vote party leader official spokesman "
    "said told announced confirmed denied according statement figures data survey study "
    "increase decrease rise fall record highest lowest since before after during while "
    "although because however despite among between within without against across local "
    "national international public private federal state new old first last second third "
    "major minor large small long short early late recent current former future plan "
    "project programme policy law bill tax spending cost investment jobs workers union "
    "strike talks agreement deal negotiations members residents families children women men "
    "health care services transport housing rents homes construction river port airport "
    "railway road traffic accident fire flood storm drought harvest farmers exports imports"
).split()
NAMES = ["Maria Lindqvist", "Tomás Herrera", "Aisha Bello", "Jonas Weber", "Priya Natarajan",
         "Kwame Mensah", "Élodie Marchand", "Daniel O'Connor", "Yuki Tanaka", "Sofia Russo"]  # fmt: skip
SECTIONS = ["World", "Politics", "Business", "Climate", "Health", "Science", "Sport", "Culture",
            "Opinion", "Technology", "Education", "Travel"]  # fmt: skip


def _sentence(rng: random.Random, low: int = 9, high: int = 28) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(low, high))]
    if rng.random() < 0.4:
        words.insert(rng.randrange(len(words)), f"{rng.randint(2, 980)}")
    text = " ".join(words)
    return text[0].upper() + text[1:] + rng.choice([".", ".", ".", "?", "!"])


def _paragraph(rng: random.Random, link: bool = True) -> str:
    sentences = [_sentence(rng) for _ in range(rng.randint(3, 6))]
    if link and rng.random() < 0.3:
        i = rng.randrange(len(sentences))
        sentences[i] = f'<a href="/news/{rng.randint(1000, 99999)}">{sentences[i]}</a>'
    return " ".join(sentences)


def _css(rng: random.Random, rules: int) -> str:
    props = ["margin", "padding", "color", "font-size", "line-height", "display", "width",
             "max-width", "border", "background", "grid-template-columns", "transition"]  # fmt: skip
    out = []
    for i in range(rules):
        body = ";".join(f"{rng.choice(props)}:{rng.randint(0, 64)}px" for _ in range(6))
        out.append(f".c-{i:04x},.c-{i:04x}__item:hover>a{{{body}}}")
    return "\n".join(out)


def _script(rng: random.Random, size: int) -> str:
    keys = ["slot", "targeting", "sizes", "bidder", "params", "consent", "segment", "region"]
    config = {f"{rng.choice(keys)}_{i}": [rng.randint(0, 10**6) for _ in range(8)]
              for i in range(size // 80)}  # fmt: skip
    return f"window.__SITE_CONFIG__ = {json.dumps(config)};\n(function(w,d){{var s=d.createElement('script');s.async=1;w.dataLayer=w.dataLayer||[];}})(window,document);"


def _links(rng: random.Random, count: int, prefix: str) -> str:
    return "".join(
        f'<li class="c-menu__item"><div class="c-menu__wrap"><a class="c-menu__link" '
        f'href="/{prefix}/{rng.randint(1, 9999)}"><span class="c-menu__label">'
        f"{' '.join(rng.choice(WORDS) for _ in range(rng.randint(1, 4))).title()}</span></a></div></li>"
        for _ in range(count)
    )


def _said(into: list[str], text: str) -> str:
    into.append(text)
    return text


def news_page(seed: int, target: int = 190_000) -> bytes:
    return news_article(seed, target)[0]


def news_article(seed: int, target: int = 190_000) -> tuple[bytes, list[str], list[str]]:
    """The page, its article paragraphs and its reader comments (as plain text)."""
    rng = random.Random(seed)
    section = rng.choice(SECTIONS)
    title = _sentence(rng, 7, 13).rstrip(".?!")
    author = rng.choice(NAMES)
    date = f"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    paragraphs = [_paragraph(rng) for _ in range(rng.randint(25, 40))]
    body_parts = []
    for i, p in enumerate(paragraphs):
        body_parts.append(f"<p>{p}</p>")
        if i % 9 == 4:
            body_parts.append(
                f'<figure class="c-figure"><img src="/img/{seed}-{i}.jpg" alt="{_sentence(rng, 5, 9)}" '
                f'loading="lazy" width="1200" height="800"><figcaption>{_sentence(rng, 8, 14)} '
                f"Photo: {rng.choice(NAMES)}</figcaption></figure>"
            )
        if i % 13 == 7:
            body_parts.append(
                f'<aside class="c-pullquote"><blockquote>{_sentence(rng)}</blockquote></aside>'
            )
        if i % 11 == 5:
            body_parts.append(
                '<div class="c-ad c-ad--inline" data-slot="mid"><span>Advertisement</span>'
                f'<div id="ad-{seed}-{i}"></div></div>'
            )
    ld = json.dumps({"@context": "https://schema.org", "@type": "NewsArticle", "headline": title,
                     "datePublished": date, "author": {"@type": "Person", "name": author},
                     "publisher": {"@type": "Organization", "name": "The Daily Example"}})  # fmt: skip
    thread: list[str] = []
    comments = "".join(
        f'<li class="c-comment"><div class="c-comment__head"><div class="c-comment__author">'
        f"<span>{rng.choice(NAMES)}</span></div><time>{rng.randint(1, 59)} minutes ago</time></div>"
        f'<div class="c-comment__body"><p>{_said(thread, _paragraph(rng, link=False))}</p></div>'
        '<div class="c-comment__actions"><button>Reply</button><button>Like</button></div></li>'
        for _ in range(rng.randint(18, 28))
    )
    related = "".join(
        f'<li><a href="/news/{rng.randint(1000, 99999)}"><img src="/t/{i}.jpg" alt="">'
        f"<span>{_sentence(rng, 6, 11)}</span></a></li>"
        for i in range(40)
    )
    head = (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{title} | {section} | '
        "The Daily Example</title>"
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<meta name="description" content="{_sentence(rng)}"><meta name="author" content="{author}">'
        f'<meta property="og:title" content="{title}"><meta property="og:site_name" content="The Daily Example">'
        f'<meta property="og:type" content="article"><meta property="article:published_time" content="{date}T08:{rng.randint(10, 59)}:00Z">'
        f'<link rel="canonical" href="https://news.example.com/{section.lower()}/{seed}">'
        f'<script type="application/ld+json">{ld}</script>'
        f"<style>{_css(rng, 260)}</style>"
        f"<script>{_script(rng, 9000)}</script></head>"
    )
    nav = (
        '<body class="t-article"><div id="cookie-banner" class="c-consent"><p>We use cookies to '
        "improve your experience and for advertising. By continuing you accept our policy.</p>"
        "<button>Accept all</button><button>Manage</button></div>"
        '<header class="c-header"><a class="c-logo" href="/">The Daily Example</a>'
        f'<nav class="c-menu" aria-label="Main"><ul>{_links(rng, 120, "section")}</ul></nav>'
        '<form class="c-search" action="/search"><input name="q" placeholder="Search"></form></header>'
        f'<ol class="c-breadcrumb"><li><a href="/">Home</a></li><li><a href="/{section.lower()}">{section}</a></li></ol>'
    )
    article = (
        f'<main id="content"><article class="c-article"><h1 class="c-article__title">{title}</h1>'
        f'<div class="c-byline">By <a rel="author" href="/authors/{seed % 10}">{author}</a> · '
        f'<time datetime="{date}">{date}</time></div>'
        f'<div class="c-share"><a href="#">Share on Facebook</a><a href="#">Share on X</a><a href="#">Email</a></div>'
        f'<div class="c-article__body">{"".join(body_parts)}</div>'
        f'<div class="c-tags">Topics: {_links(rng, 6, "topic")}</div></article>'
        f'<section class="c-related"><h2>Related stories</h2><ul>{related}</ul></section>'
        f'<section id="comments" class="c-comments"><h2>Comments</h2><ol>{comments}</ol></section>'
        '<div class="c-newsletter"><h3>Get the morning briefing</h3><form><input type="email">'
        "<button>Sign up</button></form></div></main>"
    )
    footer_cols = "".join(
        f'<div class="c-footer__col"><ul>{_links(rng, 30, "f")}</ul></div>' for _ in range(4)
    )
    tail = f'<footer class="c-footer">{footer_cols}<p>© 2024 The Daily Example</p></footer>'
    page = head + nav + article + tail
    # Pad with more tracking script to reach the target size, as real pages do.
    pad = target - len(page.encode()) - 40
    if pad > 0:
        page += f"<script>{_script(rng, pad)[:pad]}</script>"
    plain = [re.sub(r"<[^>]+>", "", p) for p in paragraphs]
    return (page + "</body></html>").encode(), plain, thread


def main() -> None:
    """How faithfully extract_html (as the fetch pipeline calls it) keeps the generated pages'
    articles: paragraphs kept verbatim, comment paragraphs let in, CPU per page."""
    import sys
    import time

    from workbench.ingest.html import extract_html

    count = int(sys.argv[1]) if len(sys.argv) > 1 else 30
    kept = total = leaked = 0
    cpu = 0.0
    extract_html(news_page(0), details=False)  # imports, caches
    for seed in range(2000, 2000 + count):
        page, article, thread = news_article(seed)
        started = time.process_time()
        text = " ".join(extract_html(page, details=False).text.split())
        cpu += time.process_time() - started
        total += len(article)
        kept += sum(1 for para in article if para in text)
        leaked += sum(1 for para in thread if para in text)
    print(f"{count} generated pages: article paragraphs kept verbatim {kept}/{total}, "
          f"comment paragraphs in the text {leaked}, CPU {cpu / count * 1000:.1f} ms a page")  # fmt: skip


if __name__ == "__main__":
    main()
