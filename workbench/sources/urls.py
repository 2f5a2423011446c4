"""Validation and canonical forms of source URLs.

Everything here is pure: no DNS, no sockets. A URL that fails here is refused before any I/O.
"""

from __future__ import annotations

import ipaddress
import re
import urllib.parse

import httpx

from workbench.sources.url_typos import suggested_url

__all__ = ["InvalidSourceURL", "TRACKING_PARAMS", "canonical_url", "normalise_url"]


class InvalidSourceURL(ValueError):
    """The text cannot be fetched as a source URL; the message says why, for the user."""


ALLOWED_SCHEMES = frozenset({"http", "https"})

# Exact query keys that identify a click or a campaign, not a page; utm_* is matched by prefix.
TRACKING_PARAMS = frozenset(
    {"fbclid", "gclid", "gbraid", "wbraid", "dclid", "msclkid", "yclid", "igshid", "mc_cid",
     "mc_eid"}
)  # fmt: skip

_LABEL = re.compile(r"^[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?$")
_NUMERIC_LABEL = re.compile(r"^(?:0x[0-9a-f]*|[0-9]+)$")
_ESCAPE = re.compile(r"%([0-9A-Fa-f]{2})")
_UNRESERVED = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")


def _check_host(host: str, shown: str) -> None:
    """Refuse hosts that are neither an IP literal nor a DNS name after IDNA encoding."""
    if not host:
        raise InvalidSourceURL(f"{shown!r} has no host name")
    if ":" in host:  # httpx strips the brackets of an IPv6 literal
        try:
            ipaddress.IPv6Address(host)
        except ValueError:
            raise InvalidSourceURL(f"{shown!r} has an invalid IPv6 address") from None
        return
    name = host[:-1] if host.endswith(".") else host
    if len(name) > 253:
        raise InvalidSourceURL(f"{shown!r} has a host name longer than 253 characters")
    labels = name.split(".")
    # Resolvers read "1.2.3", "0x7f.1" or "2130706433" as IPv4: accept only dotted quads.
    if _NUMERIC_LABEL.match(labels[-1]):
        try:
            ipaddress.IPv4Address(name)
        except ValueError:
            raise InvalidSourceURL(f"{shown!r} has an invalid IPv4 address {name!r}") from None
        return
    for label in labels:
        if not _LABEL.match(label):
            raise InvalidSourceURL(f"{shown!r} has an invalid host name {host!r}")


def normalise_url(raw: str) -> str:
    """Validate `raw` as an http(s) URL and return it IDNA-encoded, without its fragment.

    Refused (InvalidSourceURL): other schemes, a missing or malformed host, whitespace or control
    characters, an out-of-range port, and credentials (a source URL is archived and exported, so a
    password in it would leak).
    """
    text = raw.strip()
    if not text:
        raise InvalidSourceURL("the URL is empty")
    shown = text if len(text) <= 200 else text[:200] + "..."
    if any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 for ch in text):
        raise InvalidSourceURL(f"{shown!r} contains a space or a control character")
    meant = suggested_url(text)
    if meant is not None:
        raise InvalidSourceURL(f"{shown!r} has a mistyped scheme; write it as {meant}")
    scheme, sep, rest = text.partition(":")
    looks_like_port = re.match(r"[0-9]+(?:[/?#]|$)", rest) is not None  # "localhost:8000"
    if not sep or looks_like_port or not re.fullmatch(r"[A-Za-z][A-Za-z0-9+.-]*", scheme):
        raise InvalidSourceURL(f"{shown!r} has no scheme; write it as https://{text}")
    if scheme.lower() not in ALLOWED_SCHEMES:
        raise InvalidSourceURL(
            f"only http and https URLs can be fetched; {shown!r} is a {scheme.lower()}: URL"
        )
    try:
        url = httpx.URL(text)
        host = url.raw_host.decode("ascii")
    except (httpx.InvalidURL, UnicodeError) as exc:  # InvalidURL is not an httpx.HTTPError
        raise InvalidSourceURL(f"{shown!r} is not a valid URL: {exc}") from None
    if not text[len(scheme) + 1 :].startswith("//"):
        raise InvalidSourceURL(f"{shown!r} has no host name; write it as {scheme}://host/path")
    _check_host(host.lower(), shown)
    if url.userinfo:
        raise InvalidSourceURL(
            f"{shown!r} contains a user name or password; remove it (source URLs are archived "
            "and exported)"
        )
    if url.port is not None and not 1 <= url.port <= 65535:
        raise InvalidSourceURL(f"{shown!r} has an invalid port {url.port}")
    return str(url.copy_with(fragment=None))


def _normalise_escapes(text: str) -> str:
    """Uppercase percent escapes and decode those of unreserved characters (RFC 3986 6.2.2)."""

    def fix(match: re.Match[str]) -> str:
        value = int(match.group(1), 16)
        return chr(value) if value in _UNRESERVED else "%" + match.group(1).upper()

    return _ESCAPE.sub(fix, text)


def _is_tracking(key: str) -> bool:
    key = key.lower()
    return key.startswith("utm_") or key in TRACKING_PARAMS


def _query_key(piece: str) -> str:
    return urllib.parse.unquote_plus(piece.partition("=")[0])


def canonical_url(url: str) -> str:
    """The form under which a page is stored once, however it was linked.

    Lowercase scheme and host, no default port, no fragment, no tracking parameters (utm_*,
    fbclid, gclid and a few other click ids), query parameters sorted by key (values of a
    repeated key keep their order), percent escapes normalised, and "/" for an empty path.
    """
    parsed = httpx.URL(normalise_url(url))
    host = parsed.raw_host.decode("ascii").lower().rstrip(".")
    netloc = f"[{host}]" if ":" in host else host
    if parsed.port is not None:  # httpx already drops the scheme's default port
        netloc += f":{parsed.port}"
    path = _normalise_escapes(parsed.raw_path.decode("ascii").partition("?")[0]) or "/"
    pieces = [p for p in parsed.query.decode("ascii").split("&") if p]
    kept = [_normalise_escapes(p) for p in pieces if not _is_tracking(_query_key(p))]
    kept.sort(key=_query_key)
    query = "?" + "&".join(kept) if kept else ""
    return f"{parsed.scheme}://{netloc}{path}{query}"
