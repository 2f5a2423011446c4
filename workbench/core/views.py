"""Stored rows as plain results (core.results): the one place an ORM object becomes a
value a front end may hold. A result's fields are named as the row's columns, so each is
copied field by field; only what differs is spelled out."""

from __future__ import annotations

from dataclasses import fields
from typing import Any, TypeVar

from workbench.core.details import EventView, EvidenceView, SourceView, VerdictView
from workbench.core.fetch_results import SnapshotView
from workbench.core.results import ClaimRow
from workbench.storage.models import Claim, Event, Evidence, Snapshot, Source, Verdict

R = TypeVar("R")


_NAMES: dict[type[Any], tuple[str, ...]] = {}


def _copy(cls: type[R], row: Any, **given: Any) -> R:
    """`cls` with each field from the attribute of `row` of that name, unless `given`."""
    names = _NAMES.get(cls)
    if names is None:
        names = _NAMES[cls] = tuple(f.name for f in fields(cls))  # type: ignore[arg-type]
    return cls(**{n: given[n] if n in given else getattr(row, n) for n in names})


def claim_row(claim: Claim) -> ClaimRow:
    return _copy(ClaimRow, claim)


def source_view(source: Source) -> SourceView:
    return _copy(SourceView, source)


def evidence_view(evidence: Evidence) -> EvidenceView:
    return _copy(EvidenceView, evidence, source=source_view(evidence.source))


def verdict_view(verdict: Verdict) -> VerdictView:
    return _copy(VerdictView, verdict, blind=bool(verdict.blind))


def event_view(event: Event) -> EventView:
    return _copy(EventView, event)


def snapshot_view(snapshot: Snapshot) -> SnapshotView:
    return _copy(SnapshotView, snapshot, redirects=list(snapshot.redirects or []))
