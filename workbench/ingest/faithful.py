"""Reconciling a precise extraction of a page with a fuller one, so no article text is lost
or changed.

trafilatura's precise mode (``favor_precision``) leaves out more page furniture, but on some
layouts it also leaves out the article: it can keep only a reprint notice, give nothing for an
old table layout, or drop an element inside a paragraph (a link or span whose class or style
looks like furniture), which leaves a sentence with a gap ("X has reported that for his role").
A fuller extraction (default settings) keeps those words. So:

* a fast precise extraction (without trafilatura's readability and justext fallbacks) is
  trusted alone only when :func:`is_whole` finds each of its paragraphs whole (the whole text
  of one of the page's paragraphs, list items, headings or cells, or one run of text between
  block boundaries such as <br>s: no word inside one can be missing) and the text long
  enough for the page: MIN_TRUSTED characters and a share of the page's prose. Otherwise it
  is reconciled, by :func:`reconcile`, with one fuller extraction: a fast
  one for a long text; for a short one (trafilatura's own extractor may have missed the
  article) one with the fallbacks, on the whole page:
* when the precise text is much shorter than the fuller one, the fuller text is used;
* otherwise the precise extraction chooses *which* paragraphs are the article, and each is
  taken in the fuller extraction's words whenever the fuller one has a paragraph holding all
  of its words in order plus others: a gapped paragraph is never kept.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

__all__ = ["FALLBACK_RATIO", "MIN_TRUSTED", "has_gap", "is_whole", "reconcile"]

# Below this share of the fuller text's length, the precise text has lost the article.
FALLBACK_RATIO = 0.4
# The fuller text is used only if it has prose: a paragraph of this many words that ends like
# a sentence (a page of menu items and buttons is no article).
PROSE_WORDS = 6

# A fast precise text shorter than this is checked against the fuller extraction anyway.
MIN_TRUSTED = 1500  # characters
# The page's elements whose whole text a precise paragraph may be.
_BLOCKS = ("p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "dd", "dt",
           "figcaption", "td", "th")  # fmt: skip

# Where the fuller extraction finds no article text either.
_OUTSIDE = (
    "//nav | //header | //footer | //aside"
    " | //*[contains(@class, 'comment') or contains(@id, 'comment')]"
)
# Elements that do not break a paragraph.
_INLINE = frozenset(("a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "dfn", "em",
                     "font", "i", "kbd", "mark", "q", "s", "samp", "small", "span", "strong",
                     "sub", "sup", "time", "u", "var", "wbr", "del", "ins"))  # fmt: skip
_WORD = re.compile(r"\w+")


def _flat(text: str) -> str:
    """``text`` on one line, whitespace runs as one space and without the characters that
    trafilatura drops from all it extracts (soft hyphens, zero-width and control characters:
    neither printable nor space), so a page's text compares with an extraction of it.
    trafilatura's rule, not clean.py's list of invisible characters: it is its output that
    this is compared with."""
    flat = " ".join(text.split())  # the one space left is printable
    if flat.isprintable():
        return flat
    return " ".join("".join(c for c in flat if c.isprintable()).split())


def _words(text: str) -> list[str]:
    return _WORD.findall(text.casefold())


def _is_subsequence(small: Sequence[str], big: Sequence[str]) -> bool:
    it = iter(big)
    return all(any(w == b for b in it) for w in small)


def has_gap(part: str, whole: str) -> bool:
    """Whether ``whole`` holds all of ``part``'s words in order, and more words around or
    between them (so ``part`` lost words that ``whole`` kept)."""
    small, big = _words(part), _words(whole)
    return len(big) > len(small) > 0 and _is_subsequence(small, big)


def _page_text(tree: Any, texts: dict[Any, str]) -> int:
    """Characters of the page's paragraphs and list items outside menus, headers, footers,
    asides and comment sections: about what the fuller extraction can hold."""
    outside = {e for container in tree.xpath(_OUTSIDE) for e in container.iter("p", "li")}
    return sum(
        len(text)
        for e, text in texts.items()
        # A list item holding paragraphs is counted by them, not twice.
        if e not in outside and (e.tag == "p" or (e.tag == "li" and e.find(".//p") is None))
    )


def _runs(tree: Any) -> set[str]:
    """The page's runs of text between block boundaries (block elements' starts and ends,
    <br>s), whitespace aside: a paragraph that is one of them is a whole paragraph of the
    page, even where that is no element's whole text (text straight in a <div>, lines
    split by <br>, a paragraph wrapped in inline elements inside a larger block)."""
    runs: set[str] = set()
    current: list[str] = []

    def flush() -> None:
        run = _flat("".join(current))
        if run:
            runs.add(run)
        current.clear()

    def walk(element: Any) -> None:
        block = element.tag not in _INLINE
        if block:
            flush()
        current.append(element.text or "")
        for child in element:
            if isinstance(child.tag, str):
                walk(child)
            current.append(child.tail or "")
        if block:
            flush()

    walk(tree)
    flush()
    return runs


def _whole_paragraphs(precise: str, tree: Any, texts: dict[Any, str]) -> bool:
    """Whether each of ``precise``'s paragraphs is, whitespace and invisible characters aside
    (see ``_flat``), the whole text of one element of the page ("- " lines: of a list item,
    or of a paragraph opening with a dash) or one run of text (see ``_runs``,
    computed only when an element does not match: it walks the whole page)."""
    blocks = set(texts.values())
    items = {t for e, t in texts.items() if e.tag == "li"}
    runs: set[str] | None = None
    for line in precise.split("\n"):
        para = _flat(line)
        item = para.startswith("- ")
        text = para[2:] if item else para
        # A "- " line is a list item, or a paragraph that starts with a dash.
        if not para or text in (items if item else blocks) or (item and para in blocks):
            continue
        if runs is None:
            runs = _runs(tree)
        if text not in runs and para not in runs:
            return False
    return True


def is_whole(precise: str, tree: Any) -> bool:
    """Whether a precise extraction of the lxml ``tree`` can have lost no article text.

    It must hold MIN_TRUSTED characters and at least FALLBACK_RATIO of the page's prose (see
    ``_page_text``), and each of its paragraphs must be whole (see ``_whole_paragraphs``)."""
    if len(precise) < MIN_TRUSTED:
        return False
    texts = {e: _flat(e.text_content()) for e in tree.iter(*_BLOCKS)}
    if not _whole_paragraphs(precise, tree, texts):
        return False
    return len(precise) >= FALLBACK_RATIO * _page_text(tree, texts)


def _paragraphs(text: str) -> list[str]:
    return [p.strip() for p in text.split("\n") if p.strip()]


def reconcile(precise: str | None, fuller: str | None) -> str:
    """The article text: the precise extraction's paragraphs, in the fuller one's words.

    Paragraphs are separated by newlines in and out (trafilatura's plain-text output).
    """
    full = _paragraphs(fuller or "")
    full_words = [_words(p) for p in full]
    if not any(
        len(w) >= PROSE_WORDS and p.rstrip("\"'”’)»").endswith((".", "!", "?"))
        for p, w in zip(full, full_words, strict=True)
    ):
        return precise or ""
    if not precise or len(precise.strip()) < FALLBACK_RATIO * len((fuller or "").strip()):
        return fuller or ""
    out: list[str] = []
    used: set[int] = set()
    start = 0  # paragraphs come in document order in both: search onwards first
    for para in _paragraphs(precise):
        words = _words(para)
        # In document order from the last match, paragraphs not yet used first: a short
        # paragraph's words may also be a subsequence of an earlier, longer one.
        order = [*range(start, len(full)), *range(start)]
        order = [j for j in order if j not in used] + [j for j in order if j in used]
        match = next(
            (j for j in order if words and _is_subsequence(words, full_words[j])),
            None,
        )
        if match is None:
            out.append(para)  # text only the precise extraction found
            continue
        if match not in used:
            # The same words, or the fuller paragraph restoring words the precise one lost.
            out.append(para if len(full_words[match]) == len(words) else full[match])
            used.add(match)
        start = match
    return "\n".join(out)
