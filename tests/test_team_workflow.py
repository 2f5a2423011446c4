"""The editorial workflow: queues, second review, blind review, agreement and throughput."""

from __future__ import annotations

from typing import Any

import pytest

from workbench.claims.service import add_claim
from workbench.core.results import ClaimAt
from workbench.errors import ValidationError
from workbench.storage.store import Store
from workbench.team.stats import cohen_kappa, team_stats
from workbench.team.workflow import assign
from workbench.verdicts.service import approve, record_verdict


def _add(cli: Any, text: str) -> int:
    result = cli("--reviewer", "ann", "claim", "add", text, "--json")
    assert result.code == 0, result.err
    return int(result.json()["id"])


def test_assign_and_my_queue(cli: Any) -> None:
    a = _add(cli, "Unemployment fell to 3 percent")
    b = _add(cli, "The bridge cost two billion euros")
    _add(cli, "Nobody is assigned this one")
    assert cli("--reviewer", "ed", "assign", str(a), "bob").code == 0
    assert cli("--reviewer", "ed", "assign", str(b), "bob", "--json").json()["assignee"] == "bob"
    mine = cli("--reviewer", "bob", "claims", "--mine", "--json").json()
    assert sorted(c["id"] for c in mine) == [a, b]
    assert cli("--reviewer", "cat", "claims", "--mine", "--json").json() == []
    assert cli("--reviewer", "ed", "assign", str(b), "--clear").code == 0
    assert [c["id"] for c in cli("--reviewer", "bob", "claims", "--mine", "--json").json()] == [a]
    history = cli("history", str(a), "--json").json()
    assert history[-1]["action"] == "claim.assign"
    assert history[-1]["after"]["assignee"] == "bob" and history[-1]["reviewer"] == "ed"
    bad = cli("assign", str(a))
    assert bad.code == 1 and "NAME" in bad.err
    missing = cli("assign", "999", "bob")
    assert missing.code == 1 and "does not exist" in missing.err


def test_second_reviewer_approves_or_sends_back(cli: Any) -> None:
    c = str(_add(cli, "Crime fell 20% last year"))
    assert cli("--reviewer", "ann", "verdict", c, "false", "--rationale", "Police data").code == 0
    own = cli("--reviewer", "ann", "approve", c)
    assert own.code == 1 and "another reviewer" in own.err
    own_back = cli("--reviewer", "ann", "send-back", c, "--note", "hm")
    assert own_back.code == 1 and "yours" in own_back.err
    empty = cli("--reviewer", "ed", "send-back", c, "--note", "  ")
    assert empty.code == 1 and "note is empty" in empty.err

    back = cli("--reviewer", "ed", "send-back", c, "--note", "Cite the 2025 report", "--json")
    assert back.code == 0, back.err
    assert back.json()["status"] == "in-progress"
    event = cli("history", c, "--json").json()[-1]
    assert event["action"] == "claim.send_back" and event["after"]["note"] == "Cite the 2025 report"
    # Sent back, it cannot be approved until a new verdict is in.
    early = cli("--reviewer", "ed", "approve", c)
    assert early.code == 1 and "not reviewed" in early.err

    assert cli("--reviewer", "ann", "verdict", c, "false", "--rationale", "2025 report").code == 0
    done = cli("--reviewer", "ed", "approve", c, "--json")
    assert done.code == 0, done.err
    assert done.json()["status"] == "approved"


def test_blind_review_hides_other_ratings(cli: Any) -> None:
    c = str(_add(cli, "The minister doubled the health budget"))
    assert cli("--reviewer", "ann", "verdict", c, "mostly-false", "--rationale", "+40%").code == 0
    assert cli("--reviewer", "ed", "assign", c, "bob", "--blind").code == 0

    shown = cli("--reviewer", "bob", "claim", "show", c, "--json").json()
    assert shown["ratings_hidden"] is True
    assert shown["rating"] is None and shown["verdict"] is None and shown["verdicts"] == []
    assert "mostly-false" not in str(shown) and "+40%" not in str(shown)
    text = cli("--reviewer", "bob", "claim", "show", c)
    assert "mostly-false" not in text.out and "Blind review" in text.out
    trail = cli("--reviewer", "bob", "history", c, "--json")
    assert trail.code == 0 and "mostly-false" not in trail.out and "+40%" not in trail.out
    assert "mostly-false" in cli("--reviewer", "ann", "history", c, "--json").out
    listed = cli("--reviewer", "bob", "claims", "--json").json()
    assert listed[0]["rating"] is None
    # The author still sees everything.
    assert cli("--reviewer", "ann", "claim", "show", c, "--json").json()["ratings_hidden"] is False

    blind = cli("--reviewer", "bob", "verdict", c, "false", "--rationale", "own check", "--blind")
    assert blind.code == 0, blind.err
    after = cli("--reviewer", "cat", "claim", "show", c, "--json").json()
    assert after["ratings_hidden"] is False  # two ratings in: the blind phase is over
    assert [(v["reviewer"], v["blind"]) for v in after["verdicts"]] == [
        ("ann", False),
        ("bob", True),
    ]
    again = cli("--reviewer", "bob", "verdict", c, "true", "--rationale", "x", "--blind")
    assert again.code == 1 and "already rated" in again.err
    refused = cli("--reviewer", "ed", "assign", c, "ann", "--blind")
    assert refused.code == 1 and "already rated" in refused.err


def test_verdict_of_a_blind_reviewer_is_blind_even_without_the_flag(cli: Any) -> None:
    c = str(_add(cli, "Exports rose 12% in March"))
    assert cli("--reviewer", "ann", "verdict", c, "true", "--rationale", "Stats office").code == 0
    assert cli("--reviewer", "ed", "assign", c, "bob", "--blind").code == 0
    assert cli("--reviewer", "ed", "claim", "show", c, "--json").json()["ratings_hidden"] is True
    done = cli("--reviewer", "bob", "verdict", c, "true", "--rationale", "Same source", "--json")
    assert done.code == 0 and done.json()["blind"] is True
    # Two ratings in: the editor now sees both.
    shown = cli("--reviewer", "ed", "claim", "show", c, "--json").json()
    assert shown["ratings_hidden"] is False and len(shown["verdicts"]) == 2
    assert cli("stats", "--json").json()["blind_pairs"] == 1


def test_kappa_by_hand() -> None:
    # 10 pairs: 4 x (T,T), 3 x (F,F), 2 x (T,F), 1 x (F,T).
    # p_o = 7/10; rater 1: T 6, F 4; rater 2: T 5, F 5; p_e = (6*5 + 4*5)/100 = 0.5
    # kappa = (0.7 - 0.5) / (1 - 0.5) = 0.4
    pairs = [("T", "T")] * 4 + [("F", "F")] * 3 + [("T", "F")] * 2 + [("F", "T")]
    assert cohen_kappa(pairs) == pytest.approx(0.4)
    assert cohen_kappa([("a", "a"), ("b", "b")]) == pytest.approx(1.0)
    # Always opposite with balanced margins: p_o = 0, p_e = 0.5 -> -1
    assert cohen_kappa([("a", "b"), ("b", "a")]) == pytest.approx(-1.0)
    assert cohen_kappa([("a", "a"), ("a", "a")]) is None  # p_e = 1: undefined
    assert cohen_kappa([]) is None


def test_stats_over_blind_pairs(store: Store, cli: Any) -> None:
    plan = [("true", "true")] * 4 + [("false", "false")] * 3
    plan += [("true", "false")] * 2 + [("false", "true")]
    with store.write() as session:
        ids = [add_claim(session, "ann", f"Checkable claim {n}").id for n in range(11)]
    for claim_id, (first, second) in zip(ids, plan, strict=False):
        with store.write() as session:
            record_verdict(session, "ann", ClaimAt(claim_id), first, "first look")
            assign(session, "ed", ClaimAt(claim_id), "bob", blind=True)
            record_verdict(session, "bob", ClaimAt(claim_id), second, "second look", blind=True)
    with store.write() as session:
        # Not a blind pair: an ordinary second verdict does not count.
        record_verdict(session, "ann", ClaimAt(ids[10]), "true", "x")
        record_verdict(session, "cat", ClaimAt(ids[10]), "false", "y")
        approve(session, "ed", ClaimAt(ids[0]))
        with pytest.raises(ValidationError):
            record_verdict(session, "ann", ClaimAt(ids[0]), "true", "seen it already", blind=True)

    with store.read() as session:
        stats = team_stats(session)
    assert len(stats.pairs) == 10
    assert stats.kappa == pytest.approx(0.4)
    assert stats.pair_kappa[("ann", "bob")] == (10, pytest.approx(0.4))

    data = cli("stats", "--json").json()
    assert data["blind_pairs"] == 10 and data["kappa"] == pytest.approx(0.4)
    assert data["observed_agreement"] == pytest.approx(0.7)
    per = {r["reviewer"]: r for r in data["reviewers"]}
    assert per["ann"]["verdicts"] == 11 and per["bob"]["blind_verdicts"] == 10
    assert per["ann"]["active_days"] == 1 and per["ann"]["verdicts_per_day"] == 11
    assert per["ed"]["approvals"] == 1 and per["ed"]["verdicts"] == 0
    text = cli("stats")
    assert text.code == 0 and "kappa 0.400" in text.out


def test_stats_on_an_empty_database(cli: Any) -> None:
    data = cli("stats", "--json").json()
    assert data["blind_pairs"] == 0 and data["kappa"] is None and data["reviewers"] == []
    assert "no blind pairs" in cli("stats").out
