"""Fetching source URLs: bounded in time, size, concurrency and reach.

`Fetcher.fetch` never raises for a network or server problem; it returns a `FetchResult` whose
`outcome` is "ok" or one of the error codes in `OUTCOMES`. Nothing partial is ever "ok".

Why the hand-made parts (see GUIDE section 7):
- httpx decodes gzip before anyone can count, so a 500-byte nested gzip becomes hundreds of MB.
  The raw stream is read and decoded here, each stage with an output limit, and the cap applies
  to the decoded bytes.
- httpx timeouts reset on every byte, so a trickling server never times out: every fetch also
  has an overall deadline.
- Redirects are followed by hand so each hop's scheme and address can be checked and recorded.
- The address check lives in the connection itself (netguard.GuardedBackend).
"""

from __future__ import annotations

import asyncio
import email.utils
import hashlib
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http import HTTPStatus
from typing import TypeVar

import httpx

from workbench.core.fetch_limits import FetchLimits
from workbench.sources import netguard
from workbench.sources.body import (
    HAVE_BROTLI,
    BoundedBody,
    DecodeError,
    RawBody,
    TooLarge,
    content_encodings,
    decoding_message,
    too_large_message,
)
from workbench.sources.transport import HostSlots, ShardedTransport, host_key, interleave
from workbench.sources.urls import ALLOWED_SCHEMES, InvalidSourceURL, normalise_url

__all__ = [
    "OUTCOMES",
    "FetchConfig",
    "FetchResult",
    "Fetcher",
    "fetch_sync",
]

OUTCOMES = (
    "ok",
    "invalid_url",
    "blocked_address",
    "timeout",
    "too_large",
    "too_many_redirects",
    "bad_redirect",
    "http_error",
    "truncated",
    "connection_error",
    "decoding_error",
)

_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_RETRY_STATUSES = frozenset({429, 503})
_ACCEPT = "text/html,application/xhtml+xml,application/pdf;q=0.9,*/*;q=0.8"

T = TypeVar("T")


@dataclass(frozen=True)
class FetchConfig(FetchLimits):
    """The limits a user may set (core.fetch_limits), and what only the program sets."""

    backoff: float = 0.5
    max_retry_after: float = 30.0
    allow_private: bool = False
    user_agent: str = "workbench/0.1 (fact-checking workbench; +https://example.invalid/workbench)"
    # Networks allowed even when allow_private is False (an intranet server, a test server).
    allowed_networks: tuple[str, ...] = ()

    @property
    def policy(self) -> netguard.AddressPolicy:
        return netguard.AddressPolicy(self.allow_private, self.allowed_networks)


@dataclass(frozen=True)
class FetchResult:
    requested_url: str  # as given
    final_url: str | None  # the last URL requested; None when the URL was refused
    outcome: str  # "ok" or an error code from OUTCOMES
    status: int | None  # of the last response received
    headers: list[tuple[str, str]]  # of the last response, names as sent
    redirects: list[str]  # each Location followed, in order: requested -> redirects[0] -> ...
    body: bytes  # decoded; empty unless ok
    content_type: str | None  # the Content-Type header as sent, charset included
    sha256: str | None  # hex digest of body when ok
    fetched_at: datetime  # UTC
    error: str | None  # a sentence for the user when outcome != "ok"
    # Only from a deferred Fetcher: the Content-Encodings still to undo on body (then sha256 is
    # None); page_work.finish_page decodes, caps and hashes it.
    encodings: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return self.outcome == "ok"


def _seconds(value: float) -> str:
    return f"{value:g} s"


# ---------------------------------------------------------------------------------------------
# Internal control flow: a failure carries its outcome code up to where the result is built.


class _Failure(Exception):
    def __init__(self, outcome: str, message: str) -> None:
        super().__init__(message)
        self.outcome = outcome
        self.message = message


class _Retryable(Exception):
    """A failure that may go away: a 429/503 or a connection that could not be made."""

    def __init__(self, failure: _Failure, retry_after: float | None = None) -> None:
        super().__init__(failure.message)
        self.failure = failure
        self.retry_after = retry_after


@dataclass
class _Trip:
    """What one fetch has learnt so far; kept outside the deadline so a timeout still reports it."""

    requested: str
    current: str
    remaining: float
    redirects: list[str] = field(default_factory=list)
    status: int | None = None
    headers: list[tuple[str, str]] = field(default_factory=list)
    cookies: httpx.Cookies = field(default_factory=httpx.Cookies)

    def saw(self, response: httpx.Response) -> None:
        self.status = response.status_code
        self.headers = [(k.decode("latin-1"), v.decode("latin-1")) for k, v in response.headers.raw]
        self.cookies.extract_cookies(response)

    def result(
        self,
        outcome: str,
        error: str | None,
        body: bytes = b"",
        encodings: tuple[str, ...] | None = None,
    ) -> FetchResult:
        """`encodings` None: body is final and hashed here; a tuple: left for page_work."""
        content_type = next((v for k, v in self.headers if k.lower() == "content-type"), None)
        ok = outcome == "ok"
        return FetchResult(
            requested_url=self.requested,
            final_url=self.current,
            outcome=outcome,
            status=self.status,
            headers=list(self.headers),
            redirects=list(self.redirects),
            body=body if ok else b"",
            content_type=content_type,
            sha256=hashlib.sha256(body).hexdigest() if ok and encodings is None else None,
            fetched_at=datetime.now(UTC),
            error=None if ok else error,
            encodings=(encodings or ()) if ok else (),
        )


def _retry_after(response: httpx.Response) -> float | None:
    """Retry-After in seconds (delta-seconds or an HTTP date), or None if absent or unreadable."""
    value = response.headers.get("retry-after", "").strip()
    if not value:
        return None
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def _http_error(status: int) -> str:
    try:
        phrase = HTTPStatus(status).phrase
    except ValueError:
        phrase = ""
    return f"HTTP {status} {phrase}".rstrip()


class Fetcher:
    """Fetches source URLs with one shared httpx.AsyncClient. Use as `async with Fetcher() as f`.

    An injected `transport` is trusted as it is: the address guard sits in the default
    transport's connections (literal IP addresses are still checked before every hop).
    """

    def __init__(
        self,
        config: FetchConfig | None = None,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        deferred: bool = False,
    ) -> None:
        """`deferred`: leave decoding and hashing of ok bodies to page_work.finish_page (in a
        worker process); the body is then returned as received, within the cap."""
        self.config = config if config is not None else FetchConfig()
        cfg = self.config
        self._policy = cfg.policy
        accept_encoding = "gzip, deflate, br" if HAVE_BROTLI else "gzip, deflate"
        self._transport = transport if transport is not None else ShardedTransport(cfg)
        self._client = httpx.AsyncClient(
            transport=self._transport,
            timeout=httpx.Timeout(
                connect=cfg.connect_timeout,
                read=cfg.read_timeout,
                write=cfg.read_timeout,
                pool=cfg.connect_timeout,
            ),
            headers={
                "User-Agent": cfg.user_agent,
                "Accept": _ACCEPT,
                "Accept-Encoding": accept_encoding,
            },
            follow_redirects=False,
            trust_env=False,  # no proxy from the environment
        )
        self._global = asyncio.Semaphore(cfg.concurrency)
        self._hosts = HostSlots(cfg.per_host)
        self._deferred = deferred

    async def __aenter__(self) -> Fetcher:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._client.aclose()

    # -- public -------------------------------------------------------------------------------

    async def fetch(self, url: str) -> FetchResult:
        try:
            current = normalise_url(url)
        except InvalidSourceURL as exc:
            return FetchResult(url, None, "invalid_url", None, [], [], b"", None, None,
                               datetime.now(UTC), str(exc))  # fmt: skip
        trip = _Trip(requested=url, current=current, remaining=self.config.deadline)
        try:
            while True:
                outcome = await self._hop(trip)
                if isinstance(outcome, FetchResult):
                    return outcome
                trip.redirects.append(outcome)
                trip.current = outcome
                trip.status, trip.headers = None, []
        except _Failure as failure:
            return trip.result(failure.outcome, failure.message)

    async def fetch_many(
        self,
        urls: Sequence[str],
        progress: Callable[[int, int, FetchResult], None] | None = None,
    ) -> list[FetchResult]:
        """Fetch every URL (concurrency bounded by the config); results in the order given.

        `progress(done, total, result)` is called as each fetch ends.
        """
        results: list[FetchResult | None] = [None] * len(urls)
        order = interleave(urls)
        done = 0

        async def worker() -> None:
            nonlocal done
            for index in order:  # shared iterator: each index goes to exactly one worker
                result = await self.fetch(urls[index])
                results[index] = result
                done += 1
                if progress is not None:
                    progress(done, len(urls), result)

        # More workers than slots, so a worker waiting for a busy host does not idle the rest.
        workers = min(len(urls), self.config.concurrency * 4)
        async with asyncio.TaskGroup() as group:
            for _ in range(workers):
                group.create_task(worker())
        return [result for result in results if result is not None]

    # -- one hop ------------------------------------------------------------------------------

    async def _timed(self, trip: _Trip, work: Awaitable[T]) -> T:
        """Run `work` within what is left of the fetch's deadline."""
        loop = asyncio.get_running_loop()
        started = loop.time()
        try:
            async with asyncio.timeout(max(trip.remaining, 0.0)) as scope:
                return await work
        except TimeoutError:
            if not scope.expired():
                raise
            raise _Failure(
                "timeout",
                f"no complete answer within the {_seconds(self.config.deadline)} "
                "deadline; raise fetch.deadline to wait longer",
            ) from None
        finally:
            trip.remaining -= loop.time() - started

    async def _hop(self, trip: _Trip) -> FetchResult | str:
        """Request trip.current, retrying when worth it; a result, or the next URL."""
        url = httpx.URL(trip.current)
        literal = netguard.literal_address(url.host)
        if literal is not None:  # no I/O needed to refuse a literal address
            try:
                self._policy.check(url.host, url.host)
            except netguard.BlockedAddress as exc:
                raise _Failure("blocked_address", str(exc)) from None
        cfg = self.config
        attempt = 0
        while True:
            try:
                # Host slot first, then a global one: a global slot is never held while waiting,
                # and the wait does not count against the deadline.
                async with self._hosts.hold(host_key(trip.current)), self._global:
                    return await self._timed(trip, self._exchange(trip))
            except _Retryable as retry:
                if attempt >= cfg.retries:
                    raise retry.failure from None
                delay = cfg.backoff * 2**attempt
                if retry.retry_after is not None:
                    if retry.retry_after > cfg.max_retry_after:
                        raise _Failure(
                            retry.failure.outcome,
                            f"{retry.failure.message}; the server asked to retry after "
                            f"{_seconds(retry.retry_after)}, longer than fetch.max_retry_after "
                            f"({_seconds(cfg.max_retry_after)})",
                        ) from None
                    delay = retry.retry_after
                if delay >= trip.remaining:
                    raise _Failure(
                        retry.failure.outcome,
                        f"{retry.failure.message}; not retried, as waiting "
                        f"{_seconds(round(delay, 2))} would pass the fetch deadline",
                    ) from None
                attempt += 1
                await self._timed(trip, asyncio.sleep(delay))

    async def _exchange(self, trip: _Trip) -> FetchResult | str:
        """One request and its answer: a result, the next URL, or an exception."""
        request = self._client.build_request("GET", trip.current)
        trip.cookies.set_cookie_header(request)
        host = request.url.host
        try:
            # Straight to the transport: client.send parses Location itself and raises
            # InvalidURL on a bad one, even with follow_redirects off.
            response = await self._transport.handle_async_request(request)
            response.request = request
        except netguard.BlockedAddress as exc:
            raise _Failure("blocked_address", str(exc)) from None
        except httpx.ConnectTimeout:
            raise _Retryable(
                _Failure("timeout", f"could not connect to {host} within "
                         f"{_seconds(self.config.connect_timeout)}")
            ) from None  # fmt: skip
        except httpx.TimeoutException:
            raise _Failure(
                "timeout", f"{host} sent no response for {_seconds(self.config.read_timeout)}"
            ) from None
        except (httpx.ConnectError, httpx.RemoteProtocolError, httpx.ReadError) as exc:
            raise _Retryable(
                _Failure("connection_error", f"could not get a response from {host}: {exc}")
            ) from None
        except httpx.HTTPError as exc:
            raise _Failure("connection_error", f"request to {host} failed: {exc}") from None
        try:
            trip.saw(response)
            return await self._answer(trip, response)
        finally:
            await response.aclose()

    async def _answer(self, trip: _Trip, response: httpx.Response) -> FetchResult | str:
        cfg = self.config
        status = response.status_code
        location = response.headers.get("location")
        if status in _REDIRECTS and location is not None:
            return self._next_hop(trip, location)
        if status in _RETRY_STATUSES:
            raise _Retryable(_Failure("http_error", _http_error(status)), _retry_after(response))
        if status >= 400:
            raise _Failure("http_error", _http_error(status))
        encodings = content_encodings(response)
        length = response.headers.get("content-length", "")
        if not encodings and length.isdigit() and int(length) > cfg.max_bytes:
            raise self._too_large()  # known before reading a byte
        try:
            data = await self._read_body(response, encodings)
        except TooLarge:
            raise self._too_large() from None
        except DecodeError as exc:
            raise _Failure("decoding_error", decoding_message(exc)) from None
        except httpx.TimeoutException:
            raise _Failure(
                "timeout",
                f"the server stopped sending for {_seconds(cfg.read_timeout)} mid-body",
            ) from None
        except (httpx.RemoteProtocolError, httpx.ReadError) as exc:
            raise _Failure("truncated", f"the body was cut short: {exc}") from None
        except httpx.HTTPError as exc:
            raise _Failure("connection_error", f"reading the body failed: {exc}") from None
        return trip.result("ok", None, data, tuple(encodings) if self._deferred else None)

    async def _read_body(self, response: httpx.Response, encodings: list[str]) -> bytes:
        body = BoundedBody(encodings, self.config.max_bytes)  # refuses unknown or towering ones
        if self._deferred:
            return await self._read_raw(response)
        async for chunk in response.aiter_raw():
            body.write(chunk)
        return body.finish()

    async def _read_raw(self, response: httpx.Response) -> bytes:
        """The body as sent, capped at max_bytes too (a compressed body is smaller than what it
        decodes to, so this refuses nothing the decoded cap would let through)."""
        raw = RawBody(self.config.max_bytes)
        try:
            async for chunk in response.aiter_raw():
                raw.write(chunk)
            return raw.finish()
        finally:
            raw.close()

    def _too_large(self) -> _Failure:
        # Built at the raise, never kept in a local: an exception held by a local of the frame
        # its traceback points to is a cycle, and the body pieces would wait for the GC.
        return _Failure("too_large", too_large_message(self.config.max_bytes))

    def _next_hop(self, trip: _Trip, location: str) -> str:
        shown = location if len(location) <= 200 else location[:200] + "..."
        try:
            target = httpx.URL(trip.current).join(location)
        except httpx.InvalidURL as exc:
            raise _Failure("bad_redirect", f"the server redirected to {shown!r}: {exc}") from None
        if target.scheme not in ALLOWED_SCHEMES:
            raise _Failure(
                "bad_redirect",
                f"the server redirected to a {target.scheme or 'relative'}: URL ({shown!r}), "
                "which is not followed",
            )
        try:
            next_url = normalise_url(str(target))
        except InvalidSourceURL as exc:
            raise _Failure("bad_redirect", f"the server redirected to a bad URL: {exc}") from None
        if len(trip.redirects) >= self.config.max_redirects:
            raise _Failure(
                "too_many_redirects",
                f"more than {self.config.max_redirects} redirects (the next was to {next_url}); "
                "raise fetch.max_redirects to follow more",
            )
        return next_url


def fetch_sync(url: str, config: FetchConfig | None = None) -> FetchResult:
    """Fetch one URL from synchronous code (the CLI). Without a config, the defaults apply and
    private networks are allowed only if WORKBENCH_ALLOW_PRIVATE_NETWORKS says so."""
    if config is None:
        config = FetchConfig(allow_private=netguard.env_allows_private())

    async def run() -> FetchResult:
        async with Fetcher(config) as fetcher:
            return await fetcher.fetch(url)

    return asyncio.run(run())
