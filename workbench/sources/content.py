"""Readable text from fetched bytes: HTML through the same extraction as ingest, plain text,
PDF through pypdf; anything else gets no text (we never invent text from bytes)."""

from __future__ import annotations

import io
from dataclasses import dataclass

MAX_TEXT_CHARS = 2_000_000


@dataclass(frozen=True)
class SourceContent:
    """What a source keeps of a page: its text, title and site name (no author or date)."""

    text: str | None
    title: str | None = None
    site_name: str | None = None
    note: str | None = None  # why there is no text, when there is none


def _media_type(content_type: str | None) -> tuple[str, str | None]:
    if not content_type:
        return "", None
    parts = [p.strip() for p in content_type.split(";")]
    charset = None
    for part in parts[1:]:
        if part.lower().startswith("charset="):
            charset = part.split("=", 1)[1].strip(" \"'") or None
    return parts[0].lower(), charset


def _sniff(body: bytes) -> str:
    head = body[:512].lstrip().lower()
    if body.startswith(b"%PDF-"):
        return "application/pdf"
    if head.startswith((b"<!doctype html", b"<html")) or b"<body" in body[:4096].lower():
        return "text/html"
    return ""


def extract_content(body: bytes, content_type: str | None, url: str | None = None) -> SourceContent:
    from workbench.ingest.clean import normalise_text
    from workbench.ingest.decode import DecodeError, decode_text
    from workbench.ingest.html import NoArticleText, extract_html
    from workbench.ingest.html_meta import available

    media, charset = _media_type(content_type)
    sniffed = _sniff(body)
    # A PNG served as text/html is still a PNG: trust the bytes over the header.
    if media in {"text/html", "application/xhtml+xml"} and sniffed != "text/html":
        try:
            decode_text(body[:65536], charset)
        except DecodeError:
            return SourceContent(None, note=f"the server said {media}, but the bytes are not text")
    if sniffed == "application/pdf" or media == "application/pdf":
        return _pdf(body)
    if media in {"text/html", "application/xhtml+xml"} or sniffed == "text/html":
        try:
            # A source keeps only the title and site name: skip the author and date search.
            article = extract_html(body, url=url, details=not available())
        except NoArticleText as exc:
            return SourceContent(None, note=str(exc))
        except DecodeError as exc:
            return SourceContent(None, note=str(exc))
        return SourceContent(
            article.text[:MAX_TEXT_CHARS],
            title=article.title,
            site_name=article.site_name,
        )
    if media.startswith("text/") or media in {"application/json", "application/xml"}:
        try:
            return SourceContent(normalise_text(decode_text(body, charset))[:MAX_TEXT_CHARS])
        except DecodeError as exc:
            return SourceContent(None, note=str(exc))
    return SourceContent(None, note=f"{media or 'unknown content type'}: kept as bytes, no text")


def _pdf(body: bytes) -> SourceContent:
    try:
        from pypdf import PdfReader
        from pypdf.errors import PdfReadError
    except ImportError:  # pragma: no cover - pypdf is a dependency
        return SourceContent(None, note="PDF text needs pypdf")
    try:
        reader = PdfReader(io.BytesIO(body))
        pages = []
        total = 0
        for page in reader.pages:
            text = page.extract_text() or ""
            pages.append(text)
            total += len(text)
            if total > MAX_TEXT_CHARS:
                break
        title = None
        if reader.metadata is not None and reader.metadata.title:
            title = str(reader.metadata.title)[:500]
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as exc:
        return SourceContent(None, note=f"the PDF could not be read ({exc})")
    text = "\n\n".join(p.strip() for p in pages if p.strip())
    if not text:
        return SourceContent(None, title=title, note="the PDF has no text layer (scanned?)")
    return SourceContent(text[:MAX_TEXT_CHARS], title=title)
