"""Known fact-checks: earlier verdicts and imported ClaimReviews suggested for new claims."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sqlalchemy import select

from workbench.claims.service import add_claim
from workbench.core.results import ClaimAt
from workbench.matching import REPEAT_THRESHOLD, SUGGEST_THRESHOLD, score_texts, suggest_matches
from workbench.storage.models import Event, Match
from workbench.storage.store import Store
from workbench.verdicts.service import record_verdict

UNEMPLOYMENT = "The unemployment rate fell to 3.5% in 2023."


def test_scores_separate_repeats_paraphrases_and_other_claims() -> None:
    others = [
        "the unemployment rate FELL to 3.5% in 2023!",  # the same words
        "In 2023 the jobless rate fell to 3.5%",  # a paraphrase
        "The unemployment rate fell to 4.5% in 2023.",  # another number: another claim
        "The bridge cost 12 million euros.",
        "Unemployment is rising among young people",
    ]
    same, paraphrase, other_number, unrelated, topic = score_texts(UNEMPLOYMENT, others)
    assert same >= REPEAT_THRESHOLD
    assert SUGGEST_THRESHOLD <= paraphrase < REPEAT_THRESHOLD
    assert other_number < SUGGEST_THRESHOLD
    assert unrelated == 0.0 and topic < SUGGEST_THRESHOLD
    # A shorter wording that leaves a figure out is still the same claim.
    [shorter] = score_texts(
        "The 6.4 km extension cost 412 million euros, 38% over the 298 million approved.",
        ["The extension cost 412 million euros, 38% more than the 298 million approved."],
    )
    assert shorter >= SUGGEST_THRESHOLD


def seed(store: Store, tmp_path: Path, cli: Any) -> dict[str, int]:
    with store.write() as session:
        rated = add_claim(session, "ana", UNEMPLOYMENT)
        record_verdict(session, "ana", ClaimAt(rated.id), "true", "Official statistics.")
        bridge = add_claim(session, "ana", "The bridge cost 12 million euros.")
        record_verdict(session, "ana", ClaimAt(bridge.id), "false", "It cost 20 million.")
        unrated = add_claim(session, "ana", "Vaccines contain microchips, he said.")
    feed = [
        {
            "@type": "ClaimReview",
            "url": "https://checker.example/chips",
            "claimReviewed": "Vaccines contain microchips that track people",
            "author": {"@type": "Organization", "name": "Checker"},
            "reviewRating": {"@type": "Rating", "alternateName": "False"},
        }
    ]
    path = tmp_path / "feed.json"
    path.write_text(json.dumps(feed), encoding="utf-8")
    assert cli("import", str(path)).code == 0
    return {"rated": rated.id, "bridge": bridge.id, "unrated": unrated.id}


def test_claim_add_suggests_earlier_verdicts_and_fact_checks(
    tmp_path: Path, store: Store, cli: Any
) -> None:
    ids = seed(store, tmp_path, cli)
    repeat = cli("claim", "add", "The unemployment rate fell to 3.5% in 2023", "--json").json()
    assert [(m["target_kind"], m["target_id"]) for m in repeat["matches"]] == [
        ("claim", ids["rated"])
    ]
    best = repeat["matches"][0]
    assert best["likely_repeat"] and best["rating"] == "true" and best["publisher"] == "ana"
    chips = cli("claim", "add", "COVID vaccines contain tracking microchips", "--json").json()
    assert [m["target_kind"] for m in chips["matches"]] == ["fact_check"]  # not the unrated claim
    fc = chips["matches"][0]
    assert fc["publisher"] == "Checker" and fc["url"] == "https://checker.example/chips"
    assert SUGGEST_THRESHOLD <= fc["score"] < REPEAT_THRESHOLD and not fc["likely_repeat"]
    none = cli("claim", "add", "The stadium seats 40,000 people.", "--json").json()
    assert none["matches"] == []
    text = cli("claim", "add", "The unemployment rate fell to 3.5% in 2023 (repeat)")
    assert "LIKELY REPEAT" in text.out and "workbench matches" in text.out
    with store.read() as session:
        actions = session.scalars(select(Event.action).where(Event.claim_id == repeat["id"]))
        assert list(actions) == ["claim.add", "match.suggest"]


def test_confirm_reject_and_refresh(tmp_path: Path, store: Store, cli: Any) -> None:
    seed(store, tmp_path, cli)
    claim = cli("claim", "add", "The unemployment rate fell to 3.5% in 2023", "--json").json()
    match_id = claim["matches"][0]["id"]
    cid = str(claim["id"])
    listed = cli("matches", cid, "--json").json()
    assert [m["id"] for m in listed] == [match_id] and listed[0]["state"] == "suggested"
    confirmed = cli("matches", cid, "--confirm", str(match_id), "--json").json()
    assert confirmed["state"] == "confirmed" and confirmed["decided_by"] == "tester"
    rejected = cli("matches", cid, "--reject", str(match_id), "--json").json()
    assert rejected["state"] == "rejected"
    cli("matches", cid, "--refresh")  # a rejected match is not suggested again
    with store.read() as session:
        states = session.scalars(select(Match.state).where(Match.claim_id == claim["id"]))
        assert list(states) == ["rejected"]
        actions = list(session.scalars(select(Event.action).where(Event.claim_id == claim["id"])))
    assert actions == ["claim.add", "match.suggest", "match.confirm", "match.reject"]
    assert "rejected" in cli("matches", cid).out
    missing = cli("matches", cid, "--confirm", "999")
    assert missing.code == 1 and "has no match 999" in missing.err
    assert cli("matches", "12345").code == 1


def test_suggest_matches_is_idempotent(tmp_path: Path, store: Store, cli: Any) -> None:
    ids = seed(store, tmp_path, cli)
    with store.write() as session:
        row = add_claim(session, "ana", "Unemployment rate fell to 3.5% in 2023")
        first = suggest_matches(session, "ana", row.id)
        second = suggest_matches(session, "ana", row.id)
    assert [m.id for m in first] == [m.id for m in second] and first[0].target_id == ids["rated"]
    with store.read() as session:
        events = session.scalars(select(Event.action).where(Event.claim_id == row.id))
        assert list(events).count("match.suggest") == 1
