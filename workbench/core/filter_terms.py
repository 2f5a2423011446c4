"""What a `ClaimFilter` asks of the claims table, written once as data. Both query builders
read it: the SQLAlchemy one (core/filters.py, every list, count and report) and the SQL text
of a quick sqlite3 read (listing/lookup.py), so the two select the same claims in the same
order. Plain Python: the quick read imports no SQLAlchemy."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, TypedDict

from workbench.core.results import ClaimFilter
from workbench.core.vocabulary import check_status
from workbench.errors import ValidationError

# Field of ClaimFilter -> (column of claims, comparison). A field left None or "" asks nothing.
COMPARISONS = {
    "status": ("status", "="),
    "rating": ("rating", "="),
    "article_id": ("article_id", "="),
    "assignee": ("assignee", "="),
    "since": ("updated_at", ">="),
    "until": ("updated_at", "<"),
}

# Sort names (`--sort`, the TUI's sort menu) to their column; the claim id breaks ties.
SORT_COLUMNS = {"score": "score", "updated": "updated_at", "status": "status", "id": "id"}


class ListWindow(TypedDict, total=False):
    """Which rows of a sorted list: at most `limit` (None: all) after the first `offset`."""

    limit: int | None
    offset: int


def comparisons(f: ClaimFilter) -> Iterator[tuple[str, str, Any]]:
    """(column, comparison, value) of each comparison the filter makes; an unknown status
    is refused."""
    if f.status:
        check_status(f.status)
    for name, (column, comparison) in COMPARISONS.items():
        value = getattr(f, name)
        if value is not None and value != "":
            yield column, comparison, value


def sort_column(f: ClaimFilter) -> str:
    """The column the filter's list is sorted by; an unknown sort name is refused."""
    column = SORT_COLUMNS.get(f.sort)
    if column is None:
        raise ValidationError(f"unknown sort {f.sort!r}; valid: {', '.join(SORT_COLUMNS)}")
    return column
