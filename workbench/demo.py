"""The demo database: the bundled sample article with claims, citations and verdicts in
several states, so a newcomer sees every part of the workbench at once."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session

from workbench.claims.reading import article_sentences
from workbench.claims.service import promote_sentence, set_status
from workbench.core.results import ClaimAt
from workbench.listing.queries import count_claims
from workbench.sources.evidence import Attachment, cite_source
from workbench.storage.store import Store
from workbench.wording import counted

if TYPE_CHECKING:
    from workbench.config import Settings
    from workbench.desk import Desk
from workbench.verdicts.service import approve, record_verdict


def open_demo(
    path: str | None, reviewer: str, settings: Settings, *, reset: bool = False
) -> tuple[Desk, str]:
    """The demo database at `path` (default: the user data folder), built on first use or
    with `reset`; and a line saying where it is."""
    from workbench.desk import database_url, open_desk

    where = Path(path or default_demo_path()).expanduser()
    if reset and where.exists():
        reset_demo_files(where)
    fresh = not where.exists()
    where.parent.mkdir(parents=True, exist_ok=True)
    desk = open_desk(database_url(where), reviewer, settings)
    if not fresh:
        return desk, f"demo database at {where} (use --reset to rebuild it)"
    return desk, f"demo database built at {where}: {build_demo(desk.store)}"


def default_demo_path() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir("workbench")) / "demo.db"


def reset_demo_files(path: Path) -> None:
    """Removes a demo database and its journal files, so it is built again; refused while
    another program (a workbench window on the demo) has it open, as its files would be
    deleted from under that program's connections."""
    from workbench.errors import BusyError
    from workbench.storage.dbfiles import database_files, in_use_elsewhere

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
    from workbench.articles.preparing import prepare_article
    from workbench.articles.service import store_article

    data = demo_data()
    prepared = prepare_article(
        sample_article_text(), "text", url=data.get("url"), title=data.get("title"), name="sample"
    )
    with store.write() as session:
        ingested = store_article(session, reviewer, prepared, source="sample article")
        by_text = {c.text: c.id for c in ingested.claims}
        sentences = article_sentences(session, reviewer, ingested.article_id)
        ids: dict[str, int] = {}
        for item in data["reviews"]:
            if item["claim"] in by_text:
                ids[item["claim"]] = by_text[item["claim"]]
                continue
            # The scorer left this sentence out; a reviewer promotes it, as in real work.
            position = next(p for p, text, _ in sentences if text == item["claim"])
            row = promote_sentence(session, item["reviewer"], ingested.article_id, position)
            ids[item["claim"]] = row.id
        reviewed = play_reviews(session, data["reviews"], ids)
        total = count_claims(session)
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
            cite_source(
                session,
                who,
                claim_id,
                source["citation"],
                Attachment(source["stance"], source.get("quote")),
            )
        if "verdict" in item:
            verdict = item["verdict"]
            record_verdict(session, who, ClaimAt(claim_id), verdict["rating"], verdict["rationale"])
            reviewed += 1
        if "approved_by" in item:
            approve(session, item["approved_by"], ClaimAt(claim_id))
        if "status" in item:
            set_status(session, who, ClaimAt(claim_id), item["status"])
    return reviewed
