"""`ClaimAt`, the claim a change is for at the version the reviewer saw: `claim edit` with
both a new wording and a summary checks the version once, then carries its own new one."""

from __future__ import annotations

import pytest

from workbench.claims.reading import get_claim
from workbench.claims.service import add_claim, set_status
from workbench.claims.summary import edit_claim
from workbench.core.results import ClaimAt
from workbench.errors import ConflictError
from workbench.storage.store import Store


def test_of_takes_the_id_and_version_a_row_showed(store: Store) -> None:
    with store.write() as session:
        row = add_claim(session, "ann", "The tunnel is 57 km long")
        moved = set_status(session, "ann", ClaimAt(row.id), "in-progress")
    assert ClaimAt.of(row) == ClaimAt(row.id, 1)
    assert ClaimAt.of(moved) == ClaimAt(row.id, 2)
    assert ClaimAt(row.id).after(moved) == ClaimAt(row.id)  # no check asked, none made


def test_wording_and_summary_together_check_the_version_seen(store: Store) -> None:
    with store.write() as session:
        claim_id = add_claim(session, "ann", "The tunnel is 57 km long").id
    with store.write() as session:
        row, summary = edit_claim(
            session, "bob", ClaimAt(claim_id, 1), "The tunnel is 57.1 km long", "Tunnel length"
        )
    assert (row.text, row.version, summary) == ("The tunnel is 57.1 km long", 3, "Tunnel length")
    with store.read() as session:
        assert get_claim(session, claim_id).claim.version == 3
    # A second reviewer who opened version 1 changes nothing, not even half the edit.
    with pytest.raises(ConflictError, match="changed by bob"), store.write() as session:
        edit_claim(session, "cat", ClaimAt(claim_id, 1), "The tunnel is 50 km", "Short")
    with store.read() as session:
        detail = get_claim(session, claim_id)
    assert (detail.claim.text, detail.claim.version) == ("The tunnel is 57.1 km long", 3)
