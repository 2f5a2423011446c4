"""Store.dispose() while a unit of work is still in flight (a UI closing while a worker
thread writes): the connections are closed when that unit ends, not left open."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from workbench.claims.service import add_claim
from workbench.desk import database_url
from workbench.listing.queries import list_claims
from workbench.storage.store import Store


def test_dispose_waits_for_the_unit_in_flight_then_closes(tmp_path: Path) -> None:
    store = Store(database_url(tmp_path / "w.db"))
    inside, release = threading.Event(), threading.Event()

    def worker() -> None:
        with store.write() as session:
            add_claim(session, "ana", "The bridge cost 12 million euros.")
            inside.set()
            release.wait(10)

    thread = threading.Thread(target=worker)
    thread.start()
    assert inside.wait(10)
    store.dispose()  # asked while the write is open
    assert store.engine.pool.checkedout() == 1
    release.set()
    thread.join(10)
    assert store.engine.pool.checkedout() == 0
    assert store.engine.pool.checkedin() == 0  # closed, not kept in the pool
    with Store(database_url(tmp_path / "w.db")).read() as session:  # the write was kept
        assert [c.text for c in list_claims(session, limit=5)] == [
            "The bridge cost 12 million euros."
        ]


def test_a_unit_after_dispose_closes_its_connection_too(tmp_path: Path) -> None:
    store = Store(database_url(tmp_path / "w.db"))
    store.dispose()
    with store.write() as session:  # a late worker: still written, then closed
        add_claim(session, "ana", "Rents rose 8% last year.")
    assert store.engine.pool.checkedin() == 0


def test_a_store_a_desk_opens_after_dispose_closes_after_each_use(tmp_path: Path) -> None:
    from workbench.desk import open_desk

    Store(database_url(tmp_path / "w.db")).dispose()  # at head: the desk opens it lazily
    desk = open_desk(database_url(tmp_path / "w.db"), "ana", None)
    assert not desk.store_opened
    desk.dispose()  # the UI closed before a late worker first needed a session
    desk.write(add_claim, "The dam is 80 m high.")
    assert desk.store.engine.pool.checkedin() == 0


def test_threads_first_asking_a_desk_for_its_store_share_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The TUI's first workers ask at once: one Store is opened, so no second engine is left
    holding a pooled connection (restore would find the file in use until it is collected)."""
    import workbench.storage.store as store_module
    from workbench.desk import open_desk

    Store(database_url(tmp_path / "w.db")).dispose()  # at head: the desk opens it lazily
    desk = open_desk(database_url(tmp_path / "w.db"), "ana", None)
    opened: list[Store] = []

    class SlowStore(Store):
        def __init__(self, url: str) -> None:
            time.sleep(0.05)  # long enough for every thread to find no store yet
            super().__init__(url)
            opened.append(self)

    monkeypatch.setattr(store_module, "Store", SlowStore)
    start = threading.Barrier(6)
    got: list[Store] = []

    def first_use() -> None:
        start.wait(10)
        got.append(desk.store)

    threads = [threading.Thread(target=first_use) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert len(opened) == 1
    assert len(got) == 6 and all(store is opened[0] for store in got)
    desk.dispose()
