"""Where the wall time of fetch_speed.py's part (a) goes: the same 200 pages through
run_pipeline, with the pieces timed instead of the whole.

    PYTHONPATH=. python benchmarks/fetch_profile.py

Prints when the worker pool started and was ready, CPU seconds of the parent by thread (the
event loop, the batch writer, the pool's feeder), the writer's wall and CPU per batch, the
workers' CPU and wall per page, and the workers' busy fraction every 0.5 s (2.00 = both
workers inside a page all the time). Each page's times are appended by the worker to a file
of its own in a temporary folder. No memory sampler runs here. Prints, asserts nothing.
"""

from __future__ import annotations

import asyncio
import functools
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from fetch_speed import DELAY, PAGES, _prepare  # noqa: E402

LOGS = Path(os.environ.get("FETCH_PROFILE_LOGS") or tempfile.mkdtemp(prefix="fetch-profile-"))
os.environ["FETCH_PROFILE_LOGS"] = str(LOGS)  # the workers inherit it through the fork server


def timed_page(job: Any) -> Any:
    """finish_page, with its start, end (wall clock) and CPU written down; runs in a worker."""
    from workbench.sources.page_work import finish_page

    started, cpu = time.time(), time.process_time()
    done = finish_page(job)
    with open(LOGS / f"worker-{os.getpid()}.log", "a") as log:
        log.write(f"{started} {time.time()} {time.process_time() - cpu}\n")
    return done


def main() -> None:
    from workbench.sources import page_pool, pipeline
    from workbench.sources.fetch import FetchConfig

    marks: dict[str, float] = {}
    writes: list[tuple[float, float]] = []  # (wall, CPU) of each batch
    threads: dict[str, float] = {}
    pipeline.PagePool = functools.partial(page_pool.PagePool, work=timed_page)  # type: ignore[misc]

    start_pool = page_pool.PagePool._start

    def timed_start(self: Any) -> None:
        marks["pool start"] = time.time()
        start_pool(self)
        marks["pool ready"] = time.time()

    write = pipeline._Writer._write

    def timed_write(self: Any, batch: Any) -> Any:
        wall, cpu = time.perf_counter(), time.thread_time()
        try:
            return write(self, batch)
        finally:
            writes.append((time.perf_counter() - wall, time.thread_time() - cpu))

    run_thread = threading.Thread.run

    def counted_run(self: threading.Thread) -> None:
        try:
            run_thread(self)
        finally:
            name = self.name.split(" ")[0].rstrip("-_0123456789") or self.name
            threads[name] = threads.get(name, 0.0) + time.thread_time()

    page_pool.PagePool._start = timed_start  # type: ignore[method-assign]
    pipeline._Writer._write = timed_write  # type: ignore[method-assign]
    threading.Thread.run = counted_run  # type: ignore[method-assign]

    server = subprocess.Popen(
        [sys.executable, str(Path(__file__).with_name("fetch_speed.py")), "--serve"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stdout is not None
        port = int(server.stdout.readline())
        store, targets = _prepare([f"http://127.0.0.1:{port}/page/{i}" for i in range(PAGES)])
        config = FetchConfig(concurrency=20, per_host=20, allow_private=True)
        began, cpu = time.time(), time.process_time()
        reports = asyncio.run(pipeline.run_pipeline(store, "bench", targets, config))
        ended, parent_cpu = time.time(), time.process_time() - cpu
    finally:
        server.terminate()
        server.wait()
    print(f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())} (shared machine)")
    print(f"{len(reports)} pages in {ended - began:.2f} s (network floor "
          f"{PAGES / config.concurrency * DELAY:.2f} s)")  # fmt: skip
    for name, at in marks.items():
        print(f"{name} at {at - began:.2f} s")
    thread_cpu = sum(threads.values())
    print(f"parent CPU {parent_cpu:.2f} s: event loop {parent_cpu - thread_cpu:.2f} s, "
          + ", ".join(f"{name} {cpu:.2f} s" for name, cpu in sorted(threads.items())))  # fmt: skip
    print(f"writer: {len(writes)} batches, {sum(w for w, _ in writes):.2f} s wall, "
          f"{sum(c for _, c in writes):.2f} s CPU ({sum(c for _, c in writes) / PAGES * 1000:.1f} "
          "ms per page)")  # fmt: skip
    pages = []
    for log in LOGS.glob("worker-*.log"):
        for line in log.read_text().splitlines():
            start, end, used = map(float, line.split())
            pages.append((start - began, end - began, used))
    print(f"workers: {len(pages)} pages, {sum(p[2] for p in pages):.2f} s CPU, "
          f"{sum(p[1] - p[0] for p in pages):.2f} s inside pages (wall)")  # fmt: skip
    step, at = 0.5, 0.0
    while at < ended - began:
        busy = sum(max(0.0, min(end, at + step) - max(start, at)) for start, end, _ in pages)
        print(f"  {at:5.1f} s  workers busy {busy / step:.2f}")
        at += step


if __name__ == "__main__":
    main()
