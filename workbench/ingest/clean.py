"""Cleaning of scraped plain text and Markdown into article paragraphs.

Choices, on purpose:

* Text stays faithful: curly quotes, dashes, accents and ligatures are kept as published
  (claims and quoted evidence must match the source verbatim). Only invisible things are
  normalised: Unicode NFC, every kind of space (NBSP, thin, ideographic...) becomes a
  plain space, runs collapse, zero-width and bidi-override characters go, and so do
  control characters (C0 except newline and tab, DEL, C1) and terminal escape sequences.
* Page furniture goes: lines repeated in the document (all copies when short; long
  repeats keep their first copy), short address-like lines that cluster or sit next to
  other furniture, navigation and share lines, cookie notices, credit lines
  ("Reporting by...", "Additional reporting contributed by..."), and promotional lines and
  notices ("Read more: ...", subscription offers, reprint notices; see ``furniture``).
* Output: one paragraph per block, paragraphs separated by one blank line, no trailing
  newline. A document that separates paragraphs by blank lines has its hard-wrapped
  lines joined; one that puts a paragraph on each line keeps them apart.
* Markdown syntax is reduced to its text: headings, emphasis, links, images (dropped),
  inline code, block quotes, list markers; fenced code blocks are dropped, being code
  rather than article prose.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter

from workbench.ingest.furniture import is_promotional

__all__ = ["clean_plain_text", "normalise_text", "strip_escape_sequences"]

# --- character-level normalisation -------------------------------------------------------

_ESCAPE_SEQ = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"  # CSI: colours, cursor moves
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"  # OSC: titles, hyperlinks
    r"|\x1b[PX^_][^\x1b]*(?:\x1b\\)?"  # DCS, SOS, PM, APC strings
    r"|\x1b[@-Z\\-_]?"  # other two-byte escapes, or a lone ESC
    r"|\x9b[0-?]*[ -/]*[@-~]"  # 8-bit CSI
)
_NEWLINES = re.compile(r"\r\n?|[\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
# C0 (bar tab and newline), DEL, C1; zero-width and bidi controls that hide or reorder text.
_INVISIBLE = re.compile(
    "[\x00-\x08\x0e-\x1f\x7f-\x9f\u00ad\u200b\u2060\ufeff\u202a-\u202e\u2066-\u2069\ufff9-\ufffb]"
)
# Every character \s matches but the plain space and the newline, written out: a pattern
# that starts with a set of characters is searched three times faster than [^\S\n].
_OTHER_SPACES = "\t\x0b\x0c\r\x1c-\x1f\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
# Runs of horizontal space that are not already one plain space: matching every single
# space made re.sub build a piece per word, twelve times the text's size at its peak.
_SPACES = re.compile(f"[{_OTHER_SPACES}][ {_OTHER_SPACES}]*| [ {_OTHER_SPACES}]+")


def strip_escape_sequences(text: str) -> str:
    """Remove terminal escape sequences (colours, cursor moves, OSC titles and links)."""
    # Every sequence starts with ESC or an 8-bit CSI: looking for those two characters is
    # a hundred times quicker than the pattern's scan of a page that has neither.
    if "\x1b" not in text and "\x9b" not in text:
        return text
    return _ESCAPE_SEQ.sub("", text)


def normalise_text(raw: str) -> str:
    """Normalise characters and whitespace only: no lines are dropped or joined.

    Removes control characters and escape sequences, applies NFC, turns every
    horizontal space into one plain space and trims each line.
    """
    text = strip_escape_sequences(raw)
    text = _NEWLINES.sub("\n", text)
    text = _INVISIBLE.sub("", text)
    text = unicodedata.normalize("NFC", text)
    text = _SPACES.sub(" ", text)
    return "\n".join(line.strip() for line in text.split("\n"))


# --- Markdown ----------------------------------------------------------------------------

_FENCE = re.compile(r"^ {0,3}(```+|~~~+)")
_HEADING = re.compile(r"^ {0,3}#{1,6}(?:\s+(.*?))?(?:\s+#+)?\s*$")
_SETEXT = re.compile(r"^ {0,3}(?:=+|-+)\s*$")
_RULE = re.compile(r"^ {0,3}(?:(?:\*\s*){3,}|(?:-\s*){3,}|(?:_\s*){3,})$")
_QUOTE = re.compile(r"^ {0,3}(?:>\s?)+")
_LIST = re.compile(r"^ {0,3}(?:[-*+•·▪‣◦]|\d{1,3}[.)])\s+")
_REF_DEF = re.compile(r"^ {0,3}\[[^\]]+\]:\s*\S+.*$")
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?\s*$")
_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)|!\[[^\]]*\]\[[^\]]*\]")
_LINK = re.compile(r"\[([^\]]+)\]\((?:[^()\s]|\([^()]*\))*(?:\s+\"[^\"]*\")?\)")
_REF_LINK = re.compile(r"\[([^\]]+)\]\[[^\]]*\]")
_AUTOLINK = re.compile(r"<((?:https?|mailto):[^>\s]+)>")
_CODE = re.compile(r"`+([^`]+?)`+")
_STRONG = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_EM_STAR = re.compile(r"(?<![\w*])\*(?=\S)([^*]+?)(?<=\S)\*(?![\w*])")
_EM_UNDER = re.compile(r"(?<![\w_])_(?=\S)([^_]+?)(?<=\S)_(?![\w_])")
_STRIKE = re.compile(r"~~(?=\S)(.+?)(?<=\S)~~")
_HTML_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)


def _inline_markdown(line: str) -> str:
    line = _IMAGE.sub("", line)
    line = _LINK.sub(r"\1", line)
    line = _REF_LINK.sub(r"\1", line)
    line = _AUTOLINK.sub(r"\1", line)
    line = _CODE.sub(r"\1", line)
    line = _STRONG.sub(r"\2", line)
    line = _STRIKE.sub(r"\1", line)
    line = _EM_STAR.sub(r"\1", line)
    line = _EM_UNDER.sub(r"\1", line)
    return _HTML_BREAK.sub(" ", line)


def _strip_markdown(lines: list[str]) -> list[tuple[str, bool]]:
    """Lines reduced to text, each flagged True when it must start its own paragraph."""
    out: list[tuple[str, bool]] = []
    fence: str | None = None
    for line in lines:
        opening = _FENCE.match(line)
        if fence is not None:
            if opening and opening.group(1)[0] == fence[0] and len(opening.group(1)) >= len(fence):
                fence = None
            continue
        if opening:
            fence = opening.group(1)
            out.append(("", False))  # the code block is dropped but still breaks paragraphs
            continue
        if _RULE.match(line) or _REF_DEF.match(line) or _TABLE_RULE.match(line):
            out.append(("", False))
            continue
        if _SETEXT.match(line) and out and out[-1][0]:
            out[-1] = (out[-1][0], True)
            out.append(("", False))  # a setext heading: the line above stands alone
            continue
        own = False
        heading = _HEADING.match(line)
        if heading:
            line, own = heading.group(1) or "", True
            out.append(("", False))
        quote = _QUOTE.match(line)
        if quote:
            line = line[quote.end() :]
        item = _LIST.match(line)
        if item:
            line, own = line[item.end() :], True
        # Syntax taken out from between words can leave a run of spaces.
        out.append((_SPACES.sub(" ", _inline_markdown(line)).strip(), own))
        if heading:
            out.append(("", False))
    return out


# --- furniture ---------------------------------------------------------------------------

_NAV_WORDS = (
    r"share|share this( (article|story|post|page))?|share (on|via) \w+|shares?|tweet|email|"
    r"e-mail|print|pin( it)?|save|copy( the)? link|link copied|facebook|twitter|x|linkedin|"
    r"whatsapp|reddit|telegram|pinterest|flipboard|messenger|subscribe|subscribe now|"
    r"sign up(?: for| to)?(?: [\w'-]+){0,4}|subscribe to(?: [\w'-]+){1,4}|"
    r"sign in|log in|login|register|my account|menu|main menu|search|close|open|"
    r"home|homepage|back to top|top|next|previous|prev|next article|previous article|"
    r"read more|read next|read the full (story|article)|continue reading|keep reading|"
    r"see more|show more|load more|view comments|comments?|leave a (comment|reply)|"
    r"related|related (articles|stories|posts|content|topics|coverage)|see also|"
    r"recommended|recommended for you|most (read|popular|viewed)|trending|trending now|"
    r"more from \w+( \w+)?|you may also like|you might also like|don'?t miss|"
    r"advertisement|advertising|sponsored|sponsored content|ad|ads|promoted|"
    r"skip to (main )?content|skip to navigation|skip navigation|jump to content|"
    r"listen to this article|listen|watch|play video|video|photo|photos|gallery|"
    r"follow us|follow|like us on facebook|accept|accept all|reject all|decline|"
    r"manage (cookies|preferences|settings)|cookie settings|cookie policy|privacy policy|"
    r"terms of (use|service)|terms and conditions|all rights reserved|contact us|about us|"
    r"newsletter|sign up for our newsletter|get the newsletter|loading|loading\.\.\.|"
    r"click here|tap here|update|updated|breaking|breaking news|live|opinion|analysis"
)
_NAV_LINE = re.compile(
    rf"^[\W_]*(?:{_NAV_WORDS})(?:[\s:|]*[(\[]?\d[\d,.]*[kKmM]?[)\]]?)?[\W_]*$", re.IGNORECASE
)
# Short menus: "Home | News | Sport", "World • Politics • Business".
_MENU_LINE = re.compile(r"^(?:[^|•·»/>]{1,25}\s*[|•·»/>]\s*){2,}[^|•·»/>]{0,25}$")
_COOKIE_LINE = re.compile(
    r"\b(?:we|this (?:site|website)|our (?:site|website|partners)) (?:use|uses)\b.*\bcookies?\b"
    r"|\b(?:accept|allow|reject) (?:all )?cookies\b|\bcookies? (?:policy|settings|preferences|"
    r"consent|notice)\b|\bby (?:continuing|using this (?:site|website))\b.*\b(?:agree|accept|"
    r"consent)",
    re.IGNORECASE,
)
_CREDIT_LINE = re.compile(
    r"^[\W_]*(?:(?:additional|further|with additional) reporting|reporting|editing|"
    r"writing|written|edited|compiled|produced|research|additional research|"
    r"graphics|photos?|photography|video|illustrations?)"
    r"(?: contributed| provided| and [a-z]+)?(?: by)\b"
    r"|\b(?:contributed|contributes) to this (?:report|story|article)\b"
    r"|^[\W_]*(?:image|photo|picture|video|illustration) (?:credit|source)s?\s*:"
    r"|^[\W_]*(?:©|copyright\b|\(c\)\s*\d{4})",
    re.IGNORECASE,
)
_ADDRESS_LABEL = re.compile(
    r"^(?:physical|mailing|postal|street|office|head office|registered|business|our)?"
    r"\s*(?:address|location|headquarters|hq|contact|contact us|phone|tel|telephone|fax|"
    r"email|e-mail)\s*:?\s*$",
    re.IGNORECASE,
)
_STREET = re.compile(
    r"^(?:\d{1,6}[A-Za-z]?\s+)(?:[NSEW]\.?\s+)?(?:[\w.'-]+\s+){0,5}?"
    r"(?:st|street|ave|avenue|rd|road|blvd|boulevard|dr|drive|ln|lane|way|ct|court|pl|place|"
    r"pkwy|parkway|hwy|highway|sq|square|ter|terrace|cir|circle|plaza|row|suite|floor)\b\.?"
    r"(?:,?\s*(?:suite|ste|apt|unit|floor|fl|#)\.?\s*[\w-]+)?\.?$",
    re.IGNORECASE,
)
_CITY_ZIP = re.compile(
    r"^[A-Z][\w .'-]*,\s*[A-Z]{2}\.?\s+\d{5}(?:-\d{4})?$"  # US: Boston, MA 02124
    r"|\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}$"  # UK postcode
    r"|^(?:p\.?\s?o\.?\s+box|postfach|bp)\s+\d+",
    re.IGNORECASE,
)
_PHONE_OR_MAIL = re.compile(
    r"^(?:(?:tel|phone|fax|call)\s*:?\s*)?\+?[\d\s().-]{7,20}$"
    r"|^(?:e-?mail\s*:?\s*)?[\w.+-]+@[\w-]+(?:\.[\w-]+)+$",
    re.IGNORECASE,
)
# The kinds of address line; those that must start the line begin with ^.
_ADDRESS_KINDS = (_ADDRESS_LABEL, _STREET, _CITY_ZIP, _PHONE_OR_MAIL)
_TERMINAL = re.compile(r"[.!?…:;][\"'”’»)\]]*$")

_SHORT_REPEAT = 100  # repeated paragraphs up to this length are furniture: drop every copy
_ADDRESS_MAX = 80
_WRAP_MIN = 40  # nobody wraps text narrower than this
_WRAP_MAX = 120
_MENU_ITEM = 25  # a line this short, in a run of three, is a menu item
_MEND_MIN = 40  # only a long line can be a paragraph broken in two


def _is_furniture_line(line: str) -> bool:
    if not any(ch.isalnum() for ch in line):
        return True  # separators, bullets and icons only
    if len(line) <= 60 and (_NAV_LINE.match(line) or _MENU_LINE.match(line)):
        return True
    if len(line) <= 300 and _COOKIE_LINE.search(line):
        return True
    if is_promotional(line):
        return True
    return len(line) <= 200 and bool(_CREDIT_LINE.search(line))


def _key(par: str) -> str:
    return " ".join(par.casefold().split())


def _broken(line: str, uses_blank_lines: bool) -> bool:
    """Whether ``line`` looks like the first half of a paragraph broken in two.

    Where blank lines separate paragraphs any line may be; elsewhere only a long one (a
    short line is more likely a label, a phone number, a menu item).
    """
    return (uses_blank_lines or len(line) >= _MEND_MIN) and not _TERMINAL.search(line)


def _paragraphs(lines: list[tuple[str, bool]], uses_blank_lines: bool) -> list[str]:
    """Group lines into paragraphs (see the module docstring for the rule).

    ``uses_blank_lines`` says whether the source separated paragraphs by blank lines;
    only then may a block of similar-length lines be a hard-wrapped paragraph.
    """
    blocks: list[list[tuple[str, bool]]] = [[]]
    for line, own in lines:
        if line:
            blocks[-1].append((line, own))
        elif blocks[-1]:
            blocks.append([])
    blocks = [b for b in blocks if b]
    paragraphs: list[str] = []
    for block in blocks:
        longest = max(len(line) for line, _ in block)
        wrapped = (
            uses_blank_lines
            and _WRAP_MIN <= longest <= _WRAP_MAX
            and all(len(line) >= 0.5 * longest for line, _ in block[:-1])
        )
        current: list[str] = []
        for line, own in block:
            joins = (
                current
                and not own
                and (wrapped or (line[0].islower() and _broken(current[-1], uses_blank_lines)))
            )
            if not joins and current:
                paragraphs.append(" ".join(current))
                current = []
            current.append(line)
        if current:
            paragraphs.append(" ".join(current))
    return paragraphs


def _drop_furniture(paragraphs: list[str]) -> list[str]:
    # Keys as digests: a long article's keys were another copy of its whole text, twice.
    keys = [hashlib.blake2b(_key(p).encode(), digest_size=16).digest() for p in paragraphs]
    counts = Counter(keys)
    dropped = [False] * len(paragraphs)
    seen: set[bytes] = set()
    for i, par in enumerate(paragraphs):
        key = keys[i]
        if counts[key] > 1 and (len(par) <= _SHORT_REPEAT or key in seen):
            dropped[i] = True
        seen.add(key)
    # A run of menu items: three or more tiny lines in a row with no sentence punctuation.
    tiny = [len(p) <= _MENU_ITEM and not _TERMINAL.search(p) for p in paragraphs]
    for i in range(len(paragraphs)):
        if any(all(tiny[j : j + 3]) for j in range(max(0, i - 2), i + 1) if j + 3 <= len(tiny)):
            dropped[i] = True
    # Short address-like lines go when they cluster or sit next to removed furniture.
    address = [
        len(p) <= _ADDRESS_MAX and any(kind.search(p) for kind in _ADDRESS_KINDS)
        for p in paragraphs
    ]
    changed = True
    while changed:
        changed = False
        for i in range(len(paragraphs)):
            if dropped[i] or not address[i]:
                continue
            near = range(max(0, i - 2), min(len(paragraphs), i + 3))
            if any(j != i and (dropped[j] or address[j]) for j in near):
                dropped[i] = changed = True
    return [p for p, gone in zip(paragraphs, dropped, strict=True) if not gone]


def clean_plain_text(raw: str, *, markdown: bool = True) -> str:
    """Clean scraped plain text or Markdown into article paragraphs.

    Returns the paragraphs separated by one blank line (no trailing newline), or "" when
    nothing is left. ``markdown=False`` leaves Markdown-looking syntax alone (for text that
    is already plain, such as the output of HTML extraction).
    """
    lines = normalise_text(raw).split("\n")
    marked = _strip_markdown(lines) if markdown else [(line, False) for line in lines]
    del lines  # each step's list is dropped once the next is made: a long text's peak
    texts = [line for line, _ in marked]
    first = next((i for i, line in enumerate(texts) if line), 0)
    last = max((i for i, line in enumerate(texts) if line), default=0)
    uses_blank_lines = "" in texts[first:last]
    kept: list[tuple[str, bool]] = []
    for line, own in marked:
        if line and _is_furniture_line(line):
            line = ""  # a removed line still separates paragraphs
        kept.append((line, own))
    del marked, texts
    paragraphs = _paragraphs(kept, uses_blank_lines)
    del kept
    return "\n\n".join(_drop_furniture(paragraphs))
