"""opt.Commands on sources: source cite/add/quote/remove, passages, fetch, sources check."""

from __future__ import annotations

import argparse

from workbench.cli import options as opt
from workbench.cli.context import Context, UserError
from workbench.cli.output import ProgressLine, emit_json, report, say, warn


def cmd_source_cite(ctx: Context, args: argparse.Namespace) -> int:
    """attach a manual citation (book, call, dataset)"""
    from workbench.sources.evidence import cite_source

    evidence = ctx.desk.write(
        cite_source,
        args.claim,
        args.text,
        opt.attachment(args),
        request_id=args.request_id,
    )
    return report(
        args,
        evidence,
        f"citation {evidence.source.id} attached to claim {args.claim} ({evidence.stance})",
    )


def cmd_source_add(ctx: Context, args: argparse.Namespace) -> int:
    """attach a URL source (fetched and archived)"""
    from workbench.sources.fetching import attach_and_fetch

    done = attach_and_fetch(
        ctx.desk,
        args.claim,
        args.url,
        opt.attachment(args),
        fetch=not args.no_fetch,
    )
    if args.json:
        emit_json(done.evidence.to_json())
        return 0
    s = done.evidence.source
    say(f"source {s.id} attached to claim {args.claim} ({done.evidence.stance}): {s.url}")
    r = done.report
    if r is not None and r.outcome == "ok":
        say(f"  fetched and archived (sha256 {r.sha256}): {s.title or '(no title)'}")
    elif r is not None:
        say(f"  fetch failed: {r.outcome}: {r.error}")
        say(f"  retry with: workbench fetch --retry-failed --claim {args.claim}")
    elif done.needs_fetch:
        say("  not fetched yet; fetch it with: workbench fetch")
    return 0


def cmd_source_remove(ctx: Context, args: argparse.Namespace) -> int:
    """remove a source attached by mistake (the audit trail keeps it)"""
    from workbench.sources.evidence import detach_evidence

    removed = ctx.desk.write(
        detach_evidence, args.claim, args.evidence, expected_version=args.expect_version
    )
    if args.json:
        emit_json(removed.to_json())
    else:
        s = removed.source
        label = s.url or s.citation or f"source {s.id}"
        say(f"evidence {removed.id} ({label}) removed from claim {args.claim}")
    return 0


def cmd_fetch(ctx: Context, args: argparse.Namespace) -> int:
    """fetch and archive every URL source not fetched yet"""
    from workbench.sources.fetching import failed_sources, fetch_sources
    from workbench.sources.pending import retry_advice

    failed_before = 0 if args.retry_failed else failed_sources(ctx.desk, args.claim)
    reports = fetch_sources(
        ctx.desk,
        claim_id=args.claim,
        retry_failed=args.retry_failed,
        concurrency=args.concurrency,
        workers=args.workers,
        progress=ProgressLine("fetching", enabled=not args.json),
    )
    failed = [r for r in reports if r.outcome != "ok"]
    if args.json:
        emit_json([r.to_json() for r in reports])
    else:
        say(f"{len(reports) - len(failed)} fetched, {len(failed)} failed")
        for r in failed:
            say(f"  source {r.source_id}: {r.outcome}: {r.error}  ({r.url})")
        advice = retry_advice(failed_before + len(failed), args.claim)
        if advice:
            say(advice)
    if failed:  # exit status 1: a script must not take a partial fetch for a complete one
        warn(f"error: {len(failed)} of {len(reports)} fetches failed")
        return 1
    return 0


def cmd_sources_check(ctx: Context, args: argparse.Namespace) -> int:
    """refetch sources; list those that changed or fail, with their verdicts"""
    from workbench.sources.fetching import check_sources, url_source_count

    checked = url_source_count(ctx.desk, args.claim)
    progress = ProgressLine("checking", enabled=not args.json)
    findings = check_sources(ctx.desk, claim_id=args.claim, progress=progress)
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
    """a source's passages ranked by relevance to a claim"""
    from workbench.sources.evidence import ranked_passages
    from workbench.textsafe import one_line

    snapshot_id, passages = ctx.desk.read(
        ranked_passages, args.claim, args.source, limit=args.limit
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
    """pin a passage of a fetched source as the quote"""
    from workbench.sources.evidence import pin_passage, pin_quote

    if args.passage is not None:
        evidence = ctx.desk.write(
            pin_passage, args.claim, args.source, args.passage, stance=args.stance
        )
    elif args.start is not None and args.end is not None:
        evidence = ctx.desk.write(
            pin_quote, args.claim, args.source, args.start, args.end, stance=args.stance
        )
    else:
        raise UserError(
            "choose the passage: --passage N (see: workbench passages) or --start/--end"
        )
    return report(args, evidence, f'quote pinned to claim {args.claim}: "{evidence.quote}"')


def register(sub: opt.Commands) -> None:
    p = opt.command(sub, "source", None, "attach a source to a claim")
    source_sub = p.add_subparsers(dest="source_command", metavar="ACTION", required=True)
    q = opt.command(source_sub, "cite", cmd_source_cite, claim=True, json=True)
    q.add_argument("text", help="the citation: what it is and where to find it")
    opt.stance_and_quote(q)
    opt.expect_version(q)
    opt.request_flag(q)

    q = opt.command(source_sub, "add", cmd_source_add, claim=True, json=True)
    q.add_argument("url", metavar="URL")
    opt.stance_and_quote(q)
    q.add_argument("--no-fetch", action="store_true", help="attach now, fetch later")

    q = opt.command(source_sub, "remove", cmd_source_remove, claim=True, json=True)
    q.add_argument("evidence", type=int, metavar="EVIDENCE", help="its evidence id (claim show)")
    opt.expect_version(q)

    q = opt.command(source_sub, "quote", cmd_source_quote, claim=True, json=True)
    q.add_argument("source", type=int, metavar="SOURCE")
    q.add_argument("--passage", type=int, metavar="N", help="the Nth ranked passage")
    q.add_argument("--start", type=int, help="start offset in the snapshot text")
    q.add_argument("--end", type=int, help="end offset in the snapshot text")
    q.add_argument("--stance", help="supports, refutes or context")

    p = opt.command(sub, "passages", cmd_passages, claim=True, json=True)
    p.add_argument("source", type=int, metavar="SOURCE")
    p.add_argument("--limit", type=int, default=10, metavar="N")

    p = opt.command(sub, "fetch", cmd_fetch, json=True)
    p.add_argument("--concurrency", type=int, metavar="N", help="fetches at once")
    p.add_argument("--workers", type=int, metavar="N", help="processes extracting pages")
    p.add_argument("--claim", type=int, metavar="N", help="only the sources of claim N")
    p.add_argument(
        "--retry-failed", action="store_true", help="also fetch sources whose last fetch failed"
    )

    p = opt.command(sub, "sources", None, "source maintenance")
    sources_sub = p.add_subparsers(dest="sources_command", metavar="ACTION", required=True)
    q = opt.command(sources_sub, "check", cmd_sources_check, json=True)
    q.add_argument("--claim", type=int, metavar="N", help="only the sources of claim N")
