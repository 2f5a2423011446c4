"""opt.Commands on claims: claim add/show, claims (the list), status, history."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from workbench.cli import options as opt
from workbench.cli.context import Context, UserError
from workbench.cli.output import claim_line, emit_json, match_line, printed_json, report, say
from workbench.core.results import ClaimAt
from workbench.wording import counted

if TYPE_CHECKING:
    from workbench.core.details import EventView


def cmd_claim_add(ctx: Context, args: argparse.Namespace) -> int:
    """add a claim by hand, or promote an article sentence"""
    from workbench.claims.service import add_claim, promote_sentence
    from workbench.matching import suggest_matches

    if args.sentence is not None:
        if args.article is None:
            raise UserError("--sentence needs --article N (the article the sentence is in)")
        row = ctx.desk.write(promote_sentence, args.article, args.sentence)
    else:
        if args.text is None:
            raise UserError("give the claim text, or --article N --sentence K to promote one")
        row = ctx.desk.write(
            add_claim, args.text, article_id=args.article, request_id=args.request_id
        )
    # Earlier fact-checks of the same claim.
    matches = ctx.desk.write(suggest_matches, row.id)
    if args.json:
        emit_json({**row.to_json(), "matches": [m.to_json() for m in matches]})
        return 0
    say(f"claim {row.id} added: {row.text}")
    if matches:
        say(f"checked before? {counted(len(matches), 'earlier fact-check')} look similar:")
        for m in matches:
            say(match_line(m))
        say(f"confirm or reject with: workbench matches {row.id} --confirm M | --reject M")
    return 0


def cmd_claim_show(ctx: Context, args: argparse.Namespace) -> int:
    """one claim with its sources, verdict and history"""
    from workbench.claims.lookup import show_claim
    from workbench.core.source_text import citation_line, is_citation

    detail = ctx.desk.look(show_claim, args.claim)
    if printed_json(args, detail):
        return 0
    c = detail.claim
    say(
        f"Claim {c.id}  [{c.status}]  score {c.score if c.score is not None else '-'}  "
        f"version {c.version}" + (f"  assigned to {c.assignee}" if c.assignee else "")
    )
    say(c.text)
    if detail.summary:
        say(f"Summary (published in ClaimReview): {detail.summary}")
    if detail.ratings_hidden:
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
            if is_citation(s.kind, s.url):
                line = citation_line(e.stance, e.quote, s.title, s.citation, s.url)
                say(f"  {line}  (evidence {e.id})")
                continue
            label = s.url or s.citation or s.title or f"source {s.id}"
            status = f" ({s.fetch_status})" if s.fetch_status else ""
            say(f"  [{e.stance}] {label}{status}  (evidence {e.id})")
            if e.quote:
                say(f'      "{e.quote}"')
    say("History:")
    for event in detail.history:
        say("  " + history_line(event))
    return 0


def history_line(event: EventView) -> str:
    from workbench.core.history_text import describe_event

    return f"{event.at:%Y-%m-%d %H:%M:%S}  {event.reviewer:<12} {describe_event(event)}"


def cmd_claim_edit(ctx: Context, args: argparse.Namespace) -> int:
    """change a claim's text or its short form (the summary ClaimReview publishes)"""
    from workbench.claims.summary import edit_claim, length_advice

    if args.text is None and args.summary is None:
        raise UserError("nothing to change: give --text TEXT and/or --summary TEXT")
    row, summary = ctx.desk.write(
        edit_claim,
        ClaimAt(args.claim, args.expect_version),
        text=args.text,
        summary=args.summary,
    )
    if args.json:
        emit_json({**row.to_json(), "summary": summary})
        return 0
    say(f"claim {row.id} is now version {row.version}")
    if args.summary is not None:
        if summary is None:
            say("summary cleared: ClaimReview publishes the claim's text")
        else:
            advice = length_advice(summary)
            say(f"summary: {summary}" + (f"  ({advice})" if advice else ""))
    return 0


def cmd_claims(ctx: Context, args: argparse.Namespace) -> int:
    """list claims, best first"""
    from workbench.listing.lookup import visible_claims

    if args.limit is not None and args.limit < 0:
        raise UserError("--limit must be zero or more")
    if args.mine and args.assignee:
        raise UserError("give --mine or --assignee NAME, not both")
    rows = ctx.desk.look(visible_claims, opt.claim_filter(args, ctx.reviewer), limit=args.limit)
    if args.json:
        emit_json([r.to_json() for r in rows])
        return 0
    if not rows:
        say("no claims match")
        return 0
    say(f"{'id':>6}  score  {'status':<11}  {'rating':<12}  src  claim")
    for row in rows:
        say(claim_line(row))
    return 0


def cmd_status(ctx: Context, args: argparse.Namespace) -> int:
    """set a claim's status (new, in-progress, dismissed)"""
    from workbench.claims.service import set_status

    row = ctx.desk.write(set_status, ClaimAt(args.claim, args.expect_version), args.status)
    return report(args, row, f"claim {row.id} is now {row.status}")


def cmd_history(ctx: Context, args: argparse.Namespace) -> int:
    """the audit trail of one claim"""
    from workbench.claims.lookup import claim_history

    events = ctx.desk.look(claim_history, args.claim)
    if args.json:
        emit_json([e.to_json() for e in events])
        return 0
    for e in events:
        say(history_line(e))
    return 0


def register(sub: opt.Commands) -> None:
    p = opt.command(sub, "claim", None, "add or show one claim")
    claim_sub = p.add_subparsers(dest="claim_command", metavar="ACTION", required=True)
    q = opt.command(claim_sub, "add", cmd_claim_add, json=True)
    q.add_argument("text", nargs="?", help="the claim, as said")
    q.add_argument("--article", type=int, metavar="N", help="the article it comes from")
    q.add_argument(
        "--sentence", type=int, metavar="K", help="promote sentence K (0-based) of --article N"
    )
    opt.request_flag(q)
    q = opt.command(claim_sub, "show", cmd_claim_show, json=True)
    q.add_argument("claim", type=int, metavar="N")
    q = opt.command(claim_sub, "edit", cmd_claim_edit, json=True)
    q.add_argument("claim", type=int, metavar="N")
    q.add_argument("--text", help="the claim's new wording, as said")
    q.add_argument(
        "--summary",
        metavar="TEXT",
        help='a short form for publishing (ClaimReview\'s claimReviewed); "" clears it',
    )
    opt.expect_version(q)

    p = opt.command(sub, "claims", cmd_claims, json=True)
    opt.add_filters(p)
    p.add_argument("--limit", type=int, default=100, metavar="N", help="at most N (default 100)")
    p.add_argument("--mine", action="store_true", help="my queue: claims assigned to me")

    p = opt.command(sub, "status", cmd_status, claim=True, json=True)
    p.add_argument("status")
    opt.expect_version(p)

    p = opt.command(sub, "history", cmd_history, claim=True, json=True)
