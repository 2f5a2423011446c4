"""Ingesting an article: read or fetch it, clean it, split it, score every sentence, and
store the article with all its sentences and its check-worthy sentences as claims, in one
transaction (all or nothing)."""

from __future__ import annotations

import hashlib
import re
import sys
from array import array
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from sqlalchemy import select
from sqlalchemy.orm import Session

from workbench.articles.storing import Progress, insert_claims, insert_sentences
from workbench.core.changes import record_event
from workbench.core.results import ClaimRow
from workbench.core.views import claim_row
from workbench.errors import ValidationError, WorkbenchError
from workbench.ingest.table import ScoredSentence as ScoredSentence
from workbench.ingest.table import ScoredSentences
from workbench.ingest.windows import score_in_windows
from workbench.storage.dbfiles import refuse_database_file
from workbench.storage.models import Article, utcnow

if TYPE_CHECKING:
    from workbench.config import Settings
    from workbench.desk import Desk

_SENTENCE_END = re.compile(r"[.!?…][\"'”’»)\]]*$")
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
MARKDOWN_SUFFIXES = {".md", ".markdown"}
DEFAULT_MAX_BYTES = 5 * 1024 * 1024
TITLE_LIMIT = 300


@dataclass(frozen=True)
class PreparedArticle:
    """A cleaned, split and scored article, not stored yet."""

    text: str
    sentences: ScoredSentences  # offsets into the text and scores, not strings
    title: str | None = None
    url: str | None = None
    author: str | None = None
    site_name: str | None = None
    published: str | None = None
    transcript: bool = False  # scored with speakers: its own threshold applies

    @property
    def content_hash(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class IngestResult:
    article_id: int
    title: str | None
    sentence_count: int
    claims: Sequence[ClaimRow]
    duplicate: bool = False
    source: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "article_id": self.article_id,
            "title": self.title,
            "sentences": self.sentence_count,
            "duplicate": self.duplicate,
            "claims": [{"id": c.id, "text": c.text, "score": c.score} for c in self.claims],
        }


# ---------------------------------------------------------------- reading


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


# ---------------------------------------------------------------- preparing


def prepare_article(
    data: bytes | str,
    kind: str,
    *,
    charset: str | None = None,
    url: str | None = None,
    title: str | None = None,
    name: str = "the article",
    progress: Progress | None = None,
) -> PreparedArticle:
    """Decodes, cleans, splits and scores. Raises ValidationError with a clear message."""
    from workbench.ingest.checkworthy import default_model
    from workbench.ingest.clean import clean_plain_text
    from workbench.ingest.decode import BinaryContentError, DecodeError, decode_text
    from workbench.ingest.split import sentence_spans
    from workbench.ingest.transcript import build_transcript, looks_like_transcript

    if isinstance(data, bytes) and not data.strip():
        raise ValidationError(f"{name} is empty; there is nothing to ingest")
    meta: dict[str, str | None] = {}
    if progress:
        progress(0, 0, "cleaning the text")
    try:
        if kind == "html":
            from workbench.ingest.html import NoArticleText, extract_html

            try:
                extracted = extract_html(data, url=url)
            except NoArticleText as exc:
                raise ValidationError(f"{name}: {exc}") from None
            text = clean_plain_text(extracted.text, markdown=False)
            meta = {
                "title": extracted.title,
                "author": extracted.author,
                "site_name": extracted.site_name,
                "published": extracted.date,
                "url": extracted.url or url,
            }
        else:
            raw = data if isinstance(data, str) else decode_text(data, charset)
            if kind == "text" and looks_like_transcript(raw):
                return _prepared_transcript(build_transcript(raw), title, url)
            text = clean_plain_text(raw, markdown=(kind == "markdown"))
    except BinaryContentError as exc:
        raise ValidationError(
            f"{name} is not text ({exc}); give a .txt, .md or .html file"
        ) from None
    except DecodeError as exc:
        raise ValidationError(f"{name}: {exc}") from None
    if not text.strip():
        raise ValidationError(f"{name} has no article text after removing page furniture")
    if progress:
        progress(0, 0, "splitting into sentences")
    starts, ends = array("q"), array("q")
    for start, end in sentence_spans(text):
        starts.append(start)
        ends.append(end)
    if not starts:
        raise ValidationError(f"{name} has no sentences to check")

    def texts(lo: int, hi: int) -> list[str]:
        return [text[a:b] for a, b in zip(starts[lo:hi], ends[lo:hi], strict=True)]

    scores = score_in_windows(default_model(), len(starts), texts, progress, prose=True)
    scored = ScoredSentences(text, starts, ends, scores)
    chosen_title = (title or meta.get("title") or _title_from_text(text) or "").strip() or None
    return PreparedArticle(
        text=text,
        sentences=scored,
        title=chosen_title[:TITLE_LIMIT] if chosen_title else None,
        url=meta.get("url") or url,
        author=meta.get("author"),
        site_name=meta.get("site_name"),
        published=meta.get("published"),
    )


def _prepared_transcript(transcript: Any, title: str | None, url: str | None) -> PreparedArticle:
    """A ``speaker<TAB>sentence`` transcript, scored with its turn structure."""
    from workbench.ingest.checkworthy import default_model

    if not transcript.sentences:
        raise ValidationError("the transcript has no sentences to check")
    scores = default_model().score([s.text for s in transcript.sentences], transcript.speakers)
    scored = ScoredSentences(
        transcript.text,
        array("q", (s.start for s in transcript.sentences)),
        array("q", (s.end for s in transcript.sentences)),
        array("d", (round(float(score), 4) for score in scores)),
    )
    chosen = (title or "").strip() or None
    return PreparedArticle(
        text=transcript.text,
        sentences=scored,
        title=chosen[:TITLE_LIMIT] if chosen else None,
        url=url,
        transcript=True,
    )


def _title_from_text(text: str) -> str | None:
    """A plain-text article's first line, when it reads like a headline."""
    first = text.strip().split("\n", 1)[0].strip()
    if 3 <= len(first) <= 200 and not first.endswith((".", "?", "!", ":", '"')):
        return first
    return None


# ---------------------------------------------------------------- storing


def default_threshold() -> float:
    from workbench.ingest.checkworthy import DEFAULT_THRESHOLD

    return float(DEFAULT_THRESHOLD)


def select_claims(prepared: PreparedArticle, cutoff: float) -> list[ScoredSentence]:
    """The sentences that become claims, best first: scored at or above ``cutoff``, and whole
    sentences (a headline, label or menu line has no full stop)."""
    ranked = prepared.sentences.ranked_at_least(cutoff)
    return [s for s in ranked if _SENTENCE_END.search(s.text)]


def store_article(
    session: Session,
    reviewer: str,
    prepared: PreparedArticle,
    *,
    threshold: float | None = None,
    source: str = "",
    progress: Progress | None = None,
) -> IngestResult:
    """Stores the article, its sentences and its claims; an article already stored (same
    cleaned text) is returned as it is, with no new rows."""
    existing = session.scalars(
        select(Article).where(Article.content_hash == prepared.content_hash).limit(1)
    ).first()
    if existing is not None:
        from workbench.storage.models import Claim

        stored = session.scalars(
            select(Claim).where(Claim.article_id == existing.id).order_by(Claim.score.desc())
        )
        return IngestResult(
            article_id=existing.id,
            title=existing.title,
            sentence_count=len(existing.sentences),
            claims=[claim_row(c) for c in stored],
            duplicate=True,
            source=source,
        )
    if threshold is not None:
        cutoff = threshold
    elif prepared.transcript:
        from workbench.ingest.checkworthy import default_model

        cutoff = default_model().transcript_threshold
    else:
        cutoff = default_threshold()
    article = Article(
        title=prepared.title,
        url=prepared.url,
        author=prepared.author,
        site_name=prepared.site_name,
        published=prepared.published,
        text=prepared.text,
        content_hash=prepared.content_hash,
        created_at=utcnow(),
    )
    session.add(article)
    session.flush()
    insert_sentences(session, article.id, prepared.sentences, progress)
    record_event(
        session,
        reviewer,
        "article.ingest",
        "article",
        article.id,
        after={
            "title": article.title,
            "url": article.url,
            "sentences": len(prepared.sentences),
            "content_hash": article.content_hash,
            "source": source,
        },
    )
    worthy = select_claims(prepared, cutoff)  # best first
    claims = insert_claims(session, reviewer, article.id, worthy, progress)
    return IngestResult(
        article_id=article.id,
        title=article.title,
        sentence_count=len(prepared.sentences),
        claims=claims,
        source=source,
    )


def ingest_source(
    desk: Desk, source: str, *, title: str | None = None, progress: Progress | None = None
) -> IngestResult:
    """Reads or fetches one SOURCE (a path, '-' or an http(s) URL) and stores it."""
    settings = desk.settings
    lowered = source.strip().lower()
    if lowered.startswith(("http://", "https://")):
        data, kind, charset, final_url = fetch_source(source.strip(), settings)
        prepared = prepare_article(
            data, kind, charset=charset, url=final_url, title=title, name=source, progress=progress
        )
    elif "://" in lowered:
        from workbench.sources.url_typos import suggested_url

        meant = suggested_url(source.strip())
        if meant is not None:
            raise ValidationError(f"{source}: the scheme is mistyped; write {meant}")
        raise ValidationError(f"{source}: only http and https URLs can be ingested")
    else:
        refuse_database_file(source, desk.store.sqlite_path, "ingest")
        data, kind, charset = read_source(source, max_bytes=settings.ingest_max_bytes)
        name = "standard input" if source == "-" else source
        prepared = prepare_article(
            data, kind, charset=charset, title=title, name=name, progress=progress
        )
        if prepared.title is None and source != "-":
            prepared = _with_title(prepared, Path(source).stem)
    del data  # the prepared text is all that is stored
    return desk.write(
        store_article,
        prepared,
        threshold=settings.ingest_threshold,
        source=source,
        progress=progress,
    )


def _with_title(prepared: PreparedArticle, title: str) -> PreparedArticle:
    from dataclasses import replace

    return replace(prepared, title=title)


def rank_sentences(lines: Sequence[str], fmt: str = "plain") -> list[float]:
    """Scores sentences given one a line, in order (blank lines get a score too).

    ``fmt="tsv"``: each line is ``speaker<TAB>sentence`` (the speaker may be empty, and a line
    without a tab is a sentence with no speaker named), so a transcript's turns are used.
    """
    from workbench.ingest.checkworthy import default_model

    if fmt == "tsv":
        from workbench.ingest.transcript import parse_tsv_lines

        speakers, sentences = parse_tsv_lines(list(lines))
        return [float(s) for s in default_model().score(sentences, speakers)]
    return [float(s) for s in default_model().score(list(lines))]
