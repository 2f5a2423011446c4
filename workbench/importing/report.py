"""The JSON report reader: articles, claims, their current verdicts, evidence and sources
(docs/export-json-schema.md), validated and written a chunk at a time."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import islice
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from workbench.core.vocabulary import STANCES, STATUSES
from workbench.errors import ValidationError
from workbench.importing.fields import (
    CLAIM_PEOPLE,
    CLAIM_SUMMARY,
    CLAIM_TEXT,
    EVIDENCE_TEXT,
    HASH_TEXT,
    SOURCE_TEXT,
    VERDICT_TEXT,
    Times,
    record_ref,
    record_score,
    record_status,
    scalar_ref,
    text_field,
    text_fields,
)
from workbench.importing.results import (
    PLAIN_STATUSES,
    ImportResult,
    RecordError,
    Unparsable,
)
from workbench.importing.writer import (
    chunks,
    claim_key,
    existing_claim_keys,
    finish_chunk,
    has_rows,
    summary_event,
    write_claims,
)
from workbench.storage.bulk import insert_plain, insert_rows
from workbench.storage.models import (
    Article,
    Evidence,
    Source,
    Verdict,
    utcnow,
)
from workbench.storage.search import DEFER_FULLTEXT_AT, DeferredIndex


def _check_report_head(head: dict[str, Any], name: str) -> None:
    version = head.get("schema_version")
    if version != 1:
        raise ValidationError(
            f"{name} is a workbench report of schema version {version!r}; this program reads "
            "version 1 (upgrade workbench to import newer reports)"
        )


def _report_source(raw: Any, times: Times) -> dict[str, Any]:
    if not isinstance(raw, dict):
        raise RecordError("'source' must be an object")
    kind = raw.get("kind")
    if kind not in ("url", "citation"):
        raise RecordError(f"'source.kind' must be 'url' or 'citation', not {kind!r}")
    http_status = raw.get("http_status")
    if http_status is not None and (
        isinstance(http_status, bool) or not isinstance(http_status, int)
    ):
        raise RecordError("'source.http_status' must be a whole number")
    source = {"export_id": scalar_ref(raw.get("id"), "source.id"), "kind": kind}
    text_fields(raw, SOURCE_TEXT, source)
    source["http_status"] = http_status
    source["fetched_at"] = times.get(raw, "fetched_at")
    text_fields(raw, HASH_TEXT, source)
    if kind == "url" and not source["url"]:
        raise RecordError("'source.url' is missing for a URL source")
    return source


def _report_claim(
    raw: Any, articles: dict[Any, int | None], times: Times | None = None
) -> dict[str, Any]:
    if times is None:
        times = Times()
    if isinstance(raw, Unparsable):
        raise RecordError(f"not JSON ({raw.message})")
    if not isinstance(raw, dict):
        raise RecordError("a claim must be an object")
    verdict = raw.get("verdict")
    status = record_status(raw, STATUSES if verdict is not None else PLAIN_STATUSES)
    parsed_verdict: dict[str, Any] | None = None
    if verdict is not None:
        if not isinstance(verdict, dict):
            raise RecordError("'verdict' must be an object or null")
        try:
            parsed_verdict = {}
            text_fields(verdict, VERDICT_TEXT, parsed_verdict)
            parsed_verdict["created_at"] = times.get(verdict, "created_at", required=True)
        except RecordError as exc:
            raise RecordError(f"verdict: {exc}") from None
    evidence = raw.get("evidence", [])
    if not isinstance(evidence, list):
        raise RecordError("'evidence' must be a list")
    parsed_evidence = []
    for index, item in enumerate(evidence):
        try:
            if not isinstance(item, dict):
                raise RecordError("must be an object")
            stance = item.get("stance", "context")
            if stance not in STANCES:
                raise RecordError(f"'stance' must be one of {', '.join(STANCES)}")
            parsed = {"stance": stance}
            text_fields(item, EVIDENCE_TEXT, parsed)
            parsed["created_at"] = times.get(item, "created_at") or utcnow()
            parsed["source"] = _report_source(item.get("source"), times)
            parsed_evidence.append(parsed)
        except RecordError as exc:
            raise RecordError(f"evidence[{index}]: {exc}") from None
    article_ref = scalar_ref(raw.get("article_id"), "article_id")
    if article_ref is not None and article_ref not in articles:
        raise RecordError(f"'article_id' {article_ref!r} is not in the document's articles")
    created_at = times.get(raw, "created_at") or utcnow()
    claim: dict[str, Any] = {}
    text_fields(raw, CLAIM_TEXT, claim)
    text_fields(raw, CLAIM_SUMMARY, claim)
    claim["score"] = record_score(raw)
    text_fields(raw, CLAIM_PEOPLE, claim)
    claim.update(
        status=status,
        created_at=created_at,
        updated_at=times.get(raw, "updated_at") or created_at,
        article_ref=article_ref,
        verdict=parsed_verdict,
        evidence=parsed_evidence,
    )
    return claim


_CLAIM_COLUMNS = (
    "text",
    "summary",
    "article_id",
    "score",
    "status",
    "rating",
    "source_count",
    "assignee",
    "created_by",
    "created_at",
    "updated_at",
    "version",
)
_SOURCE_COLUMNS = (
    "kind",
    "url",
    "canonical_url",
    "title",
    "publisher",
    "citation",
    "fetch_status",
    "http_status",
    "fetched_at",
    "content_hash",
    "created_at",
)
REPORT_CHUNK = 10_000  # claims validated and written at a time


def import_report(
    session: Session, reviewer: str, result: ImportResult, document: dict[str, Any], strict: bool
) -> None:
    """A report already parsed as a whole (any layout)."""
    _check_report_head(document, result.file)
    for key in ("articles", "claims"):
        if not isinstance(document.get(key), list):
            raise ValidationError(
                f"{result.file}: '{key}' must be a list (see docs/export-json-schema.md)"
            )
    ReportImport(session, reviewer, result, strict).run(
        document, document["articles"], iter(document["claims"])
    )


class ReportImport:
    """Imports a report's claims a chunk at a time, so a report streamed line by line
    (the exporter's layout) never sits in memory whole. With `strict`, the first chunk with
    a malformed record raises ImportRejected, and the caller's transaction rolls back what
    earlier chunks wrote."""

    def __init__(self, session: Session, reviewer: str, result: ImportResult, strict: bool):
        self.session = session
        self.reviewer = reviewer
        self.result = result
        self.strict = strict
        self.article_fields: dict[Any, dict[str, Any]] = {}
        self.refs: dict[Any, int | None] = {}
        self.existing_keys: set[bytes] = set()
        self.by_canonical: dict[str, int] = {}
        self.by_export_id: dict[Any, int] = {}
        # Into a table that was empty, only this import's rows can match: those are looked up
        # in memory (by_canonical, new_articles) instead of a query per chunk or article.
        self.had_articles = has_rows(session, Article)
        self.had_sources = has_rows(session, Source)
        self.new_articles: dict[tuple[Any, ...], int] = {}

    def run(self, head: dict[str, Any], articles: Iterable[Any], claims: Iterator[Any]) -> None:
        result = self.result
        _check_report_head(head, result.file)
        for index, raw in enumerate(articles):
            try:
                if not isinstance(raw, dict) or record_ref(raw.get("id"), "id") is None:
                    raise RecordError("an article must be an object with an 'id'")
                self.article_fields[raw["id"]] = {
                    "title": text_field(raw, "title", 500, collapse=False),
                    "url": text_field(raw, "url", 8192, collapse=False),
                    "author": text_field(raw, "author", 500, collapse=False),
                    "site_name": text_field(raw, "site_name", 500, collapse=False),
                    "published": text_field(raw, "published", 64),
                }
            except RecordError as exc:
                result.problem(f"articles[{index}]", str(exc))
        self.refs = dict.fromkeys(self.article_fields)
        self.existing_keys = existing_claim_keys(self.session)
        summary = head.get("summary")
        expected = summary.get("claims") if isinstance(summary, dict) else None
        deferral = DeferredIndex(
            self.session, defer=isinstance(expected, int) and expected >= DEFER_FULLTEXT_AT
        )
        index = 0
        times = Times()
        while True:
            parsed: list[dict[str, Any]] = []
            taken = 0
            for raw in islice(claims, REPORT_CHUNK):
                taken += 1
                result.records += 1
                try:
                    parsed.append(_report_claim(raw, self.refs, times))
                except RecordError as exc:
                    result.problem(f"claims[{index}]", str(exc))
                index += 1
            finish_chunk(self.session, self.reviewer, result, self.strict)
            if parsed:
                self._write(parsed)
            if taken < REPORT_CHUNK:
                break
        deferral.finish()
        summary_event(self.session, self.reviewer, result)

    def _resolve_articles(self, claims: list[dict[str, Any]]) -> None:
        """An identical stored article is reused, otherwise one is created."""
        session = self.session
        wanted = {
            c["article_ref"]
            for c in claims
            if c["article_ref"] is not None and self.refs[c["article_ref"]] is None
        }
        new_articles: list[tuple[Any, dict[str, Any]]] = []
        for ref in wanted:
            f = self.article_fields[ref]
            if self.had_articles:
                existing = session.scalar(
                    select(Article.id)
                    .where(
                        *(
                            getattr(Article, k).is_(None) if v is None else getattr(Article, k) == v
                            for k, v in f.items()
                        )
                    )
                    .order_by(Article.id)
                    .limit(1)
                )
            else:
                existing = self.new_articles.get(tuple(f.values()))
            if existing is not None:
                self.refs[ref] = existing
            else:
                new_articles.append((ref, f))
        now = utcnow()
        ids = insert_rows(
            session,
            Article.__table__,  # type: ignore[arg-type]
            [{**f, "text": "", "created_at": now} for record_ref, f in new_articles],
        )
        for (ref, f), new_id in zip(new_articles, ids, strict=True):
            self.refs[ref] = new_id
            self.new_articles.setdefault(tuple(f.values()), new_id)
        self.result.articles += len(ids)

    def _write(self, claims: list[dict[str, Any]]) -> None:
        """Writes a chunk of parsed claims. The parsed dicts themselves are the rows (they
        get their "id", "claim_id" and "source_id" here): no copies of 100,000s of rows."""
        session, result = self.session, self.result
        self._resolve_articles(claims)
        refs, existing_keys = self.refs, self.existing_keys
        kept: list[dict[str, Any]] = []
        for c in claims:
            ref = c["article_ref"]
            c["article_id"] = article_id = refs[ref] if ref is not None else None
            key = claim_key(article_id, c["text"])
            if key in existing_keys:
                result.duplicates += 1
                continue
            existing_keys.add(key)
            kept.append(c)
        self._resolve_sources(kept)
        for c in kept:
            verdict = c["verdict"]
            c["rating"] = verdict["rating"] if verdict else None
            c["source_count"] = len({e["source"]["id"] for e in c["evidence"]})
            c["version"] = 1
        claim_ids = write_claims(
            session, self.reviewer, result, kept, defer_fulltext=False, names=_CLAIM_COLUMNS
        )
        evidence_rows = []
        verdict_rows = []
        for c, claim_id in zip(kept, claim_ids, strict=True):
            for e in c["evidence"]:
                e["claim_id"] = claim_id
                e["source_id"] = e["source"]["id"]
                evidence_rows.append(e)
            verdict = c["verdict"]
            if verdict:
                verdict["claim_id"] = claim_id
                verdict["blind"] = False
                verdict_rows.append(verdict)
        insert_plain(
            session,
            Evidence.__table__,  # type: ignore[arg-type]
            evidence_rows,
            ("claim_id", "source_id", "stance", "quote", "created_by", "created_at"),
        )
        insert_plain(
            session,
            Verdict.__table__,  # type: ignore[arg-type]
            verdict_rows,
            ("rating", "rationale", "reviewer", "created_at", "claim_id", "blind"),
        )
        result.evidence += len(evidence_rows)
        result.verdicts += len(verdict_rows)

    def _resolve_sources(self, claims: list[dict[str, Any]]) -> None:
        """Sets "id" of each parsed source to a stored source's: a URL source whose canonical
        URL is stored is reused; one source of the document (one export id) becomes one
        stored source, across chunks."""
        session = self.session
        by_canonical, by_export_id = self.by_canonical, self.by_export_id
        sources: list[dict[str, Any]] = [e["source"] for c in claims for e in c["evidence"]]
        if self.had_sources:
            wanted = sorted(
                {
                    s["canonical_url"]
                    for s in sources
                    if s["canonical_url"] and s["canonical_url"] not in by_canonical
                }
            )
            for chunk in chunks(wanted):
                for canonical, stored_id in session.execute(
                    select(Source.canonical_url, Source.id).where(Source.canonical_url.in_(chunk))
                ):
                    if canonical:
                        by_canonical[canonical] = stored_id
        pending: list[dict[str, Any]] = []  # to insert
        first_of: dict[Any, dict[str, Any]] = {}  # key -> the pending source with that key
        copies: list[tuple[dict[str, Any], dict[str, Any]]] = []  # (source, its pending twin)
        sid: int | None
        for s in sources:
            canonical = s["canonical_url"]
            if canonical:
                key: Any = canonical
                sid = by_canonical.get(canonical)
            else:
                export_id = s["export_id"]
                if export_id is None:
                    pending.append(s)  # nothing identifies it: a source of its own
                    continue
                key = ("export id", export_id)
                sid = by_export_id.get(export_id)
            if sid is not None:
                s["id"] = sid
                continue
            twin = first_of.get(key)
            if twin is None:
                first_of[key] = s
                pending.append(s)
            else:
                copies.append((s, twin))
        now = utcnow()
        for s in pending:
            s["created_at"] = now
        ids = insert_rows(session, Source.__table__, pending, _SOURCE_COLUMNS)  # type: ignore[arg-type]
        for s in pending:
            if s["canonical_url"]:
                by_canonical[s["canonical_url"]] = s["id"]
            elif s["export_id"] is not None:
                by_export_id[s["export_id"]] = s["id"]
        for s, twin in copies:
            s["id"] = twin["id"]
        self.result.sources += len(ids)
