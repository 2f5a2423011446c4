"""A blind reviewer learns no hidden rating by any road (issue 13): not from the matching
suggestions of another claim, not by filtering lists, counts or reports by rating, nor from
the answer of a write or of `sources check`, in the CLI as in the TUI. The reviewer who
rated, and everyone once two have rated, still can.

On PostgreSQL the claim's own rating column stays empty for everyone while the claim is
under blind review (migration 0006), so there the reviewer who rated finds no claim by that
rating either: `ann_sees` is what they are shown."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from tui_helpers import settle

from workbench.core.results import ClaimFilter
from workbench.listing import browse
from workbench.storage.store import Store
from workbench.tui.app import WorkbenchApp
from workbench.tui.widgets.choice import ChoiceButton
from workbench.tui.widgets.claims_table import ClaimsTable

SIZE = (120, 32)
HIDDEN = "mostly-false"
TEXT = "The unemployment rate fell to 3.5% in 2023."


@pytest.fixture
def ann_sees(db_url: str) -> str | None:
    """The rating of the blind claim in the rows of the reviewer who rated it."""
    return None if db_url.startswith("postgresql") else HIDDEN


def _blind_claim(cli: Any) -> int:
    """ann rates a claim, then assigns it to bob for a blind review."""
    claim_id = int(cli("claim", "add", TEXT, "--json").json()["id"])
    assert cli("--reviewer", "ann", "verdict", str(claim_id), HIDDEN, "--rationale", "x").code == 0
    assert cli("--reviewer", "ann", "assign", str(claim_id), "bob", "--blind").code == 0
    return claim_id


def _ids(result: Any) -> list[int]:
    assert result.code == 0, result.err
    return [c["id"] for c in result.json()]


def test_matches_show_no_hidden_rating(cli: Any, ann_sees: str | None) -> None:
    hidden = _blind_claim(cli)
    later = cli("claim", "add", "The unemployment rate fell to 3.5% in 2023!", "--json").json()
    cid = str(later["id"])
    bob = cli("--reviewer", "bob", "matches", cid, "--refresh", "--json")
    assert bob.code == 0, bob.err
    assert HIDDEN not in bob.out
    if ann_sees is None:  # no rating in the claim's row: not a candidate at all
        assert [m for m in bob.json() if m["target_id"] == hidden] == []
        return
    [seen] = [m for m in bob.json() if m["target_id"] == hidden]
    assert seen["rating"] is None and seen["publisher"] is None
    assert HIDDEN not in cli("--reviewer", "bob", "matches", cid).out
    # Confirming the match answers with the same view: still no rating.
    confirmed = cli("--reviewer", "bob", "matches", cid, "--confirm", str(seen["id"]), "--json")
    assert confirmed.code == 0 and confirmed.json()["rating"] is None
    [ann] = [m for m in cli("--reviewer", "ann", "matches", cid, "--json").json()]
    assert (ann["rating"], ann["publisher"]) == (HIDDEN, "ann")


def test_rating_filter_of_lists_and_reports_hides_blind_claims(
    cli: Any, tmp_path: Path, ann_sees: str | None
) -> None:
    hidden = _blind_claim(cli)
    listed = cli("--reviewer", "bob", "claims", "--rating", HIDDEN, "--json")
    assert _ids(listed) == []
    ann = [hidden] if ann_sees else []
    assert _ids(cli("--reviewer", "ann", "claims", "--rating", HIDDEN, "--json")) == ann
    for who, expected in (("bob", 0), ("ann", len(ann))):
        out = tmp_path / f"{who}.json"
        args = ("--reviewer", who, "export", "--format", "json", "--rating", HIDDEN)
        assert cli(*args, "-o", str(out)).code == 0
        assert len(json.loads(out.read_text(encoding="utf-8"))["claims"]) == expected
    # Bob's own verdict ends the blind phase: the filter finds the claim by its new rating.
    assert cli("--reviewer", "bob", "verdict", str(hidden), "false", "--rationale", "y").code == 0
    assert _ids(cli("--reviewer", "bob", "claims", "--rating", "false", "--json")) == [hidden]


def test_browse_counts_by_rating_as_the_viewer_may_see(
    store: Store, cli: Any, ann_sees: str | None
) -> None:
    _blind_claim(cli)
    f = ClaimFilter(rating=HIDDEN)
    with store.read() as session:
        assert browse.exact_count(session, "bob", f) == 0
        assert browse.first_page(session, "bob", f, 0, 10)[0].count == 0
        assert browse.window(session, "bob", f, 0, 10, browse.Total(1)) == []
        assert browse.exact_count(session, "ann", f) == (1 if ann_sees else 0)


async def test_tui_rating_filter_hides_blind_claims(
    store: Store, cli: Any, ann_sees: str | None
) -> None:
    hidden = _blind_claim(cli)
    for reviewer, expected in (("bob", []), ("ann", [hidden] if ann_sees else [])):
        app = WorkbenchApp(store.url, reviewer=reviewer, refresh_interval=0)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            table = app.screen.query_one(ClaimsTable)
            assert [r.id for r in table.rows.values()] == [hidden]
            app.screen.query_one("#rating-filter", ChoiceButton).value = HIDDEN
            await settle(pilot)
            assert [r.id for r in table.rows.values()] == expected
            assert table.total is not None and table.total.count == len(expected)


def test_writes_answer_with_no_hidden_rating(cli: Any, ann_sees: str | None) -> None:
    """Every write that answers with the claim answers as the blind reviewer may see it."""
    claim = str(_blind_claim(cli))
    # (approve is refused to them: test_a_blind_reviewer_cannot_approve_the_verdict_hidden...)
    writes = [
        ("send-back", claim, "--note", "Check the source again"),
        ("status", claim, "in-progress"),
        ("claim", "edit", claim, "--text", "Unemployment fell to 3.5% in 2023."),
        ("claim", "edit", claim, "--summary", "Unemployment fell"),
        ("assign", claim, "bob"),
        ("bulk-status", "new", claim),
    ]
    for args in writes:
        result = cli("--reviewer", "bob", *args, "--json")
        assert result.code == 0, (args, result.err)
        assert HIDDEN not in result.out, args
    ann = cli("--reviewer", "ann", "status", claim, "in-progress", "--json")
    assert ann.code == 0 and ann.json()["rating"] == ann_sees


async def test_tui_row_after_a_write_shows_no_hidden_rating(store: Store, cli: Any) -> None:
    hidden = _blind_claim(cli)
    app = WorkbenchApp(store.url, reviewer="bob", refresh_interval=0)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("d")  # dismiss the claim under the cursor
        await settle(pilot)
        table = app.screen.query_one(ClaimsTable)
        [row] = table.rows.values()
        assert (row.id, row.status, row.rating) == (hidden, "dismissed", None)
        assert HIDDEN not in "\n".join(table.render_line(y).text for y in range(1, 4))


def test_sources_check_lists_no_hidden_verdict(
    cli: Any, httpserver: Any, monkeypatch: pytest.MonkeyPatch, ann_sees: str | None
) -> None:
    monkeypatch.setenv("WORKBENCH_ALLOW_PRIVATE_NETWORKS", "1")
    page = "<html><body><p>Unemployment was 3.5% in 2023, the office said.</p></body></html>"
    for figure in ("3.5%", "4.1%", "4.4%"):  # each check finds the page changed
        httpserver.expect_ordered_request("/stats").respond_with_data(
            page.replace("3.5%", figure), content_type="text/html"
        )
    claim = int(cli("claim", "add", TEXT, "--json").json()["id"])
    assert cli("source", "add", str(claim), httpserver.url_for("/stats")).code == 0
    assert cli("--reviewer", "ann", "verdict", str(claim), HIDDEN, "--rationale", "x").code == 0
    assert cli("--reviewer", "ann", "assign", str(claim), "bob", "--blind").code == 0
    bob = cli("--reviewer", "bob", "sources", "check", "--json")
    assert bob.code == 0, bob.err
    [finding] = bob.json()
    assert finding["problem"] == "changed" and finding["verdicts"] == []
    [seen] = cli("--reviewer", "ann", "sources", "check", "--json").json()
    assert seen["verdicts"] == ([{"claim_id": claim, "rating": HIDDEN}] if ann_sees else [])


def test_a_blind_reviewer_cannot_approve_the_verdict_hidden_from_them(cli: Any) -> None:
    claim_id = _blind_claim(cli)
    refused = cli("--reviewer", "bob", "approve", str(claim_id))
    assert refused.code == 1 and "hidden from you" in refused.err, refused.err
    assert HIDDEN not in refused.err + refused.out
    shown = cli("--reviewer", "bob", "claim", "show", str(claim_id), "--json").json()
    assert shown["status"] == "reviewed"  # nothing was approved
    assert cli("--reviewer", "bob", "verdict", str(claim_id), "false", "--rationale", "y").code == 0
    # Two ratings in: the review is no longer blind, and ann's turn to sign off bob's verdict.
    approved = cli("--reviewer", "ann", "approve", str(claim_id), "--json")
    assert approved.code == 0, approved.err
    assert approved.json()["status"] == "approved"
