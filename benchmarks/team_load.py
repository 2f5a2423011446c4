"""Team load: several reviewer processes working on one database at once.

    python benchmarks/team_load.py [--ops 500] [--pg-procs 8] [--sqlite-procs 4]

Each process does mixed operations (search; add a citation source; a verdict on a shared
claim or on one of its own), writing with the version it last read, as a person at a screen
would. Afterwards the script checks, from the database: every acknowledged write is there,
nothing was written that was not acknowledged (so every refused write was reported to its
process as a conflict), every claim's version equals its number of audited changes (no lost
update), the audit hash chain is intact, and no process hit an unexpected error. It prints
operations per second and latencies per backend. It asserts nothing.

PostgreSQL: WORKBENCH_BENCH_PG_URL (a database; the run uses a fresh schema in it), or a
throwaway server this script starts (skipped, with a message, when PostgreSQL is missing).
The URL's user sets up the schema as its owner; each process then connects as its own login
role in workbench_reviewer (made with `workbench users add`'s service, dropped afterwards),
so the run goes through the team server's grants, signature triggers and policies.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SHARED_CLAIMS = 5
OWN_CLAIMS = 5
WORDS = ("budget", "housing", "number", "claim", "euros")


@dataclass
class WorkerResult:
    name: str
    started: float = 0.0
    finished: float = 0.0
    latencies: dict[str, list[float]] = field(default_factory=dict)
    verdicts: list[tuple[int, str]] = field(default_factory=list)  # acknowledged
    citations: list[tuple[int, str]] = field(default_factory=list)  # acknowledged
    conflicts: int = 0
    errors: list[str] = field(default_factory=list)


def worker(
    url: str,
    index: int,
    ops: int,
    shared: list[int],
    own: list[int],
    barrier: Any,
    out: Any,
) -> None:
    from workbench.claims.reading import get_claim
    from workbench.core.results import ClaimAt, ClaimFilter
    from workbench.errors import ConflictError
    from workbench.identity import reviewer_for
    from workbench.listing.queries import list_claims
    from workbench.sources.evidence import Attachment, cite_source
    from workbench.storage.store import Store
    from workbench.verdicts.service import record_verdict

    store = Store(url)
    # On PostgreSQL each process is its own login role, and the login is its name.
    name = reviewer_for(store, None if url.startswith("postgresql") else f"reviewer{index}")
    result = WorkerResult(name)
    rng = random.Random(index)
    seen: dict[int, int] = {}  # claim id -> the version this reviewer last read

    def read(claim_id: int) -> None:
        with store.read() as session:
            seen[claim_id] = get_claim(session, claim_id).claim.version

    for claim_id in shared + own:
        read(claim_id)
    barrier.wait()
    result.started = time.perf_counter()
    for n in range(ops):
        roll = rng.random()
        claim_id = rng.choice(shared) if rng.random() < 0.5 else rng.choice(own)
        began = time.perf_counter()
        kind = "search"
        try:
            if roll < 0.3:
                with store.read() as session:
                    rows = list_claims(session, ClaimFilter(search=rng.choice(WORDS)), limit=20)
                for row in rows:
                    seen[row.id] = row.version
            elif roll < 0.6:
                kind = "cite"
                marker = f"{name} citation {n}"
                with store.write() as session:
                    cite_source(
                        session, name, claim_id, marker, Attachment(expected_version=seen[claim_id])
                    )
                result.citations.append((claim_id, marker))
                seen[claim_id] += 1  # one change, one version
            else:
                kind = "verdict"
                marker = f"{name} verdict {n}"
                rating = rng.choice(("true", "mostly-true", "mixed", "false"))
                with store.write() as session:
                    record_verdict(session, name, ClaimAt(claim_id, seen[claim_id]), rating, marker)
                result.verdicts.append((claim_id, marker))
                seen[claim_id] += 1
        except ConflictError:
            result.conflicts += 1
            kind += "-conflict"
            read(claim_id)  # as the person would: look again, then decide
        except Exception as exc:  # the benchmark reports these; it must not stop
            result.errors.append(f"{type(exc).__name__}: {exc}")
            kind += "-error"
        result.latencies.setdefault(kind, []).append(time.perf_counter() - began)
    result.finished = time.perf_counter()
    store.dispose()
    out.put(result)


def setup(url: str, procs: int) -> tuple[list[int], list[list[int]]]:
    from workbench.claims.service import add_claim
    from workbench.storage.store import Store

    store = Store(url)
    with store.write() as session:
        shared = [
            add_claim(session, "editor", f"Shared claim number {k}: the budget was cut").id
            for k in range(SHARED_CLAIMS)
        ]
        own = [
            [
                add_claim(
                    session, "editor", f"Claim {k} of reviewer {p}: housing cost two euros"
                ).id
                for k in range(OWN_CLAIMS)
            ]
            for p in range(procs)
        ]
    store.dispose()
    return shared, own


def verify(url: str, results: list[WorkerResult]) -> list[str]:
    """What the database says about the run; an empty list means all is well."""
    from sqlalchemy import func, select

    from workbench.storage import audit
    from workbench.storage.models import Claim, Event, Evidence, Source, Verdict
    from workbench.storage.store import Store

    findings: list[str] = []
    store = Store(url)
    with store.read() as session:
        verdicts = {
            (int(c), str(r))
            for c, r in session.execute(select(Verdict.claim_id, Verdict.rationale))
        }
        citations = {
            (int(c), str(t))
            for c, t in session.execute(
                select(Evidence.claim_id, Source.citation).join(
                    Source, Source.id == Evidence.source_id
                )
            )
        }
        # Each verdict is signed by the process (on PostgreSQL: the login) that wrote it.
        unsigned = [
            (rationale, reviewer)
            for rationale, reviewer in session.execute(select(Verdict.rationale, Verdict.reviewer))
            if rationale.split(" verdict ")[0] != reviewer
        ]
        if unsigned:
            findings.append(f"{len(unsigned)} verdict(s) signed by another name: {unsigned[:2]}")
        acked_verdicts = {v for r in results for v in r.verdicts}
        acked_citations = {c for r in results for c in r.citations}
        lost = (acked_verdicts - verdicts) | (acked_citations - citations)
        if lost:
            findings.append(f"{len(lost)} acknowledged write(s) missing, e.g. {sorted(lost)[:3]}")
        unacked = (verdicts - acked_verdicts) | (citations - acked_citations)
        if unacked:
            findings.append(f"{len(unacked)} write(s) stored but reported as failed")
        changes = {
            c: int(n)
            for c, n in session.execute(
                select(Event.claim_id, func.count())
                .where(Event.action != "claim.add")
                .group_by(Event.claim_id)
            )
        }
        for claim_id, version in session.execute(select(Claim.id, Claim.version)):
            if version != 1 + changes.get(claim_id, 0):
                findings.append(
                    f"claim {claim_id}: version {version} but {changes.get(claim_id, 0)} changes"
                )
        report = audit.check(session)
        if not report.ok:
            findings.append(f"audit check: {report.problems[0]}")
    store.dispose()
    errors = [e for r in results for e in r.errors]
    if errors:
        findings.append(f"{len(errors)} unexpected error(s), first: {errors[0]}")
    return findings


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def add_logins(url: str, procs: int) -> list[str]:
    """One login role per process (`workbench users add`'s service, run by the owner)."""
    from workbench.storage.store import Store
    from workbench.team import people

    prefix = "bench" + uuid.uuid4().hex[:6] + "_r"
    store = Store(url)
    with store.write() as session:
        names = [
            people.add_person(session, "bench-owner", f"{prefix}{i}", "reviewer").name
            for i in range(procs)
        ]
    store.dispose()
    return names


def drop_logins(url: str, names: list[str]) -> None:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.begin() as conn:
        for name in names:
            conn.execute(text(f'DROP ROLE IF EXISTS "{name}"'))
    engine.dispose()


def login_url(url: str, name: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).set(username=name).render_as_string(hide_password=False)


def run_backend(label: str, url: str, procs: int, ops: int) -> None:
    shared, own = setup(url, procs)
    logins = add_logins(url, procs) if url.startswith("postgresql") else []
    urls = [login_url(url, n) for n in logins] or [url] * procs
    ctx = mp.get_context("spawn")
    barrier = ctx.Barrier(procs)
    out = ctx.Queue()
    workers = [
        ctx.Process(target=worker, args=(urls[i], i, ops, shared, own[i], barrier, out))
        for i in range(procs)
    ]
    for p in workers:
        p.start()
    results: list[WorkerResult] = []
    deadline = time.monotonic() + 900
    while len(results) < procs and time.monotonic() < deadline:
        try:
            results.append(out.get(timeout=5))
        except Exception:
            if not any(p.is_alive() for p in workers) and out.empty():
                break
    for p in workers:
        p.join(10)
        if p.is_alive():
            p.terminate()
    crashed = procs - len(results)
    wall = max(r.finished for r in results) - min(r.started for r in results) if results else 0
    all_ops = [x for r in results for v in r.latencies.values() for x in v]
    writes = [
        x
        for r in results
        for k, v in r.latencies.items()
        if k.startswith(("cite", "verdict"))
        for x in v
    ]
    searches = [x for r in results for x in r.latencies.get("search", [])]
    acked = sum(len(r.verdicts) + len(r.citations) for r in results)
    conflicts = sum(r.conflicts for r in results)
    print(f"\n== {label}: {procs} processes x {ops} operations")
    print(f"   wall time           {wall:8.2f} s")
    print(f"   operations/second   {len(all_ops) / wall if wall else 0:8.1f}")
    print(
        f"   latency p50 / p95   {percentile(all_ops, 0.5) * 1000:8.1f} / "
        f"{percentile(all_ops, 0.95) * 1000:.1f} ms (all operations)"
    )
    print(
        f"   writes  p50 / p95   {percentile(writes, 0.5) * 1000:8.1f} / "
        f"{percentile(writes, 0.95) * 1000:.1f} ms ({len(writes)} writes)"
    )
    print(
        f"   search  p50 / p95   {percentile(searches, 0.5) * 1000:8.1f} / "
        f"{percentile(searches, 0.95) * 1000:.1f} ms ({len(searches)} searches)"
    )
    print(f"   acknowledged writes {acked:8d}")
    print(f"   conflicts reported  {conflicts:8d}")
    if crashed:
        print(f"   PROCESSES LOST      {crashed:8d} (died without a result)")
    if logins:
        names = sorted({r.name for r in results})
        print(
            f"   login roles         {len(names):8d} ({names[0]} ... {names[-1]}, not superusers)"
        )
    findings = verify(url, results)
    drop_logins(url, logins)
    if findings:
        for finding in findings:
            print(f"   PROBLEM: {finding}")
    else:
        print(
            "   verified: every acknowledged write is stored, nothing unacknowledged is, "
            "each verdict is signed by its writer, versions match the audited changes, "
            "the hash chain is intact, no unexpected error"
        )


# ---------------------------------------------------------------- PostgreSQL


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _pg_bindir() -> Path | None:
    candidates = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: p.parent.name)
    for path in reversed(candidates):
        if (path / "pg_ctl").exists():
            return path
    found = shutil.which("pg_ctl")
    return Path(found).parent if found else None


@contextmanager
def own_postgres() -> Iterator[str | None]:
    """A throwaway server on 127.0.0.1 in a temporary directory (run as 'postgres' when root,
    since PostgreSQL refuses to run as root)."""
    bindir = _pg_bindir()
    if bindir is None:
        print("PostgreSQL is not installed (no pg_ctl): skipping the PostgreSQL run")
        yield None
        return
    prefix: list[str] = []
    if os.geteuid() == 0:
        prefix = ["runuser", "-u", "postgres", "--"]
    tmp = Path(tempfile.mkdtemp(prefix="workbench-bench-pg."))
    tmp.chmod(0o755)
    if prefix:
        shutil.chown(tmp, "postgres")
    port = _free_port()
    data = tmp / "data"
    started = False
    try:
        subprocess.run(
            [*prefix, str(bindir / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres"],
            check=True,
            capture_output=True,
        )
        subprocess.run(
            [
                *prefix,
                str(bindir / "pg_ctl"),
                "-D",
                str(data),
                "-l",
                str(tmp / "log"),
                "-w",
                "-o",
                f"-h 127.0.0.1 -p {port} -k {tmp} -c max_connections=100",
                "start",
            ],
            check=True,
            capture_output=True,
        )
        started = True
        subprocess.run(
            [*prefix, str(bindir / "createdb"), "-h", "127.0.0.1", "-p", str(port), "-U",
             "postgres", "bench"],
            check=True,
            capture_output=True,
        )  # fmt: skip
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/bench"
    except subprocess.CalledProcessError as exc:
        print(f"could not start PostgreSQL ({exc.stderr.decode(errors='replace').strip()}):")
        print("skipping the PostgreSQL run")
        yield None
    finally:
        if started:
            subprocess.run(
                [*prefix, str(bindir / "pg_ctl"), "-D", str(data), "-m", "fast", "stop"],
                capture_output=True,
            )
        shutil.rmtree(tmp, ignore_errors=True)


@contextmanager
def fresh_schema(base: str) -> Iterator[str]:
    from sqlalchemy import create_engine, text

    schema = "bench_" + uuid.uuid4().hex[:10]
    admin = create_engine(base)
    with admin.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    sep = "&" if "?" in base else "?"
    try:
        yield f"{base}{sep}options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as conn:
            conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--ops", type=int, default=500, help="operations per process")
    parser.add_argument("--pg-procs", type=int, default=8)
    parser.add_argument("--sqlite-procs", type=int, default=4)
    parser.add_argument("--skip-pg", action="store_true")
    args = parser.parse_args()

    if not args.skip_pg:
        given = os.environ.get("WORKBENCH_BENCH_PG_URL")
        if given:
            with fresh_schema(given) as url:
                run_backend("PostgreSQL", url, args.pg_procs, args.ops)
        else:
            with own_postgres() as base:
                if base is not None:
                    with fresh_schema(base) as url:
                        run_backend("PostgreSQL (own server)", url, args.pg_procs, args.ops)

    with tempfile.TemporaryDirectory() as tmp:
        url = "sqlite:///" + str(Path(tmp) / "bench.db")
        run_backend("SQLite", url, args.sqlite_procs, args.ops)


if __name__ == "__main__":
    main()
