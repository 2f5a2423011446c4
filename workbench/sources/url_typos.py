"""Malformed http(s) schemes, and the URL the user meant.

People paste `http//host`, `https:/host`, `htp://host`, `http:\\\\host`, `http;//host` or
the defanged `hxxps://host`. Each is refused like any bad URL, but the message should offer
the URL meant, not bolt a second scheme onto the first ("https://http//host").
"""

from __future__ import annotations

import re

# A scheme-like word, then the separator as typed: colons or semicolons, slashes either way.
_START = re.compile(
    r"^(?P<word>[A-Za-z]{2,8})(?P<colon>[:;]*)(?P<slashes>[/\\]*)(?P<rest>.*)$", re.S
)
# Real schemes that are near "http" by spelling but mean something else.
_OTHER_SCHEMES = frozenset({"ftp", "ftps", "sftp", "ws", "wss", "file", "data", "tel"})
_DEFANGED = {"hxxp": "http", "hxxps": "https"}


def _distance(a: str, b: str) -> int:
    """Edits (insert, delete, replace, swap two neighbours) from a to b: Damerau-Levenshtein
    in its restricted form, enough for a four- or five-letter word."""
    rows = [list(range(len(b) + 1))]
    for i in range(1, len(a) + 1):
        row = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            row[j] = min(rows[-1][j] + 1, row[j - 1] + 1, rows[-1][j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                row[j] = min(row[j], rows[-2][j - 2] + 1)
        rows.append(row)
    return rows[-1][-1]


def _meant_scheme(word: str) -> str | None:
    word = word.lower()
    if word in ("http", "https"):
        return word
    if word in _OTHER_SCHEMES:
        return None
    if word in _DEFANGED:
        return _DEFANGED[word]
    best = min(
        ("https", "http"), key=lambda s: (_distance(word, s), s != "https" and word.endswith("s"))
    )
    return best if _distance(word, best) <= 1 else None


def suggested_url(text: str) -> str | None:
    """The http(s) URL `text` was meant to be when its scheme is mistyped, else None (also
    for a well-formed `http://` or `https://` start, which needs no suggestion)."""
    found = _START.match(text)
    if found is None:
        return None
    colon, slashes, rest = found["colon"], found["slashes"], found["rest"]
    if not (colon or slashes) or not rest or not rest[0].isalnum():
        return None  # "example.com/x", "localhost:8000": not a scheme at all
    scheme = _meant_scheme(found["word"])
    if scheme is None:
        return None
    if found["word"].lower() == scheme and colon == ":" and slashes == "//":
        return None  # well formed
    return f"{scheme}://{rest}"
