"""Which network addresses a fetch may connect to.

A source URL comes from an article or a user, so it may point at the machine itself, the office
network or a cloud metadata service (169.254.169.254). Those are refused unless the caller allows
private networks (WORKBENCH_ALLOW_PRIVATE_NETWORKS=1 or the configuration file).

The check happens where the socket is opened: `GuardedBackend` resolves the host name once,
refuses it if ANY address is not public, and connects to the address it checked, so a DNS answer
that changes between check and connect (DNS rebinding) cannot slip past.
"""

from __future__ import annotations

import asyncio
import ipaddress
import os
import socket
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import httpcore
from httpcore import SOCKET_OPTION, AnyIOBackend, AsyncNetworkBackend, AsyncNetworkStream

__all__ = [
    "ENV_ALLOW_PRIVATE",
    "AddressPolicy",
    "BlockedAddress",
    "GuardedBackend",
    "IPAddress",
    "checked_addresses",
    "env_allows_private",
    "is_public_address",
    "refusal_reason",
    "literal_address",
    "resolve",
]

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

ENV_ALLOW_PRIVATE = "WORKBENCH_ALLOW_PRIVATE_NETWORKS"

# Ranges that `ipaddress` flags do not all cover in Python 3.11, each with the name shown to users.
_EXTRA_REFUSED: tuple[tuple[IPNetwork, str], ...] = tuple(
    (ipaddress.ip_network(net), why)
    for net, why in (
        ("0.0.0.0/8", "a 'this network' address"),
        ("100.64.0.0/10", "a carrier-grade NAT (shared) address"),
        ("192.0.0.0/24", "an IETF protocol address"),
        ("192.88.99.0/24", "a 6to4 relay address"),
        ("198.18.0.0/15", "a benchmarking address"),
        ("240.0.0.0/4", "a reserved address"),
        ("100::/64", "a discard-only address"),
        ("2001::/23", "an IETF protocol address"),
        ("2001:db8::/32", "a documentation address"),
        ("64:ff9b:1::/48", "a local NAT64 address"),
        ("fc00::/7", "a unique local (private) address"),
        ("fec0::/10", "a site-local address"),
    )
)
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")


class BlockedAddress(Exception):
    """A connection was refused because the address is not public. Not an OSError on purpose:
    httpcore must not mistake it for a network failure worth retrying."""

    def __init__(self, host: str, address: str, reason: str) -> None:
        self.host = host
        self.address = address
        self.reason = reason
        shown = address if host == address else f"{host} ({address})"
        super().__init__(
            f"{shown} is {reason}; fetching from non-public networks is refused "
            f"(set {ENV_ALLOW_PRIVATE}=1 or fetch.allow_private_networks to allow it)"
        )


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address stands for (mapped, NAT64, 6to4), if any."""
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip in _NAT64:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return ip.sixtofour


def refusal_reason(ip: IPAddress) -> str | None:
    """Why `ip` is not a public unicast address, or None when it is one."""
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.scope_id:
            return "a scoped (link-local) address"
        inner = _embedded_ipv4(ip)
        if inner is not None:
            why = refusal_reason(inner)
            return None if why is None else f"{why} inside an IPv6 address"
    checks = (
        (ip.is_unspecified, "an unspecified address"),
        (ip.is_loopback, "a loopback address"),
        (ip.is_link_local, "a link-local address"),
        (ip.is_multicast, "a multicast address"),
    )
    for flag, why in checks:
        if flag:
            return why
    for net, why in _EXTRA_REFUSED:
        if ip.version == net.version and ip in net:
            return why
    if ip.is_private:
        return "a private address"
    if ip.is_reserved:
        return "a reserved address"
    if not ip.is_global:
        return "not a public address"
    return None


def is_public_address(address: str | IPAddress) -> bool:
    """True for a public unicast address; False for loopback, private, link-local and the rest."""
    ip = ipaddress.ip_address(address) if isinstance(address, str) else address
    return refusal_reason(ip) is None


@dataclass(frozen=True)
class AddressPolicy:
    """Which addresses may be connected to. `allowed_networks` opens single ranges (one intranet
    server, or the test server) without allowing every private network."""

    allow_private: bool = False
    allowed_networks: tuple[str, ...] = ()

    def refusal(self, ip: IPAddress) -> str | None:
        if self.allow_private:
            return None
        for net in self.allowed_networks:
            network = ipaddress.ip_network(net, strict=False)
            if ip.version == network.version and ip in network:
                return None
        return refusal_reason(ip)

    def check(self, host: str, address: str) -> None:
        """Raise BlockedAddress unless `address` (a resolved address of `host`) is allowed."""
        ip = ipaddress.ip_address(address)
        why = self.refusal(ip)
        if why is not None:
            raise BlockedAddress(host, address, why)


def env_allows_private(environ: Mapping[str, str] | None = None) -> bool:
    """Whether WORKBENCH_ALLOW_PRIVATE_NETWORKS asks for private networks to be allowed."""
    value = (os.environ if environ is None else environ).get(ENV_ALLOW_PRIVATE, "")
    return value.strip().lower() in {"1", "true", "yes", "on"}


def literal_address(host: str) -> IPAddress | None:
    """The address if `host` is an IP literal (without brackets), else None."""
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        return None


async def resolve(host: str, port: int) -> list[str]:
    """All addresses of `host`, in resolver order, without duplicates.

    getaddrinfo blocks, so asyncio runs it in its thread pool. Tests replace this function to make
    a public-looking name resolve to a private address.
    """
    if literal_address(host) is not None:
        return [host]
    loop = asyncio.get_running_loop()
    infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    seen: dict[str, None] = {}
    for _family, _type, _proto, _canon, sockaddr in infos:
        seen.setdefault(str(sockaddr[0]).partition("%")[0], None)
    return list(seen)


async def checked_addresses(host: str, port: int, policy: AddressPolicy) -> list[str]:
    """Resolve `host` and return its addresses if every one is allowed; else BlockedAddress.

    Refusing when ANY address is non-public (not only the first) stops a name that answers with
    one public and one private address from reaching the private one on a retry.
    """
    addresses = await resolve(host, port)
    if not addresses:
        raise httpcore.ConnectError(f"{host} has no addresses")
    for address in addresses:
        policy.check(host, address)
    return addresses


class GuardedBackend(AsyncNetworkBackend):
    """An httpcore network backend that connects only to addresses the policy allows."""

    def __init__(self, policy: AddressPolicy, inner: AsyncNetworkBackend | None = None) -> None:
        self._policy = policy
        self._inner = inner if inner is not None else AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[SOCKET_OPTION] | None = None,
    ) -> AsyncNetworkStream:
        loop = asyncio.get_running_loop()
        started = loop.time()
        try:
            async with asyncio.timeout(timeout):
                addresses = await checked_addresses(host, port, self._policy)
        except TimeoutError:
            message = f"resolving {host} took longer than {timeout} s"
            raise httpcore.ConnectTimeout(message) from None
        except socket.gaierror as exc:
            raise httpcore.ConnectError(f"cannot resolve {host}: {exc.strerror}") from None
        except OSError as exc:
            raise httpcore.ConnectError(f"cannot resolve {host}: {exc}") from None
        failure: Exception | None = None
        for address in addresses:  # the checked address, never a fresh lookup (DNS rebinding)
            remaining = None if timeout is None else max(0.0, timeout - (loop.time() - started))
            try:
                return await self._inner.connect_tcp(
                    address,
                    port,
                    timeout=remaining,
                    local_address=local_address,
                    socket_options=socket_options,
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                failure = exc
        assert failure is not None
        raise failure

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[SOCKET_OPTION] | None = None,
    ) -> AsyncNetworkStream:
        raise httpcore.ConnectError("fetching over Unix sockets is not allowed")

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)
