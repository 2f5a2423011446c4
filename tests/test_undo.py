"""Undo of destructive changes, as a service (issue 18): a dismissal set back through an
audited change, a removed source attached again whole, a bulk change undone claim by claim,
and a refusal, changing nothing, when someone else changed the claim since."""

from __future__ import annotations

import pytest

from workbench.claims.reading import get_claim
from workbench.claims.service import add_claim, set_status
from workbench.claims.undo import undo_change, undo_changes
from workbench.core.results import ClaimAt
from workbench.errors import ConflictError, ValidationError
from workbench.sources.evidence import Attachment, cite_source, detach_evidence
from workbench.storage.models import Evidence
from workbench.storage.store import Store
from workbench.team.workflow import bulk_set_status


def _claim(store: Store, text: str = "Tram fares doubled") -> tuple[int, int]:
    with store.write() as s:
        row = add_claim(s, "ann", text)
    return row.id, row.version


def test_a_dismissal_is_undone_by_an_audited_change(store: Store) -> None:
    claim_id, version = _claim(store)
    with store.write() as s:
        set_status(s, "ann", ClaimAt(claim_id), "in-progress")
        version = get_claim(s, claim_id).claim.version
        set_status(s, "ann", ClaimAt(claim_id, version), "dismissed")
    with store.write() as s:
        done = undo_change(s, "ann", claim_id, from_version=version)
    assert done.claim.status == "in-progress"
    assert done.what == f"claim {claim_id} is in-progress again"
    with store.read() as s:
        detail = get_claim(s, claim_id)
    assert detail.claim.status == "in-progress"
    last = detail.history[-1]
    assert last.action == "claim.status" and last.reviewer == "ann"
    assert last.before is not None and last.before["status"] == "dismissed"
    assert last.after is not None and last.after["status"] == "in-progress"
    assert last.after["undo_of"] == detail.history[-2].id
    # The undo itself is not undone by a second call: the last change is now the undo.
    with store.write() as s:
        again = undo_change(s, "ann", claim_id)
    assert again.claim.status == "dismissed"


def test_an_undo_after_someone_else_changed_the_claim_is_refused(store: Store) -> None:
    claim_id, version = _claim(store)
    with store.write() as s:
        set_status(s, "ann", ClaimAt(claim_id, version), "dismissed")
    with store.write() as s:
        set_status(s, "bob", ClaimAt(claim_id), "in-progress")
    with pytest.raises(ConflictError, match="changed by bob") as caught:
        with store.write() as s:
            undo_change(s, "ann", claim_id, from_version=version)
    assert "nothing was undone" in str(caught.value)
    with store.read() as s:
        detail = get_claim(s, claim_id)
    assert detail.claim.status == "in-progress"
    assert [e.reviewer for e in detail.history][-1] == "bob"


def test_only_a_status_change_or_a_removal_is_undone_and_only_by_its_author(
    store: Store,
) -> None:
    claim_id, _ = _claim(store)
    with pytest.raises(ValidationError, match="cannot be undone"):
        with store.write() as s:
            undo_change(s, "ann", claim_id)  # its last change is its creation
    with store.write() as s:
        set_status(s, "ann", ClaimAt(claim_id), "dismissed")
    with pytest.raises(ValidationError, match="made by ann; only they"):
        with store.write() as s:
            undo_change(s, "bob", claim_id)
    with store.read() as s:
        assert get_claim(s, claim_id).claim.status == "dismissed"


def test_a_removed_source_is_attached_again_with_its_stance_quote_and_place(
    store: Store,
) -> None:
    claim_id, _ = _claim(store)
    with store.write() as s:
        cited = cite_source(s, "ann", claim_id, "Fare table 2026", Attachment("refutes", "2.40"))
        # A pinned passage's place in the archive, as pin_quote stores it.
        row = s.get(Evidence, cited.id)
        assert row is not None
        row.quote_start, row.quote_end = 10, 14
        row.context_before, row.context_after = "fares were ", " euros"
    with store.read() as s:
        version = get_claim(s, claim_id).claim.version
    with store.write() as s:
        detach_evidence(s, "ann", claim_id, cited.id, expected_version=version)
    with store.read() as s:
        assert get_claim(s, claim_id).evidence == []
    with store.write() as s:
        done = undo_change(s, "ann", claim_id, from_version=version)
    assert done.what == f"Fare table 2026 is attached to claim {claim_id} again"
    assert done.claim.source_count == 1
    with store.read() as s:
        detail = get_claim(s, claim_id)
        [back] = detail.evidence
        placed = s.get(Evidence, back.id)
        assert placed is not None
        where = (placed.quote_start, placed.quote_end, placed.context_before, placed.context_after)
    assert back.source.id == cited.source.id  # the same source, not a copy
    assert (back.stance, back.quote) == ("refutes", "2.40")
    assert where == (10, 14, "fares were ", " euros")
    assert detail.history[-1].action == "evidence.add"


def test_a_bulk_change_is_undone_claim_by_claim(store: Store) -> None:
    ids = [_claim(store, f"Claim number {n}")[0] for n in range(3)]
    with store.write() as s:
        set_status(s, "ed", ClaimAt(ids[1]), "in-progress")
    with store.read() as s:
        before = {i: get_claim(s, i).claim for i in ids}
    with store.write() as s:
        bulk_set_status(s, "ed", ids, "dismissed")
    with store.write() as s:  # someone else takes the third claim up again meanwhile
        set_status(s, "bob", ClaimAt(ids[2]), "in-progress")
    with store.write() as s:
        report = undo_changes(s, "ed", {i: before[i].version for i in ids})
    assert [u.claim.id for u in report.undone] == ids[:2]
    assert len(report.refused) == 1 and f"claim {ids[2]} was changed by bob" in report.refused[0]
    with store.read() as s:
        statuses = [get_claim(s, i).claim.status for i in ids]
    assert statuses == ["new", "in-progress", "in-progress"]
