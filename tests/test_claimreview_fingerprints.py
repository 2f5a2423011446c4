"""Fact-checks imported by the first ClaimReview importer are still recognised: it collapsed
every Unicode space (the French non-breaking space too) and named no publisher known only by
URL, so its fingerprints differ from today's for such records."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from sqlalchemy import select

from workbench.storage.models import FactCheck
from workbench.storage.store import Store

FEED = (
    Path(__file__).parent / "data" / "claimreview" / "collector-afp-lemonde-politifact-tjekdet.json"
)


def first_importer_fingerprint(claim: str, url: str | None, publisher: str | None) -> str:
    """Written out here as the first importer computed it (workbench/importer.py before
    commit c00cd84): the claim with all whitespace collapsed, lower-cased; URL; publisher."""
    identity = [" ".join(claim.split()).lower(), url, publisher]
    return hashlib.sha256(json.dumps(identity, ensure_ascii=False).encode()).hexdigest()


def make_rows_look_first_imported(store: Store) -> int:
    """Rewrites the stored rows as the first importer stored them; returns how many changed
    fingerprint (so the test is about records whose identity really moved)."""
    changed = 0
    with store.write() as session:
        for check in session.scalars(select(FactCheck)):
            raw = check.raw or {}
            author = raw.get("author")
            named = author.get("name") if isinstance(author, dict) else None
            publisher = " ".join(named.split()) if isinstance(named, str) else None
            old = first_importer_fingerprint(check.claim_reviewed, check.url, publisher)
            changed += old != check.fingerprint
            check.fingerprint = old
            check.claim_reviewed = " ".join(check.claim_reviewed.split())
            check.publisher = publisher
    return changed


def test_a_file_imported_by_the_first_importer_imports_again_without_duplicates(
    cli: Any, store: Store
) -> None:
    first = cli("import", str(FEED), "--json").json()
    assert first["added"]["fact_checks"] == 5
    # Le Monde's claim holds non-breaking spaces; PolitiFact's author is a bare URL.
    assert make_rows_look_first_imported(store) == 2
    again = cli("import", str(FEED), "--json")
    assert again.code == 0, again.err
    data = again.json()
    assert (data["added"]["fact_checks"], data["duplicates"]) == (0, 5)
    with store.read() as session:
        assert len(list(session.scalars(select(FactCheck)))) == 5


def test_a_changed_record_is_still_a_new_fact_check(cli: Any, store: Store, tmp_path: Path) -> None:
    """Accepting the old fingerprint does not swallow records that differ."""
    records = json.loads(FEED.read_text(encoding="utf-8"))
    cli("import", str(FEED))
    make_rows_look_first_imported(store)
    edited = [dict(r) for r in records]
    edited[3]["claimReviewed"] = edited[3]["claimReviewed"] + " (mise à jour)"
    path = tmp_path / "edited.json"
    path.write_text(json.dumps(edited, ensure_ascii=False), encoding="utf-8")
    data = cli("import", str(path), "--json").json()
    assert (data["added"]["fact_checks"], data["duplicates"]) == (1, 4)
