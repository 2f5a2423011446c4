"""Reading a JSON report in the exporter's own layout line by line, so a report of 100,000
claims is never in memory whole."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import orjson
from sqlalchemy.orm import Session

from workbench.errors import ValidationError
from workbench.importing.report import ReportImport
from workbench.importing.results import ImportResult, Unparsable


class _NotStreamable(Exception):
    """The file is not in the exporter's line layout; read it whole instead."""


def import_report_stream(
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
            ReportImport(session, reviewer, result, strict).run(
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
            yield loads_line(stripped.rstrip(","))
        except json.JSONDecodeError as exc:
            yield Unparsable(exc.msg)


def loads_line(line: str) -> Any:
    """json.loads, about twice as fast with orjson. What orjson refuses (NaN, integers beyond
    64 bits, lone surrogates, or a real error) goes to json, so the result, or the error
    reported, is json's."""
    try:
        return orjson.loads(line)
    except Exception:  # json decides below
        pass
    return json.loads(line)
