"""Counts in messages: "1 claim", "2 claims", never "1 claims" or "claim(s)"."""

from __future__ import annotations

# Nouns of the program's messages whose plural is not the singular plus "s".
_IRREGULAR = {"evidence": "evidence", "ClaimReview": "ClaimReviews", "match": "matches"}


def plural(count: int, singular: str, many: str | None = None) -> str:
    """The noun for `count` of it: `plural(1, "claim")` is "claim", `plural(2, ...)` "claims"."""
    if count == 1:
        return singular
    return many or _IRREGULAR.get(singular) or singular + "s"


def counted(count: int, singular: str, many: str | None = None) -> str:
    """`counted(1, "claim")` is "1 claim"; `counted(3, "claim")` is "3 claims"."""
    return f"{count:,} {plural(count, singular, many)}"
