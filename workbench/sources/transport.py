"""The fetcher's connections: sharded httpx pools whose sockets go through netguard, and the
per-host slots and ordering that keep one big host from holding every fetch."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Iterator, Sequence
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING, Any

import httpcore
import httpx

from workbench.sources import netguard

if TYPE_CHECKING:
    from workbench.sources.fetch import FetchConfig

__all__ = ["HostSlots", "ShardedTransport", "host_key", "interleave"]


class GuardedTransport(httpx.AsyncHTTPTransport):
    """httpx's transport with a connection pool whose sockets go through netguard."""

    def __init__(self, config: FetchConfig, ssl_context: Any, size: int) -> None:
        limits = httpx.Limits(
            max_connections=size, max_keepalive_connections=size, keepalive_expiry=5.0
        )
        super().__init__(verify=ssl_context, trust_env=False, limits=limits)
        # httpx takes no network backend, so its pool is replaced by an identical one that has.
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=ssl_context,
            max_connections=size,
            max_keepalive_connections=size,
            keepalive_expiry=limits.keepalive_expiry,
            network_backend=netguard.GuardedBackend(config.policy),
        )


class CountedStream(httpx.AsyncByteStream):
    def __init__(self, stream: httpx.AsyncByteStream, done: Callable[[], None]) -> None:
        self._stream = stream
        self._done: Callable[[], None] | None = done

    async def __aiter__(self) -> AsyncIterator[bytes]:
        async for chunk in self._stream:
            yield chunk

    async def aclose(self) -> None:
        try:
            await self._stream.aclose()
        finally:
            done, self._done = self._done, None  # once, however often closed
            if done is not None:
                done()


class ShardedTransport(httpx.AsyncBaseTransport):
    """Several small pools instead of one big one: httpcore's pool scans every connection on
    every request, so its cost grows with its size (GUIDE section 7, encode/httpx#3215).
    Each request goes to the pool with the fewest requests in flight."""

    SHARD_SIZE = 5

    def __init__(self, config: FetchConfig) -> None:
        ssl_context = httpx.create_ssl_context(trust_env=False)  # one for all: costly to build
        count = max(1, -(-config.concurrency // self.SHARD_SIZE))
        size = -(-config.concurrency // count)
        self._shards = [GuardedTransport(config, ssl_context, size) for _ in range(count)]
        self._busy = [0] * count

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        index = min(range(len(self._shards)), key=self._busy.__getitem__)
        self._busy[index] += 1

        def done() -> None:
            self._busy[index] -= 1

        try:
            response = await self._shards[index].handle_async_request(request)
        except BaseException:
            done()
            raise
        assert isinstance(response.stream, httpx.AsyncByteStream)
        response.stream = CountedStream(response.stream, done)
        return response

    async def aclose(self) -> None:
        for shard in self._shards:
            await shard.aclose()


class HostSlots:
    """One semaphore per host, dropped when nobody uses it so the dict does not grow forever."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._slots: dict[str, tuple[asyncio.Semaphore, int]] = {}

    @asynccontextmanager
    async def hold(self, host: str) -> AsyncIterator[None]:
        sem, users = self._slots.get(host, (asyncio.Semaphore(self._size), 0))
        self._slots[host] = (sem, users + 1)
        try:
            async with sem:
                yield
        finally:
            sem, users = self._slots[host]
            if users == 1:
                del self._slots[host]
            else:
                self._slots[host] = (sem, users - 1)


def host_key(url: str) -> str:
    try:
        parsed = httpx.URL(url)
    except httpx.InvalidURL:
        return ""
    return f"{parsed.host}:{parsed.port or ''}".lower()


def interleave(urls: Sequence[str]) -> Iterator[int]:
    """Indices of `urls`, taking hosts in turn, so one big host does not hold every worker."""
    groups: dict[str, list[int]] = {}
    for position, url in enumerate(urls):
        groups.setdefault(host_key(url), []).append(position)
    queues = [iter(group) for group in groups.values()]
    while queues:
        alive = []
        for queue in queues:
            index = next(queue, None)
            if index is not None:
                yield index
                alive.append(queue)
        queues = alive
