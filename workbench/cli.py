"""The command line (GUIDE section 3).

Start-up matters (`workbench --help` runs often), so this module imports only the standard
library at the top; each command imports what it uses. Exit status: 0 success, 1 user error
(one line on stderr, no traceback), 2 usage error (argparse).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from workbench.wording import counted

if TYPE_CHECKING:
    from workbench.config import Settings
    from workbench.review import ClaimFilter
    from workbench.store import Store

Handler = Callable[["Context", argparse.Namespace], int | None]


class UserError(Exception):
    """Raised by command code for problems with the input; printed without a traceback."""


@dataclass
class Context:
    db_arg: str | None
    reviewer_arg: str | None
    _settings: Settings | None = None
    _store: Store | None = None
    opened: list[Store] = field(default_factory=list)

    @property
    def settings(self) -> Settings:
        if self._settings is None:
            from workbench.config import load_settings

            self._settings = load_settings()
        return self._settings

    @property
    def reviewer(self) -> str:
        from workbench.identity import acting_reviewer

        given = [
            (self.reviewer_arg, "--reviewer"),
            (os.environ.get("WORKBENCH_REVIEWER"), "WORKBENCH_REVIEWER"),
            (self.settings.reviewer, "the config file's reviewer"),
        ]
        name, source = next(((n, s) for n, s in given if n), (None, ""))
        return acting_reviewer(self.db_url(), lambda: self.store, name, source)

    def db_url(self) -> str:
        from workbench.config import default_database_path
        from workbench.store import database_url

        explicit = self.db_arg or os.environ.get("WORKBENCH_DB") or self.settings.database
        if explicit:
            return database_url(explicit)
        path = default_database_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        return database_url(path)

    @property
    def store(self) -> Store:
        if self._store is None:
            from workbench.store import Store

            self._store = Store(self.db_url())
            self.opened.append(self._store)
        return self._store


def emit_json(data: Any) -> None:
    # Streamed in batches: with indent, json.dumps joins millions of pieces in one list first.
    from itertools import islice

    pieces = json.JSONEncoder(ensure_ascii=False, indent=2, default=str).iterencode(data)
    while batch := "".join(islice(pieces, 8192)):
        sys.stdout.write(batch)
    sys.stdout.write("\n")


def say(text: str) -> None:
    from workbench.textsafe import printable

    sys.stdout.write(printable(text) + "\n")


# ---------------------------------------------------------------- commands


def cmd_init(ctx: Context, args: argparse.Namespace) -> int:
    if args.owner:
        from workbench.cli_users import cmd_init_owner

        return cmd_init_owner(ctx, args)
    store = ctx.store  # opening migrates to head
    revision = store.current_revision()
    if args.json:
        emit_json({"database": store.where, "revision": revision})
    else:
        say(f"database {store.where} is ready (schema {revision})")
    return 0


def _claim_line(row: Any) -> str:
    from workbench.textsafe import one_line

    score = f"{row.score:.2f}" if row.score is not None else "  - "
    rating = row.rating or "-"
    return (
        f"{row.id:>6}  {score}  {row.status:<11}  {rating:<12}  {row.source_count:>3}  "
        f"{one_line(row.text, 90)}"
    )


def cmd_claim_add(ctx: Context, args: argparse.Namespace) -> int:
    from workbench import review

    with ctx.store.write() as session:
        if args.sentence is not None:
            if args.article is None:
                raise UserError("--sentence needs --article N (the article the sentence is in)")
            row = review.promote_sentence(session, ctx.reviewer, args.article, args.sentence)
        else:
            if args.text is None:
                raise UserError("give the claim text, or --article N --sentence K to promote one")
            row = review.add_claim(
                session,
                ctx.reviewer,
                args.text,
                article_id=args.article,
                request_id=args.request_id,
            )
        from workbench.matching import suggest_matches

        # Earlier fact-checks of the same claim, suggested in the same unit of work.
        matches = suggest_matches(session, ctx.reviewer, row.id)
    if args.json:
        emit_json({**row.to_json(), "matches": [m.to_json() for m in matches]})
    else:
        say(f"claim {row.id} added: {row.text}")
        if matches:
            say(f"checked before? {counted(len(matches), 'earlier fact-check')} look similar:")
            for m in matches:
                say(_match_line(m))
            say(f"confirm or reject with: workbench matches {row.id} --confirm M | --reject M")
    return 0


def _match_line(m: Any) -> str:
    from workbench.textsafe import one_line

    flag = "  LIKELY REPEAT" if m.likely_repeat and m.state == "suggested" else ""
    target = f"{'claim' if m.target_kind == 'claim' else 'fact-check'} {m.target_id}"
    who = f" ({one_line(m.publisher, 30)})" if m.publisher else ""
    why = f"\n{'':>7}matched: {one_line(', '.join(m.matched), 100)}" if m.matched else ""
    return (
        f"{m.id:>5}  {m.score:.2f}  {m.state:<9}  {target:<16} {one_line(m.rating or '-', 16):<16}"
        f"{who} {one_line(m.text, 70)}{flag}{why}"
    )


def cmd_matches(ctx: Context, args: argparse.Namespace) -> int:
    from workbench import matching

    if args.confirm is not None or args.reject is not None:
        decision = "confirmed" if args.confirm is not None else "rejected"
        match_id = args.confirm if args.confirm is not None else args.reject
        with ctx.store.write() as session:
            view = matching.decide_match(session, ctx.reviewer, args.claim, match_id, decision)
        if args.json:
            emit_json(view.to_json())
        else:
            say(f"match {view.id} of claim {args.claim} {decision} by {ctx.reviewer}")
        return 0
    if args.refresh:
        with ctx.store.write() as session:
            matching.suggest_matches(session, ctx.reviewer, args.claim)
    with ctx.store.read() as session:
        views = matching.list_matches(session, args.claim)
    if args.json:
        emit_json([v.to_json() for v in views])
        return 0
    if not views:
        say(f"no earlier fact-checks match claim {args.claim} (look again with --refresh)")
        return 0
    say(f"{'match':>5}  score  {'state':<9}  {'target':<16} {'rating':<16} text")
    for v in views:
        say(_match_line(v))
    return 0


def cmd_claim_show(ctx: Context, args: argparse.Namespace) -> int:
    from workbench import workflow

    with ctx.store.read() as session:
        detail, hidden = workflow.claim_for_viewer(session, ctx.reviewer, args.claim)
    if args.json:
        emit_json({**detail.to_json(), "ratings_hidden": hidden})
        return 0
    c = detail.claim
    say(
        f"Claim {c.id}  [{c.status}]  score {c.score if c.score is not None else '-'}  "
        f"version {c.version}" + (f"  assigned to {c.assignee}" if c.assignee else "")
    )
    say(c.text)
    if detail.summary:
        say(f"Summary (published in ClaimReview): {detail.summary}")
    if hidden:
        say("Blind review: other ratings are hidden until you record yours (verdict --blind)")
    if detail.article_title:
        say(f"Article {c.article_id}: {detail.article_title}")
    if detail.verdict:
        v = detail.verdict
        say(f"Verdict: {v.rating} by {v.reviewer} at {v.created_at:%Y-%m-%d %H:%M}")
        say(f"  {v.rationale}")
    if detail.evidence:
        say("Sources:")
        for e in detail.evidence:
            s = e.source
            label = s.url or s.citation or s.title or f"source {s.id}"
            say(f"  [{e.stance}] {label}" + (f" ({s.fetch_status})" if s.fetch_status else ""))
            if e.quote:
                say(f'      "{e.quote}"')
    say("History:")
    for event in detail.history:
        say(f"  {event.at:%Y-%m-%d %H:%M:%S}  {event.reviewer:<12} {event.action}")
    return 0


def claim_filter(args: argparse.Namespace, ctx_reviewer: str | None = None) -> ClaimFilter:
    from workbench.review import ClaimFilter

    return ClaimFilter(
        status=args.status,
        rating=args.rating,
        article_id=args.article,
        search=args.search,
        reviewer=getattr(args, "by", None),
        assignee=ctx_reviewer if getattr(args, "mine", False) else getattr(args, "assignee", None),
        sort=args.sort,
        descending=not args.ascending,
    )


def cmd_claims(ctx: Context, args: argparse.Namespace) -> int:
    from workbench import review

    if args.limit is not None and args.limit < 0:
        raise UserError("--limit must be zero or more")
    from workbench import workflow

    if args.mine and args.assignee:
        raise UserError("give --mine or --assignee NAME, not both")
    with ctx.store.read() as session:
        rows = review.list_claims(session, claim_filter(args, ctx.reviewer), limit=args.limit)
        rows = workflow.mask_rows(session, ctx.reviewer, rows)
    if args.json:
        emit_json([r.to_json() for r in rows])
        return 0
    if not rows:
        say("no claims match")
        return 0
    say(f"{'id':>6}  score  {'status':<11}  {'rating':<12}  src  claim")
    for row in rows:
        say(_claim_line(row))
    return 0


def cmd_source_cite(ctx: Context, args: argparse.Namespace) -> int:
    from workbench import review

    with ctx.store.write() as session:
        evidence = review.cite_source(
            session,
            ctx.reviewer,
            args.claim,
            args.text,
            stance=args.stance,
            quote=args.quote,
            request_id=args.request_id,
            expected_version=args.expect_version,
        )
    if args.json:
        emit_json(evidence.to_json())
    else:
        say(f"citation {evidence.source.id} attached to claim {args.claim} ({evidence.stance})")
    return 0


class ProgressLine:
    """A one-line progress display on stderr (redrawn on a terminal, a line each otherwise)."""

    def __init__(self, label: str, enabled: bool = True) -> None:
        self.label = label
        self.enabled = enabled
        self.tty = sys.stderr.isatty()

    def __call__(self, done: int, total: int, report: Any) -> None:
        if not self.enabled:
            return
        from workbench.textsafe import one_line

        width = 24
        filled = int(width * done / total) if total else width
        bar = "#" * filled + "-" * (width - filled)
        status = "ok" if report.outcome == "ok" else report.outcome
        line = f"{self.label} [{bar}] {done}/{total}  {status:<12} {one_line(report.url, 60)}"
        if self.tty:
            end = "\n" if done == total else ""
            sys.stderr.write("\r\x1b[2K" + line + end)
        else:
            sys.stderr.write(line + "\n")
        sys.stderr.flush()


def cmd_source_add(ctx: Context, args: argparse.Namespace) -> int:
    from workbench.sources import service

    with ctx.store.write() as session:
        evidence, needs_fetch = service.attach_url(
            session, ctx.reviewer, args.claim, args.url, stance=args.stance, quote=args.quote
        )
    reports = []
    if needs_fetch and not args.no_fetch:
        config = service.fetch_config(ctx.settings)
        reports = service.fetch_and_record_sync(
            ctx.store, ctx.reviewer, [(evidence.source.id, evidence.source.url or args.url)], config
        )
    with ctx.store.read() as session:
        from workbench import review

        detail = review.get_claim(session, args.claim)
    current = next(e for e in detail.evidence if e.id == evidence.id)
    if args.json:
        emit_json(current.to_json())
    else:
        s = current.source
        say(f"source {s.id} attached to claim {args.claim} ({current.stance}): {s.url}")
        if reports:
            r = reports[0]
            if r.outcome == "ok":
                say(f"  fetched and archived (sha256 {r.sha256}): {s.title or '(no title)'}")
            else:
                say(f"  fetch failed: {r.outcome}: {r.error}")
                say(f"  retry with: workbench fetch --retry-failed --claim {args.claim}")
        elif needs_fetch:
            say("  not fetched yet; fetch it with: workbench fetch")
    return 0


def cmd_fetch(ctx: Context, args: argparse.Namespace) -> int:
    from workbench.sources import service

    config = service.fetch_config(ctx.settings, concurrency=args.concurrency, workers=args.workers)
    with ctx.store.read() as session:
        targets = service.sources_to_fetch(session, args.claim, retry_failed=args.retry_failed)
        failed_before = 0 if args.retry_failed else service.count_failed(session, args.claim)
    progress = ProgressLine("fetching", enabled=not args.json)
    reports = service.fetch_and_record_sync(ctx.store, ctx.reviewer, targets, config, progress)
    failed = [r for r in reports if r.outcome != "ok"]
    if args.json:
        emit_json([r.to_json() for r in reports])
    else:
        say(f"{len(reports) - len(failed)} fetched, {len(failed)} failed")
        for r in failed:
            say(f"  source {r.source_id}: {r.outcome}: {r.error}  ({r.url})")
        advice = service.retry_advice(failed_before + len(failed), args.claim)
        if advice:
            say(advice)
    if failed:  # exit status 1: a script must not take a partial fetch for a complete one
        sys.stderr.write(f"workbench: error: {len(failed)} of {len(reports)} fetches failed\n")
        return 1
    return 0


def cmd_sources_check(ctx: Context, args: argparse.Namespace) -> int:
    from workbench.sources import service

    config = service.fetch_config(ctx.settings)
    with ctx.store.read() as session:
        checked = len(service.url_sources(session, args.claim))
    progress = ProgressLine("checking", enabled=not args.json)
    findings = service.check_sources(
        ctx.store, ctx.reviewer, config, claim_id=args.claim, progress=progress
    )
    if args.json:
        emit_json([f.to_json() for f in findings])
        return 0
    if not findings:
        say(
            "every source still answers with the content it was checked against"
            if checked
            else "no URL source to check"
        )
    for f in findings:
        say(f"source {f.source_id} {f.problem}: {f.detail}  ({f.url})")
        for claim_id, rating in f.claims_with_verdicts:
            say(f"  verdict rests on it: claim {claim_id} ({rating})")
    return 0


def cmd_passages(ctx: Context, args: argparse.Namespace) -> int:
    from workbench.sources import service
    from workbench.textsafe import one_line

    with ctx.store.read() as session:
        snapshot_id, passages = service.source_passages(
            session, args.claim, args.source, limit=args.limit
        )
    if args.json:
        emit_json(
            {
                "snapshot_id": snapshot_id,
                "passages": [
                    {"rank": i, "start": p.start, "end": p.end, "score": p.score, "text": p.text}
                    for i, p in enumerate(passages, start=1)
                ],
            }
        )
        return 0
    if not passages:
        say("no passage of the source shares words with the claim")
    for i, p in enumerate(passages, start=1):
        say(f"{i:>3}. [{p.score:5.2f}] ({p.start}-{p.end}) {one_line(p.text, 110)}")
    say("pin one with: workbench source quote CLAIM SOURCE --passage N")
    return 0


def cmd_source_quote(ctx: Context, args: argparse.Namespace) -> int:
    from workbench.sources import service

    with ctx.store.write() as session:
        if args.passage is not None:
            _, passages = service.source_passages(session, args.claim, args.source, limit=50)
            if not 1 <= args.passage <= len(passages):
                raise UserError(
                    f"there are {len(passages)} ranked passages; "
                    f"choose --passage 1 to {len(passages)}"
                )
            start, end = passages[args.passage - 1].start, passages[args.passage - 1].end
        elif args.start is not None and args.end is not None:
            start, end = args.start, args.end
        else:
            raise UserError(
                "choose the passage: --passage N (see: workbench passages) or --start/--end"
            )
        evidence = service.pin_quote(
            session, ctx.reviewer, args.claim, args.source, start, end, stance=args.stance
        )
    if args.json:
        emit_json(evidence.to_json())
    else:
        say(f'quote pinned to claim {args.claim}: "{evidence.quote}"')
    return 0


def cmd_verdict(ctx: Context, args: argparse.Namespace) -> int:
    from workbench import review, workflow

    with ctx.store.write() as session:
        # Under blind review this reviewer was shown no other rating: their verdict is blind.
        blind = args.blind or workflow.ratings_hidden(session, ctx.reviewer, args.claim)
        record = workflow.blind_verdict if blind else review.record_verdict
        verdict = record(
            session,
            ctx.reviewer,
            args.claim,
            args.rating,
            args.rationale or "",
            scale=ctx.settings.scale,
            request_id=args.request_id,
            expected_version=args.expect_version,
        )
    if args.json:
        emit_json(verdict.to_json())
    else:
        say(f"claim {args.claim}: {verdict.rating} (by {verdict.reviewer})")
    return 0


def cmd_status(ctx: Context, args: argparse.Namespace) -> int:
    from workbench import review

    with ctx.store.write() as session:
        row = review.set_status(
            session, ctx.reviewer, args.claim, args.status, expected_version=args.expect_version
        )
    if args.json:
        emit_json(row.to_json())
    else:
        say(f"claim {row.id} is now {row.status}")
    return 0


def cmd_approve(ctx: Context, args: argparse.Namespace) -> int:
    from workbench import review

    with ctx.store.write() as session:
        row = review.approve(
            session, ctx.reviewer, args.claim, expected_version=args.expect_version
        )
    if args.json:
        emit_json(row.to_json())
    else:
        say(f"claim {row.id} approved by {ctx.reviewer}")
    return 0


def cmd_ratings(ctx: Context, args: argparse.Namespace) -> int:
    scale = ctx.settings.scale
    if args.json:
        emit_json([{"name": r.name, "label": r.label, "value": r.value} for r in scale.ratings])
        return 0
    for r in scale.ratings:
        value = str(r.value) if r.value is not None else "-"
        say(f"{r.name:<14} {value:>2}  {r.label}")
    return 0


def cmd_history(ctx: Context, args: argparse.Namespace) -> int:
    from workbench import review

    with ctx.store.read() as session:
        if not review.claim_exists(session, args.claim):
            raise UserError(
                f"claim {args.claim} does not exist; list claims with: workbench claims"
            )
        from workbench import workflow

        events = workflow.history_for_viewer(session, ctx.reviewer, args.claim)
    if args.json:
        emit_json([e.to_json() for e in events])
        return 0
    for e in events:
        change = ""
        if e.before and e.after:
            diffs = [k for k in e.after if k in e.before and e.before[k] != e.after[k]]
            change = "  " + ", ".join(f"{k}: {e.before[k]} -> {e.after[k]}" for k in diffs)
        say(f"{e.at:%Y-%m-%d %H:%M:%S}  {e.reviewer:<12} {e.action:<14}{change}")
    return 0


def cmd_ingest(ctx: Context, args: argparse.Namespace) -> int:
    from workbench.errors import WorkbenchError
    from workbench.ingest.service import ingest_source
    from workbench.progress import StageLine

    if args.title is not None and len(args.sources) > 1:
        raise UserError("--title names one article; ingest the sources one at a time")
    if args.sources.count("-") > 1:
        raise UserError("standard input ('-') can be read only once")
    results = []
    failures = 0
    for source in args.sources:
        progress = StageLine(f"ingesting {source}", enabled=not args.json)
        try:
            result = ingest_source(
                ctx.store,
                ctx.reviewer,
                source,
                title=args.title,
                settings=ctx.settings,
                progress=progress,
            )
        except WorkbenchError as exc:
            progress.close()
            failures += 1
            sys.stderr.write(f"workbench: error: {exc}\n")
            continue
        progress.close()
        results.append(result)
        if not args.json:
            _print_ingest_summary(result)
    if args.json:
        payload = [r.to_json() for r in results]
        emit_json(payload[0] if len(args.sources) == 1 and payload else payload)
    return 1 if failures else 0


def _print_ingest_summary(result: Any) -> None:
    from workbench.textsafe import one_line

    note = " (already ingested; nothing added)" if result.duplicate else ""
    say(f"article {result.article_id}: {one_line(result.title or '(untitled)', 100)}{note}")
    say(f"  {counted(result.sentence_count, 'sentence')}, {counted(len(result.claims), 'claim')}")
    for claim in result.claims[:3]:
        score = f"{claim.score:.2f}" if claim.score is not None else "-"
        say(f"  {claim.id:>6}  {score}  {one_line(claim.text, 100)}")


def cmd_rank_sentences(ctx: Context, args: argparse.Namespace) -> int:
    from workbench.ingest.service import rank_sentences

    data = sys.stdin.buffer.read()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise UserError(
            f"standard input is not UTF-8 (byte {exc.start}); convert it first"
        ) from None
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()  # the newline that ends the last line does not start another
    lines = [line.rstrip("\r") for line in lines]
    scores = rank_sentences(lines, args.format)
    sys.stdout.write("".join(f"{score:.6f}\n" for score in scores))
    return 0


def cmd_demo(ctx: Context, args: argparse.Namespace) -> int:
    from workbench.demo import build_demo, default_demo_path, reset_demo_files
    from workbench.store import Store, database_url

    # Only an explicit path: $WORKBENCH_DB is someone's real work and must not be reset.
    path = Path(args.demo_db or ctx.db_arg or default_demo_path()).expanduser()
    if args.reset and path.exists():
        reset_demo_files(path)
    fresh = not path.exists()
    path.parent.mkdir(parents=True, exist_ok=True)
    store = Store(database_url(path))
    ctx.opened.append(store)
    if fresh:
        summary = build_demo(store)
        say(f"demo database built at {path}: {summary}")
    else:
        say(f"demo database at {path} (use --reset to rebuild it)")
    if args.no_tui:
        return 0
    return run_tui(store.url, ctx)


def run_tui(db_url: str, ctx: Context) -> int:
    from workbench.tui.app import WorkbenchApp

    app = WorkbenchApp(db_url=db_url, reviewer=ctx.reviewer, settings=ctx.settings)
    app.run()
    return int(app.return_code or 0)


def cmd_tui(ctx: Context, args: argparse.Namespace) -> int:
    ctx.store  # noqa: B018 - open (and migrate) before the screen takes over, so errors print
    return run_tui(ctx.db_url(), ctx)


def cmd_backup(ctx: Context, args: argparse.Namespace) -> int:
    from workbench import maintenance

    info = maintenance.backup(ctx.store, Path(args.path))
    if args.json:
        emit_json(info.to_json())
    else:
        say(
            f"backup written to {info.path}: {counted(info.claims, 'claim')}, "
            f"{counted(info.verdicts, 'verdict')}, {counted(info.events, 'event')} "
            f"(schema {info.revision}, checked)"
        )
    return 0


def parse_when(value: str | None, option: str, *, end_of_day: bool = False) -> Any:
    """An ISO date or date-time (UTC unless it says otherwise). A bare date given to an
    exclusive upper bound means the end of that day."""
    from datetime import UTC, datetime, timedelta

    if value is None:
        return None
    text = value.strip()
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        raise UserError(
            f"{option} {value!r} is not a date; write YYYY-MM-DD or YYYY-MM-DDTHH:MM"
        ) from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    if end_of_day and len(text) == 10:
        parsed += timedelta(days=1)
    return parsed


def cmd_export(ctx: Context, args: argparse.Namespace) -> int:
    if args.check:
        return _check_claimreview(args)
    if not args.format:
        raise UserError("choose a format with --format md|html|json|csv|claimreview|warc")
    if args.format == "warc":
        return _export_warc(ctx, args)
    import dataclasses

    from workbench.export import ExportOptions
    from workbench.export.data import ReportQuery
    from workbench.export.files import report_writer, unit_of

    since = parse_when(args.since, "--since")
    until = parse_when(args.until, "--until", end_of_day=True)
    if since is not None and until is not None and since >= until:
        raise UserError("--since must be before --until")
    settings = ctx.settings
    query = ReportQuery(
        filter=dataclasses.replace(claim_filter(args), since=since, until=until),
        scale=settings.scale,
    )
    options = ExportOptions(
        query=query,
        organisation_name=settings.organisation_name,
        organisation_url=settings.organisation_url,
        per_evidence=args.per_evidence,
        include_open=args.include_open,
    )
    lint: list[Any] = []
    write = report_writer(ctx.store, args.format, options, lint)
    if args.format == "claimreview":
        from workbench.export.claimreview import placeholder_warning

        if (warning := placeholder_warning(options)) is not None:
            sys.stderr.write(f"workbench: warning: {warning}\n")

    if args.output:
        _refuse_database_output(ctx, args.output)
        count = _write_atomically(Path(args.output), write)
        unit = unit_of(args.format, args.per_evidence, count)
        sys.stderr.write(f"workbench: wrote {count} {unit} to {args.output}\n")
    else:
        write(sys.stdout)
        sys.stdout.flush()
    errors = [p for p in lint if p.level == "error"]
    if errors:
        first = errors[0]
        sys.stderr.write(
            f"workbench: warning: {counted(len(errors), 'ClaimReview problem')}, "
            f"e.g. {first.path}: "
            f"{first.message}; check with: workbench export --check FILE\n"
        )
    return 0


def cmd_restore(ctx: Context, args: argparse.Namespace) -> int:
    from workbench import maintenance

    # The database being replaced may be damaged (the usual reason to restore), so it is
    # not opened as a Store here; restore checks the backup, then the target, itself.
    target = maintenance.sqlite_path_of(ctx.db_url())
    result = maintenance.restore(target, Path(args.path))
    if args.json:
        emit_json(result.to_json())
        return 0
    r = result.restored
    say(
        f"restored {r.path} into {result.database}: {counted(r.claims, 'claim')}, "
        f"{counted(r.verdicts, 'verdict')}, {counted(r.events, 'event')} (schema {r.revision})"
    )
    if result.previous is not None:
        say(f"the database it replaced is kept as {result.previous}")
    return 0


def _export_warc(ctx: Context, args: argparse.Namespace) -> int:
    """The archived snapshots of the selected claims' sources, as a gzipped WARC file."""
    import dataclasses

    from workbench.sources.warc import write_warc

    since = parse_when(args.since, "--since")
    until = parse_when(args.until, "--until", end_of_day=True)
    query = dataclasses.replace(claim_filter(args), since=since, until=until)

    def write(out: Any) -> int:
        with ctx.store.read() as session:
            return write_warc(session, query, out)

    if args.output:
        _refuse_database_output(ctx, args.output)
        count = _write_atomically(Path(args.output), write, binary=True)
        sys.stderr.write(f"workbench: wrote {counted(count, 'snapshot')} to {args.output}\n")
    elif sys.stdout.isatty():
        raise UserError("a WARC file is binary; write it to a file with -o FILE.warc.gz")
    else:
        write(sys.stdout.buffer)
        sys.stdout.buffer.flush()
    return 0


def _refuse_database_output(ctx: Context, output: str) -> None:
    from workbench.dbfiles import refuse_database_file

    refuse_database_file(output, ctx.store.sqlite_path, "write the report to")


def _write_atomically(path: Path, write: Callable[[Any], int], *, binary: bool = False) -> int:
    from workbench.export.files import write_atomically

    return write_atomically(path, write, binary=binary)


def _check_claimreview(args: argparse.Namespace) -> int:
    from workbench.export.claimreview import check_document

    path = Path(args.check)
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise UserError(f"{path} does not exist") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise UserError(f"cannot read {path}: {exc}") from None
    except json.JSONDecodeError as exc:
        raise UserError(
            f"{path} is not JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"
        ) from None
    found, problems = check_document(document)
    errors = sum(1 for p in problems if p.level == "error")
    if args.json:
        emit_json({"reviews": found, "errors": errors, "problems": [p.to_json() for p in problems]})
    else:
        for p in problems:
            say(f"{p.level:<7}  {p.path}  {p.message}")
        warnings = len(problems) - errors
        found_text = counted(found, "ClaimReview")
        say(f"{found_text}: {counted(errors, 'error')}, {counted(warnings, 'warning')}")
    return 1 if errors else 0


def cmd_import(ctx: Context, args: argparse.Namespace) -> int:
    from workbench import importer

    name = "stdin" if args.file == "-" else args.file
    try:
        with ctx.store.write() as session:
            result = importer.import_file(session, ctx.reviewer, args.file, strict=args.strict)
            importer.refuse_if_nothing_read(result)
    except importer.ImportRejected as exc:
        if args.json:
            emit_json({**exc.result.to_json(), "imported": False})
        else:
            for problem in exc.result.problems:
                sys.stderr.write(f"workbench: {name}: {printable_line(str(problem))}\n")
        raise UserError(str(exc)) from None
    if args.json:
        emit_json({**result.to_json(), "imported": True})
    else:
        for problem in result.problems:
            sys.stderr.write(f"workbench: warning: {name}: {printable_line(str(problem))}\n")
        added = result.to_json()["added"]
        nouns = {"claims": "claim", "fact_checks": "fact-check", "articles": "article"}
        nouns |= {"sources": "source", "evidence": "evidence", "verdicts": "verdict"}
        parts = [counted(n, nouns.get(k, k)) for k, n in added.items() if n]
        say(
            f"imported from {name} ({result.format}): "
            + (", ".join(parts) or "nothing new")
            + (f"; {result.duplicates} already present" if result.duplicates else "")
            + (
                f"; {counted(result.problem_count, 'malformed record')} skipped"
                if result.problem_count
                else ""
            )
        )
    return 0


def printable_line(text: str) -> str:
    from workbench.textsafe import one_line

    return one_line(text, 300)


# ---------------------------------------------------------------- parser


def add_filters(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--status", help="new, in-progress, reviewed, approved or dismissed")
    parser.add_argument("--rating", help="only claims whose current verdict has this rating")
    parser.add_argument("--search", metavar="WORDS", help="full-text search over claim text")
    parser.add_argument("--article", type=int, metavar="N", help="only claims of article N")
    parser.add_argument("--by", metavar="REVIEWER", help="only claims with a verdict by REVIEWER")
    parser.add_argument("--assignee", metavar="NAME", help="only claims assigned to NAME")
    parser.add_argument(
        "--sort", default="score", choices=("score", "updated", "status", "id"), help="sort order"
    )
    parser.add_argument("--ascending", action="store_true", help="smallest first")


def build_parser() -> argparse.ArgumentParser:
    from workbench.cli_team import add_expect_version, add_team_commands
    from workbench.cli_users import add_user_commands

    parser = argparse.ArgumentParser(
        prog="workbench",
        description="A fact-checking workbench: ingest articles, review claims, attach "
        "sources, record verdicts, export reports.",
        epilog="Run 'workbench COMMAND --help' for a command's options. "
        "With no command, the terminal UI opens.",
    )
    parser.add_argument(
        "--db",
        metavar="URL|PATH",
        help="database URL or SQLite file (default: $WORKBENCH_DB, "
        "the config file, or workbench.db in the user data folder)",
    )
    parser.add_argument(
        "--reviewer", metavar="NAME", help="who is working (default: $WORKBENCH_REVIEWER or login)"
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    def command(name: str, handler: Handler, help_text: str, **kw: Any) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_text, description=help_text, **kw)
        p.set_defaults(handler=handler)
        return p

    def json_flag(p: argparse.ArgumentParser) -> None:
        p.add_argument("--json", action="store_true", help="print JSON only")

    def request_flag(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--request-id",
            metavar="KEY",
            help="a unique key for this write; repeating it returns the earlier result "
            "instead of a duplicate (for scripts that retry)",
        )

    command("tui", cmd_tui, "open the terminal UI on the configured database")

    p = command("demo", cmd_demo, "build the sample database and open the terminal UI on it")
    p.add_argument("--db", dest="demo_db", metavar="PATH", help="where to put the demo database")
    p.add_argument("--no-tui", action="store_true", help="build it and say where, without the UI")
    p.add_argument("--reset", action="store_true", help="rebuild the demo database from scratch")

    p = command("init", cmd_init, "create or upgrade the database schema (safe to repeat)")
    p.add_argument(
        "--owner", action="store_true", help="as the owner of a PostgreSQL team server: set it up"
    )
    json_flag(p)

    p = command("ingest", cmd_ingest, "ingest articles (files, '-' for stdin, or http(s) URLs)")
    p.add_argument(
        "sources", nargs="+", metavar="SOURCE", help="a .txt, .md or .html file, -, or a URL"
    )
    p.add_argument("--title", help="the article's title (default: from the page or file)")
    json_flag(p)

    p = command(
        "rank-sentences",
        cmd_rank_sentences,
        "score sentences from stdin (one a line) for check-worthiness, one score a line",
    )
    p.add_argument(
        "--format",
        choices=("plain", "tsv"),
        default="plain",
        help="tsv: each line is SPEAKER<TAB>SENTENCE (speaker may be empty); uses turns",
    )

    p = command("claim", None, "add or show one claim")  # type: ignore[arg-type]
    claim_sub = p.add_subparsers(dest="claim_command", metavar="ACTION", required=True)
    q = claim_sub.add_parser("add", help="add a claim by hand, or promote an article sentence")
    q.set_defaults(handler=cmd_claim_add)
    q.add_argument("text", nargs="?", help="the claim, as said")
    q.add_argument("--article", type=int, metavar="N", help="the article it comes from")
    q.add_argument(
        "--sentence", type=int, metavar="K", help="promote sentence K (0-based) of --article N"
    )
    json_flag(q)
    request_flag(q)
    q = claim_sub.add_parser("show", help="one claim with its sources, verdict and history")
    q.set_defaults(handler=cmd_claim_show)
    q.add_argument("claim", type=int, metavar="N")
    json_flag(q)
    from workbench.cli_claim_edit import add_claim_edit

    add_claim_edit(claim_sub, json_flag)

    p = command("claims", cmd_claims, "list claims, best first")
    add_filters(p)
    p.add_argument("--limit", type=int, default=100, metavar="N", help="at most N (default 100)")
    p.add_argument("--mine", action="store_true", help="my queue: claims assigned to me")
    json_flag(p)

    p = command("source", None, "attach a source to a claim")  # type: ignore[arg-type]
    source_sub = p.add_subparsers(dest="source_command", metavar="ACTION", required=True)
    q = source_sub.add_parser("cite", help="attach a manual citation (book, call, dataset)")
    q.set_defaults(handler=cmd_source_cite)
    q.add_argument("claim", type=int, metavar="CLAIM")
    q.add_argument("text", help="the citation: what it is and where to find it")
    q.add_argument("--stance", default="context", help="supports, refutes or context")
    q.add_argument("--quote", help="the passage that matters")
    add_expect_version(q)
    json_flag(q)
    request_flag(q)

    q = source_sub.add_parser("add", help="attach a URL source (fetched and archived)")
    q.set_defaults(handler=cmd_source_add)
    q.add_argument("claim", type=int, metavar="CLAIM")
    q.add_argument("url", metavar="URL")
    q.add_argument("--stance", default="context", help="supports, refutes or context")
    q.add_argument("--quote", help="the passage that matters")
    q.add_argument("--no-fetch", action="store_true", help="attach now, fetch later")
    json_flag(q)
    q = source_sub.add_parser("quote", help="pin a passage of a fetched source as the quote")
    q.set_defaults(handler=cmd_source_quote)
    q.add_argument("claim", type=int, metavar="CLAIM")
    q.add_argument("source", type=int, metavar="SOURCE")
    q.add_argument("--passage", type=int, metavar="N", help="the Nth ranked passage")
    q.add_argument("--start", type=int, help="start offset in the snapshot text")
    q.add_argument("--end", type=int, help="end offset in the snapshot text")
    q.add_argument("--stance", help="supports, refutes or context")
    json_flag(q)

    p = command("passages", cmd_passages, "a source's passages ranked by relevance to a claim")
    p.add_argument("claim", type=int, metavar="CLAIM")
    p.add_argument("source", type=int, metavar="SOURCE")
    p.add_argument("--limit", type=int, default=10, metavar="N")
    json_flag(p)

    p = command("fetch", cmd_fetch, "fetch and archive every URL source not fetched yet")
    p.add_argument("--concurrency", type=int, metavar="N", help="fetches at once")
    p.add_argument("--workers", type=int, metavar="N", help="processes extracting pages")
    p.add_argument("--claim", type=int, metavar="N", help="only the sources of claim N")
    p.add_argument(
        "--retry-failed", action="store_true", help="also fetch sources whose last fetch failed"
    )
    json_flag(p)

    p = command("sources", None, "source maintenance")  # type: ignore[arg-type]
    sources_sub = p.add_subparsers(dest="sources_command", metavar="ACTION", required=True)
    q = sources_sub.add_parser(
        "check", help="refetch sources; list those that changed or fail, with their verdicts"
    )
    q.set_defaults(handler=cmd_sources_check)
    q.add_argument("--claim", type=int, metavar="N", help="only the sources of claim N")
    json_flag(q)

    p = command("verdict", cmd_verdict, "record a verdict on a claim")
    p.add_argument("claim", type=int, metavar="CLAIM")
    p.add_argument("rating", help="a rating of the scale (see: workbench ratings)")
    p.add_argument("--rationale", required=True, help="why the claim gets this rating")
    p.add_argument(
        "--blind", action="store_true", help="a blind review: rated without seeing other ratings"
    )
    add_expect_version(p)
    json_flag(p)
    request_flag(p)

    p = command("status", cmd_status, "set a claim's status (new, in-progress, dismissed)")
    p.add_argument("claim", type=int, metavar="CLAIM")
    p.add_argument("status")
    add_expect_version(p)
    json_flag(p)

    p = command("approve", cmd_approve, "sign off the verdict of a claim (not your own)")
    p.add_argument("claim", type=int, metavar="CLAIM")
    add_expect_version(p)
    json_flag(p)

    p = command("ratings", cmd_ratings, "list the rating scale")
    json_flag(p)

    p = command("history", cmd_history, "the audit trail of one claim")
    p.add_argument("claim", type=int, metavar="CLAIM")
    json_flag(p)

    p = command(
        "backup",
        cmd_backup,
        "write a checked copy of the database (safe while others are working)",
    )
    p.add_argument("path", metavar="PATH", help="a new file, or a folder for a dated file")
    json_flag(p)

    p = command(
        "restore",
        cmd_restore,
        "replace the database with a backup, after checking it; the old one is kept beside it",
    )
    p.add_argument("path", metavar="PATH", help="the backup file")
    json_flag(p)

    add_team_commands(command, json_flag)
    add_user_commands(command, json_flag)
    from workbench.cli_factchecks import register as add_factchecks

    add_factchecks(sub)

    p = command(
        "export",
        cmd_export,
        "a verdict report (md, html, json, csv, claimreview), or --check a ClaimReview file",
    )
    p.add_argument("--format", choices=("md", "html", "json", "csv", "claimreview", "warc"))
    p.add_argument("-o", "--output", metavar="FILE", help="write here (default: stdout)")
    add_filters(p)
    p.add_argument("--since", metavar="DATE", help="claims updated on or after DATE")
    p.add_argument(
        "--until",
        metavar="DATE",
        help="claims updated before DATE (a bare date: up to the end of that day)",
    )
    p.add_argument(
        "--per-evidence", action="store_true", help="CSV: one row per evidence, not per claim"
    )
    p.add_argument(
        "--include-open",
        action="store_true",
        help="HTML, Markdown: list the open claims too, after the verdicts",
    )
    p.add_argument(
        "--check", metavar="FILE", help="lint a ClaimReview JSON-LD file; exit 1 on errors"
    )
    json_flag(p)

    p = command(
        "import",
        cmd_import,
        "import claims (CSV, JSON Lines), earlier fact-checks (ClaimReview JSON-LD) "
        "or a JSON report",
    )
    p.add_argument("file", metavar="FILE", help="the file to import, or - for stdin")
    p.add_argument(
        "--strict", action="store_true", help="import nothing if any record is malformed"
    )
    json_flag(p)

    p = command(
        "matches",
        cmd_matches,
        "earlier fact-checks that look like claim N; confirm or reject them",
    )
    p.add_argument("claim", type=int, metavar="N")
    decide = p.add_mutually_exclusive_group()
    decide.add_argument("--confirm", type=int, metavar="M", help="match M is the same claim")
    decide.add_argument("--reject", type=int, metavar="M", help="match M is a different claim")
    decide.add_argument("--refresh", action="store_true", help="look for matches again first")
    json_flag(p)

    return parser


def _retry_line(argv: Sequence[str] | None) -> str:
    import shlex

    from workbench.textsafe import printable

    words = list(sys.argv[1:] if argv is None else argv)
    return printable(shlex.join(["workbench", *words]))


def _reapply_hint(exc: Any, argv: Sequence[str] | None) -> str:
    """Nothing was saved, but the user's input is still valid: the command to apply it again."""
    import shlex

    words = list(sys.argv[1:] if argv is None else argv)
    if exc.version is None or "--expect-version" not in " ".join(words):
        if exc.claim_id is None:
            return ""
        return f"workbench: look at it with: workbench claim show {exc.claim_id}\n"
    fixed: list[str] = []
    skip = False
    for word in words:
        if skip:
            skip = False
            continue
        if word == "--expect-version":
            skip = True
            continue
        if word.startswith("--expect-version="):
            continue
        fixed.append(word)
    fixed += ["--expect-version", str(exc.version)]
    return (
        f"workbench: nothing was saved; look at it (workbench claim show {exc.claim_id}), "
        f"then to apply your change to version {exc.version}: workbench {shlex.join(fixed)}\n"
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handler: Handler = getattr(args, "handler", None) or cmd_tui
    ctx = Context(db_arg=getattr(args, "db", None), reviewer_arg=args.reviewer)
    from workbench.errors import BusyError, ConflictError, DiskFullError, WorkbenchError

    try:
        return handler(ctx, args) or 0
    except (BusyError, DiskFullError) as exc:
        # The input was fine and nothing was saved: give it back so it is not lost.
        sys.stderr.write(f"workbench: error: {exc}\n")
        sys.stderr.write(f"workbench: nothing was saved; to try again, run: {_retry_line(argv)}\n")
        return 1
    except ConflictError as exc:
        sys.stderr.write(f"workbench: error: {exc}\n{_reapply_hint(exc, argv)}")
        return 1
    except (WorkbenchError, UserError) as exc:
        sys.stderr.write(f"workbench: error: {exc}\n")
        return 1
    except KeyboardInterrupt:
        sys.stderr.write("workbench: interrupted\n")
        return 130
    except BrokenPipeError:
        return 0
    finally:
        for store in ctx.opened:
            store.dispose()


if __name__ == "__main__":
    raise SystemExit(main())
