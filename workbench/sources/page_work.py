"""The CPU half of archiving one fetched page: decode its content encoding (capped), hash it,
extract its text and compress it for the archive.

`finish_page` is a plain function of picklable values so it runs the same in a worker process
(workbench.sources.page_pool) or inline: the stored result cannot depend on where it ran.
"""

from __future__ import annotations

import hashlib
import zlib
from dataclasses import dataclass

from workbench.sources.body import (
    BoundedBody,
    DecodeError,
    TooLarge,
    decoding_message,
    too_large_message,
)

__all__ = ["PageDone", "PageJob", "decode_body", "finish_page"]

# zlib level of the archived body (any level reads back the same): on a 185 KB news page level 3
# takes 2.8 ms for 55 KB where level 6 takes 8.1 ms for 52 KB.
ARCHIVE_LEVEL = 3


@dataclass(frozen=True)
class PageJob:
    body: bytes  # as received: still in its content encodings when `encodings` is not empty
    encodings: tuple[str, ...]  # Content-Encoding names in the order the server listed them
    content_type: str | None
    url: str | None  # the final URL, for the extractor's metadata
    max_bytes: int  # cap on the decoded body


@dataclass(frozen=True)
class PageDone:
    outcome: str  # "ok", or "too_large" / "decoding_error" / "extraction_error"
    error: str | None  # why, when outcome != "ok"
    sha256: str | None = None
    body_size: int | None = None
    archive: bytes | None = None  # zlib-compressed decoded body
    text: str | None = None
    title: str | None = None
    site_name: str | None = None
    note: str | None = None  # why there is no text, when the page is fine but has none

    @property
    def ok(self) -> bool:
        return self.outcome == "ok"


def decode_body(body: bytes, encodings: tuple[str, ...], max_bytes: int) -> bytes:
    """The body with its content encodings undone; raises TooLarge or DecodeError."""
    if not encodings:
        if len(body) > max_bytes:
            raise TooLarge
        return body
    decoder = BoundedBody(list(encodings), max_bytes)
    decoder.write(body)
    return decoder.finish()


def finish_page(job: PageJob) -> PageDone:
    """Everything CPU-bound between the last byte received and the database row."""
    from workbench.sources.content import extract_content

    try:
        body = decode_body(job.body, job.encodings, job.max_bytes)
    except TooLarge:
        return PageDone("too_large", too_large_message(job.max_bytes))
    except DecodeError as exc:
        return PageDone("decoding_error", decoding_message(exc))
    digest = hashlib.sha256(body).hexdigest()
    try:
        content = extract_content(body, job.content_type, job.url)
    except Exception as exc:  # an extractor bug must fail this page, not the whole fetch
        return PageDone("extraction_error", f"extracting the page's text failed: {exc!r}")
    return PageDone(
        "ok",
        None,
        sha256=digest,
        body_size=len(body),
        archive=zlib.compress(body, ARCHIVE_LEVEL),
        text=content.text,
        title=content.title,
        site_name=content.site_name,
        note=content.note,
    )
