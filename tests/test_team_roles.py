"""A team server's rules hold in PostgreSQL itself (migration 0006): each test connects as real
login roles made by `workbench users add`, and tries the forbidden thing both through the CLI
and with plain SQL. The PostgreSQL half only (.ci/with-postgres: trust authentication on
127.0.0.1, so a login connects by name without a password)."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from tests.conftest import PG_URL, ROOT, run_workbench
from workbench.storage.store import head_revision

pytestmark = pytest.mark.skipif(not PG_URL, reason="PostgreSQL roles (the PostgreSQL half)")


class Desk:
    """Logins of one test: `desk.url("bob")` connects as bob; names are unique per test
    (roles are cluster-wide) and dropped afterwards."""

    def __init__(self, db_url: str, cli: Any) -> None:
        self.db_url = db_url
        self.cli = cli
        self.prefix = "u" + uuid.uuid4().hex[:6] + "_"
        self.made: list[str] = []

    def name(self, short: str) -> str:
        return self.prefix + short

    def url(self, short: str) -> str:
        return make_url(self.db_url).set(username=self.name(short)).render_as_string(False)

    def add(self, short: str, role: str, *, by: str | None = None) -> None:
        db = self.url(by) if by else self.db_url  # the owner by default
        result = self.cli("users", "add", self.name(short), "--role", role, db=db)
        assert result.code == 0, result.err
        self.made.append(self.name(short))

    def as_(self, short: str, *args: str) -> Any:
        return self.cli(*args, db=self.url(short))

    def sql(self, short: str, statement: str, **params: Any) -> list[Any]:
        engine = create_engine(self.url(short))
        try:
            with engine.begin() as conn:
                result = conn.execute(text(statement), params)
                return list(result.all()) if result.returns_rows else []
        finally:
            engine.dispose()

    def refused(self, short: str, statement: str, **params: Any) -> str:
        with pytest.raises(DBAPIError) as caught:
            self.sql(short, statement, **params)
        return str(caught.value.orig).splitlines()[0]


@pytest.fixture
def desk(db_url: str, cli: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[Desk]:
    monkeypatch.delenv("WORKBENCH_REVIEWER")  # on a team server the login is the reviewer
    assert cli("init", "--owner").code == 0
    made = Desk(db_url, cli)
    made.add("ann", "reviewer")
    made.add("bob", "reviewer")
    made.add("cat", "reviewer")
    made.add("ed", "editor")
    yield made
    engine = create_engine(db_url)
    with engine.begin() as conn:
        for name in made.made:
            conn.execute(text(f'DROP ROLE IF EXISTS "{name}"'))
    engine.dispose()


def _claim(desk: Desk, by: str = "ann") -> str:
    result = desk.as_(by, "claim", "add", "The minister doubled the health budget", "--json")
    assert result.code == 0, result.err
    return str(result.json()["id"])


def _one_line(result: Any) -> str:
    assert result.code == 1
    lines = result.err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.err, result.err
    return lines[0]


def test_the_login_is_the_reviewer(desk: Desk, monkeypatch: pytest.MonkeyPatch) -> None:
    c = _claim(desk)
    assert desk.as_("ann", "verdict", c, "false", "--rationale", "Budget papers").code == 0
    shown = desk.as_("ann", "claim", "show", c, "--json").json()
    assert shown["verdict"]["reviewer"] == desk.name("ann")
    history = desk.as_("ann", "history", c, "--json").json()
    assert {e["reviewer"] for e in history} == {desk.name("ann")}
    # A name that disagrees with the login is refused before anything is written.
    as_bob = ("--reviewer", desk.name("bob"))
    line = _one_line(desk.as_("ann", *as_bob, "verdict", c, "true", "--rationale", "x"))
    assert f"signed in to the database as {desk.name('ann')}" in line and "--reviewer" in line
    monkeypatch.setenv("WORKBENCH_REVIEWER", "bob")
    assert "WORKBENCH_REVIEWER" in _one_line(desk.as_("ann", "claims"))
    monkeypatch.setenv("WORKBENCH_REVIEWER", desk.name("ann"))  # agreeing is fine
    assert desk.as_("ann", "claims").code == 0
    monkeypatch.delenv("WORKBENCH_REVIEWER")
    assert len(desk.as_("ann", "claim", "show", c, "--json").json()["verdicts"]) == 1


def test_a_reviewer_cannot_write_in_anothers_name(desk: Desk) -> None:
    c = _claim(desk)
    insert = (
        "INSERT INTO verdicts (claim_id, rating, rationale, reviewer, blind, created_at) "
        "VALUES (:c, 'true', 'forged', :who, false, now())"
    )
    line = desk.refused("bob", insert, c=int(c), who=desk.name("ann"))
    assert f"signed in as {desk.name('bob')}" in line and desk.name("ann") in line
    event = "INSERT INTO events (at, reviewer, action, entity) VALUES (now(), :who, 'x', 'claim')"
    assert "in the name of" in desk.refused("bob", event, who=desk.name("ann"))
    # Left out, the name is the login's, set by the database.
    desk.sql(
        "bob",
        "INSERT INTO verdicts (claim_id, rating, rationale, blind, created_at) "
        "VALUES (:c, 'true', 'own', false, now())",
        c=int(c),
    )
    rows = desk.sql("ed", "SELECT reviewer, rationale FROM verdicts WHERE claim_id = :c", c=int(c))
    assert [tuple(r) for r in rows] == [(desk.name("bob"), "own")]
    assert "permission denied" in desk.refused("bob", "UPDATE verdicts SET rating = 'false'")
    # Nor can the list's rating be set apart from the verdicts.
    forged = desk.refused("bob", "UPDATE claims SET rating = 'false' WHERE id = :c", c=int(c))
    assert "comes from its verdicts" in forged


def test_a_reviewer_cannot_approve(desk: Desk) -> None:
    c = _claim(desk)
    assert desk.as_("ann", "verdict", c, "false", "--rationale", "Budget papers").code == 0
    line = _one_line(desk.as_("bob", "approve", c))
    assert line == (
        f"workbench: error: approving claim {c} needs an editor; {desk.name('bob')} is a reviewer"
    )
    sql = desk.refused("bob", "UPDATE claims SET status = 'approved' WHERE id = :c", c=int(c))
    assert "needs an editor" in sql
    assert "needs an editor" in _one_line(desk.as_("bob", "assign", c, desk.name("cat")))
    sent = _one_line(desk.as_("bob", "send-back", c, "--note", "Check the year"))
    assert f"sending claim {c} back" in sent and "needs an editor" in sent
    assert desk.as_("ed", "approve", c).code == 0  # an editor, not the author: allowed
    assert desk.as_("ed", "claim", "show", c, "--json").json()["status"] == "approved"


def test_bulk_status_is_an_editors_task(desk: Desk) -> None:
    first, second = _claim(desk), _claim(desk, by="bob")
    line = _one_line(desk.as_("ann", "bulk-status", "in-progress", first, second))
    assert line == (
        f"workbench: error: a bulk status change needs an editor; {desk.name('ann')} is a reviewer"
    )
    for c in (first, second):
        assert desk.as_("ed", "claim", "show", c, "--json").json()["status"] == "new"
    assert desk.as_("ed", "bulk-status", "in-progress", first, second).code == 0
    for c in (first, second):
        assert desk.as_("ed", "claim", "show", c, "--json").json()["status"] == "in-progress"


def test_an_editor_cannot_approve_their_own_verdict(desk: Desk) -> None:
    c = _claim(desk)
    assert desk.as_("ed", "verdict", c, "mixed", "--rationale", "Half of it").code == 0
    assert "another reviewer" in _one_line(desk.as_("ed", "approve", c))
    line = desk.refused("ed", "UPDATE claims SET status = 'approved' WHERE id = :c", c=int(c))
    assert f"the verdict on claim {c} is your own" in line
    desk.add("eve", "editor")
    assert desk.as_("eve", "approve", c).code == 0


def test_blind_ratings_are_hidden_from_plain_sql(desk: Desk) -> None:
    c = _claim(desk)
    cid = int(c)
    assert desk.as_("ann", "verdict", c, "mostly-false", "--rationale", "+40%").code == 0
    assert desk.as_("ed", "assign", c, desk.name("bob"), "--blind").code == 0
    for who in ("bob", "cat"):  # the blind reviewer, and anyone else but an editor
        assert (
            desk.sql(who, "SELECT rating, rationale FROM verdicts WHERE claim_id = :c", c=cid) == []
        )
        assert desk.sql(who, "SELECT rating FROM claims WHERE id = :c", c=cid)[0][0] is None
        trail = desk.sql(
            who, "SELECT before::text, after::text FROM events WHERE claim_id = :c", c=cid
        )
        assert "mostly-false" not in str(trail) and "+40%" not in str(trail)
        shown = desk.as_(who, "claim", "show", c, "--json")
        assert shown.code == 0 and shown.json()["ratings_hidden"] is True
        assert "mostly-false" not in shown.out and "+40%" not in shown.out
        listed = desk.as_(who, "claims", "--json")
        assert "mostly-false" not in listed.out
    # The author and the editors see it.
    ratings = "SELECT rating FROM verdicts WHERE claim_id = :c"
    assert [r[0] for r in desk.sql("ann", ratings, c=cid)] == ["mostly-false"]
    assert len(desk.sql("ed", ratings, c=cid)) == 1
    assert desk.as_("ed", "claim", "show", c, "--json").json()["ratings_hidden"] is False
    # The blind reviewer rates without seeing; then the blind phase is over for everyone.
    assert desk.as_("bob", "verdict", c, "false", "--rationale", "own check").code == 0
    pairs = "SELECT reviewer, blind FROM verdicts WHERE claim_id = :c ORDER BY id"
    rows = desk.sql("cat", pairs, c=cid)
    assert [tuple(r) for r in rows] == [(desk.name("ann"), False), (desk.name("bob"), True)]
    state = desk.sql("cat", "SELECT rating, blind_review FROM claims WHERE id = :c", c=cid)
    assert tuple(state[0]) == ("false", False)
    assert desk.as_("cat", "claim", "show", c, "--json").json()["ratings_hidden"] is False
    # A reviewer cannot end someone else's blind phase early by hand.
    d = _claim(desk)
    assert desk.as_("ann", "verdict", d, "true", "--rationale", "ok").code == 0
    assert desk.as_("ed", "assign", d, desk.name("bob"), "--blind").code == 0
    line = desk.refused("bob", "UPDATE claims SET blind_review = false WHERE id = :d", d=int(d))
    assert "under blind review until a second verdict" in line
    # The trail stays one chain, written by many logins with rows hidden from some.
    assert desk.cli("check").code == 0
    assert "editor" in _one_line(desk.as_("bob", "check"))


@pytest.mark.parametrize(
    "statement",
    [
        "ALTER TABLE events DISABLE TRIGGER events_no_update",
        "DROP TRIGGER events_no_delete ON events",
        "ALTER TABLE events DISABLE ROW LEVEL SECURITY",
        "DROP TABLE events",
        "TRUNCATE events",
        "DELETE FROM events",
        "UPDATE events SET reviewer = 'x'",
    ],
)
def test_only_the_owner_can_touch_the_audit_trail(desk: Desk, statement: str) -> None:
    desk.add("ada", "admin")
    _claim(desk)
    for who in ("bob", "ed", "ada"):
        line = desk.refused(who, statement)
        assert "must be owner" in line or "permission denied" in line, line
    assert desk.cli("check").code == 0


def test_people_are_managed_by_admins(desk: Desk) -> None:
    desk.add("ada", "admin")
    listed = {p["name"]: p for p in desk.as_("ada", "users", "list", "--json").json()}
    assert listed[desk.name("ed")] == {"name": desk.name("ed"), "role": "editor", "active": True}
    by_editor = desk.as_("ed", "users", "add", desk.name("x"), "--role", "admin")
    assert "needs an admin" in _one_line(by_editor)
    desk.add("dan", "reviewer", by="ada")
    assert desk.as_("dan", "claims").code == 0
    moved = desk.as_("ada", "users", "set-role", desk.name("dan"), "--role", "editor", "--json")
    assert moved.code == 0 and moved.json()["role"] == "editor"
    exists = _one_line(desk.as_("ada", "users", "add", desk.name("dan"), "--role", "reviewer"))
    assert "exists already" in exists
    # Roles the desk did not make are out of an admin's reach.
    assert "not a workbench user" in _one_line(desk.as_("ada", "users", "remove", "postgres"))
    # Each change is in the audit trail, signed by the admin who made it.
    rows = desk.sql("ed", "SELECT reviewer, action FROM events WHERE entity = 'user' ORDER BY id")
    assert (desk.name("ada"), "user.add") in [tuple(r) for r in rows]
    assert (desk.name("ada"), "user.set_role") in [tuple(r) for r in rows]


def test_a_removed_user_can_no_longer_connect(desk: Desk) -> None:
    desk.add("ada", "admin")
    c = _claim(desk, by="bob")
    assert desk.as_("bob", "verdict", c, "true", "--rationale", "Checked").code == 0
    removed = desk.as_("ada", "users", "remove", desk.name("bob"))
    assert removed.code == 0 and "no longer connect" in removed.out
    line = _one_line(desk.as_("bob", "claims"))
    assert "cannot connect" in line and "not permitted to log in" in line
    with pytest.raises(DBAPIError):
        desk.sql("bob", "SELECT 1")
    # Their work stays, signed with their name; the name cannot be taken again.
    shown = desk.as_("ed", "claim", "show", c, "--json").json()
    assert shown["verdict"]["reviewer"] == desk.name("bob")
    listed = {p["name"]: p for p in desk.as_("ada", "users", "list", "--json").json()}
    assert listed[desk.name("bob")]["active"] is False
    again = desk.as_("ada", "users", "add", desk.name("bob"), "--role", "reviewer")
    assert "exists already" in _one_line(again)


def test_refusals_are_one_line_from_the_real_program(desk: Desk) -> None:
    c = _claim(desk)
    assert desk.as_("ann", "verdict", c, "false", "--rationale", "Budget papers").code == 0
    env = {"WORKBENCH_REVIEWER": ""}
    attempts = (
        ["approve", c],
        ["--reviewer", desk.name("ann"), "claims"],
        ["users", "add", "zed", "--role", "admin"],
    )
    for args in attempts:
        done = run_workbench("--db", desk.url("bob"), *args, env=env)
        assert done.returncode == 1
        assert len(done.stderr.strip().splitlines()) == 1, done.stderr
        assert "Traceback" not in done.stderr and done.stderr.startswith("workbench: error: ")


README_NAMES = ("alice", "ed", "ann", "bob", "desk_owner")


def _readme_block() -> str:
    text_ = (ROOT / "README.md").read_text(encoding="utf-8")
    after = text_.split("<!-- team-setup:", 1)[1]
    return after.split("```sh\n", 1)[1].split("```", 1)[0]


def test_the_readme_sets_up_a_working_desk(monkeypatch: pytest.MonkeyPatch) -> None:
    """The README's team set-up, word for word, on the test server; then the desk works."""
    import os
    import subprocess
    import sys

    assert PG_URL is not None
    monkeypatch.delenv("WORKBENCH_REVIEWER")
    server = make_url(PG_URL)
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        taken = conn.execute(
            text("SELECT rolname FROM pg_roles WHERE rolname = ANY(:n)"), {"n": list(README_NAMES)}
        ).all()
        if taken or conn.execute(text("SELECT 1 FROM pg_database WHERE datname = 'desk'")).all():
            pytest.skip("this server already has the README's desk (not a fresh server)")
    env = {
        **os.environ,
        "PGHOST": str(server.host),
        "PGPORT": str(server.port),
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
    }
    try:
        done = subprocess.run(
            ["bash", "-eu", "-c", _readme_block()], env=env, capture_output=True, text=True
        )
        assert done.returncode == 0, done.stderr
        listed = [line.split() for line in done.stdout.splitlines()]
        assert [w for w in listed if len(w) == 2 and w[0] in README_NAMES] == [
            ["alice", "admin"],
            ["ann", "reviewer"],
            ["bob", "reviewer"],
            ["ed", "editor"],
        ]

        def run(login: str, *args: str) -> subprocess.CompletedProcess[str]:
            url = f"postgresql+psycopg://{login}@/desk"
            return subprocess.run(
                ["workbench", "--db", url, *args], env=env, capture_output=True, text=True
            )

        added = run("ann", "claim", "add", "Ferries carried 2 million people", "--json")
        assert added.returncode == 0, added.stderr
        claim = str(json.loads(added.stdout)["id"])
        assert run("ann", "verdict", claim, "true", "--rationale", "Port figures").returncode == 0
        refused = run("bob", "approve", claim)
        assert refused.returncode == 1 and "needs an editor" in refused.stderr
        assert run("ed", "approve", claim).returncode == 0
        shown = json.loads(run("bob", "claim", "show", claim, "--json").stdout)
        assert shown["status"] == "approved" and shown["verdict"]["reviewer"] == "ann"
    finally:
        with admin.connect() as conn:
            conn.execute(text("DROP DATABASE IF EXISTS desk WITH (FORCE)"))
            for name in README_NAMES:
                conn.execute(text(f"DROP ROLE IF EXISTS {name}"))
        admin.dispose()


def test_the_tui_is_the_login_too(desk: Desk) -> None:
    from workbench.errors import WorkbenchError
    from workbench.tui.app import WorkbenchApp

    app = WorkbenchApp(desk.url("bob"))
    try:
        assert app.reviewer == desk.name("bob")
    finally:
        app.store.dispose()
    with pytest.raises(WorkbenchError, match=f"signed in to the database as {desk.name('bob')}"):
        WorkbenchApp(desk.url("bob"), reviewer=desk.name("ann"))


def test_only_the_owner_upgrades_the_schema(desk: Desk) -> None:
    owner = create_engine(desk.db_url)
    with owner.begin() as conn:  # as if this program were one migration ahead of the schema
        conn.execute(text("UPDATE alembic_version SET version_num = '0005'"))
    try:
        line = _one_line(desk.as_("bob", "claims"))
        assert "schema revision 0005" in line and "only the database's owner" in line
    finally:
        with owner.begin() as conn:
            conn.execute(text(f"UPDATE alembic_version SET version_num = '{head_revision()}'"))
        owner.dispose()
