"""A reviewer's first session, by keystrokes, in the real `workbench demo` in a real terminal
(tmux): add a claim, cite a source, attach a URL, attach one whose server fails, fetch it
again once the server answers, record a verdict, dismiss the claim and undo that, export a
report; then the database (through the CLI's --json) and the report are checked.

The pages come from an HTTP server on 127.0.0.1 that this test starts."""

from __future__ import annotations

import json
import shlex
import sqlite3
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import run_workbench
from tests.tmux_helpers import NO_TMUX, TMUX, screen, start_workbench, tmux, wait_for

CLAIM = "The walkthrough bridge cost 9 million euros to build."
CITATION = "Council budget minutes, 4 June"
QUOTE = "the bridge cost 9.4 million euros"
RATIONALE = "The minutes and the page agree on 9.4 million"

pytestmark = pytest.mark.skipif(TMUX is None, reason=NO_TMUX)


def _page(title: str) -> bytes:
    body = (
        f"<!doctype html><html><head><title>{title}</title></head><body><article>"
        f"<h1>{title}</h1>"
        "<p>The city's new footbridge over the river cost 9.4 million euros, the council's "
        "final accounts show, against a budget of 8 million euros approved in 2021.</p>"
        "<p>Work started in March 2023 and the bridge opened to walkers and cyclists in "
        "September 2025, five months later than planned.</p>"
        "<p>The council said higher steel prices explained most of the extra cost.</p>"
        "</article></body></html>"
    )
    return body.encode("utf-8")


class _Pages(ThreadingHTTPServer):
    """/accounts answers; /flaky fails with 500 until `fixed` is set."""

    fixed = False


class _Handler(BaseHTTPRequestHandler):
    server: _Pages

    def do_GET(self) -> None:
        if self.path == "/flaky" and not self.server.fixed:
            self.send_response(500)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        body = _page("Bridge accounts" if self.path == "/accounts" else "Bridge opening report")
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


@contextmanager
def _server() -> Iterator[_Pages]:
    server = _Pages(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def _keys(session: str, *keys: str) -> None:
    # A pause before each key, as a person makes: each lands after the last was handled.
    time.sleep(0.4)
    tmux("send-keys", "-t", session, *keys)


def _type(session: str, text: str) -> None:
    _keys(session, "-l", text)


def _query(db: Path, sql: str, *args: Any) -> list[tuple[Any, ...]]:
    # Read through SQLite only (never open() on a database another process has open).
    with closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=10)) as conn:
        return list(conn.execute(sql, args))


def _wait_db(db: Path, what: str, check: Callable[[], bool], session: str) -> None:
    deadline = time.monotonic() + 40
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.3)
    raise AssertionError(f"{what} did not happen; the screen shows:\n{screen(session)}")


def _claim_id(db: Path) -> int | None:
    rows = _query(db, "SELECT id FROM claims WHERE text = ?", CLAIM)
    return int(rows[0][0]) if rows else None


def _fetch_status(db: Path, path: str) -> str | None:
    rows = _query(db, "SELECT fetch_status FROM sources WHERE url LIKE ?", f"%{path}")
    return str(rows[0][0]) if rows else None


def _status(db: Path) -> str:
    return str(_query(db, "SELECT status FROM claims WHERE text = ?", CLAIM)[0][0])


def test_first_day_walkthrough_in_tmux(tmp_path: Path) -> None:
    db = tmp_path / "demo.db"
    documents = tmp_path / "Documents"
    documents.mkdir()
    # The export dialog's default: a reports folder in the documents folder.
    report = documents / "workbench-reports" / "workbench-report.html"
    session = "wb-walk-" + uuid.uuid4().hex[:8]
    env = {
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "XDG_DOCUMENTS_DIR": str(documents),
        "WORKBENCH_ALLOW_PRIVATE_NETWORKS": "1",  # the test's pages are on 127.0.0.1
    }
    with _server() as pages:
        base = f"http://127.0.0.1:{pages.server_address[1]}"
        start_workbench(
            session,
            tmp_path,
            f"--reviewer walker demo --db {shlex.quote(str(db))}",
            env=env,
            size=(140, 40),
            cwd=tmp_path,  # the UI is started here: nothing may be written here
        )
        try:
            _walk(session, db, base, pages, report)
        finally:
            tmux("kill-session", "-t", session)
    _check_database(db, base, tmp_path)
    _check_report(report, base)


def _walk(session: str, db: Path, base: str, pages: _Pages, report: Path) -> None:
    wait_for(session, "claim 1 of ", timeout=60)
    wait_for(session, "v Verdict")  # the key bar is drawn once focus settled

    # Add a claim by hand (n), then find it with the search box (/) so it is the current row.
    _keys(session, "n")
    wait_for(session, "Add a claim")
    _type(session, CLAIM)
    _keys(session, "Enter")
    _wait_db(db, "the claim being added", lambda: _claim_id(db) is not None, session)
    _keys(session, "/")
    _type(session, "walkthrough")
    _keys(session, "Enter")
    wait_for(session, "claim 1 of 1")

    # Cite a source (c): its text, Tab past the stance (the default, context, is kept),
    # Tab to the quote.
    _keys(session, "c")
    wait_for(session, "Stance")
    _type(session, CITATION)
    _keys(session, "Tab")
    _keys(session, "Tab")
    _type(session, QUOTE)
    _keys(session, "C-s")
    _wait_db(
        db,
        "the citation",
        lambda: bool(_query(db, "SELECT id FROM sources WHERE citation = ?", CITATION)),
        session,
    )

    # Attach a URL that answers (u), and one whose server fails.
    for path in ("/accounts", "/flaky"):
        _keys(session, "u")
        wait_for(session, "Stance")
        _type(session, base + path)
        _keys(session, "C-s")
        _wait_db(
            db,
            f"the fetch of {path}",
            lambda path=path: _fetch_status(db, path) not in (None, "pending"),  # type: ignore[misc]
            session,
        )
    assert _fetch_status(db, "/accounts") == "ok"
    assert _fetch_status(db, "/flaky") != "ok"

    # The server answers now: F fetches the failed source again.
    pages.fixed = True
    _keys(session, "F")
    _wait_db(db, "the retried fetch", lambda: _fetch_status(db, "/flaky") == "ok", session)

    # A verdict (v): the second rating of the list (mostly-true), then the rationale.
    _keys(session, "v")
    wait_for(session, "Record a verdict")
    for keys in (["Down"], ["Enter"], ["Tab"], ["-l", RATIONALE]):
        _keys(session, *keys)
    wait_for(session, RATIONALE)
    _keys(session, "C-s")
    _wait_db(db, "the verdict", lambda: _status(db) == "reviewed", session)

    # Dismiss (d), then undo it (z): the claim is back where it was.
    _keys(session, "d")
    _wait_db(db, "the dismissal", lambda: _status(db) == "dismissed", session)
    wait_for(session, "undo")
    _keys(session, "z")
    _wait_db(db, "the undo", lambda: _status(db) == "reviewed", session)

    # Export (x) the list as it is filtered (the one claim) to the file the dialog offers.
    _keys(session, "x")
    wait_for(session, "Export a report")
    wait_for(session, "workbench-report.html")
    _keys(session, "Enter")
    _wait_db(db, "the report file", report.exists, session)
    _keys(session, "q")
    time.sleep(0.5)


def _cli_json(db: Path, *args: str) -> Any:
    done = run_workbench("--db", str(db), *args, "--json")
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def _check_database(db: Path, base: str, tmp_path: Path) -> None:
    found = _cli_json(db, "claims", "--search", "walkthrough")
    assert [c["text"] for c in found] == [CLAIM]
    claim = found[0]
    assert claim["status"] == "reviewed" and claim["rating"] == "mostly-true"
    assert claim["source_count"] == 3
    shown = _cli_json(db, "claim", "show", str(claim["id"]))
    sources = {e["source"]["url"] or e["source"]["citation"]: e for e in shown["evidence"]}
    assert set(sources) == {CITATION, base + "/accounts", base + "/flaky"}
    assert sources[CITATION]["quote"] == QUOTE and sources[CITATION]["source"]["kind"] == "citation"
    assert sources[base + "/accounts"]["source"]["fetch_status"] == "ok"
    assert sources[base + "/flaky"]["source"]["fetch_status"] == "ok"  # the retry worked
    assert shown["verdict"]["rating"] == "mostly-true"
    assert shown["verdict"]["rationale"] == RATIONALE
    assert shown["verdict"]["reviewer"] == "walker"
    history = _cli_json(db, "history", str(claim["id"]))
    actions = [e["action"] for e in history]
    assert actions[0] == "claim.add" and actions.count("evidence.add") == 3
    assert "verdict.add" in actions
    statuses = [e["after"]["status"] for e in history if e["action"] == "claim.status"]
    assert statuses == ["dismissed", "reviewed"]  # dismissed, and undone
    assert all(e["reviewer"] == "walker" for e in history)
    # Nothing was written into the folder the UI was started in.
    assert not list(tmp_path.glob("workbench-report.*"))
    checked = _cli_json(db, "check")
    assert checked["ok"] is True


def _check_report(report: Path, base: str) -> None:
    html = report.read_text(encoding="utf-8")
    assert CLAIM in html
    assert "Mostly true" in html or "mostly-true" in html
    assert RATIONALE in html
    assert CITATION in html and QUOTE in html
    assert base + "/accounts" in html and base + "/flaky" in html
    # The export followed the list's filter: the demo's other claims are not in it.
    assert "Riverside" not in html
