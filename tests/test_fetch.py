"""The fetcher against a real, hostile HTTP server on 127.0.0.1: one test per route."""

from __future__ import annotations

import hashlib
import ipaddress
import resource
import socket
import time
from collections.abc import Iterator
from datetime import UTC
from typing import Any

import pytest

from tests.hostile_server import (
    HUGE_TITLE_PAGE,
    META_CHARSET_PAGE,
    SCRIPT_ONLY_PAGE,
    HostileServer,
    brotli_bomb,
    gzip_bomb,
    nested_gzip_bomb,
    pdf_bytes,
    png_bytes,
)
from workbench.sources import netguard
from workbench.sources.fetch import OUTCOMES, FetchConfig, Fetcher, FetchResult, fetch_sync
from workbench.sources.urls import InvalidSourceURL, canonical_url, normalise_url

MB = 1024 * 1024


@pytest.fixture(scope="module")
def server() -> Iterator[HostileServer]:
    # Build the bombs before any test's clock starts.
    gzip_bomb(), nested_gzip_bomb(), brotli_bomb()
    srv = HostileServer()
    srv.start()
    yield srv
    srv.stop()


def config(**changes: Any) -> FetchConfig:
    """Small limits so every hostile route ends in well under a second or two."""
    base: dict[str, Any] = dict(
        connect_timeout=2.0,
        read_timeout=2.0,
        deadline=5.0,
        max_bytes=1 * MB,
        retries=0,
        backoff=0.01,
        allow_private=True,  # the test server is on 127.0.0.1
    )
    base.update(changes)
    return FetchConfig(**base)


async def fetch(url: str, **changes: Any) -> FetchResult:
    async with Fetcher(config(**changes)) as fetcher:
        result = await fetcher.fetch(url)
    assert result.outcome in OUTCOMES
    assert result.fetched_at.tzinfo is UTC
    if not result.ok:
        assert result.error and result.body == b"" and result.sha256 is None
    return result


def max_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# -- ordinary pages -------------------------------------------------------------------------


@pytest.mark.asyncio
async def test_ok_page(server: HostileServer) -> None:
    result = await fetch(server.url("/ok"))
    assert result.ok and result.status == 200 and result.error is None
    assert result.body.startswith(b"<html>")
    assert result.sha256 == hashlib.sha256(result.body).hexdigest()
    assert result.content_type == "text/html; charset=utf-8"
    assert result.final_url == server.url("/ok") and result.redirects == []
    headers = server.request_headers[server.requests.index("/ok")]
    assert headers["user-agent"].startswith("workbench/")
    assert "gzip" in headers["accept-encoding"]


@pytest.mark.asyncio
async def test_meta_charset_only_body_intact(server: HostileServer) -> None:
    result = await fetch(server.url("/meta-charset"))
    assert result.ok and result.body == META_CHARSET_PAGE
    assert result.content_type == "text/html"


@pytest.mark.asyncio
async def test_png_served_as_html(server: HostileServer) -> None:
    result = await fetch(server.url("/png-as-html"))
    assert result.ok and result.body == png_bytes() and result.content_type == "text/html"


@pytest.mark.asyncio
async def test_pdf(server: HostileServer) -> None:
    result = await fetch(server.url("/pdf"))
    assert result.ok and result.body == pdf_bytes() and result.body.startswith(b"%PDF")
    assert result.content_type == "application/pdf"


@pytest.mark.asyncio
async def test_huge_title(server: HostileServer) -> None:
    result = await fetch(server.url("/huge-title"), max_bytes=4 * MB)
    assert result.ok and result.body == HUGE_TITLE_PAGE


@pytest.mark.asyncio
async def test_script_and_style_only(server: HostileServer) -> None:
    result = await fetch(server.url("/script-only"))
    assert result.ok and result.body == SCRIPT_ONLY_PAGE


@pytest.mark.asyncio
async def test_nested_encodings_decoded(server: HostileServer) -> None:
    result = await fetch(server.url("/nested-ok"))
    assert result.ok and result.body == b"<p>twice compressed</p>" * 1000


@pytest.mark.asyncio
async def test_raw_deflate_decoded(server: HostileServer) -> None:
    result = await fetch(server.url("/deflate-raw"))
    assert result.ok and result.body == b"raw deflate " * 100


@pytest.mark.asyncio
async def test_cookies_kept_within_one_fetch_only(server: HostileServer) -> None:
    async with Fetcher(config()) as fetcher:
        first = await fetcher.fetch(server.url("/cookie/set"))
        second = await fetcher.fetch(server.url("/cookie/check"))
    assert first.ok and first.body == b"consent=yes"
    assert second.ok and second.body == b""  # nothing leaks from one fetch to the next


# -- time -----------------------------------------------------------------------------------


@pytest.mark.asyncio
async def test_slow_first_byte_times_out(server: HostileServer) -> None:
    started = time.monotonic()
    result = await fetch(server.url("/slow-first-byte"), read_timeout=0.3)
    assert result.outcome == "timeout" and "0.3 s" in (result.error or "")
    assert time.monotonic() - started < 2


@pytest.mark.asyncio
async def test_trickle_hits_overall_deadline(server: HostileServer) -> None:
    started = time.monotonic()
    result = await fetch(server.url("/trickle"), read_timeout=0.3, deadline=0.6)
    assert result.outcome == "timeout" and "deadline" in (result.error or "")
    assert result.status == 200  # the headers came; the body never ended
    assert time.monotonic() - started < 2


@pytest.mark.asyncio
async def test_429_retry_after_then_ok(server: HostileServer) -> None:
    started = time.monotonic()
    result = await fetch(server.url("/retry/a?after=1"), retries=2)
    assert result.ok and result.status == 200
    assert time.monotonic() - started >= 1.0  # it waited as asked
    assert server.hits["/retry/a"] == 2


@pytest.mark.asyncio
async def test_retry_after_beyond_cap_is_not_waited(server: HostileServer) -> None:
    started = time.monotonic()
    result = await fetch(server.url("/retry/b?after=120"), retries=2, max_retry_after=5)
    assert result.outcome == "http_error" and result.status == 429
    assert "retry after 120 s" in (result.error or "")
    assert time.monotonic() - started < 1


# -- size and encodings ---------------------------------------------------------------------


@pytest.mark.asyncio
async def test_endless_chunked_body_too_large(server: HostileServer) -> None:
    result = await fetch(server.url("/endless"))
    assert result.outcome == "too_large" and "1 MB" in (result.error or "")
    assert "fetch.max_bytes" in (result.error or "")


@pytest.mark.asyncio
async def test_declared_length_over_cap_refused_early(server: HostileServer) -> None:
    result = await fetch(server.url("/big-length"))
    assert result.outcome == "too_large"


@pytest.mark.asyncio
async def test_gzip_bomb_stops_at_cap(server: HostileServer) -> None:
    before = max_rss_mb()
    result = await fetch(server.url("/gzip-bomb"))
    assert result.outcome == "too_large"
    assert max_rss_mb() - before < 50  # the 100 MB payload was never held


@pytest.mark.asyncio
async def test_nested_gzip_bomb_stops_at_cap(server: HostileServer) -> None:
    assert len(nested_gzip_bomb()) < 600
    before = max_rss_mb()
    result = await fetch(server.url("/gzip-bomb-nested"))
    assert result.outcome == "too_large"
    assert max_rss_mb() - before < 50


@pytest.mark.asyncio
async def test_brotli_bomb_stops_at_cap(server: HostileServer) -> None:
    before = max_rss_mb()
    result = await fetch(server.url("/brotli-bomb"))
    assert result.outcome == "too_large"
    assert max_rss_mb() - before < 50


@pytest.mark.asyncio
async def test_tower_of_encodings_refused(server: HostileServer) -> None:
    result = await fetch(server.url("/encoding-tower"))
    assert result.outcome == "decoding_error" and "4 times" in (result.error or "")


@pytest.mark.asyncio
async def test_corrupt_gzip(server: HostileServer) -> None:
    result = await fetch(server.url("/bad-gzip"))
    assert result.outcome == "decoding_error"


# -- broken transfers -----------------------------------------------------------------------


@pytest.mark.asyncio
async def test_connection_reset_mid_body_truncated(server: HostileServer) -> None:
    result = await fetch(server.url("/reset-mid-body"))
    assert result.outcome == "truncated" and result.status == 200


@pytest.mark.asyncio
async def test_content_length_longer_than_body_truncated(server: HostileServer) -> None:
    result = await fetch(server.url("/short-body"))
    assert result.outcome == "truncated"


@pytest.mark.asyncio
async def test_connection_refused() -> None:
    with socket.socket() as sock:  # a port that was free a moment ago: nobody listens there
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    started = time.monotonic()
    result = await fetch(f"http://127.0.0.1:{port}/", retries=2, backoff=0.05)
    assert result.outcome == "connection_error"
    assert time.monotonic() - started >= 0.15  # retried twice, 0.05 s then 0.1 s


# -- HTTP errors and redirects --------------------------------------------------------------


@pytest.mark.asyncio
async def test_404(server: HostileServer) -> None:
    result = await fetch(server.url("/status/404"))
    assert result.outcome == "http_error" and result.status == 404
    assert result.error == "HTTP 404 Not Found"


@pytest.mark.asyncio
async def test_500(server: HostileServer) -> None:
    result = await fetch(server.url("/status/500"))
    assert result.outcome == "http_error" and result.error == "HTTP 500 Internal Server Error"


@pytest.mark.asyncio
async def test_redirect_followed_and_recorded(server: HostileServer) -> None:
    result = await fetch(server.url("/redirect?to=/ok"))
    assert result.ok and result.final_url == server.url("/ok")
    assert result.redirects == [server.url("/ok")]


@pytest.mark.asyncio
async def test_redirect_loop(server: HostileServer) -> None:
    result = await fetch(server.url("/loop-a"), max_redirects=5)
    assert result.outcome == "too_many_redirects"
    assert len(result.redirects) == 5


@pytest.mark.parametrize("target", ["ftp://example.com/file", "javascript:alert(1)"])
@pytest.mark.asyncio
async def test_redirect_to_other_scheme(server: HostileServer, target: str) -> None:
    result = await fetch(server.url(f"/redirect?to={target}"))
    assert result.outcome == "bad_redirect" and result.redirects == []


@pytest.mark.parametrize(
    "target", ["http://10.0.0.1/", "http://169.254.169.254/latest/meta-data/", "http://[::1]/"]
)
@pytest.mark.asyncio
async def test_redirect_to_private_address_refused(server: HostileServer, target: str) -> None:
    # Only the test server's own address is opened; the redirect target is refused unconnected.
    result = await fetch(
        server.url(f"/redirect?to={target}"),
        allow_private=False,
        allowed_networks=("127.0.0.1/32",),
    )
    assert result.outcome == "blocked_address", result.error
    assert result.final_url == normalise_url(target)
    assert "WORKBENCH_ALLOW_PRIVATE_NETWORKS" in (result.error or "")


# -- the address guard in the connection ----------------------------------------------------


@pytest.fixture
def fake_dns(monkeypatch: pytest.MonkeyPatch) -> dict[str, list[str]]:
    table: dict[str, list[str]] = {}
    real = netguard.resolve

    async def resolve(host: str, port: int) -> list[str]:
        if host in table:
            return table[host]
        return await real(host, port)

    monkeypatch.setattr(netguard, "resolve", resolve)
    return table


@pytest.mark.asyncio
async def test_public_name_resolving_to_loopback_refused(
    server: HostileServer, fake_dns: dict[str, list[str]]
) -> None:
    fake_dns["news.example.com"] = ["127.0.0.1"]
    before = len(server.requests)
    result = await fetch(server.url("/ok", host="news.example.com"), allow_private=False)
    assert result.outcome == "blocked_address" and "127.0.0.1" in (result.error or "")
    assert len(server.requests) == before  # refused before connecting


@pytest.mark.asyncio
async def test_any_private_address_refuses_the_name(
    server: HostileServer, fake_dns: dict[str, list[str]]
) -> None:
    fake_dns["mixed.example.com"] = ["93.184.216.34", "10.1.2.3"]
    result = await fetch(server.url("/ok", host="mixed.example.com"), allow_private=False)
    assert result.outcome == "blocked_address" and "10.1.2.3" in (result.error or "")


@pytest.mark.asyncio
async def test_redirect_to_name_resolving_privately_refused(
    server: HostileServer, fake_dns: dict[str, list[str]]
) -> None:
    fake_dns["cdn.example.net"] = ["192.168.1.20"]
    result = await fetch(
        server.url("/redirect?to=http://cdn.example.net/x"),
        allow_private=False,
        allowed_networks=("127.0.0.1/32",),
    )
    assert result.outcome == "blocked_address"
    assert result.redirects == ["http://cdn.example.net/x"]


@pytest.mark.asyncio
async def test_connection_goes_to_the_checked_address(
    server: HostileServer, fake_dns: dict[str, list[str]]
) -> None:
    # The system resolver knows nothing of this name: success proves the socket was opened to
    # the address the guard checked, not to a second lookup (DNS rebinding).
    fake_dns["pinned.invalid"] = ["127.0.0.1"]
    result = await fetch(server.url("/ok", host="pinned.invalid"))
    assert result.ok
    assert server.request_headers[-1]["host"] == f"pinned.invalid:{server.port}"


@pytest.mark.asyncio
async def test_dns_failure_is_connection_error() -> None:
    result = await fetch("http://no-such-host.invalid/")
    assert result.outcome == "connection_error"


# -- concurrency ----------------------------------------------------------------------------


@pytest.mark.asyncio
async def test_fetch_many_keeps_order_and_reports_progress(server: HostileServer) -> None:
    urls = [server.url("/ok"), "file:///etc/passwd", server.url("/status/404"), server.url("/pdf")]
    seen: list[tuple[int, int, str]] = []
    async with Fetcher(config(concurrency=2, per_host=1)) as fetcher:
        results = await fetcher.fetch_many(urls, lambda d, t, r: seen.append((d, t, r.outcome)))
    assert [r.outcome for r in results] == ["ok", "invalid_url", "http_error", "ok"]
    assert [r.requested_url for r in results] == urls
    assert [d for d, _, _ in seen] == [1, 2, 3, 4] and all(t == 4 for _, t, _ in seen)


def test_fetch_sync(server: HostileServer) -> None:
    result = fetch_sync(server.url("/ok"), config())
    assert result.ok
    refused = fetch_sync(server.url("/ok"), FetchConfig(allow_private=False))
    assert refused.outcome == "blocked_address"


# -- URLs, refused before any I/O -----------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    [
        "http://",
        "file:///etc/passwd",
        "javascript:alert(1)",
        "http://exa mple.com",
        "http://[::1",
        "",
        "example.com/page",
        "http://user:secret@example.com/",
        "http://example.com:99999/",
        "http://2130706433/",
        "ftp://example.com/",
    ],
)
@pytest.mark.asyncio
async def test_invalid_urls_refused_before_io(raw: str, monkeypatch: pytest.MonkeyPatch) -> None:
    async def no_dns(host: str, port: int) -> list[str]:
        raise AssertionError("resolved an invalid URL")

    monkeypatch.setattr(netguard, "resolve", no_dns)
    with pytest.raises(InvalidSourceURL):
        normalise_url(raw)
    result = await fetch(raw)
    assert result.outcome == "invalid_url" and result.final_url is None and result.error


def test_invalid_url_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="only http and https"):
        normalise_url("file:///etc/passwd")


def test_normalise_url() -> None:
    assert (
        normalise_url("  https://Bücher.example/ä#top ") == "https://xn--bcher-kva.example/%C3%A4"
    )
    assert normalise_url("http://[::1]:8080/x") == "http://[::1]:8080/x"


def test_canonical_url() -> None:
    a = canonical_url("HTTPS://Example.COM:443?utm_source=x&b=2&a=1&fbclid=3&gclid=4#frag")
    b = canonical_url("https://example.com/?a=1&b=2")
    assert a == b == "https://example.com/?a=1&b=2"
    assert canonical_url("http://example.com:80/%7euser/a/../b") == "http://example.com/~user/b"
    assert canonical_url("http://example.com:8080") == "http://example.com:8080/"
    assert canonical_url("http://example.com/?b=1&a=2&b=0") == "http://example.com/?a=2&b=1&b=0"
    assert canonical_url("http://example.com./?utm_medium=email") == "http://example.com/"


# -- the address policy as pure functions ---------------------------------------------------


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "127.255.0.1",
        "10.0.0.1",
        "10.255.255.255",
        "172.16.0.1",
        "172.31.255.1",
        "192.168.1.1",
        "169.254.169.254",
        "::1",
        "fe80::1",
        "::ffff:127.0.0.1",
        "::ffff:10.0.0.1",
        "100.64.0.1",
        "0.0.0.0",
        "::",
        "224.0.0.1",
        "ff02::1",
        "255.255.255.255",
        "240.0.0.1",
        "198.18.0.1",
        "192.0.2.1",
        "fc00::1",
        "fd12:3456::1",
        "2002:7f00:1::",  # 6to4 around 127.0.0.1
        "64:ff9b::a00:1",  # NAT64 around 10.0.0.1
        "2001:db8::1",
    ],
)
def test_non_public_addresses_refused(address: str) -> None:
    assert not netguard.is_public_address(address)
    reason = netguard.refusal_reason(ipaddress.ip_address(address))
    assert reason
    with pytest.raises(netguard.BlockedAddress):
        netguard.AddressPolicy().check(address, address)
    netguard.AddressPolicy(allow_private=True).check(address, address)


@pytest.mark.parametrize(
    "address",
    ["93.184.216.34", "8.8.8.8", "2606:2800:220:1:248:1893:25c8:1946", "64:ff9b::808:808"],
)
def test_public_addresses_allowed(address: str) -> None:
    assert netguard.is_public_address(address)
    netguard.AddressPolicy().check(address, address)


def test_allowed_networks_open_one_range_only() -> None:
    policy = netguard.AddressPolicy(allowed_networks=("127.0.0.1/32",))
    policy.check("127.0.0.1", "127.0.0.1")
    with pytest.raises(netguard.BlockedAddress):
        policy.check("10.0.0.1", "10.0.0.1")


def test_env_switch() -> None:
    assert netguard.env_allows_private({"WORKBENCH_ALLOW_PRIVATE_NETWORKS": "1"})
    assert not netguard.env_allows_private({"WORKBENCH_ALLOW_PRIVATE_NETWORKS": "0"})
    assert not netguard.env_allows_private({})
