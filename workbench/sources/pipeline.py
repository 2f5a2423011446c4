"""Fetch, extract and archive many sources at network speed.

Three stages, each where it belongs:
- downloads on the event loop (fetch.Fetcher, deferred: bodies come back as sent);
- decoding, hashing, extraction and compression in worker processes (page_pool.PagePool),
  or inline when there are too few pages to be worth starting them;
- database writes in batches, one transaction each, in a thread so the loop keeps moving.

Memory stays bounded: a page holds a slot from before its download until its result is
handed to the writer, so at most `concurrency` + the pool's queue bodies exist at once.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from contextlib import suppress
from typing import Any

from workbench.errors import ValidationError
from workbench.sources.fetch import Fetcher, FetchResult
from workbench.sources.page_pool import QUEUED_PER_WORKER, PagePool, default_workers
from workbench.sources.page_work import PageDone, PageJob
from workbench.sources.transport import interleave

__all__ = ["BATCH_BYTES", "BATCH_SECONDS", "BATCH_SIZE", "POOL_MIN_PAGES", "run_pipeline"]

# Fewer pages than this are extracted inline: starting the fork server (it imports the
# extractor) costs more than extracting a handful of pages in this process.
POOL_MIN_PAGES = 4
BATCH_SIZE = 25  # results written per transaction at most
BATCH_BYTES = 16 * 1024 * 1024  # and archived bytes: big bodies are written a few at a time
BATCH_SECONDS = 0.25  # and no result waits longer than this for its batch

Finished = tuple[int, FetchResult, PageDone | None]


class _Writer:
    """Writes finished pages in batches; one batch at a time, in a thread."""

    def __init__(self, store: Any, reviewer: str, total: int, progress: Any) -> None:
        self._store = store
        self._reviewer = reviewer
        self._total = total
        self._progress = progress
        self._pending: list[Finished] = []
        self._bytes = 0  # archived bytes pending
        self._lock = asyncio.Lock()
        self._timer: asyncio.TimerHandle | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self.reports: list[Any] = []

    def add(self, item: Finished) -> None:
        self._pending.append(item)
        page = item[2]
        self._bytes += len(page.archive or b"") if page is not None else 0
        if len(self._pending) >= BATCH_SIZE or self._bytes >= BATCH_BYTES:
            self._flush_soon()
        elif self._timer is None:
            self._timer = asyncio.get_running_loop().call_later(BATCH_SECONDS, self._flush_soon)

    def _flush_soon(self) -> None:
        task = asyncio.get_running_loop().create_task(self.flush())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def flush(self) -> None:
        async with self._lock:
            batch = self._take()
            if batch:
                self._reported(await asyncio.to_thread(self._write, batch))

    async def drain(self) -> None:
        """Everything written; raises what a batch write raised."""
        while self._tasks:
            await asyncio.gather(*self._tasks)
        await self.flush()

    def flush_now(self) -> None:
        """After a cancel: write what is pending from this thread, so nothing finished is lost."""
        batch = self._take()
        if batch:
            self._reported(self._write(batch))

    def _take(self) -> list[Finished]:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        batch, self._pending, self._bytes = self._pending, [], 0
        return batch

    def _write(self, batch: list[Finished]) -> list[Any]:
        from workbench.sources.archive import load_sources, record_fetch

        reports = []
        with self._store.write() as session:
            # Known up front which sources still exist, so no page needs a savepoint of its
            # own (they cost a third of the writer's time): a deleted one is skipped.
            sources = load_sources(session, [source_id for source_id, _, _ in batch])
            for source_id, result, page in batch:
                if source_id not in sources:
                    continue  # deleted while it was being fetched: nothing to attach it to
                reports.append(record_fetch(session, self._reviewer, source_id, result, page))
        return reports

    def _reported(self, reports: list[Any]) -> None:
        for report in reports:
            self.reports.append(report)
            if self._progress is not None:
                self._progress(len(self.reports), self._total, report)


async def run_pipeline(
    store: Any,
    reviewer: str,
    targets: Sequence[tuple[int, str]],
    config: Any,
    progress: Callable[[int, int, Any], None] | None = None,
    *,
    transport: Any = None,
    workers: int | None = None,
    pool_min_pages: int = POOL_MIN_PAGES,
) -> list[Any]:
    """Fetches and archives every (source id, URL); reports in the order they were written.

    `workers` overrides config.workers (None: one per core; 0: always inline)."""
    if not targets:
        return []
    count = workers if workers is not None else (config.workers or default_workers())
    if count < 0:
        raise ValidationError(f"fetch workers is {count}; give 1 or more")
    if len(targets) < pool_min_pages:
        count = 0
    urls = [url for _, url in targets]
    writer = _Writer(store, reviewer, len(targets), progress)
    # A body exists from its download until its result reaches the writer; this bounds them.
    in_hand = asyncio.Semaphore(config.concurrency + max(count, 1) * QUEUED_PER_WORKER)
    order = interleave(urls)

    async with Fetcher(config, transport=transport, deferred=True) as fetcher:
        pool = PagePool(count)

        async def one(index: int) -> Finished:
            # A function of its own so its locals, the body above all, die when it returns:
            # a loop variable would keep the last body alive while the next fetch waits.
            async with in_hand:
                result = await fetcher.fetch(urls[index])
                if not result.ok:
                    return targets[index][0], result, None
                job = PageJob(result.body, result.encodings, result.content_type,
                              result.final_url, config.max_bytes)  # fmt: skip
                result = _without_body(result)
                return targets[index][0], result, await pool.run(job)

        async def worker() -> None:
            for index in order:  # shared iterator: each index goes to exactly one worker
                writer.add(await one(index))

        try:
            async with pool:
                async with asyncio.TaskGroup() as group:
                    for _ in range(min(len(urls), config.concurrency * 4)):
                        group.create_task(worker())
                await writer.drain()
        except BaseException:
            with suppress(Exception):  # the database may be what failed
                writer.flush_now()
            raise
    return writer.reports


def _without_body(result: FetchResult) -> FetchResult:
    """The result without its bytes: the page job owns them now, and the writer keeps this."""
    from dataclasses import replace

    return replace(result, body=b"")
