"""The history in words a person would write, and citations shown as citations, in the CLI,
the TUI and the Markdown report (issue 18); the JSON keeps its raw shape."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from textual.widgets import Static

from tests.tui_helpers import settle
from workbench.storage.store import Store
from workbench.tui.app import WorkbenchApp
from workbench.tui.screens.claim import ClaimScreen

SIZE = (140, 60)


def _reviewed_claim(cli: Any) -> int:
    claim = cli("--reviewer", "ann", "claim", "add", "The bridge cost 3 million.", "--json")
    claim_id = claim.json()["id"]
    cid = str(claim_id)
    steps = [
        ("source", "cite", cid, "Council minutes, 12 May", "--stance", "refutes",
         "--quote", "The bridge cost 4.1 million"),
        ("verdict", cid, "mostly-false", "--rationale", "The minutes say 4.1 million."),
        ("verdict", cid, "false", "--rationale", "The accounts say 4.1 million too."),
    ]  # fmt: skip
    for step in steps:
        assert cli("--reviewer", "ann", *step).code == 0
    assert cli("--reviewer", "bob", "approve", cid).code == 0
    return claim_id


def test_cli_history_reads_as_sentences(cli: Any) -> None:
    claim_id = _reviewed_claim(cli)
    cli("--reviewer", "ann", "claim", "add", "Another claim.")
    assert cli("--reviewer", "ann", "status", str(claim_id + 1), "in-progress").code == 0
    lines = cli("history", str(claim_id)).out.splitlines()
    assert len(lines) == 5
    assert lines[0].endswith("claim added")
    assert (
        'citation added: Council minutes, 12 May (stance: refutes) quoting "The bridge'
        in (lines[1])
    )
    assert lines[1].endswith("status changed from new to in-progress")
    assert "rating set to mostly-false; status changed from in-progress to reviewed" in lines[2]
    assert lines[3].endswith("verdict recorded; rating changed from mostly-false to false")
    assert " bob " in lines[4] and "verdict approved" in lines[4]
    assert "->" not in "\n".join(lines) and "None" not in "\n".join(lines)
    other = cli("history", str(claim_id + 1)).out.splitlines()
    assert other[-1].endswith("status changed from new to in-progress")
    # `claim show` lists the same words.
    shown = cli("claim", "show", str(claim_id)).out
    assert "rating changed from mostly-false to false" in shown


def test_history_json_keeps_its_shape(cli: Any) -> None:
    claim_id = _reviewed_claim(cli)
    events = cli("history", str(claim_id), "--json").json()
    keys = ["id", "at", "reviewer", "action", "entity", "entity_id", "claim_id", "before", "after"]
    assert [list(e) for e in events] == [keys] * 5
    assert [e["action"] for e in events] == [
        "claim.add",
        "evidence.add",
        "verdict.add",
        "verdict.add",
        "claim.approve",
    ]
    assert events[3]["before"]["rating"] == "mostly-false"
    assert events[3]["after"]["rating"] == "false"


def test_url_source_failed_fetch_and_removal_in_words(cli: Any, monkeypatch: Any) -> None:
    monkeypatch.setenv("WORKBENCH_ALLOW_PRIVATE_NETWORKS", "1")
    claim_id = cli("claim", "add", "A claim.", "--json").json()["id"]
    cid = str(claim_id)
    with _failing_server() as url:
        added = cli("source", "add", cid, url, "--json")
    evidence_id = added.json()["id"]
    assert cli("source", "remove", cid, str(evidence_id)).code == 0
    lines = cli("history", cid).out.splitlines()
    assert lines[1].endswith(
        f"source attached: {url} (stance: context); status changed from new to in-progress"
    )
    assert lines[2].endswith(f"fetch failed: {url} (http_error, HTTP 500)")
    assert lines[3].endswith(f"source removed: {url}")


@contextmanager
def _failing_server() -> Iterator[str]:
    class Failing(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(500)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Failing)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/page"
    finally:
        server.shutdown()
        server.server_close()


def test_claim_show_lists_a_citation_as_a_citation(cli: Any) -> None:
    claim_id = _reviewed_claim(cli)
    shown = cli("claim", "show", str(claim_id)).out
    assert (
        'citation  "The bridge cost 4.1 million" (stance: refutes)  from: Council minutes, 12 May'
        in shown
    )


def test_markdown_report_lists_a_citation_as_a_citation(cli: Any) -> None:
    _reviewed_claim(cli)
    report = cli("export", "--format", "md").out
    assert 'citation "The bridge cost 4.1 million" (stance: refutes) from: Council minutes' in (
        report
    )


async def test_tui_claim_screen_history_and_citation(store: Store, cli: Any) -> None:
    claim_id = _reviewed_claim(cli)
    app = WorkbenchApp(store.url, reviewer="tester", refresh_interval=0)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ClaimScreen) and screen.claim_id == claim_id
        history = str(screen.query_one("#claim-history", Static).render())
        assert "rating changed from mostly-false to false" in history
        assert "rating set to mostly-false" in history and "verdict approved" in history
        assert "->" not in history and "→" not in history and "None" not in history
        sources = str(screen.query_one("#claim-sources", Static).render())
        assert '1. citation  "The bridge cost 4.1 million" (stance: refutes)' in sources
        assert "from: Council minutes, 12 May" in sources
        assert "site " not in sources and "fetch " not in sources and "hash " not in sources


def test_a_conflict_names_the_change_in_the_same_words(cli: Any) -> None:
    claim_id = _reviewed_claim(cli)
    stale = cli("status", str(claim_id), "dismissed", "--expect-version", "1")
    assert stale.code == 1
    assert f"claim {claim_id} was changed by bob" in stale.err
    assert "verdict approved; status changed from reviewed to approved" in stale.err
