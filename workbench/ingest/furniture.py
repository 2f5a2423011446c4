"""Promotional, navigation and notice lines that pages put between an article's paragraphs.

These are the *kinds* of line that are not the article, described by their shape rather than by
a list of sites' strings: a promo label and a colon before a headline or a link ("Read more:",
"SEE MORE:", "Related:", "Download: http://..."), a bulleted teaser with an all-caps label, a
call to the reader (subscribe, sign up, click here, download our app, contact the reporter),
reprint and copyright notices, posting stamps ("Posted: ...", "Views: 184"), and advertising
written with look-alike letters from another script. ``clean`` drops such lines.
"""

from __future__ import annotations

import re

__all__ = ["is_promotional"]

_MAX_PROMO = 240  # a longer line is prose, whatever its first words

# A label that introduces a link to elsewhere, then a colon (or a dash, or a pipe).
_PROMO_LABEL = re.compile(
    r"^[\W_]*(?:(?:also|more|further) )?(?:read|see|watch|listen|view|more|related|"
    r"recommended|suggested|download|subscribe|sign up|join|follow|get|shop|explore|discover|"
    r"trending|popular|latest|top stories|must read|must see|editor'?s picks?|don'?t miss|"
    r"in case you missed it|sponsored|advertisement|promoted|partner content|"
    r"click here|tap here|more on this|more from [\w .'-]{1,30}|more stories|"
    r"also on [\w .'-]{1,30}|related (?:stories|articles|coverage|content|reading|video))"
    r"(?: (?:more|also|this|next|now|here|the (?:story|article|report|video)))?"
    r"\s*(?::|\||»|›|>>|—|–|-\s)",
    re.IGNORECASE,
)
# "- A SIMPLE GUIDE: How do I..." : a bulleted teaser whose label is in capitals.
_CAPS_TEASER = re.compile(r"^[-•·▪*]\s*[A-Z][A-Z0-9 '&/-]{2,40}:\s")
# A bare link, or a label and a link.
_LINK_LINE = re.compile(r"^(?:[\w' -]{0,30}:\s*)?(?:https?://|www\.)\S+$", re.IGNORECASE)
# A call to the reader: what the page wants them to do.
_CALL_TO_READER = re.compile(
    r"\b(?:click|tap) (?:here|the link|below)\b"
    r"|\b(?:subscribe|sign up|register) "
    r"(?:now|today|here|for (?:free|our|the|a)\b|to (?:our|the)\b)"
    r"|\bnewsletter\b.*\b(?:sign up|subscribe|inbox)\b|\b(?:sign up|subscribe)\b.*\bnewsletter\b"
    r"|\bdownload (?:our|the \w+ app|the app)\b|\bon the [\w ]{1,30} app\b"
    r"|\bfollow us (?:on|at)\b|\blike us on\b|\bjoin (?:us|our \w+) on\b"
    r"|\bto reach the (?:reporter|editor|author|writer)\b"
    r"|\b(?:contact|email|e-mail|call) us\b|\badvertise with\b|\bsupport (?:our|independent) "
    r"journalism\b|\bbecome a (?:member|subscriber|supporter)\b|\bfree trial\b"
    r"|\bsubscribers? only\b|\bunlimited (?:digital )?access\b",
    re.IGNORECASE,
)
_NOTICE = re.compile(
    r"\bcopyright(?:ed)? (?:property|material|notice|\d{4})\b|\ball rights reserved\b"
    r"|\b(?:written )?permission (?:must|is required|to (?:reprint|republish))\b"
    r"|\breprint(?:ing|ed)?\b.*\b(?:permission|prohibited|theft|law)\b"
    r"|\bmay not be (?:published|broadcast|rewritten|redistributed|reproduced)\b",
    re.IGNORECASE,
)
# "Posted: Thursday, April 21, 2022." "Latest update May 6th, 2022 12:49 AM" "Views: 184"
_STAMP = re.compile(
    r"^[\W_]*(?:(?i:posted|published|updated|last updated|latest update|modified)\b"
    r"(?=[^.]*\d)(?:[\s:,./-]|\d+(?:st|nd|rd|th)?|[A-Z][a-z]{2,8}\.?|[AaPp]\.?[Mm]\.?|on|at|"
    r"[A-Z]{2,4})+"
    r"|(?i:views?|reads?|comments?|shares?|likes?|reading time)\s*:?\s*[\d,.]*[kKmM]?"
    r"(?: min(?:ute)?s?(?: read)?)?)\s*:?$"
)
# "By Ruth Castellanos, Gazette staff writer": a byline (a name list, then at most a role).
_BYLINE = re.compile(
    r"^(?:[Bb]y|BY|[Ff]rom) (?:[A-Z][\w.'’-]+ ?){1,4}(?:(?:,| and) (?:[A-Z]?[\w.'’-]+ ?){1,5})?$"
)
# The kinds of promotional line; those that must start the line begin with ^.
_PROMO_KINDS = (_PROMO_LABEL, _CAPS_TEASER, _LINK_LINE, _CALL_TO_READER, _NOTICE, _STAMP)
_MAX_BYLINE = 80
_LATIN = re.compile(r"[A-Za-z]")
_CYRILLIC_OR_GREEK = re.compile(r"[\u0370-\u03ff\u0400-\u04ff]")
_WORD = re.compile(r"\w+")


def _mixed_script(line: str) -> bool:
    """Several words that mix Latin with Cyrillic or Greek letters: look-alike letters used
    to get advertising past filters ("Аdvеrtіѕе" with Cyrillic А, е, і, ѕ)."""
    mixed = 0
    for word in _WORD.findall(line):
        if _LATIN.search(word) and _CYRILLIC_OR_GREEK.search(word):
            mixed += 1
            if mixed >= 2:
                return True
    return False


def is_promotional(line: str) -> bool:
    """Whether one line (a paragraph of extracted text) is promotion, navigation or a notice."""
    if len(line) > _MAX_PROMO:
        return False
    return (
        any(kind.search(line) for kind in _PROMO_KINDS)
        or (len(line) <= _MAX_BYLINE and _BYLINE.match(line) is not None)
        or _mixed_script(line)
    )
