"""The CLI's reads on SQLite go through stdlib sqlite3 (Desk.look) and must answer exactly as
the ORM reads do: the same rows, order, filters, JSON and visibility (blind review)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from workbench.claims import lookup as claim_lookup
from workbench.claims.reading import claim_history, show_claim
from workbench.claims.service import add_claim
from workbench.core.results import ClaimAt, ClaimFilter
from workbench.demo import build_demo
from workbench.desk import Desk, open_desk
from workbench.listing import lookup as list_lookup
from workbench.listing.queries import visible_claims
from workbench.storage.quickread import Reading, sqlite_reading
from workbench.storage.sqlitefile import HEAD_REVISION, plain_sqlite_file
from workbench.storage.store import Store, _sqlite_path, database_url, migrations_dir
from workbench.team.workflow import assign
from workbench.verdicts.service import record_verdict

ROOT = Path(__file__).resolve().parents[1]
VIEWERS = ("ana", "bob", "cat", "nobody")


@pytest.fixture
def sqlite_store(tmp_path: Path) -> Iterator[Store]:
    store = Store(database_url(tmp_path / "quick.db"))
    build_demo(store)
    with store.write() as session:
        blind = add_claim(session, "ana", "The harbour of Qwertyville handled 9 million tonnes").id
        add_claim(session, "ana", "A claim nobody scored")  # score NULL: listed last
        assign(session, "ana", ClaimAt(blind), "bob", blind=True)
        record_verdict(session, "cat", ClaimAt(blind), "false", "port statistics")
    yield store
    store.dispose()


def _both(store: Store, orm_case: Any, quick_case: Any, viewer: str, *args: Any, **kw: Any) -> Any:
    with store.read() as session:
        by_orm = orm_case(session, viewer, *args, **kw)
    path = store.sqlite_path
    assert path is not None
    with sqlite_reading(path) as reading:
        quick = quick_case(reading, viewer, *args, **kw)
    return by_orm, quick


def _json(value: Any) -> Any:
    return [v.to_json() for v in value] if isinstance(value, list) else value.to_json()


FILTERS = [
    ClaimFilter(),
    ClaimFilter(descending=False),
    ClaimFilter(sort="updated"),
    ClaimFilter(sort="id", descending=False),
    ClaimFilter(sort="status"),
    ClaimFilter(status="new"),
    ClaimFilter(rating="false"),
    ClaimFilter(search="qwertyville"),
    ClaimFilter(search="the"),
    ClaimFilter(reviewer="cat"),
    ClaimFilter(assignee="bob"),
    ClaimFilter(article_id=1),
    ClaimFilter(since=datetime.now(UTC) - timedelta(days=1)),
    ClaimFilter(until=datetime.now(UTC) - timedelta(days=1)),
    ClaimFilter(since=datetime(2000, 1, 1), until=datetime.now(UTC) + timedelta(hours=1)),
]


def test_lists_agree(sqlite_store: Store) -> None:
    for f in FILTERS:
        for limit, offset in [(100, 0), (3, 2), (None, 0), (None, 4), (0, 0)]:
            for viewer in VIEWERS:
                by_orm, quick = _both(
                    sqlite_store,
                    visible_claims,
                    list_lookup.visible_claims,
                    viewer,
                    f,
                    limit=limit,
                    offset=offset,
                )
                assert _json(quick) == _json(by_orm), (f, limit, offset, viewer)
    # The database has what the filters can tell apart.
    with sqlite_store.read() as session:
        assert len(visible_claims(session, "ana", limit=None)) > 5


def test_claims_and_histories_agree(sqlite_store: Store) -> None:
    with sqlite_store.read() as session:
        ids = [r.id for r in visible_claims(session, "ana", limit=None)]
    shown_hidden = 0
    for claim_id in ids:
        for viewer in VIEWERS:
            by_orm, quick = _both(
                sqlite_store, show_claim, claim_lookup.show_claim, viewer, claim_id
            )
            assert _json(quick) == _json(by_orm)
            shown_hidden += quick.ratings_hidden
            by_orm, quick = _both(
                sqlite_store, claim_history, claim_lookup.claim_history, viewer, claim_id
            )
            assert _json(quick) == _json(by_orm)
    # The blind claim, for everyone but cat, its one rater so far.
    assert shown_hidden == len(VIEWERS) - 1


def test_blind_review_hidden_on_both_paths(sqlite_store: Store) -> None:
    with sqlite_store.read() as session:
        (row,) = visible_claims(session, "ana", ClaimFilter(search="qwertyville"))
    by_orm, quick = _both(sqlite_store, show_claim, claim_lookup.show_claim, "bob", row.id)
    for detail in (by_orm, quick):
        assert detail.ratings_hidden and detail.claim.rating is None
        assert detail.verdicts == []
        assert all("rating" not in (e.after or {}) for e in detail.history)
    seen = {}
    for viewer in ("bob", "cat"):
        by_orm, quick = _both(
            sqlite_store,
            visible_claims,
            list_lookup.visible_claims,
            viewer,
            ClaimFilter(search="qwertyville"),
        )
        seen[viewer] = (by_orm[0].rating, quick[0].rating)
    assert seen == {"bob": (None, None), "cat": ("false", "false")}
    events = _both(sqlite_store, claim_history, claim_lookup.claim_history, "bob", row.id)
    assert all("rating" not in (e.after or {}) for path in events for e in path)


def test_missing_claim_and_bad_sort_say_so_on_both_paths(sqlite_store: Store) -> None:
    from workbench.errors import NotFoundError, ValidationError

    path = sqlite_store.sqlite_path
    assert path is not None
    for orm_case, quick_case in (
        (show_claim, claim_lookup.show_claim),
        (claim_history, claim_lookup.claim_history),
    ):
        with pytest.raises(NotFoundError) as by_orm, sqlite_store.read() as session:
            orm_case(session, "ana", 99999)
        with pytest.raises(NotFoundError) as quick, sqlite_reading(path) as reading:
            quick_case(reading, "ana", 99999)
        assert str(quick.value) == str(by_orm.value)
    with pytest.raises(ValidationError), sqlite_reading(path) as reading:
        list_lookup.visible_claims(reading, "ana", ClaimFilter(sort="colour"))


def test_desk_look_on_other_urls_takes_the_orm(sqlite_store: Store) -> None:
    """A URL that is not a plain file path (options in it) takes the session path."""
    url = sqlite_store.url + "?timeout=5"
    assert plain_sqlite_file(url) is None
    desk = open_desk(url, "ana")
    try:
        seen: list[Any] = []
        desk.look(lambda reading, viewer: seen.append(reading))
        assert isinstance(seen[0], Reading) and seen[0].conn is None
        assert seen[0].session is not None
    finally:
        desk.dispose()


def test_desk_at_head_opens_no_store_until_written(sqlite_store: Store) -> None:
    desk = open_desk(sqlite_store.url, "ana")
    assert isinstance(desk, Desk) and not desk.store_opened
    rows = desk.look(list_lookup.visible_claims, ClaimFilter(), limit=5)
    assert len(rows) == 5 and not desk.store_opened
    assert desk.where == str(sqlite_store.sqlite_path)
    desk.write(add_claim, "Written through the desk")
    assert desk.store_opened
    desk.dispose()


@pytest.mark.parametrize(
    "url",
    ["sqlite:///relative.db", "sqlite:////abs/path/x.db", "sqlite+pysqlite:////abs/y.db"],
)
def test_plain_sqlite_file_agrees_with_sqlalchemy(url: str) -> None:
    assert plain_sqlite_file(url) == _sqlite_path(url)


def test_head_revision_is_alembics_head() -> None:
    """Written once in the package so an open needs no Alembic: a new migration must update
    it, or every database would be migrated (or refused) on open."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(migrations_dir()))
    assert ScriptDirectory.from_config(config).get_heads() == [HEAD_REVISION]


HEAVY = ("sqlalchemy", "alembic", "trafilatura", "httpx", "textual", "numpy", "lxml")


@pytest.mark.parametrize(
    "command",
    [
        ["claims", "--limit", "5", "--json"],
        ["claim", "show", "1", "--json"],
        ["history", "1", "--json"],
    ],
)
def test_read_commands_import_nothing_heavy(sqlite_store: Store, command: list[str]) -> None:
    code = (
        "import sys; sys.argv = ['workbench', *sys.argv[1:]]\n"
        "from workbench.cli import main\n"
        "status = main()\n"
        "heavy = sorted({m.split('.')[0] for m in sys.modules} & set(" + repr(HEAVY) + "))\n"
        "print('HEAVY', heavy, file=sys.stderr); raise SystemExit(status)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, "--db", str(sqlite_store.sqlite_path), *command],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert "HEAVY []" in done.stderr
    assert done.stdout.strip().startswith(("[", "{"))
