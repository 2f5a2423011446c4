"""The demo database: the bundled sample article with claims, citations and verdicts in
several states, so a newcomer sees every part of the workbench at once."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any

from workbench import review
from workbench.store import Store


def default_demo_path() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir("workbench")) / "demo.db"


def sample_article_text() -> str:
    return resources.files("workbench").joinpath("data/sample_article.txt").read_text("utf-8")


def demo_data() -> dict[str, Any]:
    raw = resources.files("workbench").joinpath("data/demo.json").read_text("utf-8")
    data: dict[str, Any] = json.loads(raw)
    return data


def build_demo(store: Store) -> str:
    data = demo_data()
    reviewed = 0
    with store.write() as session:
        ids: dict[str, int] = {}
        for item in data["reviews"]:
            row = review.add_claim(session, item["reviewer"], item["claim"])
            ids[item["claim"]] = row.id
        for item in data["reviews"]:
            claim_id = ids[item["claim"]]
            who = item["reviewer"]
            for source in item.get("sources", []):
                review.cite_source(
                    session,
                    who,
                    claim_id,
                    source["citation"],
                    stance=source["stance"],
                    quote=source.get("quote"),
                )
            if "verdict" in item:
                verdict = item["verdict"]
                review.record_verdict(
                    session, who, claim_id, verdict["rating"], verdict["rationale"]
                )
                reviewed += 1
            if "approved_by" in item:
                review.approve(session, item["approved_by"], claim_id)
            if "status" in item:
                review.set_status(session, who, claim_id, item["status"])
        total = review.count_claims(session)
    return f"{total} claims, {reviewed} with verdicts"
