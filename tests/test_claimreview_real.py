"""Real ClaimReview from several publishers and languages (tests/data/claimreview/README.md):
every record is either stored or reported, and nothing of the texts is lost."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import select

from workbench.storage.models import FactCheck
from workbench.storage.store import Store

DATA = Path(__file__).parent / "data" / "claimreview"
# Desks whose records name no language (no inLanguage, no languageCode, no <html lang>):
# each publishes in one language, so the desk's is the record's.
DESK_LANGUAGES = {
    "cbsnews.com": "en",
    "checkyourfact.com": "en",
    "factcheck.afp.com": "en",
    "factual.afp.com": "es",
    "lemonde.fr": "fr",
    "newsweek.com": "en",
    "politifact.com": "en",
    "science.feedback.org": "en",
    "snopes.com": "en",
    "tjekdet.dk": "da",
    "usatoday.com": "en",
    "verifythis.com": "en",
    "washingtonpost.com": "en",
}


def host(check: FactCheck) -> str:
    return (urlsplit(check.url or "").hostname or "").removeprefix("www.")


def language_of(check: FactCheck) -> str | None:
    """The record's own language (JSON-LD inLanguage, which the importer fills from the
    page's <html lang>; the Fact Check Tools API's languageCode), else its desk's."""
    raw: dict[str, Any] = check.raw or {}
    review = raw.get("claimReview") or {}
    code = raw.get("inLanguage") or review.get("languageCode")
    if code:
        return str(code).split("-")[0].lower()
    return DESK_LANGUAGES.get(host(check))


def organisation_of(check: FactCheck) -> str:
    """Who published it, counted by the site of the review, not by the name given: "The
    Washington Post" and "Washington Post" are one; AFP's desks (factual.afp.com in
    Spanish, factcheck.afp.com in English) count once as AFP."""
    site = host(check)
    return "afp.com" if site.endswith(".afp.com") else site


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
    # Issue 17's bar: at least 20 publishers in at least 5 languages, every record known.
    organisations = {organisation_of(c) for c in checks}
    assert "" not in organisations and len(organisations) >= 20, sorted(organisations)
    assert None not in languages and len(languages) >= 5, languages
    assert "pt" in languages


def test_records_as_the_new_samples_write_them(cli: Any, store: Store) -> None:
    """A cached API reply with the publisher flattened into the review; pages whose review
    names no author, or gives its URL relative to the page."""
    cli("import", str(DATA / "factcheck-api-flattened-us-2024.json"))
    for name in ("page-pt-estadao-verifica.html", "page-pt-observador.html"):
        assert cli("import", str(DATA / name)).code == 0
    with store.read() as session:
        checks = {c.publisher: c for c in session.scalars(select(FactCheck))}
    assert {"Verify", "Snopes", "The Washington Post", "Washington Post"} <= set(checks)
    estadao = checks["estadao.com.br"]
    assert estadao.url == (
        "https://www.estadao.com.br/estadao-verifica/"
        "video-caminhoes-tunel-misseis-ira-falso-inteligencia-artificial/?utm_source=newsletter"
    )
    assert checks["observador.pt"].rating == "Errado"
    assert language_of(checks["observador.pt"]) == "pt"


def test_page_references_resolve_to_the_same_fact_check(cli: Any, store: Store) -> None:
    """The HTML page names its publisher by @id: resolved, it is the feed's record again."""
    first = cli("import", str(DATA / "collector-afp-lemonde-politifact-tjekdet.json"), "--json")
    assert first.json()["added"]["fact_checks"] == 5
    page = cli("import", str(DATA / "page-wrapped-afp-factual.html"), "--json").json()
    assert page["format"] == "claimreview"
    assert (page["records"], page["duplicates"], page["problem_count"]) == (1, 1, 0)
