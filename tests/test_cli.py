"""The CLI contract of GUIDE section 3 for the commands that need no network and no UI."""

from __future__ import annotations

from typing import Any

CLAIM = "The harbour tunnel carried 41,000 vehicles a day in 2024."


def test_claim_verdict_history_search_json(cli: Any) -> None:
    added = cli("claim", "add", CLAIM, "--json")
    assert added.code == 0, added.err
    claim = added.json()
    for key in ("id", "text", "status", "score", "rating", "article_id", "source_count"):
        assert key in claim
    assert claim["text"] == CLAIM and claim["status"] == "new" and claim["rating"] is None

    cited = cli(
        "source",
        "cite",
        str(claim["id"]),
        "Tunnel operator annual report 2024, p. 12",
        "--stance",
        "refutes",
        "--quote",
        "average daily traffic: 38,200",
        "--json",
    )
    assert cited.code == 0, cited.err
    assert cited.json()["stance"] == "refutes"

    verdict = cli(
        "verdict",
        str(claim["id"]),
        "mostly-false",
        "--rationale",
        "Operator says 38,200.",
        "--json",
    )
    assert verdict.code == 0, verdict.err
    assert verdict.json()["rating"] == "mostly-false"
    assert verdict.json()["reviewer"] == "tester"

    found = cli("claims", "--search", "vehicles", "--json")
    assert found.code == 0
    rows = found.json()
    assert [r["id"] for r in rows] == [claim["id"]]
    assert rows[0]["rating"] == "mostly-false"
    assert rows[0]["status"] == "reviewed"
    assert rows[0]["source_count"] == 1
    assert cli("claims", "--search", "bicycles", "--json").json() == []

    history = cli("history", str(claim["id"]), "--json")
    assert history.code == 0
    events = history.json()
    # Every write is in the history, in order, with who did it and what changed.
    assert [e["action"] for e in events] == ["claim.add", "evidence.add", "verdict.add"]
    assert all(e["reviewer"] == "tester" for e in events)
    assert events[2]["before"]["status"] == "in-progress"
    assert events[2]["after"]["status"] == "reviewed"
    assert events[2]["after"]["rating"] == "mostly-false"

    shown = cli("claim", "show", str(claim["id"]), "--json").json()
    assert shown["verdict"]["rationale"] == "Operator says 38,200."
    assert shown["evidence"][0]["quote"] == "average daily traffic: 38,200"
    assert len(shown["history"]) == 3


def test_reviewer_flag_and_filters(cli: Any) -> None:
    first = cli("--reviewer", "ana", "claim", "add", "Claim one about rents", "--json").json()
    second = cli("claim", "add", "Claim two about rents", "--json").json()
    cli("--reviewer", "ana", "verdict", str(first["id"]), "true", "--rationale", "ok")
    assert [r["id"] for r in cli("claims", "--rating", "true", "--json").json()] == [first["id"]]
    assert [r["id"] for r in cli("claims", "--status", "new", "--json").json()] == [second["id"]]
    assert [r["id"] for r in cli("claims", "--by", "ana", "--json").json()] == [first["id"]]
    limited = cli("claims", "--limit", "1", "--sort", "id", "--ascending", "--json").json()
    assert [r["id"] for r in limited] == [first["id"]]
    history = cli("history", str(first["id"]), "--json").json()
    assert [e["reviewer"] for e in history] == ["ana", "ana"]


def test_ratings_list_the_scale(cli: Any) -> None:
    result = cli("ratings", "--json")
    assert result.code == 0
    scale = {r["name"]: r["value"] for r in result.json()}
    assert scale == {
        "true": 5,
        "mostly-true": 4,
        "mixed": 3,
        "mostly-false": 2,
        "false": 1,
        "misleading": None,
        "unverifiable": None,
    }


def test_approve_needs_another_reviewer(cli: Any) -> None:
    claim = cli("--reviewer", "ana", "claim", "add", "Prices rose 4% in May", "--json").json()
    cli("--reviewer", "ana", "verdict", str(claim["id"]), "true", "--rationale", "CPI table")
    own = cli("--reviewer", "ana", "approve", str(claim["id"]))
    assert own.code == 1 and "another reviewer" in own.err
    other = cli("--reviewer", "lars", "approve", str(claim["id"]), "--json")
    assert other.code == 0 and other.json()["status"] == "approved"


def test_status_changes_are_audited(cli: Any) -> None:
    claim = cli("claim", "add", "Crime fell by half", "--json").json()
    assert cli("status", str(claim["id"]), "dismissed").code == 0
    bad = cli("status", str(claim["id"]), "reviewed")
    assert bad.code == 1 and "no verdict" in bad.err
    actions = [e["action"] for e in cli("history", str(claim["id"]), "--json").json()]
    assert actions == ["claim.add", "claim.status"]


def test_promote_sentence_needs_article(cli: Any) -> None:
    result = cli("claim", "add", "--sentence", "3")
    assert result.code == 1 and "--article" in result.err


def test_demo_builds_sample_database(cli: Any, tmp_path: Any) -> None:
    path = tmp_path / "demo.db"
    built = cli("demo", "--no-tui", "--db", str(path))
    assert built.code == 0, built.err
    assert str(path) in built.out
    rows = cli("claims", "--json", db=str(path)).json()
    statuses = {r["status"] for r in rows}
    assert {"reviewed", "approved", "in-progress", "dismissed"} <= statuses
    assert any(r["source_count"] >= 2 for r in rows)
    again = cli("demo", "--no-tui", "--db", str(path))
    assert again.code == 0 and len(cli("claims", "--json", db=str(path)).json()) == len(rows)
