"""Fetching URL sources and archiving what comes back, each result in its own transaction
as soon as it arrives, so an interrupted run keeps what it finished. `attach_and_fetch`,
`fetch_sources` and `check_sources` are what both front ends call."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import not_, select
from sqlalchemy.orm import Session

from workbench.core.details import EvidenceView
from workbench.core.fetch_results import CheckFinding, FetchReport
from workbench.core.views import evidence_view
from workbench.core.visibility import hidden_from
from workbench.errors import NotFoundError, ValidationError
from workbench.sources.attach import attach_url
from workbench.sources.evidence import Attachment
from workbench.sources.pending import count_failed, sources_to_fetch, url_sources
from workbench.storage.models import Claim, Evidence, Snapshot

if TYPE_CHECKING:
    from workbench.config import Settings
    from workbench.desk import Desk
    from workbench.sources.fetch import FetchConfig
    from workbench.storage.store import Store

ProgressCallback = Callable[[int, int, FetchReport], None]


def fetch_config(settings: Settings, **overrides: Any) -> FetchConfig:
    """The fetch limits of the settings' [fetch] table (config.fetch_options()), overridden by
    the non-None `overrides` (command-line options)."""
    from workbench.sources.fetch import FetchConfig

    values = dict(settings.fetch)
    values.pop("allow_private_networks", None)  # an address policy, not a limit
    values.update({k: v for k, v in overrides.items() if v is not None})
    for key in ("concurrency", "workers"):
        if key in values and values[key] < 1:
            raise ValidationError(f"fetch {key} is {values[key]}; give 1 or more")
    return FetchConfig(**values, allow_private=settings.allow_private_networks)


async def fetch_and_record(
    store: Store,
    reviewer: str,
    targets: Sequence[tuple[int, str]],
    config: FetchConfig,
    progress: ProgressCallback | None = None,
    *,
    transport: Any = None,
) -> list[FetchReport]:
    """Fetches the sources concurrently and archives the results in small batches as they
    arrive, so an interrupted run keeps what it finished (see sources/pipeline.py)."""
    from workbench.sources.pipeline import run_pipeline

    return await run_pipeline(store, reviewer, targets, config, progress, transport=transport)


def _fetch(
    desk: Desk,
    targets: Sequence[tuple[int, str]],
    progress: ProgressCallback | None,
    **limits: Any,
) -> list[FetchReport]:
    config = fetch_config(desk.settings, **limits)
    return asyncio.run(fetch_and_record(desk.store, desk.reviewer, targets, config, progress))


@dataclass(frozen=True)
class Attached:
    evidence: EvidenceView  # as stored once the fetch (if any) was archived
    needs_fetch: bool  # the source was not fetched yet when it was attached
    report: FetchReport | None  # the fetch, when one ran


def evidence_of(session: Session, _viewer: str, evidence_id: int) -> EvidenceView:
    evidence = session.get(Evidence, evidence_id)
    if evidence is None:
        raise NotFoundError(f"evidence {evidence_id} does not exist")
    return evidence_view(evidence)


def attach_and_fetch(
    desk: Desk,
    claim_id: int,
    url: str,
    how: Attachment | None = None,
    *,
    fetch: bool = True,
    progress: ProgressCallback | None = None,
) -> Attached:
    """Attaches a URL source to a claim and, unless `fetch` is false or it was archived
    already, fetches and archives it. A failed fetch leaves the source attached (report
    says why; `fetch_sources(retry_failed=True)` tries again)."""
    evidence, needs_fetch = desk.write(attach_url, claim_id, url, how)
    source = evidence.source
    if not (needs_fetch and fetch and source.url):
        return Attached(evidence, needs_fetch, None)
    reports = _fetch(desk, [(source.id, source.url)], progress)
    return Attached(
        desk.read(evidence_of, evidence.id), needs_fetch, reports[0] if reports else None
    )


def fetch_sources(
    desk: Desk,
    *,
    claim_id: int | None = None,
    retry_failed: bool = False,
    concurrency: int | None = None,
    workers: int | None = None,
    progress: ProgressCallback | None = None,
) -> list[FetchReport]:
    """Fetches every URL source not fetched yet (of one claim, or all); with `retry_failed`,
    those whose last fetch failed as well."""
    targets = desk.read(lambda s, _v: sources_to_fetch(s, claim_id, retry_failed=retry_failed))
    return _fetch(desk, targets, progress, concurrency=concurrency, workers=workers)


def check_sources(
    desk: Desk, *, claim_id: int | None = None, progress: ProgressCallback | None = None
) -> list[CheckFinding]:
    """Refetches URL sources and lists those whose content changed or that now fail, with
    the verdicts that rest on them (those the acting reviewer may see)."""
    targets = desk.read(lambda s, _v: url_sources(s, claim_id))
    # Nothing to compare a first fetch with: such a source is reported as never fetched.
    compared = desk.read(
        lambda s, _v: set(s.scalars(select(Snapshot.source_id).where(Snapshot.outcome == "ok")))
    )
    reports = _fetch(desk, targets, progress)
    findings = []
    with desk.store.read() as session:
        for report in reports:
            first = report.source_id not in compared
            if report.outcome == "ok" and not report.changed and not first:
                continue
            verdicts = [
                (int(cid), str(rating))
                for cid, rating in session.execute(
                    select(Claim.id, Claim.rating)
                    .where(
                        Claim.id.in_(
                            select(Evidence.claim_id).where(Evidence.source_id == report.source_id)
                        ),
                        Claim.rating.is_not(None),
                        not_(hidden_from(desk.reviewer)),  # blind review: core.visibility
                    )
                    .order_by(Claim.id)
                )
            ]
            if report.outcome == "ok" and first:
                problem = "never_fetched"
                detail = f"never fetched before, so nothing to compare; now sha256 {report.sha256}"
            elif report.outcome == "ok":
                problem, detail = "changed", f"content changed (now sha256 {report.sha256})"
            else:
                problem, detail = report.outcome, report.error or report.outcome
                if first:
                    detail = f"never fetched successfully; {detail}"
            findings.append(CheckFinding(report.source_id, report.url, problem, detail, verdicts))
    return findings


def failed_sources(desk: Desk, claim_id: int | None = None) -> int:
    """URL sources whose last fetch failed (those `fetch --retry-failed` tries again)."""
    return desk.read(lambda s, _v: count_failed(s, claim_id))


def url_source_count(desk: Desk, claim_id: int | None = None) -> int:
    """URL sources (of one claim, or all): what `sources check` refetches."""
    return len(desk.read(lambda s, _v: url_sources(s, claim_id)))
