"""The audit trail cannot be rewritten: triggers refuse UPDATE and DELETE, and the hash chain
shows any change made around them (here: after dropping a trigger)."""

from __future__ import annotations

import hashlib
import zlib
from datetime import UTC, datetime
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy import select, text

from workbench.claims.service import add_claim
from workbench.core.changes import record_event
from workbench.core.results import ClaimAt
from workbench.errors import DatabaseError
from workbench.sources.evidence import cite_source
from workbench.storage import audit
from workbench.storage.models import Event, Snapshot, Source
from workbench.storage.store import Store, head_revision
from workbench.verdicts.service import record_verdict


def _history(store: Store) -> int:
    """A few claims with events of every kind; returns the id of a claim."""
    with store.write() as session:
        claim = add_claim(session, "ann", "Unemployment fell to 3 percent — «ü» ✓")
        cite_source(session, "bob", claim.id, "Labour survey 2025, table 4")
        record_verdict(session, "bob", ClaimAt(claim.id), "mostly-true", "3.1%, close enough")
        add_claim(session, "ann", "The bridge cost 2.5 billion", score=0.731)
    return claim.id


def _drop_trigger(store: Store, name: str) -> None:
    with store.write() as session:
        if store.dialect == "sqlite":
            session.execute(text(f"DROP TRIGGER {name}"))
        else:
            session.execute(text(f"DROP TRIGGER {name} ON events"))


def test_every_event_is_chained(store: Store) -> None:
    _history(store)
    with store.read() as session:
        events = session.scalars(select(Event).order_by(Event.id)).all()
        head = audit.head_hash(session)
        report = audit.check(session)
    assert len(events) == 4
    assert events[0].prev_hash is None
    for before, after in zip(events, events[1:], strict=False):
        assert after.prev_hash == before.hash
    assert all(e.hash and len(e.hash) == 64 for e in events)
    assert len({e.hash for e in events}) == 4
    assert head == events[-1].hash
    assert report.ok, report.problems
    assert report.events == 4 and report.head_hash == head


def test_head_hash_of_an_empty_trail(store: Store) -> None:
    with store.read() as session:
        assert audit.head_hash(session) is None
        assert audit.check(session).ok


@pytest.mark.parametrize(
    "statement", ["UPDATE events SET reviewer = 'mallory'", "DELETE FROM events"]
)
def test_database_refuses_to_rewrite_events(store: Store, statement: str) -> None:
    _history(store)
    with pytest.raises(DatabaseError, match="append-only"), store.write() as session:
        session.execute(text(statement))
    with store.read() as session:
        assert session.scalar(select(sa.func.count()).select_from(Event)) == 4
        assert audit.check(session).ok


def test_orm_cannot_edit_an_event_either(store: Store) -> None:
    _history(store)
    with pytest.raises(DatabaseError, match="append-only"), store.write() as session:
        event = session.scalars(select(Event).order_by(Event.id)).first()
        assert event is not None
        event.after = {"rating": "true"}


def test_check_names_an_altered_event(store: Store, cli: Any) -> None:
    _history(store)
    _drop_trigger(store, "events_no_update")
    with store.write() as session:
        session.execute(text("UPDATE events SET reviewer = 'mallory' WHERE id = 3"))
    with store.read() as session:
        report = audit.check(session)
    assert not report.ok
    first = report.problems[0]
    assert (first.check, first.record) == ("chain", "event 3")
    assert "altered" in first.message
    # The missing trigger is reported too, after the first problem.
    assert any(p.check == "triggers" and "events_no_update" in p.message for p in report.problems)

    result = cli("check")
    assert result.code == 1
    assert "event 3" in result.err.splitlines()[-1] and "Traceback" not in result.err
    as_json = cli("check", "--json")
    assert as_json.code == 1
    data = as_json.json()
    assert data["ok"] is False and data["problems"][0]["record"] == "event 3"


def test_check_names_the_event_after_a_removed_one(store: Store) -> None:
    _history(store)
    _drop_trigger(store, "events_no_delete")
    with store.write() as session:
        session.execute(text("DELETE FROM events WHERE id = 2"))
    with store.read() as session:
        report = audit.check(session)
    assert report.problems[0].record == "event 3"
    assert "does not follow event 1" in report.problems[0].message


def test_check_refuses_an_event_written_around_the_trail(store: Store) -> None:
    _history(store)
    with store.write() as session:
        session.execute(
            sa.insert(Event).values(
                at=datetime.now(UTC), reviewer="mallory", action="claim.add", entity="claim"
            )
        )
    with store.read() as session:
        report = audit.check(session)
    assert report.problems[0].record == "event 5"
    assert "no hash" in report.problems[0].message


def test_check_verifies_snapshot_hashes(store: Store, cli: Any) -> None:
    body = b"<html><p>Unemployment was 3.1% in 2025.</p></html>"
    with store.write() as session:
        source = Source(kind="url", url="https://example.org/a", canonical_url="example.org/a")
        session.add(source)
        session.flush()
        for digest in (hashlib.sha256(body).hexdigest(), hashlib.sha256(b"other").hexdigest()):
            session.add(
                Snapshot(
                    source_id=source.id,
                    requested_url=source.url,
                    body=zlib.compress(body),
                    body_size=len(body),
                    sha256=digest,
                    outcome="ok",
                )
            )
    with store.read() as session:
        report = audit.check(session)
    assert report.snapshots == 2
    assert [str(p) for p in report.problems] == ["snapshot 2: its body does not match its SHA-256"]
    assert cli("check").code == 1


def test_check_command_on_a_sound_database(store: Store, cli: Any) -> None:
    _history(store)
    result = cli("check", "--json")
    assert result.code == 0, result.err
    data = result.json()
    assert data["ok"] is True and data["events"] == 4 and len(data["head_hash"]) == 64
    if store.dialect == "sqlite":
        assert data["integrity"] == "ok"
    text_result = cli("check")
    assert text_result.code == 0 and "ok:" in text_result.out


def test_migration_chains_events_written_before_it(db_url: str) -> None:
    store = Store(db_url, migrate=False)
    try:
        store.upgrade("0002")
        events = sa.table(
            "events",
            sa.column("at", sa.DateTime(timezone=True)),
            sa.column("reviewer", sa.String()),
            sa.column("action", sa.String()),
            sa.column("entity", sa.String()),
            sa.column("entity_id", sa.Integer()),
            sa.column("claim_id", sa.Integer()),
            sa.column("before", sa.JSON()),
            sa.column("after", sa.JSON()),
        )
        with store.engine.begin() as conn:
            for n in range(3):
                conn.execute(
                    events.insert().values(
                        at=datetime(2026, 1, 2, 3, 4, 5, 123456 + n, tzinfo=UTC),
                        reviewer="ann",
                        action="claim.add",
                        entity="claim",
                        entity_id=n + 1,
                        claim_id=n + 1,
                        before=None,
                        after={"text": f"claim {n} ü", "score": 0.1 * n},
                    )
                )
        store.upgrade()
        assert store.current_revision() == head_revision()
        with store.read() as session:
            report = audit.check(session)
            hashes = session.scalars(select(Event.hash).order_by(Event.id)).all()
        assert report.ok, report.problems
        assert report.events == 3 and all(hashes)
        # New events continue the chain of the migrated ones.
        with store.write() as session:
            add_claim(session, "bob", "A new claim after the upgrade")
        with store.read() as session:
            assert audit.check(session).ok
            new = session.scalars(select(Event).order_by(Event.id.desc())).first()
            assert new is not None and new.prev_hash == hashes[-1]
    finally:
        store.dispose()


def test_chain_stays_whole_with_concurrent_writers(store: Store) -> None:
    import threading

    with store.write() as session:
        ids = [add_claim(session, "ann", f"Claim {n} to cite").id for n in range(4)]
    barrier = threading.Barrier(4)
    errors: list[BaseException] = []

    def write(n: int) -> None:
        barrier.wait(5)
        try:
            for k in range(5):
                with store.write() as session:
                    cite_source(session, f"r{n}", ids[(n + k) % 4], f"Source {n}/{k}")
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors
    with store.read() as session:
        report = audit.check(session)
    assert report.ok, report.problems
    assert report.events == 4 + 20


def test_savepoint_rollback_and_core_inserts_keep_the_chain(store: Store) -> None:
    with store.write() as session:
        claim = add_claim(session, "ann", "A claim")
        with pytest.raises(RuntimeError), session.begin_nested():
            record_event(session, "ann", "note", "claim", claim.id, claim_id=claim.id)
            raise RuntimeError("undo the savepoint")
        rows = [
            {"at": datetime.now(UTC), "reviewer": "importer", "action": "claim.import",
             "entity": "claim", "entity_id": claim.id, "claim_id": claim.id,
             "after": {"n": n}}
            for n in range(3)
        ]  # fmt: skip
        session.execute(sa.insert(Event), audit.seal_rows(session, rows))
        record_event(session, "ann", "note", "claim", claim.id, claim_id=claim.id)
    with store.read() as session:
        report = audit.check(session)
        actions = session.scalars(select(Event.action).order_by(Event.id)).all()
    assert report.ok, report.problems
    assert actions == ["claim.add", "claim.import", "claim.import", "claim.import", "note"]


def test_exports_carry_the_audit_head(cli: Any) -> None:
    claim = cli("claim", "add", "Bus fares rose 12% in 2025.", "--json").json()
    cli("verdict", str(claim["id"]), "true", "--rationale", "Fare tables.")
    head = cli("check", "--json").json()["head_hash"]
    assert head and len(head) == 64
    assert cli("export", "--format", "json").json()["audit_head"] == head
    assert head in cli("export", "--format", "html").out
    assert head in cli("export", "--format", "md").out
