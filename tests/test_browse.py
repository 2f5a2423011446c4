"""The paged reads behind the claims table agree with list_claims, whichever way a
window is read (from the start, deep by ids, from the end in reverse, a large search)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from workbench.claims.service import add_claim, set_status
from workbench.core.results import ClaimAt, ClaimFilter
from workbench.listing import browse
from workbench.listing.browse import Total
from workbench.listing.queries import list_claims
from workbench.storage.store import Store
from workbench.verdicts.service import record_verdict

WORDS = ["tram", "budget", "museum", "council", "bikes"]


@pytest.fixture
def filled(store: Store) -> Store:
    with store.write() as session:
        for i in range(240):
            score = None if i % 7 == 0 else (i * 37 % 101) / 100
            row = add_claim(
                session, "tester", f"Claim {i} about {WORDS[i % 5]} number {i}", score=score
            )
            if i % 3 == 0:
                record_verdict(
                    session, "ana" if i % 2 else "omar", ClaimAt(row.id), "false", "checked"
                )
    return store


FILTERS = [
    ClaimFilter(),
    ClaimFilter(descending=False),
    ClaimFilter(sort="updated"),
    ClaimFilter(sort="status", descending=False),
    ClaimFilter(status="reviewed"),
    ClaimFilter(reviewer="ana"),
    ClaimFilter(search="museum"),
    ClaimFilter(search="tram", status="new"),
]


@pytest.mark.parametrize("claim_filter", FILTERS, ids=range(len(FILTERS)))
def test_windows_match_the_full_list(
    filled: Store, claim_filter: ClaimFilter, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(browse, "DEEP_OFFSET", 50)  # exercise the ids-first path
    with filled.read() as session:
        listed = list_claims(session, claim_filter, limit=None)
        if claim_filter.sort == "score" and not claim_filter.descending:
            # Lowest first, the index's own order puts unscored claims first (the CLI puts
            # them last; sorting 1,000,000 rows to do the same would defeat the index).
            listed = [r for r in listed if r.score is None] + [
                r for r in listed if r.score is not None
            ]
        expected = [r.id for r in listed]
        total = browse.count(session, claim_filter)
        assert total.exact and total.count == len(expected)
        for offset, limit in [(0, 30), (20, 40), (60, 30), (len(expected) - 25, 30), (5, 0)]:
            got = [r.id for r in browse.window(session, "ann", claim_filter, offset, limit, total)]
            assert got == expected[offset : offset + max(limit, 0)], (offset, limit)


def test_large_search_is_listed_newest_first(
    filled: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    if filled.dialect != "sqlite":
        pytest.skip("the newest-first mode is for SQLite's full-text index")
    monkeypatch.setattr(browse, "SMALL_SEARCH", 10)
    f = ClaimFilter(search="claim")
    with filled.read() as session:
        total = browse.count(session, f)
        assert total.ordered_by_id and not total.exact and total.count == 11
        assert browse.exact_count(session, "ann", f) == 240
        first = [r.id for r in browse.window(session, "ann", f, 0, 5, total)]
        later = [r.id for r in browse.window(session, "ann", f, 100, 5, total)]
        again, start, rows = browse.first_page(
            session, "ann", f, 0, 5
        )  # ids straight from the probe
    assert first == [240, 239, 238, 237, 236] == [r.id for r in rows]
    assert later == [140, 139, 138, 137, 136]
    assert again == total and start == 0


def test_first_page_of_a_search_agrees_with_its_windows(
    filled: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    # first_page reads a search's count and rows in one statement on SQLite; the rows must
    # be the same objects window() reads, wherever the page starts.
    monkeypatch.setattr(browse, "SMALL_SEARCH", 10)
    with filled.read() as session:
        for f in (ClaimFilter(search="claim"), ClaimFilter(search="claim", sort="id")):
            total = browse.count(session, f)
            for start in (0, 3, 100):
                got_total, got_start, rows = browse.first_page(session, "ann", f, start, 5)
                assert got_total == total and got_start == start
                assert rows == browse.window(session, "ann", f, start, 5, total)
        monkeypatch.setattr(browse, "SMALL_SEARCH", 5000)  # now a small, sorted search
        f = ClaimFilter(search="claim", sort="score")
        total, start, rows = browse.first_page(session, "ann", f, 0, 7)
        assert total == Total(240) and start == 0
        assert rows == browse.window(session, "ann", f, 0, 7, total)
        total, start, rows = browse.first_page(session, "ann", ClaimFilter(search="zzzqqq"), 0, 7)
        assert total == Total(0) and rows == []


def test_first_page_is_full_at_the_end_of_the_list(filled: Store) -> None:
    f = ClaimFilter(sort="id", descending=False)
    with filled.read() as session:
        total, start, rows = browse.first_page(session, "ann", f, 230, 30)
    assert total.count == 240 and start == 210
    assert [r.id for r in rows] == list(range(211, 241))


def test_counts_and_change_marker(filled: Store) -> None:
    with filled.read() as session:
        counts = browse.status_counts(session, "ann")
        before = browse.change_marker(session)
    assert counts["reviewed"] == 80 and counts["new"] == 160
    with filled.write() as session:
        set_status(session, "tester", ClaimAt(2), "dismissed")
    with filled.read() as session:
        assert browse.change_marker(session) > before


def test_browse_and_cli_do_not_import_textual() -> None:
    code = (
        "import sys, workbench.listing.browse, workbench.cli; "
        "sys.exit(1 if any(m == 'textual' or m.startswith('textual.') for m in sys.modules) "
        "else 0)"
    )
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0
