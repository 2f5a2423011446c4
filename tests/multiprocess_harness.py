"""The terminal UI and CLI processes on one SQLite file at once (issue 12). Shared by
tests/test_multiprocess.py and benchmarks/multiprocess_soak.py.

One round: a fresh folder, its database prepared for a start order, a real `workbench tui`
(or `workbench demo`) in tmux driven by keystrokes, and CLI writer and reader processes at
the same time. Every write a process acknowledged (a CLI command's exit status 0; the UI's
notice after ctrl+s) is noted, and looked for once every process has ended. While the UI
runs, its open files are watched for a database file deleted from under it.

Start orders: the UI creates the file; a CLI command creates it; `workbench demo` creates
it; the file exists (made by `workbench init`); the file has an older schema (revision
0004, built with Alembic) and is upgraded by whichever process opens it first.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import sqlite3
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.tmux_helpers import screen, tmux, wait_for

ROOT = Path(__file__).resolve().parent.parent
ORDERS = ("ui-creates", "cli-creates", "demo", "existing", "old-schema")
OLD_REVISION = "0004"
READY = "? Help"  # the key bar, drawn once the claims screen has settled
COUNTS = re.compile(
    r"new ([\d,]+)\s+in-progress ([\d,]+)\s+reviewed ([\d,]+)\s+approved ([\d,]+)"
    r"\s+dismissed ([\d,]+)"
)


@dataclass(frozen=True)
class Ack:
    """A write a process said it had made: a claim (its text), a status or a verdict."""

    what: str
    claim_id: int | None  # None for the UI's claim until the CLI has found it
    value: str
    by: str


@dataclass
class RoundResult:
    order: str
    acked: list[Ack] = field(default_factory=list)
    lost: list[str] = field(default_factory=list)  # acknowledged writes not in the database
    integrity: list[str] = field(default_factory=list)  # anything else that is wrong
    refused: list[str] = field(default_factory=list)  # CLI commands that exited non-zero
    deleted: list[str] = field(default_factory=list)  # files deleted from under the UI
    seconds: float = 0.0

    @property
    def problems(self) -> list[str]:
        return self.lost + self.integrity + self.refused + self.deleted


class Ledger:
    """What the processes acknowledged and what went wrong, shared by the threads."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.acks: list[Ack] = []
        self.refused: list[str] = []
        self.problems: list[str] = []

    def ack(self, what: str, claim_id: int | None, value: str, by: str) -> None:
        with self.lock:
            self.acks.append(Ack(what, claim_id, value, by))

    def claims(self) -> list[Ack]:
        with self.lock:
            return [a for a in self.acks if a.what == "claim" and a.claim_id is not None]

    def refuse(self, text: str) -> None:
        with self.lock:
            self.refused.append(text)

    def problem(self, text: str) -> None:
        with self.lock:
            self.problems.append(text)


class Cli:
    """Runs the real `workbench` program on one database."""

    def __init__(self, db: Path, folder: Path) -> None:
        self.db = db
        self.env = {key: value for key, value in os.environ.items() if key != "WORKBENCH_DB"}
        self.env.update(
            {
                "PYTHONPATH": str(ROOT),
                "WORKBENCH_CONFIG": str(folder / "config.toml"),
                "XDG_DATA_HOME": str(folder / "data"),
                "XDG_CONFIG_HOME": str(folder / "config"),
            }
        )

    def command(self, reviewer: str, *args: str) -> list[str]:
        return [sys.executable, "-m", "workbench.cli", "--db", str(self.db)] + [
            "--reviewer",
            reviewer,
            *args,
        ]

    def run(self, reviewer: str, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            self.command(reviewer, *args),
            capture_output=True,
            text=True,
            env=self.env,
            cwd=ROOT,
            timeout=180,
        )

    def json(self, ledger: Ledger, reviewer: str, *args: str) -> Any:
        """The command's JSON output; None (and a refusal noted) when it failed."""
        done = self.run(reviewer, *args, "--json")
        if done.returncode != 0:
            ledger.refuse(f"{reviewer}: {shlex.join(args)}: exit {done.returncode}: {done.stderr}")
            return None
        return json.loads(done.stdout)


class TerminalUi:
    """`workbench tui` (or `demo`) in a tmux session, with its open files watched."""

    def __init__(self, cli: Cli, folder: Path, subcommand: str) -> None:
        self.cli = cli
        self.session = "wb-mp-" + uuid.uuid4().hex[:8]
        self.rc_file = folder / "ui.rc"
        self.subcommand = subcommand
        self.pid: int | None = None
        self.deleted: set[str] = set()
        self._watching = True
        self._watcher = threading.Thread(target=self._watch, daemon=True)

    def start(self) -> None:
        exports = " ".join(
            f"{k}={shlex.quote(v)}"
            for k, v in self.cli.env.items()
            if k in ("PYTHONPATH", "WORKBENCH_CONFIG", "XDG_DATA_HOME", "XDG_CONFIG_HOME")
        )
        program = shlex.join(self.cli.command("ui", self.subcommand))
        command = (
            f"cd {shlex.quote(str(ROOT))} && env -u COLUMNS -u LINES TERM=xterm-256color "
            f"{exports} {program}; echo $? > {shlex.quote(str(self.rc_file))}; sleep 30"
        )
        tmux("new-session", "-d", "-s", self.session, "-x", "150", "-y", "40", command)
        self._watcher.start()

    def _find_pid(self) -> int | None:
        shell = tmux("display", "-p", "-t", self.session, "#{pane_pid}").strip()
        if not shell.isdigit():
            return None
        try:
            children = Path(f"/proc/{shell}/task/{shell}/children").read_text().split()
        except OSError:
            return None
        return int(children[0]) if children else None

    def _watch(self) -> None:
        """Notes every database file the UI holds open after it was deleted."""
        prefix = str(self.cli.db)
        while self._watching:
            if self.pid is None:
                self.pid = self._find_pid()
            if self.pid is not None:
                try:
                    for fd in os.listdir(f"/proc/{self.pid}/fd"):
                        target = os.readlink(f"/proc/{self.pid}/fd/{fd}")
                        if target.startswith(prefix) and target.endswith("(deleted)"):
                            self.deleted.add(target)
                except OSError:
                    pass  # the UI has ended, or a descriptor closed while it was read
            time.sleep(0.05)

    def keys(self, *keys: str, pause: float = 0.3) -> None:
        """Keys one at a time, with a pause as a person makes between them."""
        for key in keys:
            tmux("send-keys", "-t", self.session, key)
            time.sleep(pause)

    def type(self, text: str) -> None:
        tmux("send-keys", "-t", self.session, "-l", text)
        time.sleep(0.3)

    def wait_for(self, text: str, timeout: float = 30.0) -> str:
        return wait_for(self.session, text, timeout)

    def total_claims(self) -> int | None:
        found = COUNTS.search(screen(self.session))
        return sum(int(n.replace(",", "")) for n in found.groups()) if found else None

    def quit(self, timeout: float = 30.0) -> int | None:
        """Presses q; the UI's exit status, None when it did not end in time."""
        self.keys("q")
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.rc_file.exists() and self.rc_file.read_text().strip():
                return int(self.rc_file.read_text())
            time.sleep(0.1)
        return None

    def close(self) -> None:
        self._watching = False
        if self._watcher.is_alive():
            self._watcher.join(timeout=5)
        tmux("kill-session", "-t", self.session)


# ------------------------------------------------------------------ the processes


def writer(cli: Cli, ledger: Ledger, name: str, writes: int, token: str) -> None:
    """Adds claims; sets the status of some and records a verdict on others (its own claims
    only, so no write here conflicts with another's)."""
    for i in range(writes):
        text = f"Writer {name} claim {i} {token}: the bridge is {100 + i} m long."
        added = cli.json(ledger, name, "claim", "add", text)
        if added is None:
            continue
        ledger.ack("claim", int(added["id"]), text, name)
        if i % 3 == 1:
            if cli.json(ledger, name, "status", str(added["id"]), "in-progress") is not None:
                ledger.ack("status", int(added["id"]), "in-progress", name)
        elif i % 3 == 2:
            args = ("verdict", str(added["id"]), "false", "--rationale", "It is 90 m")
            if cli.json(ledger, name, *args) is not None:
                ledger.ack("verdict", int(added["id"]), "false", name)


def reader(cli: Cli, ledger: Ledger, name: str, reads: int) -> None:
    """Lists every claim (each claim acknowledged before the read began must be there) and
    runs `workbench check`, while the others write."""
    for i in range(reads):
        before = ledger.claims()
        if i % 2 == 1:
            done = cli.run(name, "check")
            if done.returncode != 0:
                ledger.problem(f"{name}: check while others wrote: {done.stderr.strip()}")
            continue
        listed = cli.json(ledger, name, "claims", "--sort", "id", "--limit", "1000000")
        if listed is None:
            continue
        seen = {(c["id"], c["text"]) for c in listed}
        missing = [a for a in before if (a.claim_id, a.value) not in seen]
        for ack in missing:
            ledger.problem(f"{name} did not see claim {ack.claim_id} acknowledged to {ack.by}")


def build_old_schema(db: Path, ledger: Ledger) -> None:
    """A database at revision 0004 with a claim and its audit event (written at the first
    revision, chained by 0003 as an older database's events are)."""
    from workbench.storage.store import Store, database_url

    old = Store(database_url(db), migrate=False)
    old.upgrade("0001")
    old.dispose()
    text = "An old claim: the canal was dug in 1820."
    conn = sqlite3.connect(db)
    with conn:
        now = "2026-01-02 03:04:05.000000"
        conn.execute(
            "INSERT INTO claims (id, text, status, created_at, updated_at, version) "
            "VALUES (1, ?, 'new', ?, ?, 1)",
            (text, now, now),
        )
        conn.execute(
            "INSERT INTO events (at, reviewer, action, entity, entity_id, claim_id) "
            "VALUES (?, 'old', 'claim.add', 'claim', 1, 1)",
            (now,),
        )
    conn.close()
    old = Store(database_url(db), migrate=False)
    old.upgrade(OLD_REVISION)
    assert old.current_revision() == OLD_REVISION
    old.dispose()
    ledger.ack("claim", 1, text, "setup")


def drive_ui(ui: TerminalUi, cli: Cli, ledger: Ledger, token: str) -> None:
    """The UI's part: refresh until it shows what the CLI wrote, add a claim, find it with
    the search box and change its status; the CLI must see both while the UI is open."""
    ui.wait_for(READY, timeout=90)
    deadline = time.monotonic() + 90
    while not ledger.claims() and time.monotonic() < deadline:
        time.sleep(0.2)  # a CLI claim to look for
    wanted = len(ledger.claims())
    shown = None
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        ui.keys("r", pause=1.0)
        shown = ui.total_claims()
        if shown is not None and shown >= wanted:
            break
    else:
        ledger.problem(f"after r the UI shows {shown} claims; {wanted} were acknowledged")
    text = f"UI claim {token}: the dam is 80 m high."
    ui.keys("n")
    ui.wait_for("Add a claim")
    ui.type(text)
    ui.wait_for(text[:40])
    ui.keys("C-s")
    ui.wait_for("Claim added")
    ledger.ack("claim", None, text, "ui")
    found = cli.json(ledger, "probe", "claims", "--search", f"{token} dam")
    matches = [c["id"] for c in found or [] if c["text"] == text]
    if len(matches) != 1:
        ledger.problem(f"while the UI is open the CLI finds its claim {len(matches)} times")
        return
    claim_id = matches[0]
    ui.keys("/")
    ui.type(f"{token} dam")
    ui.keys("Enter")
    ui.wait_for("claim 1 of 1")
    ui.keys("s")
    ui.wait_for(f"Claim {claim_id}:")
    ui.keys("Down", "Enter")
    ui.wait_for(f"Claim {claim_id} is now in-progress")
    ledger.ack("status", claim_id, "in-progress", "ui")
    shown_claim = cli.json(ledger, "probe", "claim", "show", str(claim_id))
    status = (shown_claim or {}).get("status")
    if status != "in-progress":
        ledger.problem(f"while the UI is open the CLI sees claim {claim_id} as {status}")


# ------------------------------------------------------------------ checking


def verify(db: Path, cli: Cli, result: RoundResult) -> None:
    """Once every process has ended: the file is intact and holds every acknowledged write,
    each claim with its audit event, the audit chain verifies, no id was given twice."""
    conn = sqlite3.connect(db)
    try:
        pages = [row[0] for row in conn.execute("PRAGMA integrity_check")]
        if pages != ["ok"]:
            result.integrity.append(f"integrity_check: {'; '.join(pages[:3])}")
            return
        claims = {
            row[0]: row[1:] for row in conn.execute("SELECT id, text, status, rating FROM claims")
        }
        added = {
            row[0]
            for row in conn.execute(
                "SELECT entity_id FROM events WHERE action IN ('claim.add', 'claim.import')"
            )
        }
    except sqlite3.DatabaseError as exc:
        result.integrity.append(f"the database cannot be read: {exc}")
        return
    finally:
        conn.close()
    by_text: dict[str, list[int]] = {}
    for claim_id, (text, _status, _rating) in claims.items():
        by_text.setdefault(text, []).append(claim_id)
    given: dict[int, Ack] = {}
    for ack in result.acked:
        if ack.what == "claim":
            ids = by_text.get(ack.value, [])
            if ack.claim_id is not None and ack.claim_id not in ids:
                now = claims.get(ack.claim_id, ("(no such claim)",))[0]
                result.lost.append(f"claim {ack.claim_id} of {ack.by}: {ack.value!r}, now {now!r}")
            elif len(ids) != 1:
                result.lost.append(f"claim {ack.value!r} of {ack.by} is there {len(ids)} times")
            for claim_id in ids[:1]:
                if claim_id in given:
                    result.integrity.append(f"id {claim_id} given to {given[claim_id]} and {ack}")
                given[claim_id] = ack
                if claim_id not in added:
                    result.lost.append(f"claim {claim_id} of {ack.by} has no audit event")
        elif ack.claim_id is not None:
            row = claims.get(ack.claim_id)
            column = 1 if ack.what == "status" else 2
            if row is None or row[column] != ack.value:
                result.lost.append(f"{ack.what} {ack.value} of claim {ack.claim_id} by {ack.by}")
    checked = cli.run("checker", "check")
    if checked.returncode != 0:
        result.integrity.append(f"workbench check: exit {checked.returncode}: {checked.stderr}")


def run_round(
    order: str,
    folder: Path,
    *,
    writers: int = 4,
    readers: int = 2,
    writes: int = 3,
    reads: int = 3,
    progress: Callable[[str], None] | None = None,
) -> RoundResult:
    """One round in `folder` (fresh, empty): see the module doc."""
    started = time.monotonic()
    folder.mkdir(parents=True, exist_ok=True)
    db = folder / "shared.db"
    cli = Cli(db, folder)
    ledger = Ledger()
    token = "r" + uuid.uuid4().hex[:10]
    result = RoundResult(order)
    ui = TerminalUi(cli, folder, "demo" if order == "demo" else "tui")
    threads = [
        threading.Thread(target=writer, args=(cli, ledger, f"writer{n}", writes, token))
        for n in range(writers)
    ]
    threads += [
        threading.Thread(target=reader, args=(cli, ledger, f"reader{n}", reads))
        for n in range(readers)
    ]
    try:
        if order == "existing":
            if cli.json(ledger, "setup", "init") is None:
                raise AssertionError(f"workbench init failed: {ledger.refused}")
        elif order == "old-schema":
            build_old_schema(db, ledger)
        elif order == "cli-creates":
            writer(cli, ledger, "creator", 1, token)
        ui.start()
        if order in ("ui-creates", "demo"):
            ui.wait_for(READY, timeout=90)  # the UI made the file before anyone else came
        for thread in threads:
            thread.start()
        drive_ui(ui, cli, ledger, token)
        for thread in threads:
            thread.join(timeout=600)
        code = ui.quit()
        if code != 0:
            result.integrity.append(f"the UI exited with {code}:\n{screen(ui.session)}")
    finally:
        for thread in threads:
            if thread.is_alive():
                thread.join(timeout=600)
        ui.close()
    result.acked = list(ledger.acks)
    result.refused = list(ledger.refused)
    result.integrity.extend(ledger.problems)
    result.deleted = sorted(ui.deleted)
    if progress:
        progress(f"{order}: {len(result.acked)} acknowledged writes; checking")
    verify(db, cli, result)
    result.seconds = time.monotonic() - started
    return result
