"""Writing archived snapshots as a standard WARC file (warcio), so any replay tool can open
what the verdicts rest on. Each snapshot's hash is verified before it is written."""

from __future__ import annotations

import io
from collections.abc import Iterable
from http import HTTPStatus
from typing import BinaryIO

from sqlalchemy import select
from sqlalchemy.orm import Session

from workbench.core.filters import filtered_claims
from workbench.core.results import ClaimFilter
from workbench.sources.archive import verify_snapshot
from workbench.storage.models import Evidence, Snapshot

# Headers that described the bytes on the wire; the archive holds the decoded body.
_DROP_HEADERS = {"content-encoding", "transfer-encoding", "content-length"}


def snapshots_for(session: Session, f: ClaimFilter) -> Iterable[Snapshot]:
    from workbench.storage.models import Claim

    claim_ids = filtered_claims(select(Claim.id), session, f)
    source_ids = select(Evidence.source_id).where(Evidence.claim_id.in_(claim_ids))
    query = (
        select(Snapshot)
        .where(Snapshot.source_id.in_(source_ids), Snapshot.outcome == "ok")
        .order_by(Snapshot.id)
        .execution_options(yield_per=50)
    )
    return session.scalars(query)


def write_warc(session: Session, f: ClaimFilter, out: BinaryIO) -> int:
    """Writes one WARC response record per successful snapshot; returns how many."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    writer = WARCWriter(out, gzip=True)
    count = 0
    for snapshot in snapshots_for(session, f):
        body = verify_snapshot(snapshot)
        status = snapshot.status or 200
        try:
            reason = HTTPStatus(status).phrase
        except ValueError:
            reason = "Unknown"
        headers = [
            (str(k), str(v))
            for k, v in (snapshot.headers or [])
            if str(k).lower() not in _DROP_HEADERS
        ]
        headers.append(("Content-Length", str(len(body))))
        http_headers = StatusAndHeaders(f"{status} {reason}", headers, protocol="HTTP/1.1")
        record = writer.create_warc_record(
            snapshot.final_url or snapshot.requested_url,
            "response",
            payload=io.BytesIO(body),
            length=len(body),
            http_headers=http_headers,
            warc_headers_dict={
                "WARC-Date": snapshot.fetched_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
                "WARC-X-Workbench-SHA256": str(snapshot.sha256),
            },
        )
        writer.write_record(record)
        count += 1
    return count
