"""Where page_work.finish_page runs: inline for a few pages, else in worker processes so the
event loop keeps every download moving and each core extracts (GUIDE section 7).

Worker processes come from a fork server: a fresh interpreter that imports the extractor once
and never holds the parent's SQLite connections or threads; each worker is a cheap fork of it.
Plain fork() of this process would copy open database connections and lock state into the
children, and spawn would import trafilatura again in every worker.

A page that kills its worker, or runs past PAGE_SECONDS, fails alone: the pool is replaced, the
other pages that were in it are tried again one at a time, and only a page that breaks a pool
on its own is recorded as failed.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import multiprocessing.connection
import os
import signal
import threading
from collections.abc import AsyncIterator, Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import asynccontextmanager, suppress
from typing import Any

from workbench.sources.page_work import PageDone, PageJob, finish_page

__all__ = ["PAGE_SECONDS", "PagePool", "default_workers"]

PAGE_SECONDS = 120.0  # longest one page may take to decode and extract
QUEUED_PER_WORKER = 2  # pages handed to each worker at once: one running, one waiting
# Imported once in the fork server, so a new worker starts with them loaded.
_PRELOAD = ["workbench.sources.content", "workbench.ingest.html", "trafilatura"]


def default_workers() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not on Linux
        return max(1, os.cpu_count() or 1)


def _worker_started() -> None:
    """Runs first in every worker process."""
    # Ctrl-C goes to the whole process group: the parent decides, and kills the workers.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    logging.getLogger("trafilatura").setLevel(logging.ERROR)
    parent = multiprocessing.parent_process()
    if parent is not None:  # if the parent dies without stopping us, stop: never an orphan
        threading.Thread(target=_exit_with, args=(parent.sentinel,), daemon=True).start()


def _exit_with(sentinel: int) -> None:
    multiprocessing.connection.wait([sentinel])
    os._exit(1)


def _warm() -> None:
    """A no-op job: starting the workers early hides their start-up behind the downloads."""


def _kill(executor: ProcessPoolExecutor) -> None:
    # Python 3.11 has no public way to stop a pool's workers (3.14 adds terminate_workers).
    processes: dict[int, Any] = getattr(executor, "_processes", None) or {}
    for process in list(processes.values()):
        with suppress(Exception):
            process.kill()
    executor.shutdown(wait=False, cancel_futures=True)
    for process in list(processes.values()):
        with suppress(Exception):
            process.join(2)


class _Gate:
    """At most `size` pages in the pool at once; a solo page waits until it is alone."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._slots = asyncio.Semaphore(size)
        self._solo = asyncio.Lock()

    @asynccontextmanager
    async def hold(self, solo: bool) -> AsyncIterator[None]:
        taken = 0
        try:
            if solo:
                async with self._solo:
                    while taken < self._size:
                        await self._slots.acquire()
                        taken += 1
                    yield
            else:
                await self._slots.acquire()
                taken = 1
                yield
        finally:
            for _ in range(taken):
                self._slots.release()


class PagePool:
    """Runs finish_page for each page. `workers=0` runs it inline, in this thread.

    `work` and `page_seconds` are for tests (a page function that crashes or hangs)."""

    def __init__(
        self,
        workers: int,
        *,
        work: Callable[[PageJob], PageDone] = finish_page,
        page_seconds: float = PAGE_SECONDS,
    ) -> None:
        self.workers = workers
        self._work = work
        self._seconds = page_seconds
        self._executor: ProcessPoolExecutor | None = None
        self._starting: asyncio.Future[None] | None = None
        self._gate = _Gate(max(1, workers) * QUEUED_PER_WORKER)

    async def __aenter__(self) -> PagePool:
        return self

    async def __aexit__(self, exc_type: object, *rest: object) -> None:
        await self.close(kill=exc_type is not None)

    def _start(self) -> None:
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(_PRELOAD)
        executor = ProcessPoolExecutor(
            self.workers, mp_context=context, initializer=_worker_started
        )
        # Wait until every worker has started (imports done), so a page's clock only runs
        # while it is being worked on, not while a worker boots.
        try:
            for future in [executor.submit(_warm) for _ in range(self.workers)]:
                future.result()
        except BaseException:
            _kill(executor)
            raise
        self._executor = executor

    async def _ready(self) -> ProcessPoolExecutor:
        # Started at the first page, not before: a run where every fetch fails never pays
        # for workers. In a thread: the first worker waits for the fork server to import
        # the extractor (a second or so), and the downloads must not wait with it.
        if self._starting is None or (self._starting.done() and self._executor is None):
            self._starting = asyncio.ensure_future(asyncio.to_thread(self._start))
        await asyncio.shield(self._starting)
        assert self._executor is not None
        return self._executor

    def _discard(self, executor: ProcessPoolExecutor) -> None:
        if self._executor is executor:
            self._executor = None
            self._starting = None
        _kill(executor)

    async def run(self, job: PageJob) -> PageDone:
        if not self.workers:
            return self._work(job)
        solo = False
        while True:
            async with self._gate.hold(solo):
                try:
                    executor = await self._ready()
                except Exception:  # no processes to be had (limits, no /dev/shm...): work inline
                    self.workers = 0
                    return self._work(job)
                loop = asyncio.get_running_loop()
                try:
                    future = loop.run_in_executor(executor, self._work, job)
                    return await asyncio.wait_for(future, self._seconds)
                except TimeoutError:
                    self._discard(executor)
                    return PageDone(
                        "extraction_error",
                        f"extracting the page's text took longer than {self._seconds:g} s; "
                        "it was stopped",
                    )
                except BrokenProcessPool:
                    self._discard(executor)
                    if solo:
                        return PageDone(
                            "extraction_error",
                            "the worker process extracting the page's text died (a crash "
                            "in the HTML or PDF parser, or out of memory)",
                        )
                    solo = True  # maybe another page broke it: try again alone
                except Exception as exc:  # raised in the worker, or the job would not pickle
                    return PageDone("extraction_error", f"processing the page failed: {exc!r}")

    async def close(self, *, kill: bool = False) -> None:
        """Stop the workers: at once when `kill` (cancelled, interrupted), else when idle."""
        if self._starting is not None:
            with suppress(BaseException):
                await asyncio.shield(self._starting)
        executor, self._executor = self._executor, None
        if executor is None:
            return
        if kill:
            _kill(executor)
        else:
            await asyncio.to_thread(executor.shutdown, True)
