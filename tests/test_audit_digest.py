"""The event digest is part of the file format: its fast computation must give the digest of
the documented canonical JSON, for every kind of value an event can carry."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.storage import audit


def _reference(prev: str | None, at: datetime, fields: dict[str, Any]) -> str:
    """The canonical form as first written (and as migration 0003 chained old events)."""

    def normal(value: Any) -> Any:
        return None if value is None else json.loads(json.dumps(value))

    if at.tzinfo is None:
        at = at.replace(tzinfo=UTC)
    content = {
        "v": 1,
        "prev": prev or "",
        "at": at.astimezone(UTC).isoformat(timespec="microseconds"),
        "reviewer": fields["reviewer"],
        "action": fields["action"],
        "entity": fields["entity"],
        "entity_id": fields["entity_id"],
        "claim_id": fields["claim_id"],
        "before": normal(fields["before"]),
        "after": normal(fields["after"]),
    }
    data = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(data.encode("utf-8")).hexdigest()


def test_digest_of_known_events_is_pinned() -> None:
    # Computed before the digest was made faster: stored chains must keep verifying.
    at = datetime(2026, 11, 1, 10, 0, 0, 123456, tzinfo=timezone(timedelta(hours=2)))
    after = {"text": "Zoë spent €5", "score": 0.5, "rating": None, "n": 3, "t": (1, 2)}
    first = audit.event_digest(
        None,
        at=at,
        reviewer="ana",
        action="claim.import",
        entity="claim",
        entity_id=7,
        claim_id=7,
        before=None,
        after={**after, 4: "int key"},
    )
    assert first == "2c139df0327846033d206a40b5ba58f10d06bcf93c602f7827f62b5b0cc558e2"
    second = audit.event_digest(
        "ab" * 32,
        at=datetime(2026, 1, 2, 3, 4, 5),
        reviewer="bo",
        action="verdict.set",
        entity="claim",
        entity_id=None,
        claim_id=None,
        before={"rating": "true", "nested": {"b": [1, {"z": None, "a": True}]}},
        after={"rating": "false"},
    )
    assert second == "b3b27272d1d9a97ac9d2c4fb9658f30fb1d4977e487e4677af3af67c85e02b3c"


_scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**20), max_value=10**20)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(st.characters(exclude_categories=("Cs",)), max_size=12)
)
_keys = st.text(max_size=6) | st.integers(-5, 5)
_values = st.recursive(
    _scalars,
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.tuples(inner, inner)
        | st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=8,
)
_payloads = st.none() | st.dictionaries(_keys, _values, max_size=5)
_names = st.text(st.characters(exclude_categories=("Cs",)), min_size=1, max_size=10)
_ids = st.none() | st.integers(min_value=0, max_value=2**40)


@settings(max_examples=300, deadline=None)
@given(
    prev=st.none() | st.text(alphabet="0123456789abcdef", min_size=64, max_size=64),
    at=st.datetimes(timezones=st.none() | st.just(UTC) | st.just(timezone(timedelta(hours=-5)))),
    reviewer=_names,
    action=_names,
    entity=_names,
    entity_id=_ids,
    claim_id=_ids,
    before=_payloads,
    after=_payloads,
)
def test_digest_equals_the_canonical_json_digest(
    prev: str | None, at: datetime, **fields: Any
) -> None:
    try:
        expected = _reference(prev, at, fields)
    except TypeError:
        return  # mixed key types that json.dumps cannot sort: no event carries those
    assert audit.event_digest(prev, at=at, **fields) == expected
    rows = [{"at": at, **fields}, {"at": at, **fields}]
    chained = _seal_without_session(rows, prev)
    assert chained[0]["hash"] == expected
    assert chained[1]["hash"] == _reference(expected, at, fields)


def _seal_without_session(rows: list[dict[str, Any]], prev: str | None) -> list[dict[str, Any]]:
    """seal_rows on a stand-in session whose chain head is `prev`."""

    class _Stub:
        info: dict[str, Any] = {}

        def get_transaction(self) -> object:
            return _Stub

    stub = _Stub()
    stub.info = {"workbench_audit_head": (_Stub, prev)}
    return audit.seal_rows(stub, rows)  # type: ignore[arg-type]
