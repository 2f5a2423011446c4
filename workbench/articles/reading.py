"""Reading an article to ingest: a file or standard input within the size limit, or a URL
through the sources fetcher; which kind of text it is (plain, Markdown, HTML)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from workbench.errors import ValidationError, WorkbenchError

if TYPE_CHECKING:
    from workbench.config import Settings

HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
MARKDOWN_SUFFIXES = {".md", ".markdown"}
DEFAULT_MAX_BYTES = 5 * 1024 * 1024


def read_limited(stream: BinaryIO, max_bytes: int, what: str) -> bytes:
    # In pieces: read(max_bytes + 1) allocates the whole limit at once, however short the file.
    pieces: list[bytes] = []
    total = 0
    while total <= max_bytes:
        piece = stream.read(min(1 << 20, max_bytes + 1 - total))
        if not piece:
            break
        pieces.append(piece)
        total += len(piece)
    data = b"".join(pieces)
    del pieces
    if len(data) > max_bytes:
        raise ValidationError(
            f"{what} is larger than the {max_bytes:,}-byte limit; "
            "raise ingest.max_bytes in the config file to allow it"
        )
    return data


def read_source(
    source: str, *, max_bytes: int = DEFAULT_MAX_BYTES
) -> tuple[bytes, str, str | None]:
    """The raw bytes of a file or stdin, their kind ("text", "markdown", "html") and charset."""
    if source == "-":
        data = read_limited(sys.stdin.buffer, max_bytes, "standard input")
        kind = "html" if _looks_like_html(data) else "text"
        return data, kind, None
    path = Path(source).expanduser()
    if not path.exists():
        from workbench.sources.url_typos import suggested_url

        meant = suggested_url(source.strip())
        if meant is not None:
            raise ValidationError(f"{source}: no such file; for the web page, write {meant}")
        raise ValidationError(f"{source}: no such file; give a file path, '-' or an http(s) URL")
    if path.is_dir():
        raise ValidationError(f"{source} is a folder; give the article's file")
    size = path.stat().st_size
    if size > max_bytes:
        raise ValidationError(
            f"{source} is {size:,} bytes, over the {max_bytes:,}-byte limit; "
            "raise ingest.max_bytes in the config file to allow it"
        )
    try:
        with path.open("rb") as handle:
            data = read_limited(handle, max_bytes, source)
    except OSError as exc:
        raise ValidationError(f"cannot read {source}: {exc.strerror or exc}") from None
    suffix = path.suffix.lower()
    if suffix in HTML_SUFFIXES or (suffix not in MARKDOWN_SUFFIXES and _looks_like_html(data)):
        return data, "html", None
    return data, ("markdown" if suffix in MARKDOWN_SUFFIXES else "text"), None


def _looks_like_html(data: bytes) -> bool:
    head = data[:1024].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html")) or b"<body" in data[:4096].lower()


def fetch_source(url: str, settings: Settings) -> tuple[bytes, str, str | None, str]:
    """Fetches an article URL through the sources fetcher: bytes, kind, charset, final URL."""
    from workbench.sources.fetch import fetch_sync
    from workbench.sources.fetching import fetch_config

    result = fetch_sync(url, fetch_config(settings))
    if not result.ok:
        raise WorkbenchError(f"could not fetch {url}: {result.error or result.outcome}")
    content_type = (result.content_type or "").lower()
    charset = None
    if "charset=" in content_type:
        charset = content_type.split("charset=", 1)[1].split(";")[0].strip(" \"'") or None
    if "html" in content_type or (not content_type and _looks_like_html(result.body)):
        kind = "html"
    elif content_type.startswith("text/") or not content_type:
        kind = "markdown" if "markdown" in content_type else "text"
    else:
        raise ValidationError(
            f"{url} is {content_type.split(';')[0]}, not an article; "
            "attach it to a claim as a source instead (workbench source add)"
        )
    return result.body, kind, charset, result.final_url or url
