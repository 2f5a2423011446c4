"""Main-text and metadata extraction from an HTML page, with trafilatura."""

from __future__ import annotations

import logging
import re
from copy import deepcopy
from dataclasses import dataclass
from functools import cache
from typing import Any

from workbench.ingest.clean import clean_plain_text, normalise_text, strip_escape_sequences
from workbench.ingest.decode import decode_text, html_declared_charset
from workbench.ingest.faithful import MIN_TRUSTED, is_whole, reconcile
from workbench.ingest.html_meta import available, title_and_site

__all__ = ["ExtractedArticle", "NoArticleText", "extract_html"]

MAX_TITLE = 300  # characters; a page's <title> can be anything, even megabytes
MAX_FIELD = 200  # author, site name, date


class NoArticleText(ValueError):
    """The page holds no article text (only scripts, styles, navigation...)."""


@dataclass(frozen=True)
class ExtractedArticle:
    """An article's body text (paragraphs separated by blank lines) and its metadata."""

    text: str
    title: str | None
    author: str | None
    date: str | None
    site_name: str | None
    url: str | None


_FIELDS = ("text", "title", "author", "date", "sitename", "url")
_TITLE_SEP = re.compile(r"\s+[-|–—:·•]\s+")
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)
_NOTHING = (
    "no article text found on the page (it may hold only scripts, styles or navigation, or "
    "need JavaScript to show its text); paste the text instead"
)


def _field(value: Any, limit: int) -> str | None:
    """A metadata value as one clean line, capped at ``limit`` characters, or None."""
    if not isinstance(value, str):
        return None
    text = " ".join(normalise_text(value).split())
    if not text:
        return None
    if len(text) > limit:
        cut = text[: limit - 1]
        text = (cut.rsplit(" ", 1)[0] if " " in cut[limit // 2 :] else cut).rstrip() + "…"
    return text


def _as_dict(doc: Any) -> dict[str, Any]:
    if doc is None:
        return {}
    return doc if isinstance(doc, dict) else {k: getattr(doc, k, None) for k in _FIELDS}


# What every extraction leaves out. Tables too: an old table layout then comes out as its
# cells' lines, where with tables it is one "| menu | article |" line.
_LEFT_OUT = {
    "include_comments": False,
    "include_tables": False,
    "include_images": False,
    "include_links": False,
}
# Elements that trafilatura's tree cleaning deletes whole on every pass: containers (menus,
# footers, sidebars: on a news page two thirds of the elements) and what is never text
# (scripts, styles, inline SVG icons, frames, the head). The fast pass's XPath prunes
# (regular expressions on classes and ids, run before that cleaning) would walk each one.
# Not <template> (trafilatura keeps its content) nor <form> (some sites wrap the page in one).
_ALWAYS_DELETED = (
    "//nav | //footer | //aside | //menu"
    " | //script | //style | //noscript | //svg | //iframe | //head"
)


def _extract(trafilatura: Any, tree: Any, url: str | None, *, precise: bool, fast: bool) -> Any:
    return trafilatura.bare_extraction(
        tree, url=url, fast=fast, favor_precision=precise, **_LEFT_OUT
    )


def _lean_copy(tree: Any) -> Any:
    """A copy of the lxml ``tree`` without the elements every pass deletes (their tail
    text stays), so the fast pass and its check walk only what could be the article."""
    lean = deepcopy(tree)
    for element in lean.xpath(_ALWAYS_DELETED):
        element.drop_tree()
    return lean


def _fuller_text(
    trafilatura: Any, fast_text: str, tree: Any, url: str | None, *, fast: bool
) -> str:
    """The fast precise text checked against a fuller extraction (default settings) of
    ``tree``, which keeps what the precise one loses (see ``faithful``). Not ``fast``, it
    has trafilatura's readability and justext fallbacks, which find the article where
    trafilatura's own extractor misses it."""
    fuller = _as_dict(_extract(trafilatura, tree, url, precise=False, fast=fast)).get("text")
    return reconcile(fast_text, fuller or "")


@cache
def _stoplist_as_set() -> None:
    """trafilatura hands justext its stoplist of every language as a tuple of 150,000 words,
    which justext's cache hashes again on each call (5 ms); the same words as a frozenset are
    hashed once. Still built on justext's first use, as trafilatura does (it takes 0.15 s)."""
    import trafilatura.external

    external: Any = trafilatura.external  # its globals are typed for its own use only
    build = getattr(external, "jt_stoplist_init", None)
    if build is None:
        return
    if isinstance(getattr(external, "JT_STOPLIST", None), tuple):  # built already
        external.JT_STOPLIST = frozenset(external.JT_STOPLIST)

    def as_set() -> frozenset[str]:
        external.JT_STOPLIST = frozenset(build())
        return external.JT_STOPLIST  # type: ignore[no-any-return]

    external.jt_stoplist_init = as_set


def _metadata(trafilatura: Any, tree: Any, url: str | None, details: bool) -> dict[str, Any]:
    """Title, site name and URL; with ``details`` also author and date."""
    if details or not available():
        # No "extensive" date search: it guesses a date from any year in the text (a sentence
        # about 1998 dates the article 1998-01-01) and loads every dateparser locale, most of a
        # second. The page's markup and its URL still give the date when they have one.
        found = trafilatura.extract_metadata(tree, url, extensive=False)
        return _as_dict(found)
    return title_and_site(tree, url)


def extract_html(
    html: str | bytes, url: str | None = None, *, details: bool = True
) -> ExtractedArticle:
    """Extract the article body and metadata (title, author, date, site name) of a page.

    Bytes are decoded honouring a byte-order mark, then a ``<meta>`` charset, then
    detection (see :func:`decode_text`; it may raise ``DecodeError``). Comments and page
    furniture are left out; a precise extraction is checked against a fuller one so that no
    article text is lost (see :mod:`workbench.ingest.faithful`). Raises
    :class:`NoArticleText` when no article text is found. ``details=False`` looks only for
    the title and site name (author and date stay None): the same text for less work (see
    :mod:`workbench.ingest.html_meta`).
    """
    if isinstance(html, bytes):
        html = decode_text(html, html_declared_charset(html))
    # lxml refuses a str that still carries an XML encoding declaration.
    html = _XML_DECL.sub("", html, count=1)
    # The parser drops a bare ESC but keeps the rest of its sequence ("[2J"): strip first.
    html = strip_escape_sequences(html)
    if not html.strip():
        raise NoArticleText("the page is empty: there is no article text to extract")

    import trafilatura  # lazy: importing it costs most of a second

    # trafilatura logs "empty HTML tree" and similar at WARNING; the exception says it.
    logging.getLogger("trafilatura").setLevel(logging.ERROR)
    _stoplist_as_set()
    try:
        # Parsed once: each extraction below works on its own copy of this tree.
        tree = trafilatura.load_html(html)
        if tree is None:
            raise NoArticleText(_NOTHING)
        # Metadata first, from the tree as bare_extraction reads it (before any pass).
        data = _metadata(trafilatura, tree, url, details)
        # Fast and precise (no fallbacks), checked against the page it was given. Where it
        # may have lost words, one fuller pass: a fast one on the same tree for a long text;
        # for a short one (trafilatura may have missed the article) one with the fallbacks,
        # on the whole page (some put the article in a <header> or an <aside>).
        lean = _lean_copy(tree)
        doc = _extract(trafilatura, lean, url, precise=True, fast=True)
        raw_text = _as_dict(doc).get("text") or ""
        if not is_whole(raw_text, lean):
            short = len(raw_text) < MIN_TRUSTED
            raw_text = _fuller_text(
                trafilatura, raw_text, tree if short else lean, url, fast=not short
            )
            if not raw_text:
                raise NoArticleText(_NOTHING)
    except NoArticleText:
        raise
    except (ValueError, TypeError) as exc:  # malformed markup that lxml cannot parse
        raise NoArticleText(f"the page could not be parsed as HTML ({exc})") from exc
    text = clean_plain_text(raw_text, markdown=False)
    title = _field(data.get("title"), MAX_TITLE)
    if title:
        # trafilatura often repeats the headline as the first line; it is metadata here.
        # Page titles often add the site's name: "Site - Headline", "Headline | Site".
        first, _, rest = text.partition("\n\n")
        heads = {title.casefold(), *(p.strip().casefold() for p in _TITLE_SEP.split(title))}
        if rest and " ".join(first.casefold().split()) in heads:
            text = rest
    if not text:
        raise NoArticleText(
            "the page has no article text, only page furniture (menus, share buttons, "
            "notices); paste the text instead"
        )
    return ExtractedArticle(
        text=text,
        title=title,
        author=_field(data.get("author"), MAX_FIELD),
        date=_field(data.get("date"), MAX_FIELD),
        site_name=_field(data.get("sitename"), MAX_FIELD),
        url=_field(data.get("url"), 2048) or url,
    )
