"""Invariants over random sequences of service operations (hypothesis): one event per write
that changed something, the current verdict is the newest, statuses follow their rules, a
repeated request (same request id) writes nothing, and search finds every claim that
contains the word.

TODO(export engineer): export -> import -> export is stable; belongs with workbench/export.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from workbench.claims.reading import get_claim
from workbench.claims.service import add_claim, edit_claim_text, set_status
from workbench.core.ratings import DEFAULT_SCALE
from workbench.core.results import ClaimAt, ClaimFilter
from workbench.errors import WorkbenchError
from workbench.listing.queries import list_claims
from workbench.sources.evidence import Attachment, cite_source
from workbench.storage.models import Event
from workbench.storage.store import Store
from workbench.verdicts.service import record_verdict

# Fixed words (some with accents, to exercise the search tokenizer) and random letters.
VOCABULARY = [
    "harbour",
    "tram",
    "budget",
    "inflation",
    "café",
    "Zürich",
    "naïve",
    "école",
    "ÅLAND",
    "metro",
    "metropolis",
    "2024",
]
word = st.one_of(
    st.sampled_from(VOCABULARY),
    st.text(st.characters(categories=["Ll", "Lu", "Nd"]), min_size=1, max_size=8),
)
claim_text = st.lists(word, min_size=1, max_size=6).map(lambda ws: " ".join(ws) + ".")
reviewer = st.sampled_from(["ana", "ben"])
target = st.integers(min_value=0, max_value=50)  # an index into the claims made so far

operation = st.one_of(
    st.tuples(st.just("add"), reviewer, claim_text),
    st.tuples(st.just("cite"), reviewer, target, st.sampled_from(["Annual report", "Call"])),
    st.tuples(
        st.just("verdict"), reviewer, target, st.sampled_from([*DEFAULT_SCALE.names, "great"])
    ),
    st.tuples(
        st.just("status"),
        reviewer,
        target,
        st.sampled_from(["new", "in-progress", "reviewed", "approved", "dismissed", "gone"]),
    ),
    st.tuples(st.just("edit"), reviewer, target, claim_text),
    # Repeat an earlier add, cite or verdict with its request id (a client whose reply was
    # lost): the earlier result comes back and nothing is written.
    st.tuples(st.just("repeat"), reviewer, target),
)


@dataclass
class ModelClaim:
    """What the claim should look like, by the rules of the service layer."""

    id: int
    text: str
    status: str = "new"
    verdicts: list[tuple[str, str]] = field(default_factory=list)  # (rating, reviewer)


def apply_to_model(op: tuple[Any, ...], claims: list[ModelClaim]) -> tuple[bool, bool]:
    """(should succeed, should write an event) for `op`, updating the model if it succeeds.
    The add operation is applied by the caller, which learns the new id."""
    kind, who = op[0], op[1]
    if kind == "add":
        return True, True
    claim = claims[op[2] % len(claims)]
    if kind == "cite":
        if claim.status == "new":
            claim.status = "in-progress"
        return True, True
    if kind == "verdict":
        if op[3] not in DEFAULT_SCALE.names:
            return False, False
        claim.verdicts.append((op[3], who))
        claim.status = "reviewed"
        return True, True
    if kind == "status":
        status = op[3]
        if status == "approved":
            if not claim.verdicts or claim.verdicts[-1][1] == who:
                return False, False
            # A verdict whose claim was set back (new, in-progress, dismissed) needs a new one.
            if claim.status not in ("reviewed", "approved"):
                return False, False
        elif status == "reviewed":
            if not claim.verdicts:
                return False, False
        elif status not in ("new", "in-progress", "dismissed"):
            return False, False
        if claim.status == status:
            return True, False
        claim.status = status
        return True, True
    if kind == "edit":
        cleaned = " ".join(op[3].split())
        if cleaned == claim.text:
            return True, False
        claim.text = cleaned
        return True, True
    raise AssertionError(kind)


REQUEST_IDS = itertools.count()


def run(store: Store, op: tuple[Any, ...], claim_id: int | None, request_id: str) -> int | None:
    """Carries out `op`; returns the id of what an add, cite or verdict made."""
    with store.write() as session:
        kind, who = op[0], op[1]
        if kind == "add":
            return add_claim(session, who, op[2], request_id=request_id).id
        assert claim_id is not None
        if kind == "cite":
            cite = cite_source(
                session, who, claim_id, op[3], Attachment("supports"), request_id=request_id
            )
            return cite.id
        if kind == "verdict":
            verdict = record_verdict(
                session, who, ClaimAt(claim_id), op[3], f"Checked by {who}", request_id=request_id
            )
            return verdict.id
        if kind == "status":
            set_status(session, who, ClaimAt(claim_id), op[3])
        elif kind == "edit":
            edit_claim_text(session, who, ClaimAt(claim_id), op[3])
    return None


def event_count(store: Store) -> int:
    with store.read() as session:
        return int(session.scalar(select(func.count(Event.id))) or 0)


def fold(text: str) -> str:
    """Case and accents folded, as the search index compares words."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def words_of(text: str) -> set[str]:
    return {fold(w) for w in re.findall(r"\w+", text)}


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(ops=st.lists(operation, min_size=1, max_size=15), probe=word)
def test_random_operations_keep_the_invariants(
    store: Store, ops: list[tuple[Any, ...]], probe: str
) -> None:
    # The store is shared by the examples, so everything is measured against this example.
    events_before = event_count(store)
    claims: list[ModelClaim] = []
    # Requests that succeeded: (op, the claim it was on, its request id, the id it made).
    done: list[tuple[tuple[Any, ...], int | None, str, int]] = []
    writes = 0
    for op in ops:
        if op[0] != "add" and not claims:
            continue
        if op[0] == "repeat":
            if not done:
                continue
            earlier, claim_id, request_id, made = done[op[2] % len(done)]
            assert run(store, earlier, claim_id, request_id) == made
            continue
        claim_id = claims[op[2] % len(claims)].id if op[0] != "add" else None
        request_id = f"r{next(REQUEST_IDS)}"
        should_succeed, should_write = apply_to_model(op, claims)
        try:
            made = run(store, op, claim_id, request_id)
        except WorkbenchError:
            assert not should_succeed, op
            continue
        assert should_succeed, op
        if op[0] == "add":
            assert made is not None
            claims.append(ModelClaim(id=made, text=" ".join(op[2].split())))
            claim_id = made
        if made is not None:
            done.append((op, claim_id, request_id, made))
        writes += should_write

    # One event for each write that changed something; none for failures and no-ops.
    assert event_count(store) - events_before == writes

    with store.read() as session:
        for model in claims:
            detail = get_claim(session, model.id)
            assert detail.claim.text == model.text
            assert detail.claim.status == model.status
            # The current verdict is the newest one, on the claim row and in the detail.
            newest = model.verdicts[-1][0] if model.verdicts else None
            assert detail.claim.rating == newest
            assert (detail.verdict.rating if detail.verdict else None) == newest
            if detail.verdict:
                assert detail.verdict.id == max(v.id for v in detail.verdicts)
            # Every verdict has its audit event.
            verdict_events = {e.entity_id for e in detail.history if e.action == "verdict.add"}
            assert {v.id for v in detail.verdicts} <= verdict_events

        # Search finds every claim that contains the word (and, being a prefix search, only
        # claims with a word starting with it).
        wanted = fold(probe)
        words = re.findall(r"\w+", probe)
        found = {row.id for row in list_claims(session, ClaimFilter(search=probe), limit=None)}
        if len(words) == 1:
            expected = {c.id for c in claims if wanted in words_of(c.text)}
            assert expected <= found, (probe, [c.text for c in claims if c.id in expected])
            for c in claims:
                if c.id in found:
                    assert any(w.startswith(wanted) for w in words_of(c.text)), (probe, c.text)


def test_search_ignores_accents(cli: Any) -> None:
    """Both backends: a search without accents finds the accented word, and the reverse."""
    claim = cli("claim", "add", "The Crème brûlée festival drew Ò 4,000 visitors.", "--json").json()
    for query in ("creme", "BRULEE", "o", "crème"):
        found = [c["id"] for c in cli("claims", "--search", query, "--json").json()]
        assert found == [claim["id"]], query
