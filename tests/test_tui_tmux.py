"""The real `workbench demo` in a real terminal (tmux): read the screen, record a verdict
by keystrokes, find it in the database."""

from __future__ import annotations

import shlex
import time
from pathlib import Path

import pytest

from tests.tmux_helpers import NO_TMUX, TMUX, workbench_session
from tests.tmux_helpers import tmux as _tmux
from tests.tmux_helpers import wait_for as _wait_for
from workbench.claims.reading import get_claim
from workbench.listing.queries import list_claims
from workbench.storage.store import Store, database_url

pytestmark = pytest.mark.skipif(TMUX is None, reason=NO_TMUX)


def test_demo_in_tmux_records_a_verdict(tmp_path: Path) -> None:
    db = tmp_path / "demo.db"
    with workbench_session(
        tmp_path, f"--reviewer tmuxer demo --db {shlex.quote(str(db))}"
    ) as session:
        _wait_for(session, "claim 1 of ")
        screen = _wait_for(session, "v Verdict")  # the footer is drawn once focus settled
        assert "Riverside" in screen or "tram" in screen
        assert "approved" in screen
        _tmux("send-keys", "-t", session, "Down")  # the second claim of the list
        _wait_for(session, "claim 2 of ")
        _tmux("send-keys", "-t", session, "v")
        _wait_for(session, "Record a verdict")
        # The rating list has focus: move to "Mostly true", choose it, go to the rationale.
        # A pause between keys, as a person makes: each key lands after the last was handled.
        for keys in (["Down"], ["Enter"], ["Tab"], ["-l", "Checked in a real terminal"]):
            time.sleep(0.4)
            _tmux("send-keys", "-t", session, *keys)
        _wait_for(session, "Checked in a real terminal")
        _tmux("send-keys", "-t", session, "C-s")
        _wait_for(session, "verdict mostly-true recorded")
    store = Store(database_url(db))
    try:
        with store.read() as s:
            second = list_claims(s, limit=2)[1]  # the list's default order
            detail = get_claim(s, second.id)
    finally:
        store.dispose()
    assert detail.verdict is not None
    assert detail.verdict.rating == "mostly-true"
    assert detail.verdict.reviewer == "tmuxer"
    assert detail.verdict.rationale == "Checked in a real terminal"
