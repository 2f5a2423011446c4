"""Escaping for text from anywhere (claims, quotes, titles, URLs) in every export format.

- HTML: Jinja2 autoescape (switched on by name in html.py) escapes text and attributes;
  `safe_url` decides what may become a link: only http and https, nothing obfuscated.
- Markdown: `md_text` backslash-escapes what could start a link, emphasis, code, HTML,
  a table cell or an entity, collapses the text to one line (so it cannot start a heading
  or a verdict line of its own) and escapes what would make its start a block.
- CSV: `csv_guard` neutralises cells a spreadsheet would run as a formula by putting a `'`
  in front; `csv_unguard` (used by the importer) removes exactly that one `'` again, so
  values round-trip exactly.
"""

from __future__ import annotations

import re
from urllib.parse import quote

from workbench.textsafe import printable

# Any whitespace, control character, backslash or quote inside a URL: browsers strip or
# reinterpret these ("java\tscript:", "\x01javascript:"), so such a URL is never a link.
_URL_REJECT = re.compile(r"[\s\x00-\x1f\x7f-\x9f\\\"'<>`]")


# The whole accepted shape: scheme, then an authority with a host, then anything left
# (already free of the rejected characters). Matched case-insensitively on the raw text,
# so no decoding step can turn something else into "http" later.
_HTTP_URL = re.compile(
    r"https?://(?:[^/?#@]*@)?(?:\[[0-9a-f:.]+\]|[^/?#@:\[\]]+)(?::\d*)?(?:[/?#].*)?\Z",
    re.IGNORECASE | re.DOTALL,
)


def safe_url(value: object) -> str | None:
    """The URL if it is a plain absolute http(s) URL with a host, else None (show as text).

    Anything with whitespace, control characters, quotes, backslashes or angle brackets is
    refused (browsers strip or reinterpret those: "java\tscript:"), and the scheme is
    checked on the raw text, so entity or percent obfuscation ("&#106;avascript:",
    "%6Aavascript:") never passes."""
    if not isinstance(value, str) or not value or len(value) > 4096:
        return None
    if _URL_REJECT.search(value) or not _HTTP_URL.match(value):
        return None
    return value


# --------------------------------------------------------------------- Markdown

# Escaped wherever they appear: inline syntax (emphasis, code, links, images, autolinks,
# raw HTML, entities, strikethrough, table cells) and the backslash itself.
_MD_INLINE = re.compile(r"([\\`*_\[\]<>|~&!#])")
# Escaped at the start of a line: list items, block quotes, setext underlines, ordered lists.
_MD_LINE_START = re.compile(r"^([-+=>])|^(\d+)([.)])(?=\s|\Z)")


# Text made only of letters, digits, single spaces and harmless punctuation, not starting
# with a block marker, needs no escaping: most values, so they skip the four passes below.
_MD_PLAIN = re.compile(r"(?![-+=> ]|\d+[.)](?:\s|\Z))(?:[^\W_]|[,.;:'\"%/()?$@=+\-]| (?! |\Z))*\Z")


def md_text(value: object) -> str:
    """Text safe to place anywhere in a Markdown line, as one line."""
    if value is None:
        return ""
    text = str(value)
    if _MD_PLAIN.match(text):
        return text
    text = printable(text, keep_newlines=False)
    text = _MD_INLINE.sub(r"\\\1", text)
    return _MD_LINE_START.sub(
        lambda m: "\\" + m.group(1) if m.group(1) else m.group(2) + "\\" + m.group(3), text
    )


def md_link(label: object, url: object) -> str:
    """A Markdown link when the URL is http(s), else the label and URL as escaped text."""
    good = safe_url(url)
    text = md_text(label) or md_text(url)
    if good is None:
        return text if not url or label == url else f"{text} ({md_text(url)})"
    # Angle-bracket destination; the few characters it cannot hold are percent-encoded.
    target = quote(good, safe="/:?#@!$&'*+,;=%-._~[]")
    return f"[{text}](<{target}>)"


# --------------------------------------------------------------------- CSV

# A cell is guarded when, after any run of quotes, it starts with a formula character.
# Guarding the quote runs too is what makes unguarding exact: "'=x" becomes "''=x".
_CSV_DANGER = re.compile(r"^'*[=+\-@\t\r]")
_CSV_GUARDED = re.compile(r"^'+[=+\-@\t\r]")


def csv_guard(value: object) -> object:
    """A cell a spreadsheet shows as text: a `'` in front of formula-like text."""
    if isinstance(value, str) and _CSV_DANGER.match(value):
        return "'" + value
    return value


def csv_unguard(value: str) -> str:
    """The inverse of `csv_guard` on the text of a cell."""
    if _CSV_GUARDED.match(value):
        return value[1:]
    return value
