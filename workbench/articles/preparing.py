"""Preparing an article: decode, strip the page furniture, split into sentences and score
every one, with nothing of the database involved (so it can run in another process while
the database opens; see articles/ahead.py)."""

from __future__ import annotations

import hashlib
from array import array
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from workbench.errors import ValidationError
from workbench.ingest.table import ScoredSentences
from workbench.ingest.windows import score_in_windows
from workbench.progress import Progress

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
