"""The tamper-evident audit trail: a SHA-256 hash chain over the events, and `workbench check`.

Every event carries `prev_hash` (the hash of the event before it, by id; None for the first)
and `hash` = SHA-256 of a canonical JSON of its content and `prev_hash`. Changing, removing
or reordering a stored event breaks the chain at that record. The database also refuses
UPDATE and DELETE on events (triggers from migration 0003), so tampering needs someone who
can drop triggers; the chain then still shows it.

The canonical form (`event_digest`) is part of the file format: migration 0003 uses it to
chain the events of older databases. Never change it; add a new version field instead.
"""

from __future__ import annotations

import hashlib
import json
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any, cast
from weakref import WeakKeyDictionary

from sqlalchemy import event as sa_event
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from workbench.progress import report_progress
from workbench.storage.models import Event, Snapshot

# Key of the PostgreSQL advisory lock that serializes writers of the chain (any 64-bit value
# the program does not use for anything else; the bytes spell "wbaudit1").
CHAIN_LOCK_KEY = 0x7762617564697431
CHAIN_VERSION = 1


def _iso(value: datetime) -> str:
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).isoformat(timespec="microseconds")


def _normal(value: Any) -> Any:
    # What the JSON column gives back: tuples become lists, integer keys become strings.
    if value is None or _is_flat_normal(value):
        return value
    return json.loads(json.dumps(value))


_SCALARS = frozenset((str, int, float, bool, type(None)))


def _is_flat_normal(value: Any) -> bool:
    """A dict of text keys and scalar values (what most events carry) comes back from the
    JSON column equal and encodes the same, so it needs no round trip."""
    return type(value) is dict and all(
        type(k) is str and type(v) in _SCALARS for k, v in value.items()
    )


# The canonical encoding, built once (json.dumps builds an encoder on every call).
_CANONICAL = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode
_quote: Any = json.encoder.encode_basestring


def _scalar(value: Any) -> str:
    # The canonical JSON of one value; text and whole numbers without the encoder's overhead.
    kind = type(value)
    if kind is str:
        return cast(str, _quote(value))
    if kind is int:
        return int.__repr__(value)
    return "null" if value is None else _CANONICAL(value)


def _canonical_text(
    prev_hash: str | None,
    at_iso: str,
    reviewer: str,
    action: str,
    entity: str,
    entity_id: int | None,
    claim_id: int | None,
    before: Any,
    after: Any,
) -> str:
    """`json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)` of
    the content dict {"v", "prev", "at", "reviewer", "action", "entity", "entity_id",
    "claim_id", "before", "after"}, written key by key in sorted order (the encoder joins
    the members of a dict exactly so); `before` and `after` already normal."""
    return (
        f'{{"action":{_scalar(action)},"after":{_scalar(after)},"at":{_scalar(at_iso)},'
        f'"before":{_scalar(before)},"claim_id":{_scalar(claim_id)},'
        f'"entity":{_scalar(entity)},"entity_id":{_scalar(entity_id)},'
        f'"prev":{_scalar(prev_hash or "")},"reviewer":{_scalar(reviewer)},'
        f'"v":{_scalar(CHAIN_VERSION)}}}'
    )


def event_digest(
    prev_hash: str | None,
    *,
    at: datetime,
    reviewer: str,
    action: str,
    entity: str,
    entity_id: int | None,
    claim_id: int | None,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
    stored: bool = False,
) -> str:
    """The hash of one event. The id is left out: it is given by the database at INSERT,
    after the hash is computed; the chain itself fixes the order. `stored`: before and after
    come from the database, so are in the JSON column's form already."""
    data = _canonical_text(
        prev_hash,
        _iso(at),
        reviewer,
        action,
        entity,
        entity_id,
        claim_id,
        before if stored else _normal(before),
        after if stored else _normal(after),
    )
    return hashlib.sha256(data.encode("utf-8")).hexdigest()


# The attributes of an event that its hash covers, as `event_digest` takes them.
HASHED = ("at", "reviewer", "action", "entity", "entity_id", "claim_id", "before", "after")


def digest_of(prev_hash: str | None, event: Any, *, stored: bool = False) -> str:
    """`event_digest` of an Event, or of a row with the same attributes (read back to check)."""
    return event_digest(prev_hash, **{name: getattr(event, name) for name in HASHED}, stored=stored)


def lock_chain(session: Session) -> None:
    """Serializes chain writers until the transaction ends. SQLite needs nothing: write
    transactions begin IMMEDIATE and so already run one at a time."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": CHAIN_LOCK_KEY})


def head_hash(session: Session) -> str | None:
    """The hash of the newest event (what exports print so a reader can compare). On a team
    server row-level security may hide the newest event from this login, so the database
    function of migration 0006 reads it (where the schema has it)."""
    if _has_head_function(session):
        head = session.scalar(text("SELECT workbench_audit_head()"))
        return None if head is None else str(head)
    # The table's columns, not the mapped class's: an ORM statement would configure every
    # mapper first, most of what an ingest's one event costs.
    events = Event.__table__.c
    return session.scalar(select(events.hash).order_by(events.id.desc()).limit(1))


_head_function: WeakKeyDictionary[Any, bool] = WeakKeyDictionary()


def _has_head_function(session: Session) -> bool:
    bind = session.get_bind()
    if bind.dialect.name != "postgresql":
        return False
    engine = getattr(bind, "engine", bind)
    known = _head_function.get(engine)
    if known is None:
        found = session.scalar(text("SELECT to_regprocedure('workbench_audit_head()')"))
        # Only a yes is kept: a database below 0006 gets the function when it is upgraded.
        known = found is not None
        if known:
            _head_function[engine] = True
    return known


# session.info key: (the transaction, the chain head it has written). Once a transaction holds
# the chain it is the only writer, so its later events need no lock, flush or query.
_HEAD = "workbench_audit_head"


def _chain_head(session: Session) -> str | None:
    cached = session.info.get(_HEAD)
    if cached is not None and cached[0] is session.get_transaction():
        return cast(str | None, cached[1])
    lock_chain(session)
    session.flush()  # events added earlier in this transaction are the chain's head now
    return head_hash(session)


def _remember_head(session: Session, value: str | None) -> None:
    session.info[_HEAD] = (session.get_transaction(), value)


@sa_event.listens_for(Session, "after_soft_rollback")
def _forget_head(session: Session, _previous: Any) -> None:
    # A rolled-back savepoint may have taken sealed events with it: ask the database again.
    session.info.pop(_HEAD, None)


def seal(session: Session, event: Event) -> None:
    """Sets prev_hash and hash of a new event that is about to be added to the session."""
    event.prev_hash = _chain_head(session)
    event.hash = digest_of(event.prev_hash, event)
    _remember_head(session, event.hash)


def seal_rows(session: Session, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """For bulk writers that insert events with Core: fills in prev_hash and hash of event
    dicts (keys as the columns, `at` set), in the order they will be inserted. Insert them in
    the same transaction, in this order, before any other event is written."""
    prev = _chain_head(session)
    # Bulk rows share their time: format it once (as event_digest does).
    last_at: Any = None
    at_iso = ""
    for row in rows:
        at = row["at"]
        if at is not last_at:
            last_at, at_iso = at, _iso(at)
        data = _canonical_text(
            prev,
            at_iso,
            row["reviewer"],
            row["action"],
            row["entity"],
            row.get("entity_id"),
            row.get("claim_id"),
            _normal(row.get("before")),
            _normal(row.get("after")),
        )
        row["prev_hash"] = prev
        row["hash"] = prev = hashlib.sha256(data.encode("utf-8")).hexdigest()
    _remember_head(session, prev)
    return rows


# ---------------------------------------------------------------- verification


@dataclass(frozen=True)
class Problem:
    check: str  # "chain", "snapshots", "integrity", "triggers"
    record: str | None  # e.g. "event 17", "snapshot 3"
    message: str

    def __str__(self) -> str:
        return f"{self.record}: {self.message}" if self.record else self.message


@dataclass
class CheckReport:
    backend: str
    events: int = 0
    snapshots: int = 0
    head_hash: str | None = None
    integrity: str = "not run"
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def to_json(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "backend": self.backend,
            "events": self.events,
            "snapshots": self.snapshots,
            "head_hash": self.head_hash,
            "integrity": self.integrity,
            "problems": [asdict(p) for p in self.problems],
            "first_problem": str(self.problems[0]) if self.problems else None,
        }


def _event_rows(session: Session, batch: int = 2000) -> Iterator[Any]:
    # Paged by key, so a million events never sit in memory at once.
    last = 0
    while True:
        rows = session.execute(
            select(
                Event.id,
                Event.at,
                Event.reviewer,
                Event.action,
                Event.entity,
                Event.entity_id,
                Event.claim_id,
                Event.before,
                Event.after,
                Event.prev_hash,
                Event.hash,
            )
            .where(Event.id > last)
            .order_by(Event.id)
            .limit(batch)
        ).all()
        if not rows:
            return
        yield from rows
        last = rows[-1].id


def verify_chain(session: Session, report: CheckReport) -> Problem | None:
    """Walks the events by id; the first record whose hash or link is wrong is the problem."""
    prev: str | None = None
    prev_id: int | None = None
    for row in _event_rows(session):
        report.events += 1
        if report.events % 1000 == 0:
            report_progress(report.events, 0, "events checked")
        where = f"event {row.id}"
        if row.hash is None:
            return Problem("chain", where, "has no hash (written around the audit trail)")
        if (row.prev_hash or None) != prev:
            before = f"event {prev_id}" if prev_id is not None else "the start of the trail"
            return Problem(
                "chain",
                where,
                f"does not follow {before} (its prev_hash differs): "
                "an event before it was removed, inserted or changed",
            )
        expected = digest_of(row.prev_hash, row, stored=True)
        if expected != row.hash:
            return Problem("chain", where, "its content does not match its hash: it was altered")
        prev, prev_id = row.hash, row.id
    return None


def verify_snapshots(session: Session, report: CheckReport, batch: int = 200) -> Problem | None:
    """Each archived body must still hash to the SHA-256 recorded when it was fetched."""
    last = 0
    while True:
        rows = session.execute(
            select(Snapshot.id, Snapshot.body, Snapshot.sha256)
            .where(Snapshot.id > last)
            .order_by(Snapshot.id)
            .limit(batch)
        ).all()
        if not rows:
            return None
        report_progress(report.snapshots, 0, "snapshots checked")
        for row in rows:
            report.snapshots += 1
            last = row.id
            if row.body is None or not row.sha256:
                continue
            where = f"snapshot {row.id}"
            try:
                raw = zlib.decompress(row.body)
            except zlib.error as exc:
                return Problem("snapshots", where, f"its body does not decompress ({exc})")
            if hashlib.sha256(raw).hexdigest() != row.sha256:
                return Problem("snapshots", where, "its body does not match its SHA-256")


def verify_integrity(session: Session, report: CheckReport) -> Problem | None:
    """The database's own consistency check where it has one (SQLite)."""
    if report.backend != "sqlite":
        report.integrity = f"no built-in integrity check on {report.backend}"
        return None
    report_progress(0, 0, "running SQLite's integrity check")
    results = [str(r) for r in session.scalars(text("PRAGMA integrity_check"))]
    report.integrity = "; ".join(results[:5]) or "no answer"
    if results != ["ok"]:
        return Problem("integrity", None, f"PRAGMA integrity_check: {report.integrity}")
    return None


TRIGGERS = ("events_no_update", "events_no_delete")


def verify_triggers(session: Session, report: CheckReport) -> Problem | None:
    """The append-only triggers must be in place."""
    if report.backend == "sqlite":
        names: Iterable[str] = session.scalars(
            text("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'events'")
        )
    elif report.backend == "postgresql":
        names = session.scalars(
            text(
                "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal "
                "AND tgrelid = to_regclass('events')"
            )
        )
    else:
        return None
    missing = sorted(set(TRIGGERS) - set(names))
    if missing:
        return Problem(
            "triggers",
            None,
            f"the events table lost its append-only trigger(s) {', '.join(missing)}: "
            "anyone with access can now rewrite the trail (migration 0003 creates them)",
        )
    return None


def check(session: Session) -> CheckReport:
    """Runs every check; the report lists the problems, the first one first."""
    report = CheckReport(backend=session.get_bind().dialect.name)
    report.head_hash = head_hash(session)
    for step in (verify_chain, verify_snapshots, verify_integrity, verify_triggers):
        problem = step(session, report)
        if problem is not None:
            report.problems.append(problem)
    return report
