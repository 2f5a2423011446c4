"""No lost updates: a save based on an old read fails with ConflictError, on both backends,
whether the two writers take turns or overlap in time."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from workbench.claims.reading import get_claim
from workbench.claims.service import add_claim, edit_claim_text, set_status
from workbench.core.changes import touch
from workbench.core.results import ClaimAt
from workbench.errors import ConflictError, NotFoundError
from workbench.sources.evidence import cite_source
from workbench.storage.models import Claim, Event
from workbench.storage.store import Store
from workbench.team.workflow import bulk_set_status
from workbench.verdicts.service import record_verdict


def _claim(store: Store, text: str = "The bridge cost two billion euros") -> int:
    with store.write() as session:
        return add_claim(session, "ann", text).id


def _version(store: Store, claim_id: int) -> int:
    with store.read() as session:
        return get_claim(session, claim_id).claim.version


def test_stale_expected_version_is_refused_and_names_who(store: Store) -> None:
    claim_id = _claim(store)
    seen = _version(store, claim_id)  # both reviewers opened version 1
    with store.write() as session:
        record_verdict(session, "bob", ClaimAt(claim_id, seen), "false", "Budget: 1.2bn")
    with pytest.raises(ConflictError) as caught, store.write() as session:
        record_verdict(session, "cat", ClaimAt(claim_id, seen), "true", "Looks right")
    assert "changed by bob at" in str(caught.value)
    assert caught.value.version == seen + 1
    with store.read() as session:
        detail = get_claim(session, claim_id)
    assert [v.reviewer for v in detail.verdicts] == ["bob"]
    assert detail.claim.rating == "false"
    # Reapplied against the version now current, the same input is accepted.
    with store.write() as session:
        record_verdict(session, "cat", ClaimAt(claim_id, seen + 1), "true", "Looks right")


def test_orm_write_from_an_old_read_fails_at_the_database(store: Store) -> None:
    """No version check in Python at all: the UPDATE ... WHERE version = N itself refuses."""
    claim_id = _claim(store)
    old = Session(store.engine, expire_on_commit=False)
    stale = old.get(Claim, claim_id)
    assert stale is not None
    old.commit()  # ends the read; the object keeps what it saw (version 1)

    with store.write() as session:
        edit_claim_text(session, "ann", ClaimAt(claim_id), "The bridge cost 1.2 billion euros")

    stale.text = "Overwritten by an old read"
    touch(stale)
    with pytest.raises(Exception) as caught:
        old.commit()
    assert type(caught.value).__name__ == "StaleDataError"
    old.close()
    with store.read() as session:
        assert get_claim(session, claim_id).claim.text.startswith("The bridge cost 1.2")


def test_store_write_turns_a_stale_flush_into_a_conflict(store: Store) -> None:
    claim_id = _claim(store)
    with store.read() as session:
        stale = session.get(Claim, claim_id)
        assert stale is not None
    with store.write() as session:
        set_status(session, "bob", ClaimAt(claim_id), "in-progress")
    with pytest.raises(ConflictError) as caught, store.write() as session:
        mine = session.merge(stale, load=False)  # the old state, as a client that kept it
        mine.status = "dismissed"
        touch(mine)
    assert f"claim {claim_id} was changed by bob" in str(caught.value)
    assert _version(store, claim_id) == 2


def test_overlapping_writers_second_gets_conflict(store: Store) -> None:
    """Both read version N, then write at the same time: one wins, the other is told."""
    claim_id = _claim(store)
    seen = _version(store, claim_id)
    first_inside = threading.Event()
    results: dict[str, Any] = {}

    def slow_writer() -> None:
        try:
            with store.write() as session:
                record_verdict(session, "bob", ClaimAt(claim_id, seen), "false", "slow")
                first_inside.set()
                time.sleep(0.4)  # holds the row (PostgreSQL) / the write lock (SQLite)
            results["bob"] = "saved"
        except Exception as exc:  # pragma: no cover - reported below
            first_inside.set()
            results["bob"] = exc

    def second_writer() -> None:
        first_inside.wait(5)
        try:
            with store.write() as session:
                record_verdict(session, "cat", ClaimAt(claim_id, seen), "true", "fast")
            results["cat"] = "saved"
        except Exception as exc:
            results["cat"] = exc

    threads = [threading.Thread(target=slow_writer), threading.Thread(target=second_writer)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(20)
    assert results["bob"] == "saved"
    assert isinstance(results["cat"], ConflictError), results["cat"]
    with store.read() as session:
        detail = get_claim(session, claim_id)
    assert [v.reviewer for v in detail.verdicts] == ["bob"]
    assert detail.claim.version == seen + 1


def test_overlapping_writers_without_expected_version_both_apply(store: Store) -> None:
    """Without an expected version nothing is refused, and nothing is lost either: the
    second writer waits for the first and builds on its result."""
    claim_id = _claim(store)
    barrier = threading.Barrier(4)
    errors: list[BaseException] = []

    def cite(n: int) -> None:
        barrier.wait(5)
        try:
            with store.write() as session:
                cite_source(session, f"r{n}", claim_id, f"Source {n}")
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=cite, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert not errors
    with store.read() as session:
        detail = get_claim(session, claim_id)
    assert detail.claim.source_count == 4
    assert detail.claim.version == 5


def test_cli_expect_version(cli: Any) -> None:
    claim_id = cli("claim", "add", "Crime fell 20% last year", "--json").json()["id"]
    ok = cli("--reviewer", "bob", "status", str(claim_id), "in-progress", "--expect-version", "1")
    assert ok.code == 0, ok.err
    stale = cli(
        "--reviewer",
        "cat",
        "verdict",
        str(claim_id),
        "false",
        "--rationale",
        "Police data: +3%",
        "--expect-version",
        "1",
    )
    assert stale.code == 1
    assert "changed by bob at" in stale.err
    assert "Traceback" not in stale.err
    # The input is kept: the message gives the command to apply it to the new version.
    assert "--rationale 'Police data: +3%' --expect-version 2" in stale.err
    shown = cli("claim", "show", str(claim_id), "--json").json()
    assert shown["verdicts"] == [] and shown["version"] == 2
    for args in (
        ("source", "cite", str(claim_id), "Police report 2025", "--expect-version", "1"),
        ("approve", str(claim_id), "--expect-version", "1"),
        ("assign", str(claim_id), "cat", "--expect-version", "1"),
    ):
        result = cli(*args)
        assert result.code == 1 and "changed by bob" in result.err, (args, result.err)
    good = cli(
        "--reviewer", "cat", "verdict", str(claim_id), "false", "--rationale", "x",
        "--expect-version", "2",
    )  # fmt: skip
    assert good.code == 0, good.err


def test_bulk_set_status_bumps_versions_and_audits(store: Store) -> None:
    ids = [_claim(store, f"Claim number {n} is checkable") for n in range(3)]
    with store.write() as session:
        set_status(session, "ann", ClaimAt(ids[0]), "in-progress")
    with store.write() as session:
        rows = bulk_set_status(session, "ed", [ids[2], ids[0], ids[1]], "dismissed")
    assert [r.id for r in rows] == sorted(ids)
    assert {r.status for r in rows} == {"dismissed"}
    assert [r.version for r in rows] == [3, 2, 2]
    with store.read() as session:
        events = session.scalars(
            select(Event).where(Event.action == "claim.status", Event.reviewer == "ed")
        ).all()
    assert sorted(e.claim_id for e in events) == sorted(ids)
    assert all(e.after and e.after["bulk"] is True for e in events)


def test_bulk_set_status_is_all_or_nothing(store: Store) -> None:
    ids = [_claim(store, f"Claim number {n} is checkable") for n in range(2)]
    with store.write() as session:
        set_status(session, "bob", ClaimAt(ids[1]), "in-progress")  # now version 2
    with pytest.raises(ConflictError), store.write() as session:
        bulk_set_status(session, "ed", ids, "dismissed", expected_versions={ids[0]: 1, ids[1]: 1})
    with pytest.raises(NotFoundError), store.write() as session:
        bulk_set_status(session, "ed", [ids[0], 999], "dismissed")
    with store.read() as session:
        statuses = [get_claim(session, i).claim.status for i in ids]
    assert statuses == ["new", "in-progress"]
