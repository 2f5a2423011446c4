"""A claim's short form: set, shown, audited, versioned, published as claimReviewed; and the
ClaimReview linter and export as Google reads them."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

LONG = (
    "The finance minister told parliament on Tuesday that the national budget for schools "
    "had risen by 38 percent since 2019, the largest increase of any department."
)
SHORT = "School budget rose 38% since 2019"


def add_rated_claim(cli: Any) -> int:
    claim_id = int(cli("claim", "add", LONG, "--json").json()["id"])
    assert cli("verdict", str(claim_id), "mostly-true", "--rationale", "Budget papers").code == 0
    return claim_id


def test_summary_is_set_shown_audited_and_cleared(cli: Any) -> None:
    claim_id = add_rated_claim(cli)
    before = cli("claim", "show", str(claim_id), "--json").json()
    assert before["summary"] is None
    edited = cli("claim", "edit", str(claim_id), "--summary", f"  {SHORT} ", "--json").json()
    assert edited["summary"] == SHORT and edited["version"] == before["version"] + 1
    shown = cli("claim", "show", str(claim_id))
    assert f"Summary (published in ClaimReview): {SHORT}" in shown.out
    assert cli("claim", "show", str(claim_id), "--json").json()["text"] == LONG  # verbatim
    history = cli("history", str(claim_id), "--json").json()
    event = history[-1]
    assert event["action"] == "claim.summary"
    assert event["before"]["summary"] is None and event["after"]["summary"] == SHORT
    cleared = cli("claim", "edit", str(claim_id), "--summary", "", "--json").json()
    assert cleared["summary"] is None and cleared["version"] == edited["version"] + 1
    again = cli("claim", "edit", str(claim_id), "--summary", "")  # no change, no new version
    assert again.code == 0
    assert cli("claim", "show", str(claim_id), "--json").json()["version"] == cleared["version"]


def test_summary_edit_is_guarded_by_version(cli: Any) -> None:
    claim_id = add_rated_claim(cli)
    version = cli("claim", "show", str(claim_id), "--json").json()["version"]
    ok = cli("claim", "edit", str(claim_id), "--summary", SHORT, "--expect-version", str(version))
    assert ok.code == 0
    stale = cli("claim", "edit", str(claim_id), "--summary", "x", "--expect-version", str(version))
    assert stale.code == 1 and "was changed by" in stale.err and "Traceback" not in stale.err
    assert cli("claim", "show", str(claim_id), "--json").json()["summary"] == SHORT


def test_bad_edits_are_clear_errors(cli: Any) -> None:
    claim_id = add_rated_claim(cli)
    nothing = cli("claim", "edit", str(claim_id))
    assert nothing.code == 1 and "nothing to change" in nothing.err
    too_long = cli("claim", "edit", str(claim_id), "--summary", "word " * 200)
    assert too_long.code == 1 and "the limit is 500" in too_long.err
    missing = cli("claim", "edit", "999", "--summary", "x")
    assert missing.code == 1 and "does not exist" in missing.err


def test_claimreview_publishes_the_summary_and_passes_its_own_check(
    cli: Any, tmp_path: Path
) -> None:
    first = add_rated_claim(cli)
    second = int(cli("claim", "add", LONG.replace("38", "40"), "--json").json()["id"])
    assert cli("verdict", str(second), "false", "--rationale", "No").code == 0
    assert cli("claim", "edit", str(first), "--summary", SHORT).code == 0
    target = tmp_path / "cr.json"
    exported = cli("export", "--format", "claimreview", "-o", str(target))
    assert exported.code == 0, exported.err
    # Nothing is configured in tests: the placeholder organisation is named on stderr.
    assert "placeholder organisation" in exported.err
    reviews = json.loads(target.read_text("utf-8"))["dataFeedElement"]
    claimed = {r["url"].rsplit("-", 1)[-1]: r["claimReviewed"] for r in reviews}
    assert claimed == {str(first): SHORT, str(second): LONG.replace("38", "40")}
    checked = cli("export", "--check", str(target), "--json")
    assert checked.code == 0, checked.out
    problems = checked.json()["problems"]
    assert checked.json()["errors"] == 0
    long_warning = [p for p in problems if p["path"].endswith("[1].claimReviewed")]
    assert long_warning and long_warning[0]["level"] == "warning"


def test_no_placeholder_warning_for_a_configured_desk(cli: Any) -> None:
    add_rated_claim(cli)
    Path(os.environ["WORKBENCH_CONFIG"]).write_text(
        '[organisation]\nname = "Desk"\nurl = "https://desk.news/checks"\n', "utf-8"
    )
    exported = cli("export", "--format", "claimreview")
    assert exported.code == 0 and "placeholder" not in exported.err
    assert json.loads(exported.out)["author"]["name"] == "Desk"


def test_linter_errors_only_for_what_google_requires(cli: Any, tmp_path: Path) -> None:
    doc = {
        "@context": "https://schema.org",
        "@graph": [
            {"@type": "Organization", "@id": "#org", "name": "Desk"},
            {
                "@type": "ClaimReview",
                "url": ["https://desk.example/a"],
                "claimReviewed": ["x" * 120],
                "author": {"@id": "#org"},
                "datePublished": "yesterday",
                "reviewRating": [{"alternateName": "False", "ratingValue": "1"}],
                "itemReviewed": {"@type": "Claim", "appearance": "ftp://x"},
            },
        ],
    }
    path = tmp_path / "g.json"
    path.write_text(json.dumps(doc), "utf-8")
    result = cli("export", "--check", str(path), "--json")
    assert result.code == 0, result.out
    levels = {p["path"].split(".", 2)[-1]: p["level"] for p in result.json()["problems"]}
    assert set(levels.values()) == {"warning"}
    assert "author.name" not in levels  # the @id reference names the organisation
    assert {"claimReviewed", "datePublished", "reviewRating.bestRating"} <= set(levels)


def test_json_report_carries_the_summary_and_import_restores_it(cli: Any, tmp_path: Path) -> None:
    with_summary = add_rated_claim(cli)
    cli("claim", "edit", str(with_summary), "--summary", SHORT)
    without = int(cli("claim", "add", "Bus fares fell by a third in 2024.", "--json").json()["id"])
    report = tmp_path / "report.json"
    assert cli("export", "--format", "json", "-o", str(report)).code == 0
    claims = {c["id"]: c for c in json.loads(report.read_text(encoding="utf-8"))["claims"]}
    assert claims[with_summary]["summary"] == SHORT
    assert claims[with_summary]["text"] == LONG  # the sentence stays beside it
    assert "summary" in claims[without] and claims[without]["summary"] is None
    other_db = str(tmp_path / "other.db")
    imported = cli("import", str(report), "--json", db=other_db)
    assert imported.code == 0, imported.err
    listed = {c["text"]: c["id"] for c in cli("claims", "--json", db=other_db).json()}
    assert len(listed) == 2
    shown = cli("claim", "show", str(listed[LONG]), "--json", db=other_db).json()
    assert shown["summary"] == SHORT
    bus = str(listed["Bus fares fell by a third in 2024."])
    assert cli("claim", "show", bus, "--json", db=other_db).json()["summary"] is None
