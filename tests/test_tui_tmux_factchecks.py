"""The short form (t) and the search of earlier fact-checks (f) in a real terminal (tmux),
against the local stand-in for the Fact Check Tools API."""

from __future__ import annotations

import shlex
import time
from pathlib import Path

from factcheck_api_server import KEY, FactCheckApi
from sqlalchemy import select
from test_tui_tmux import _tmux, _wait_for, pytestmark  # noqa: F401 - skip without tmux
from tmux_helpers import workbench_session

from workbench.claims import summary as claim_summary
from workbench.listing.queries import list_claims
from workbench.storage.models import FactCheck
from workbench.storage.store import Store, database_url


def test_short_form_and_search_in_tmux(tmp_path: Path) -> None:
    api = FactCheckApi().start()
    db = tmp_path / "demo.db"
    config = tmp_path / "config.toml"
    config.write_text(f'[factchecks]\napi_key = "{KEY}"\nendpoint = "{api.endpoint}"\n', "utf-8")
    try:
        with workbench_session(
            tmp_path,
            f"--reviewer tmuxer demo --db {shlex.quote(str(db))}",
            env={"WORKBENCH_ALLOW_PRIVATE_NETWORKS": "1"},
            size=(140, 40),
        ) as session:
            _wait_for(session, "v Verdict")
            _tmux("send-keys", "-t", session, "t")
            _wait_for(session, "Short form (published as ClaimReview")
            time.sleep(0.4)
            _tmux("send-keys", "-t", session, "C-u")  # an empty field to type into
            time.sleep(0.4)
            _tmux("send-keys", "-t", session, "-l", "vaccine microchips")
            _wait_for(session, "18 of the 75 advised")
            _tmux("send-keys", "-t", session, "Enter")
            _wait_for(session, "summary saved")
            _tmux("send-keys", "-t", session, "f")
            _wait_for(session, "space chooses")
            screen = _wait_for(session, "Claim: Vaccine claim number 1")
            # Publisher, rating, date and URL; the highlighted one's claim below the list.
            assert "Checker 1 · False · 2021-02-03 · https://checker1.test/check/1" in screen
            assert "Claim: Vaccine claim number 1 about microchips (Social media posts)" in screen
            time.sleep(0.4)
            _tmux("send-keys", "-t", session, "Space")
            time.sleep(0.4)
            _tmux("send-keys", "-t", session, "C-s")
            _wait_for(session, "1 earlier fact-check(s) imported")
    finally:
        api.stop()
    store = Store(database_url(db))
    try:
        with store.read() as s:
            first = list_claims(s, limit=1)[0]
            summary = claim_summary.get_summary(s, first.id)
            urls = list(s.scalars(select(FactCheck.url)))
    finally:
        store.dispose()
    assert summary == "vaccine microchips"
    assert urls == ["https://checker1.test/check/1"]
    assert [r["query"] for r in api.requests][:1] == ["vaccine microchips"]
