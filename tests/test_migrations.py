"""Schema migrations: a database at the first revision, with rows in it, upgrades to head
and keeps every row; the models agree with the migrated schema."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from tests.conftest import PG_URL
from workbench.claims.reading import get_claim
from workbench.core.results import ClaimFilter
from workbench.listing.queries import list_claims
from workbench.storage.models import Base
from workbench.storage.store import Store, head_revision, known_revisions

NOW = "2026-01-02 03:04:05.000000"


def _fill_first_revision(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO articles (id, title, text, created_at) "
                "VALUES (1, 'Old article', 'Body text.', :now)"
            ),
            {"now": NOW},
        )
        for i in range(1, 4):
            conn.execute(
                text(
                    "INSERT INTO claims (id, text, article_id, status, created_at, updated_at,"
                    " version) VALUES (:i, :t, 1, 'new', :now, :now, 1)"
                ),
                {"i": i, "t": f"Claim number {i} about harbour tunnels", "now": NOW},
            )
        conn.execute(
            text(
                "INSERT INTO sources (id, kind, citation, created_at) "
                "VALUES (1, 'citation', 'Annual report', :now)"
            ),
            {"now": NOW},
        )
        conn.execute(
            text(
                "INSERT INTO evidence (id, claim_id, source_id, stance, quote, created_at)"
                " VALUES (1, 2, 1, 'supports', 'page 4', :now)"
            ),
            {"now": NOW},
        )
        conn.execute(
            text(
                "INSERT INTO verdicts (id, claim_id, rating, rationale, reviewer, created_at)"
                " VALUES (1, 2, 'false', 'Wrong year', 'ana', :now)"
            ),
            {"now": NOW},
        )
        conn.execute(
            text(
                "INSERT INTO events (id, at, reviewer, action, entity, entity_id, claim_id)"
                " VALUES (1, :now, 'ana', 'verdict.add', 'verdict', 1, 2)"
            ),
            {"now": NOW},
        )
    engine.dispose()


def test_upgrade_from_first_revision_keeps_every_row(db_url: str) -> None:
    first = Store(db_url, migrate=False)
    first.upgrade("0001")
    assert first.current_revision() == "0001"
    _fill_first_revision(db_url)
    first.dispose()

    store = Store(db_url)  # opening a database below head upgrades it
    assert store.current_revision() == head_revision()
    with store.read() as session:
        rows = list_claims(session, ClaimFilter(sort="id", descending=False))
        assert [r.id for r in rows] == [1, 2, 3]
        assert all(r.article_id == 1 for r in rows)
        detail = get_claim(session, 2)
        # The denormalised columns are backfilled from the old rows.
        assert detail.claim.rating == "false"
        assert detail.claim.source_count == 1
        assert detail.evidence[0].quote == "page 4"
        assert detail.verdict is not None and detail.verdict.rationale == "Wrong year"
        assert [e.action for e in detail.history] == ["verdict.add"]
        # Old rows are in the full-text index built by the migration.
        found = list_claims(session, ClaimFilter(search="tunnels"))
        assert len(found) == 3
    store.dispose()


def test_models_match_migrated_schema(store: Store) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    def include(obj: object, name: str | None, kind: str, reflected: bool, other: object) -> bool:
        # FTS tables and the PostgreSQL tsvector column live outside the models.
        if (
            kind == "table"
            and name
            and (name.startswith("claims_fts") or name == "alembic_version")
        ):
            return False
        if kind == "index" and name == "ix_claims_text_search":
            return False
        return not (kind == "column" and name == "text_search")

    with store.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"include_object": include})
        diff = compare_metadata(context, Base.metadata)
    assert diff == []


def test_init_is_safe_to_repeat(cli: object, store: Store) -> None:
    for _ in range(2):
        result = cli("init", "--json")  # type: ignore[operator]
        assert result.code == 0, result.err
        assert result.json()["revision"] == head_revision()


@pytest.mark.skipif(bool(PG_URL), reason="SQLite file check")
def test_newer_schema_is_refused_and_untouched(tmp_path: Path, cli: object) -> None:
    path = tmp_path / "newer.db"
    Store("sqlite:///" + str(path)).dispose()
    conn = sqlite3.connect(path)
    conn.execute("UPDATE alembic_version SET version_num = '9999_future'")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    result = cli("claims", db=str(path))  # type: ignore[operator]
    assert result.code == 1
    assert "newer than this program" in result.err and "9999_future" in result.err
    assert path.read_bytes() == before
    assert "9999_future" not in known_revisions()


@pytest.mark.skipif(bool(PG_URL), reason="SQLite's full-text index")
def test_prefix_index_upgrade_keeps_every_search_and_stays_in_step(tmp_path: Path) -> None:
    """0007 rebuilds the SQLite index with prefix indexes: a search of one or two letters
    finds what it found before, the index follows later writes, and 0006 comes back."""
    url = "sqlite:///" + str(tmp_path / "old.db")
    old = Store(url, migrate=False)
    old.upgrade("0006")
    _fill_first_revision(url)
    queries = ["h", "ha", "t", "tu", "nu", "c", "x", "h t", "harbour", "n 2"]

    def found(store: Store) -> dict[str, list[int]]:
        with store.read() as session:
            return {
                q: sorted(r.id for r in list_claims(session, ClaimFilter(search=q)))
                for q in queries
            }

    before = found(old)
    assert before["h"] == [1, 2, 3] and before["x"] == [] and before["n 2"] == [2]
    old.dispose()

    store = Store(url)
    assert store.current_revision() == head_revision()
    conn = sqlite3.connect(tmp_path / "old.db")
    (sql,) = conn.execute("SELECT sql FROM sqlite_master WHERE name = 'claims_fts'").fetchone()
    conn.close()
    assert "prefix='1 2'" in sql
    assert found(store) == before
    with store.write() as session:  # the triggers still keep the rebuilt index in step
        session.execute(text("UPDATE claims SET text = 'Xylophone budget' WHERE id = 3"))
    after = found(store)
    assert after["x"] == [3] and after["h"] == [1, 2]
    store.upgrade("0006")
    assert found(store) == after
    store.dispose()
