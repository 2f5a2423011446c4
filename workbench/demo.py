"""The demo database: the bundled sample article with claims, citations and verdicts in
several states, so a newcomer sees every part of the workbench at once."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from workbench import review
from workbench.store import Store
from workbench.wording import counted


def default_demo_path() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir("workbench")) / "demo.db"


def reset_demo_files(path: Path) -> None:
    """Removes a demo database and its journal files, so it is built again; refused while
    another program (a workbench window on the demo) has it open, as its files would be
    deleted from under that program's connections."""
    from workbench.dbfiles import database_files, in_use_elsewhere
    from workbench.errors import BusyError

    if in_use_elsewhere(path):
        raise BusyError(
            f"the demo database {path} is open in another program (a workbench window?); "
            "close it, then run demo --reset again"
        )
    for file in database_files(path):
        file.unlink(missing_ok=True)


def sample_article_text() -> str:
    return resources.files("workbench").joinpath("data/sample_article.txt").read_text("utf-8")


def demo_data() -> dict[str, Any]:
    raw = resources.files("workbench").joinpath("data/demo.json").read_text("utf-8")
    data: dict[str, Any] = json.loads(raw)
    return data


def build_demo(store: Store, reviewer: str = "ana") -> str:
    """Ingests the sample article like any other, then plays a few days of review on it."""
    from workbench.ingest.service import prepare_article, store_article

    data = demo_data()
    prepared = prepare_article(
        sample_article_text(), "text", url=data.get("url"), title=data.get("title"), name="sample"
    )
    with store.write() as session:
        ingested = store_article(session, reviewer, prepared, source="sample article")
        by_text = {c.text: c.id for c in ingested.claims}
        sentences = review.article_sentences(session, ingested.article_id)
        ids: dict[str, int] = {}
        for item in data["reviews"]:
            if item["claim"] in by_text:
                ids[item["claim"]] = by_text[item["claim"]]
                continue
            # The scorer left this sentence out; a reviewer promotes it, as in real work.
            position = next(p for p, text, _ in sentences if text == item["claim"])
            row = review.promote_sentence(session, item["reviewer"], ingested.article_id, position)
            ids[item["claim"]] = row.id
        reviewed = play_reviews(session, data["reviews"], ids)
        total = review.count_claims(session)
    return f"{counted(total, 'claim')}, {reviewed} with verdicts"


def play_reviews(session: Session, reviews: list[dict[str, Any]], ids: dict[str, int]) -> int:
    """The demo's review work on claims already stored (`ids`: claim text -> id): citations,
    verdicts, approvals and status changes, each through the service layer. Returns how many
    verdicts were recorded."""
    reviewed = 0
    for item in reviews:
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
            review.record_verdict(session, who, claim_id, verdict["rating"], verdict["rationale"])
            reviewed += 1
        if "approved_by" in item:
            review.approve(session, item["approved_by"], claim_id)
        if "status" in item:
            review.set_status(session, who, claim_id, item["status"])
    return reviewed
