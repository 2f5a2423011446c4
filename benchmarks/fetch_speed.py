"""Fetcher throughput and memory, against a local server this script starts on 127.0.0.1.

    PYTHONPATH=. python benchmarks/fetch_speed.py

(a) 200 URLs answered after 100 ms each, concurrency 20 (per_host 20): wall time / ideal 1.0 s.
(b) 50 responses of 50 MB each (chunked, so the cap is enforced while streaming) with the default
    10 MB cap, 8 at a time: peak RSS of this process; every result must be too_large.

The server runs in a child process so it does not share the client's core. Prints, asserts nothing.
"""

from __future__ import annotations

import asyncio
import os
import resource
import subprocess
import sys
import time
from collections import Counter

from workbench.sources.fetch import FetchConfig, Fetcher

DELAY = 0.1
BIG = 50 * 1024 * 1024


async def serve() -> None:
    block = b"%x\r\n%s\r\n" % (65536, b"b" * 65536)

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:  # keep-alive: one connection serves many requests
                line = await reader.readline()
                if not line:
                    return
                while (await reader.readline()) not in (b"\r\n", b""):
                    pass
                if b" /big/" in line:
                    writer.write(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n")
                    for _ in range(BIG // 65536):
                        writer.write(block)
                        await writer.drain()
                    writer.write(b"0\r\n\r\n")
                else:
                    await asyncio.sleep(DELAY)
                    writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello")
                await writer.drain()
        except ConnectionError:
            pass
        finally:
            writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0, backlog=1024)
    print(server.sockets[0].getsockname()[1], flush=True)
    await server.serve_forever()


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux


async def speed(port: int) -> None:
    urls = [f"http://127.0.0.1:{port}/page/{i}" for i in range(200)]
    config = FetchConfig(concurrency=20, per_host=20, allow_private=True)
    async with Fetcher(config) as fetcher:
        started, cpu = time.perf_counter(), time.process_time()
        results = await fetcher.fetch_many(urls)
        wall, cpu = time.perf_counter() - started, time.process_time() - cpu
    ideal = len(urls) / config.concurrency * DELAY
    outcomes = Counter(r.outcome for r in results)
    print(f"(a) 200 URLs x 100 ms, concurrency 20: {wall:.2f} s, ideal {ideal:.2f} s, "
          f"ratio {wall / ideal:.2f} (goal <= 1.5); client CPU {cpu:.2f} s; "
          f"outcomes {dict(outcomes)}")  # fmt: skip


async def memory(port: int) -> None:
    urls = [f"http://127.0.0.1:{port}/big/{i}" for i in range(50)]
    config = FetchConfig(per_host=8, allow_private=True)  # default cap 10 MB, concurrency 8
    before = rss_mb()
    async with Fetcher(config) as fetcher:
        started = time.perf_counter()
        results = await fetcher.fetch_many(urls)
        wall = time.perf_counter() - started
    outcomes = Counter(r.outcome for r in results)
    print(f"(b) 50 x 50 MB, cap 10 MB, 8 at a time: peak RSS {rss_mb():.0f} MB "
          f"(before {before:.0f} MB; goal <= 150), {wall:.2f} s; outcomes {dict(outcomes)}; "
          f"all too_large: {outcomes == Counter({'too_large': 50})}")  # fmt: skip


def main() -> None:
    if sys.argv[1:] == ["--serve"]:
        asyncio.run(serve())
        return
    child = subprocess.Popen(
        [sys.executable, __file__, "--serve"], stdout=subprocess.PIPE, text=True
    )
    try:
        assert child.stdout is not None
        port = int(child.stdout.readline())
        print(f"baseline RSS {rss_mb():.0f} MB; load average {os.getloadavg()[0]:.1f}")
        asyncio.run(speed(port))
        asyncio.run(speed(port))  # again, warm
        asyncio.run(memory(port))
    finally:
        child.terminate()
        child.wait()


if __name__ == "__main__":
    main()
