"""Importing claims, earlier fact-checks and whole reports (a service module).

`import_file(session, reviewer, path)` reads:
- CSV or JSON Lines of claims: `text` (required) and optionally `score`, `status`,
  `article_title`, `article_url`; other columns are ignored, so `workbench export --format
  csv` files import too (their formula guards, see export/safety.py, are removed);
- ClaimReview JSON-LD (a single object, a list, a DataFeed or an @graph): stored as
  known fact-checks (FactCheck rows) with their publisher, rating and URL;
- the JSON report of `workbench export --format json` (docs/export-json-schema.md): articles,
  claims, their current verdicts, evidence and sources.

Importing the same file twice adds nothing: a claim already present with the same text in
the same article (or both without one) is skipped, a fact-check is identified by a
fingerprint of its claim, URL and publisher, a URL source by its canonical URL. Malformed
records are reported with their line (CSV, JSON Lines) or index (JSON) and the valid ones
imported; `strict=True` imports all or nothing.

Speed: rows are written with SQLAlchemy Core `insert()` executemany (GUIDE section 7), in
the caller's transaction. The audit trail gets one `claim.import` event per imported claim
(also written in bulk) and one `import.file` summary event per import, which counts the
fact-checks, articles, sources, evidence and verdicts it added: those have no event each.
On SQLite, a large import suspends the full-text trigger inside its own transaction and
indexes the new claims in one statement afterwards (5x faster; atomic, as SQLite DDL is
transactional). A JSON report of 100,000 claims imports in about 15 s here, of which
SQLite's own inserts take about half: claim lines are parsed with orjson, each record is
checked in one table-driven call, the parsed dicts themselves become the rows, repeated
times are parsed and formatted once, lookups into tables that were empty before the import
are made in memory, and the cyclic garbage collector is paused while an import runs.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import islice
from operator import itemgetter
from pathlib import Path
from typing import Any, cast

import orjson
from sqlalchemy import Table, func, insert, select, text
from sqlalchemy.orm import Session

from workbench.audit import seal_rows
from workbench.bulk import collector_paused
from workbench.dbfiles import refuse_database_file, session_database
from workbench.errors import ValidationError, WorkbenchError
from workbench.import_records import READABLE_FORMATS, csv_records, jsonl_records
from workbench.importing.claimreview import read_document as read_fact_checks
from workbench.importing.htmlpage import looks_like_html, read_page
from workbench.models import Article, Claim, Event, Evidence, FactCheck, Source, Verdict, utcnow
from workbench.review import MAX_CLAIM_CHARS, MAX_RATIONALE_CHARS, STANCES, STATUSES, record_event
from workbench.wording import counted

# Statuses a claim can arrive with without a verdict: "reviewed" and "approved" need one.
PLAIN_STATUSES = ("new", "in-progress", "dismissed")
INSERT_CHUNK = 5000
LOOKUP_CHUNK = 500
# Imports of more claims than this defer the SQLite full-text trigger (see the module doc).
DEFER_FULLTEXT_AT = 2000
MAX_PROBLEMS_KEPT = 1000


@dataclass(frozen=True)
class ImportProblem:
    where: str  # "line 4", "record 3", "claims[12].verdict.rating"
    message: str

    def to_json(self) -> dict[str, str]:
        return {"where": self.where, "message": self.message}

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


@dataclass
class ImportResult:
    file: str
    format: str  # "csv", "jsonl", "claimreview" or "report"
    records: int = 0
    claims: int = 0
    fact_checks: int = 0
    articles: int = 0
    sources: int = 0
    evidence: int = 0
    verdicts: int = 0
    duplicates: int = 0
    problem_count: int = 0
    problems: list[ImportProblem] = field(default_factory=list)
    claim_ids: list[int] = field(default_factory=list)

    def problem(self, where: str, message: str) -> None:
        self.problem_count += 1
        if len(self.problems) < MAX_PROBLEMS_KEPT:
            self.problems.append(ImportProblem(where, message))

    def to_json(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "format": self.format,
            "records": self.records,
            "added": {
                "claims": self.claims,
                "fact_checks": self.fact_checks,
                "articles": self.articles,
                "sources": self.sources,
                "evidence": self.evidence,
                "verdicts": self.verdicts,
            },
            "duplicates": self.duplicates,
            "problem_count": self.problem_count,
            "problems": [p.to_json() for p in self.problems],
        }


class ImportRejected(WorkbenchError):
    """A strict import found malformed records and wrote nothing."""

    def __init__(self, result: ImportResult) -> None:
        self.result = result
        first = result.problems[0] if result.problems else None
        super().__init__(
            f"{result.file}: {counted(result.problem_count, 'malformed record')}, nothing imported "
            f"(--strict); first: {first}"
        )


class ImportRefused(ImportRejected):
    """Every record of the file was refused: most likely a file in a format import does not
    read. Nothing is written."""

    def __init__(self, result: ImportResult) -> None:
        super().__init__(result)
        first = result.problems[0] if result.problems else None
        self.args = (
            f"{result.file}: none of its {result.records} record(s) could be imported "
            f"(first: {first}); {READABLE_FORMATS}",
        )


class RecordError(Exception):
    """One record is malformed; the message says which field and why."""


# --------------------------------------------------------------------- reading


def read_source(path: str) -> tuple[str, str]:
    """(display name, text) of a file, or of stdin for "-"."""
    import sys

    if path == "-":
        return "stdin", sys.stdin.read()
    file = Path(path)
    try:
        raw = file.read_bytes()
    except FileNotFoundError:
        raise ValidationError(f"{path} does not exist") from None
    except IsADirectoryError:
        raise ValidationError(f"{path} is a folder; give a CSV, JSON Lines or JSON file") from None
    except OSError as exc:
        raise ValidationError(f"cannot read {path}: {exc.strerror}") from None
    try:
        return path, raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValidationError(
            f"{path} is not UTF-8 text (byte {exc.start}); save it as UTF-8 and try again "
            f"({READABLE_FORMATS})"
        ) from None


def detect_format(name: str, content: str) -> tuple[str, Any]:
    """("csv" | "jsonl" | "claimreview" | "report", parsed JSON or None)."""
    suffix = Path(name).suffix.lower()
    if suffix == ".csv":
        return "csv", None
    if suffix in (".jsonl", ".ndjson"):
        return "jsonl", None
    stripped = content.lstrip()
    if not stripped:
        raise ValidationError(f"{name} is empty")
    if looks_like_html(name, stripped):
        return "claimreview", read_page(content)  # its JSON-LD blocks
    if stripped[0] not in "{[":
        return "csv", None
    try:
        document = json.loads(content)
    except json.JSONDecodeError as exc:
        if exc.msg == "Extra data":
            return "jsonl", None  # one JSON value a line (those not objects are reported)
        raise ValidationError(
            f"{name} is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"
        ) from None
    if isinstance(document, dict) and document.get("format") == "workbench-report":
        return "report", document
    return "claimreview", document


def import_file(
    session: Session, reviewer: str, path: str, *, strict: bool = False
) -> ImportResult:
    """Imports a file (or stdin for "-"). A JSON report in the exporter's own layout is
    read line by line, so a report of 100,000 claims is never in memory whole."""
    refuse_database_file(path, session_database(session), "import from")
    with collector_paused():
        if path != "-" and Path(path).suffix.lower() not in (".csv", ".jsonl", ".ndjson"):
            streamed = _import_report_stream(session, reviewer, path, strict)
            if streamed is not None:
                return streamed
        name, content = read_source(path)
        return import_text(session, reviewer, name, content, strict=strict)


def refuse_if_nothing_read(result: ImportResult) -> None:
    """Raises ImportRefused when every record of the import was refused (a file in a format
    import does not read, most likely); raised inside the import's transaction, it drops
    the summary event too, so nothing at all is written."""
    if result.problem_count and not (result.claims or result.fact_checks or result.duplicates):
        raise ImportRefused(result)


class _NotStreamable(Exception):
    """The file is not in the exporter's line layout; read it whole instead."""


def _import_report_stream(
    session: Session, reviewer: str, path: str, strict: bool
) -> ImportResult | None:
    from workbench.export.jsondoc import FORMAT_NAME

    try:
        handle = open(path, encoding="utf-8-sig")  # noqa: SIM115 - closed below
    except OSError:
        return None  # read_source says what is wrong
    with handle:
        try:
            start = handle.read(64)
        except UnicodeDecodeError:
            return None
        if not start.startswith('{\n"format":' + json.dumps(FORMAT_NAME)):
            return None
        handle.seek(0)
        lines = iter(handle)
        try:
            head, articles = _stream_head(lines)
        except (_NotStreamable, UnicodeDecodeError):
            return None
        result = ImportResult(file=path, format="report")
        try:
            _ReportImport(session, reviewer, result, strict).run(
                head, articles, _stream_claims(lines)
            )
        except UnicodeDecodeError:
            # The caller's transaction rolls back what earlier chunks wrote.
            raise ValidationError(
                f"{path} is not UTF-8 text (somewhere past claim {result.records}); "
                "save it as UTF-8 and try again"
            ) from None
        return result


def _stream_head(lines: Iterator[str]) -> tuple[dict[str, Any], list[Any]]:
    """The head fields and the articles of a report in the exporter's layout: "{", one
    `"key":value,` a line, `"articles":[`, one article a line, `],`, `"claims":[`."""
    if next(lines, "").strip() != "{":
        raise _NotStreamable
    fields: list[str] = []
    for line in lines:
        stripped = line.strip()
        if stripped == '"articles":[':
            break
        fields.append(stripped.rstrip(","))
    else:
        raise _NotStreamable
    try:
        head = json.loads("{" + ",".join(fields) + "}")
        articles = []
        for line in lines:
            stripped = line.strip()
            if stripped == "],":
                break
            articles.append(json.loads(stripped.rstrip(",")))
        else:
            raise _NotStreamable
    except json.JSONDecodeError:
        raise _NotStreamable from None
    if next(lines, "").strip() != '"claims":[' or not isinstance(head, dict):
        raise _NotStreamable
    return head, articles


def _stream_claims(lines: Iterator[str]) -> Iterator[Any]:
    """The claims, one a line; a line that is not JSON yields a marker the validator reports."""
    for line in lines:
        stripped = line.strip()
        if stripped == "]":
            return
        if not stripped:
            continue
        try:
            yield _loads_line(stripped.rstrip(","))
        except json.JSONDecodeError as exc:
            yield _Unparsable(exc.msg)


def _loads_line(line: str) -> Any:
    """json.loads, about twice as fast with orjson. What orjson refuses (NaN, integers beyond
    64 bits, lone surrogates, or a real error) goes to json, so the result, or the error
    reported, is json's."""
    try:
        return orjson.loads(line)
    except Exception:  # json decides below
        pass
    return json.loads(line)


@dataclass(frozen=True)
class _Unparsable:
    message: str


def import_text(
    session: Session, reviewer: str, name: str, content: str, *, strict: bool = False
) -> ImportResult:
    kind, document = detect_format(name, content)
    result = ImportResult(file=name, format=kind)
    if kind == "csv":
        _import_claim_records(session, reviewer, result, csv_records(content, name), strict)
    elif kind == "jsonl":
        _import_claim_records(session, reviewer, result, jsonl_records(content), strict)
    elif kind == "claimreview":
        _import_fact_checks(session, reviewer, result, document, strict)
    else:
        _import_report(session, reviewer, result, document, strict)
    return result


# --------------------------------------------------------------------- field checks


def _text_field(
    record: dict[str, Any], key: str, limit: int, *, required: bool = False, collapse: bool = True
) -> str | None:
    value = record.get(key)
    if value.__class__ is str and value and not value.isspace():
        # Free text (quotes, rationales, URLs) is kept verbatim: the round trip must not
        # change it.
        cleaned: str = " ".join(value.split()) if collapse else value
        if len(cleaned) > limit:
            raise RecordError(f"'{key}' is {len(cleaned)} characters; the limit is {limit}")
        return cleaned
    if value is None or isinstance(value, str):
        if required:
            raise RecordError(f"'{key}' is missing or empty")
        return None
    raise RecordError(f"'{key}' must be text, not {type(value).__name__}")


def _score(record: dict[str, Any]) -> float | None:
    value = record.get("score")
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise RecordError("'score' must be a number between 0 and 1")
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise RecordError(f"'score' must be a number between 0 and 1, not {value!r}") from None
    if not math.isfinite(number) or not 0 <= number <= 1:
        raise RecordError(f"'score' must be between 0 and 1, not {value!r}")
    return number


def _status(record: dict[str, Any], allowed: Sequence[str]) -> str:
    value = record.get("status")
    if value is None or (isinstance(value, str) and not value.strip()):
        return "new"
    if not isinstance(value, str) or value.strip().lower() not in STATUSES:
        raise RecordError(f"'status' {value!r} is not one of {', '.join(STATUSES)}")
    status = value.strip().lower()
    if status not in allowed:
        raise RecordError(
            f"'status' {status!r} needs a verdict, which this format does not carry; "
            f"use one of {', '.join(allowed)} (or import a JSON report)"
        )
    return status


def _when(record: dict[str, Any], key: str, *, required: bool = False) -> datetime | None:
    value = record.get(key)
    if value is None:
        if required:
            raise RecordError(f"'{key}' is missing")
        return None
    if not isinstance(value, str):
        raise RecordError(f"'{key}' must be an ISO 8601 time")
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise RecordError(f"'{key}' {value[:40]!r} is not an ISO 8601 time") from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


class _Times:
    """`_when` remembering what it parsed: the times of a report repeat (a claim's created and
    updated times, its evidence, sources fetched together), and parsing is most of their cost."""

    def __init__(self) -> None:
        self.seen: dict[str, datetime] = {}

    def get(self, record: dict[str, Any], key: str, *, required: bool = False) -> datetime | None:
        value = record.get(key)
        if value.__class__ is str:
            found = self.seen.get(value)
            if found is not None:
                return found
        parsed = _when(record, key, required=required)
        if parsed is not None:
            if len(self.seen) >= 10_000:
                self.seen.clear()  # bounded: a report of all-different times gains nothing
            self.seen[cast(str, value)] = parsed
        return parsed


# (key in the record, key in the result, limit, collapse whitespace, required)
TextSpec = tuple[tuple[str, str, int, bool, bool], ...]


def _text_fields(record: dict[str, Any], spec: TextSpec, out: dict[str, Any]) -> None:
    """`_text_field` of each field of `spec` into `out`: one call for all of a record's text
    (a report has millions), the usual case tested inline, anything else left to
    `_text_field`, which returns None or says what is wrong."""
    get = record.get
    for key, name, limit, collapse, required in spec:
        value = get(key)
        if value.__class__ is str:
            cleaned = " ".join(value.split()) if collapse else value
            if cleaned and len(cleaned) <= limit and (collapse or not value.isspace()):
                out[name] = cleaned
                continue
        elif value is None and not required:
            out[name] = None
            continue
        out[name] = _text_field(record, key, limit, required=required, collapse=collapse)


# --------------------------------------------------------------------- writing helpers


def _allocate_ids(session: Session, table: Table, count: int) -> list[int]:
    """`count` fresh primary keys for `table`. RETURNING with executemany degrades to one
    statement a row on SQLite (40,000 statements for 40,000 rows), so ids are chosen
    first: on PostgreSQL from the table's sequence, on SQLite above the current maximum,
    which is safe because writes there hold the database's write lock (BEGIN IMMEDIATE)."""
    if count == 0:
        return []
    if session.get_bind().dialect.name == "postgresql":
        rows = session.execute(
            text("SELECT nextval(pg_get_serial_sequence(:t, 'id')) FROM generate_series(1, :n)"),
            {"t": table.name, "n": count},
        )
        return [int(r[0]) for r in rows]
    top = int(session.scalar(select(func.max(table.c.id))) or 0)
    return list(range(top + 1, top + 1 + count))


def _insert(
    session: Session,
    table: Table,
    rows: list[dict[str, Any]],
    names: Sequence[str] | None = None,
) -> list[int]:
    """Core executemany with ids chosen up front; returns the ids in the order of `rows`.
    `names`: the columns to insert when the rows hold other keys too (besides "id")."""
    ids = _allocate_ids(session, table, len(rows))
    for row, new_id in zip(rows, ids, strict=True):
        row["id"] = new_id
    _insert_plain(session, table, rows, None if names is None else ["id", *names])
    return ids


def _insert_plain(
    session: Session,
    table: Table,
    rows: list[dict[str, Any]],
    names: Sequence[str] | None = None,
) -> None:
    """Core executemany. On SQLite the rows go to the driver's executemany as tuples with
    the values already in SQLAlchemy's storage form: its per-row parameter processing is
    most of the time of a large import (construct_params and type processors)."""
    if not rows:
        return
    if session.get_bind().dialect.name == "sqlite":
        _insert_sqlite(session, table, rows, names)
        return
    if names is not None:
        rows = [{n: row[n] for n in names} for row in rows]
    for start in range(0, len(rows), INSERT_CHUNK):
        session.execute(insert(table), rows[start : start + INSERT_CHUNK])


def _sqlite_time(value: datetime | None) -> str | None:
    # The storage format of SQLAlchemy's SQLite DATETIME, in UTC as UTCDateTime keeps it.
    if value is None:
        return None
    tz = value.tzinfo
    if tz is not None and tz is not UTC and value.utcoffset():
        value = value.astimezone(UTC)
    # One C call; the slice drops the "+00:00" an aware time carries.
    return value.isoformat(" ", "microseconds")[:26]


def _sqlite_json(value: Any) -> str | None:
    return None if value is None else json.dumps(value)


def _sqlite_bool(value: Any) -> int | None:
    return None if value is None else int(bool(value))


def _by_distinct(convert: Any, values: list[Any]) -> Iterator[Any]:
    """`map(convert, values)` converting each distinct value once: bulk rows repeat times
    (every source and event of an import is created at the same `now`), and formatting is
    most of their cost. For hashable values with equal ones converting alike."""
    table = {value: convert(value) for value in set(values)}
    return map(table.__getitem__, values)


def _insert_sqlite(
    session: Session, table: Table, rows: list[dict[str, Any]], names: Sequence[str] | None
) -> None:
    from sqlalchemy import JSON, Boolean

    from workbench.models import UTCDateTime

    names = list(rows[0]) if names is None else list(names)
    converters: list[Any] = []
    for name in names:
        column_type = table.c[name].type
        if isinstance(column_type, UTCDateTime):
            converters.append(_sqlite_time)
        elif isinstance(column_type, JSON):
            converters.append(_sqlite_json)
        elif isinstance(column_type, Boolean):
            converters.append(_sqlite_bool)
        else:
            converters.append(None)
    columns = ", ".join(f'"{n}"' for n in names)
    sql = f'INSERT INTO "{table.name}" ({columns}) VALUES ({", ".join("?" * len(names))})'
    conn = session.connection()
    for start in range(0, len(rows), INSERT_CHUNK):
        chunk = rows[start : start + INSERT_CHUNK]
        # Column by column with map (loops in C), then zipped into the driver's tuples.
        columns_values: list[Iterator[Any]] = []
        for name, convert in zip(names, converters, strict=True):
            values: Iterator[Any] = map(itemgetter(name), chunk)
            if convert is _sqlite_json:
                values = map(convert, values)
            elif convert is not None:
                values = _by_distinct(convert, list(values))
            columns_values.append(values)
        conn.exec_driver_sql(sql, list(zip(*columns_values, strict=True)))


def _chunks(items: Sequence[Any], size: int = LOOKUP_CHUNK) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _claim_key(article_id: int | None, text_value: str) -> bytes:
    return hashlib.blake2b(f"{article_id}\x00{text_value}".encode(), digest_size=16).digest()


def _has_rows(session: Session, model: type[Any]) -> bool:
    return session.scalar(select(model.id).limit(1)) is not None


def _existing_claim_keys(session: Session) -> set[bytes]:
    """Keys of the claims already stored, for duplicate detection (hashes, not texts)."""
    return {
        _claim_key(article_id, body)
        for article_id, body in session.execute(select(Claim.article_id, Claim.text))
    }


class _FullTextDeferral:
    """On SQLite, drops the claims full-text insert trigger for a bulk insert and restores
    it (and indexes the new rows) afterwards, all inside the caller's transaction."""

    def __init__(self, session: Session, expected: int) -> None:
        self.session = session
        self.trigger_sql: str | None = None
        self.after_id = 0
        if session.get_bind().dialect.name != "sqlite" or expected < DEFER_FULLTEXT_AT:
            return
        self.trigger_sql = session.execute(
            text("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = :n"),
            {"n": "claims_fts_insert"},
        ).scalar()
        if self.trigger_sql:
            self.after_id = int(session.scalar(select(func.max(Claim.id))) or 0)
            session.execute(text("DROP TRIGGER claims_fts_insert"))

    def finish(self) -> None:
        if not self.trigger_sql:
            return
        self.session.execute(
            text("INSERT INTO claims_fts(rowid, text) SELECT id, text FROM claims WHERE id > :a"),
            {"a": self.after_id},
        )
        self.session.execute(text(self.trigger_sql))
        self.trigger_sql = None


def _claim_events(
    reviewer: str, result: ImportResult, rows: list[dict[str, Any]], ids: list[int]
) -> list[dict[str, Any]]:
    now = utcnow()
    return [
        {
            "at": now,
            "reviewer": reviewer,
            "action": "claim.import",
            "entity": "claim",
            "entity_id": claim_id,
            "claim_id": claim_id,
            "before": None,
            "after": {
                "text": row["text"],
                "status": row["status"],
                "score": row["score"],
                "rating": row.get("rating"),
                "article_id": row["article_id"],
                "source_count": row.get("source_count", 0),
                "file": result.file,
            },
        }
        for row, claim_id in zip(rows, ids, strict=True)
    ]


def _summary_event(session: Session, reviewer: str, result: ImportResult) -> None:
    summary = result.to_json()
    summary.pop("problems")
    record_event(session, reviewer, "import.file", "import", None, after=summary)


def _finish(session: Session, reviewer: str, result: ImportResult, strict: bool) -> None:
    if strict and result.problem_count:
        raise ImportRejected(result)


# --------------------------------------------------------------------- articles


class _Articles:
    """Finds or creates articles by URL (or by title when there is no URL)."""

    def __init__(self, session: Session, result: ImportResult) -> None:
        self.session = session
        self.result = result
        self.by_key: dict[tuple[str, str], int] = {}

    def resolve(self, title: str | None, url: str | None) -> int | None:
        if not title and not url:
            return None
        key = ("url", url) if url else ("title", title or "")
        found = self.by_key.get(key)
        if found is not None:
            return found
        column = Article.url if url else Article.title
        existing = self.session.scalar(
            select(Article.id).where(column == key[1]).order_by(Article.id).limit(1)
        )
        if existing is None:
            existing = _insert(
                self.session,
                Article.__table__,  # type: ignore[arg-type]
                [{"title": title, "url": url, "text": "", "created_at": utcnow()}],
            )[0]
            self.result.articles += 1
        self.by_key[key] = existing
        return existing


# --------------------------------------------------------------------- claims (CSV, JSONL)


def _import_claim_records(
    session: Session,
    reviewer: str,
    result: ImportResult,
    records: Iterable[tuple[str, dict[str, Any]]],
    strict: bool,
) -> None:
    parsed: list[tuple[str, dict[str, Any]]] = []
    for where, record in records:
        result.records += 1
        if "__error__" in record:
            result.problem(where, str(record["__error__"]))
            continue
        try:
            parsed.append(
                (
                    where,
                    {
                        "text": _text_field(record, "text", MAX_CLAIM_CHARS, required=True),
                        "score": _score(record),
                        "status": _status(record, PLAIN_STATUSES),
                        "article_title": _text_field(record, "article_title", 500),
                        "article_url": _text_field(record, "article_url", 4096),
                    },
                )
            )
        except RecordError as exc:
            result.problem(where, str(exc))
    _finish(session, reviewer, result, strict)
    articles = _Articles(session, result)
    existing = _existing_claim_keys(session) if parsed else set()
    now = utcnow()
    rows: list[dict[str, Any]] = []
    for _where, item in parsed:
        article_id = articles.resolve(item["article_title"], item["article_url"])
        key = _claim_key(article_id, item["text"])
        if key in existing:
            result.duplicates += 1
            continue
        existing.add(key)
        rows.append(
            {
                "text": item["text"],
                "article_id": article_id,
                "score": item["score"],
                "status": item["status"],
                "rating": None,
                "source_count": 0,
                "created_by": reviewer,
                "created_at": now,
                "updated_at": now,
                "version": 1,
            }
        )
    _write_claims(session, reviewer, result, rows)
    _summary_event(session, reviewer, result)


def _write_claims(
    session: Session,
    reviewer: str,
    result: ImportResult,
    rows: list[dict[str, Any]],
    *,
    defer_fulltext: bool = True,
    names: Sequence[str] | None = None,
) -> list[int]:
    """`names`: the columns, when the rows hold other keys too."""
    deferral = _FullTextDeferral(session, len(rows) if defer_fulltext else 0)
    ids = _insert(session, Claim.__table__, rows, names)  # type: ignore[arg-type]
    deferral.finish()
    # Bulk events join the tamper-evident chain like any other (audit.seal_rows).
    events = seal_rows(session, _claim_events(reviewer, result, rows, ids))
    _insert_plain(session, Event.__table__, events)  # type: ignore[arg-type]
    result.claims += len(ids)
    result.claim_ids.extend(ids)
    return ids


# --------------------------------------------------------------------- ClaimReview


def _import_fact_checks(
    session: Session, reviewer: str, result: ImportResult, document: Any, strict: bool
) -> None:
    """Reading is workbench/importing/claimreview.py's job; this stores what it read."""
    reading = read_fact_checks(document)
    fields: list[dict[str, Any]] = []
    for found in reading.found:
        result.records += 1
        if found.fields is None:
            result.problem(found.where, found.problem or "not readable")
        else:
            fields.append(found.fields)
    _finish(session, reviewer, result, strict)
    if not fields:
        first = result.problems[0] if result.problems else None
        raise ValidationError(
            f"{result.file}: no fact-check could be read"
            + (
                f" ({result.problem_count} record(s) reported; first: {first})"
                if first
                else " (no ClaimReview, Fact Check Tools API or ClaimReviewMarkupPage layout found)"
            )
            + f"; {READABLE_FORMATS}"
        )
    store_fact_checks(session, result, fields)
    _summary_event(session, reviewer, result)


def store_fact_checks(session: Session, result: ImportResult, fields: list[dict[str, Any]]) -> None:
    """Inserts the fact-checks not stored yet (by fingerprint); counts the others."""
    seen: set[str] = set()
    fingerprints = [f["fingerprint"] for f in fields]
    for chunk in _chunks(fingerprints):
        seen.update(
            session.scalars(select(FactCheck.fingerprint).where(FactCheck.fingerprint.in_(chunk)))
        )
    now = utcnow()
    rows = []
    for f in fields:
        if f["fingerprint"] in seen:
            result.duplicates += 1
            continue
        seen.add(f["fingerprint"])
        rows.append({**f, "created_at": now})
    _insert_plain(session, FactCheck.__table__, rows)  # type: ignore[arg-type]
    result.fact_checks += len(rows)


# --------------------------------------------------------------------- JSON report


def _check_report_head(head: dict[str, Any], name: str) -> None:
    version = head.get("schema_version")
    if version != 1:
        raise ValidationError(
            f"{name} is a workbench report of schema version {version!r}; this program reads "
            "version 1 (upgrade workbench to import newer reports)"
        )


def _ref(value: Any, what: str) -> int | str | None:
    """An identifier from the document: it keys dictionaries, so only scalars."""
    if value is None or (isinstance(value, int | str) and not isinstance(value, bool)):
        return value
    raise RecordError(f"'{what}' must be a number or text, not {type(value).__name__}")


_SOURCE_TEXT: TextSpec = (
    ("url", "url", 8192, False, False),
    ("canonical_url", "canonical_url", 2048, False, False),
    ("title", "title", 500, False, False),
    ("publisher", "publisher", 500, False, False),
    ("citation", "citation", MAX_RATIONALE_CHARS, False, False),
    ("fetch_status", "fetch_status", 40, True, False),
)
_HASH_TEXT: TextSpec = (("snapshot_sha256", "content_hash", 64, True, False),)
_EVIDENCE_TEXT: TextSpec = (
    ("quote", "quote", MAX_RATIONALE_CHARS, False, False),
    ("created_by", "created_by", 200, True, False),
)
_VERDICT_TEXT: TextSpec = (
    ("rating", "rating", 40, True, True),
    ("rationale", "rationale", MAX_RATIONALE_CHARS, False, True),
    ("reviewer", "reviewer", 200, True, True),
)
_CLAIM_TEXT: TextSpec = (("text", "text", MAX_CLAIM_CHARS, True, True),)
_CLAIM_PEOPLE: TextSpec = (
    ("assignee", "assignee", 200, True, False),
    ("created_by", "created_by", 200, True, False),
)


def _scalar_ref(value: Any, what: str) -> int | str | None:
    # _ref with its usual case inline.
    return value if value.__class__ is int or value.__class__ is str else _ref(value, what)


def _report_source(raw: Any, times: _Times) -> dict[str, Any]:
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
    source = {"export_id": _scalar_ref(raw.get("id"), "source.id"), "kind": kind}
    _text_fields(raw, _SOURCE_TEXT, source)
    source["http_status"] = http_status
    source["fetched_at"] = times.get(raw, "fetched_at")
    _text_fields(raw, _HASH_TEXT, source)
    if kind == "url" and not source["url"]:
        raise RecordError("'source.url' is missing for a URL source")
    return source


def _report_claim(
    raw: Any, articles: dict[Any, int | None], times: _Times | None = None
) -> dict[str, Any]:
    if times is None:
        times = _Times()
    if isinstance(raw, _Unparsable):
        raise RecordError(f"not JSON ({raw.message})")
    if not isinstance(raw, dict):
        raise RecordError("a claim must be an object")
    verdict = raw.get("verdict")
    status = _status(raw, STATUSES if verdict is not None else PLAIN_STATUSES)
    parsed_verdict: dict[str, Any] | None = None
    if verdict is not None:
        if not isinstance(verdict, dict):
            raise RecordError("'verdict' must be an object or null")
        try:
            parsed_verdict = {}
            _text_fields(verdict, _VERDICT_TEXT, parsed_verdict)
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
            _text_fields(item, _EVIDENCE_TEXT, parsed)
            parsed["created_at"] = times.get(item, "created_at") or utcnow()
            parsed["source"] = _report_source(item.get("source"), times)
            parsed_evidence.append(parsed)
        except RecordError as exc:
            raise RecordError(f"evidence[{index}]: {exc}") from None
    article_ref = _scalar_ref(raw.get("article_id"), "article_id")
    if article_ref is not None and article_ref not in articles:
        raise RecordError(f"'article_id' {article_ref!r} is not in the document's articles")
    created_at = times.get(raw, "created_at") or utcnow()
    claim: dict[str, Any] = {}
    _text_fields(raw, _CLAIM_TEXT, claim)
    claim["score"] = _score(raw)
    _text_fields(raw, _CLAIM_PEOPLE, claim)
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


def _import_report(
    session: Session, reviewer: str, result: ImportResult, document: dict[str, Any], strict: bool
) -> None:
    """A report already parsed as a whole (any layout)."""
    _check_report_head(document, result.file)
    for key in ("articles", "claims"):
        if not isinstance(document.get(key), list):
            raise ValidationError(
                f"{result.file}: '{key}' must be a list (see docs/export-json-schema.md)"
            )
    _ReportImport(session, reviewer, result, strict).run(
        document, document["articles"], iter(document["claims"])
    )


class _ReportImport:
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
        self.had_articles = _has_rows(session, Article)
        self.had_sources = _has_rows(session, Source)
        self.new_articles: dict[tuple[Any, ...], int] = {}

    def run(self, head: dict[str, Any], articles: Iterable[Any], claims: Iterator[Any]) -> None:
        result = self.result
        _check_report_head(head, result.file)
        for index, raw in enumerate(articles):
            try:
                if not isinstance(raw, dict) or _ref(raw.get("id"), "id") is None:
                    raise RecordError("an article must be an object with an 'id'")
                self.article_fields[raw["id"]] = {
                    "title": _text_field(raw, "title", 500, collapse=False),
                    "url": _text_field(raw, "url", 8192, collapse=False),
                    "author": _text_field(raw, "author", 500, collapse=False),
                    "site_name": _text_field(raw, "site_name", 500, collapse=False),
                    "published": _text_field(raw, "published", 64),
                }
            except RecordError as exc:
                result.problem(f"articles[{index}]", str(exc))
        self.refs = dict.fromkeys(self.article_fields)
        self.existing_keys = _existing_claim_keys(self.session)
        summary = head.get("summary")
        expected = summary.get("claims") if isinstance(summary, dict) else None
        deferral = _FullTextDeferral(self.session, expected if isinstance(expected, int) else 0)
        index = 0
        times = _Times()
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
            _finish(self.session, self.reviewer, result, self.strict)
            if parsed:
                self._write(parsed)
            if taken < REPORT_CHUNK:
                break
        deferral.finish()
        _summary_event(self.session, self.reviewer, result)

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
        ids = _insert(
            session,
            Article.__table__,  # type: ignore[arg-type]
            [{**f, "text": "", "created_at": now} for _ref, f in new_articles],
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
            key = _claim_key(article_id, c["text"])
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
        claim_ids = _write_claims(
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
        _insert_plain(
            session,
            Evidence.__table__,  # type: ignore[arg-type]
            evidence_rows,
            ("claim_id", "source_id", "stance", "quote", "created_by", "created_at"),
        )
        _insert_plain(
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
            for chunk in _chunks(wanted):
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
        ids = _insert(session, Source.__table__, pending, _SOURCE_COLUMNS)  # type: ignore[arg-type]
        for s in pending:
            if s["canonical_url"]:
                by_canonical[s["canonical_url"]] = s["id"]
            elif s["export_id"] is not None:
                by_export_id[s["export_id"]] = s["id"]
        for s, twin in copies:
            s["id"] = twin["id"]
        self.result.sources += len(ids)
