"""Real ClaimReview from several publishers and languages (tests/data/claimreview/README.md):
every record is either stored or reported, and nothing of the texts is lost."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import select

from workbench.models import FactCheck
from workbench.store import Store

DATA = Path(__file__).parent / "data" / "claimreview"
# Pages whose ClaimReview does not name its language: the desks publish in one language.
DESK_LANGUAGES = {"factual.afp.com": "es", "www.lemonde.fr": "fr", "www.tjekdet.dk": "da"}


def language_of(check: FactCheck) -> str | None:
    raw: dict[str, Any] = check.raw or {}
    review = raw.get("claimReview") or {}
    code = raw.get("inLanguage") or review.get("languageCode")
    if code:
        return str(code).split("-")[0]
    host = (check.url or "").split("/")[2] if check.url else ""
    return DESK_LANGUAGES.get(host, "en" if host else None)


def test_every_real_record_is_stored_or_reported(cli: Any, store: Store) -> None:
    files = sorted(p for p in DATA.iterdir() if p.suffix in (".json", ".jsonld", ".html"))
    assert len(files) >= 6
    records = 0
    for path in files:
        result = cli("import", str(path), "--json")
        assert result.code == 0, (path.name, result.err)
        data = result.json()
        added = data["added"]["fact_checks"]
        assert data["records"] == added + data["duplicates"] + data["problem_count"], path.name
        assert all(p["where"] and p["message"] for p in data["problems"])
        records += data["records"]
    with store.read() as session:
        checks = list(session.scalars(select(FactCheck)))
        texts = {c.claim_reviewed for c in checks}
        publishers = {c.publisher for c in checks}
        languages = {language_of(c) for c in checks}
    assert records >= 30 and len(checks) >= 28
    # Accents, typographic quotes and non-breaking spaces arrive as published.
    assert "Forskere anbefaler at drikke en øl mod hovedpine." in texts
    french = "Le coronavirus n\u2019est qu\u2019un\u00a0\u00ab gros rhume mont\u00e9 en "
    assert french + "\u00e9pingle\u00a0\u00bb" in texts
    assert "Motociclistas se arrodillaron y oraron por la salud de Donald Trump" in texts
    assert None not in publishers and len(publishers) >= 14
    assert {"en", "es", "fr", "da"} <= languages


def test_page_references_resolve_to_the_same_fact_check(cli: Any, store: Store) -> None:
    """The HTML page names its publisher by @id: resolved, it is the feed's record again."""
    first = cli("import", str(DATA / "collector-afp-lemonde-politifact-tjekdet.json"), "--json")
    assert first.json()["added"]["fact_checks"] == 5
    page = cli("import", str(DATA / "page-wrapped-afp-factual.html"), "--json").json()
    assert page["format"] == "claimreview"
    assert (page["records"], page["duplicates"], page["problem_count"]) == (1, 1, 0)
