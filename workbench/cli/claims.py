"""opt.Commands on claims: claim add/show, claims (the list), status, history."""

from __future__ import annotations

import argparse

from workbench.cli import options as opt
from workbench.cli.context import Context, UserError
from workbench.cli.output import claim_line, emit_json, match_line, report, say
from workbench.wording import counted


def cmd_claim_add(ctx: Context, args: argparse.Namespace) -> int:
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
    from workbench.claims.lookup import show_claim

    detail = ctx.desk.look(show_claim, args.claim)
    if args.json:
        emit_json(detail.to_json())
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
            label = s.url or s.citation or s.title or f"source {s.id}"
            status = f" ({s.fetch_status})" if s.fetch_status else ""
            say(f"  [{e.stance}] {label}{status}  (evidence {e.id})")
            if e.quote:
                say(f'      "{e.quote}"')
    say("History:")
    for event in detail.history:
        say(f"  {event.at:%Y-%m-%d %H:%M:%S}  {event.reviewer:<12} {event.action}")
    return 0


def cmd_claim_edit(ctx: Context, args: argparse.Namespace) -> int:
    from workbench.claims.summary import edit_claim, length_advice

    if args.text is None and args.summary is None:
        raise UserError("nothing to change: give --text TEXT and/or --summary TEXT")
    row, summary = ctx.desk.write(
        edit_claim,
        args.claim,
        text=args.text,
        summary=args.summary,
        expected_version=args.expect_version,
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
    from workbench.claims.service import set_status

    row = ctx.desk.write(set_status, args.claim, args.status, expected_version=args.expect_version)
    return report(args, row, f"claim {row.id} is now {row.status}")


def cmd_history(ctx: Context, args: argparse.Namespace) -> int:
    from workbench.claims.lookup import claim_history

    events = ctx.desk.look(claim_history, args.claim)
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


def register(sub: opt.Commands) -> None:
    p = opt.command(sub, "claim", None, "add or show one claim")
    claim_sub = p.add_subparsers(dest="claim_command", metavar="ACTION", required=True)
    q = opt.command(
        claim_sub, "add", cmd_claim_add, "add a claim by hand, or promote an article sentence"
    )
    q.add_argument("text", nargs="?", help="the claim, as said")
    q.add_argument("--article", type=int, metavar="N", help="the article it comes from")
    q.add_argument(
        "--sentence", type=int, metavar="K", help="promote sentence K (0-based) of --article N"
    )
    opt.json_flag(q)
    opt.request_flag(q)
    q = opt.command(
        claim_sub, "show", cmd_claim_show, "one claim with its sources, verdict and history"
    )
    q.add_argument("claim", type=int, metavar="N")
    opt.json_flag(q)
    q = opt.command(
        claim_sub,
        "edit",
        cmd_claim_edit,
        "change a claim's text or its short form (the summary ClaimReview publishes)",
    )
    q.add_argument("claim", type=int, metavar="N")
    q.add_argument("--text", help="the claim's new wording, as said")
    q.add_argument(
        "--summary",
        metavar="TEXT",
        help='a short form for publishing (ClaimReview\'s claimReviewed); "" clears it',
    )
    opt.expect_version(q)
    opt.json_flag(q)

    p = opt.command(sub, "claims", cmd_claims, "list claims, best first")
    opt.add_filters(p)
    p.add_argument("--limit", type=int, default=100, metavar="N", help="at most N (default 100)")
    p.add_argument("--mine", action="store_true", help="my queue: claims assigned to me")
    opt.json_flag(p)

    p = opt.command(sub, "status", cmd_status, "set a claim's status (new, in-progress, dismissed)")
    opt.claim_argument(p)
    p.add_argument("status")
    opt.expect_version(p)
    opt.json_flag(p)

    p = opt.command(sub, "history", cmd_history, "the audit trail of one claim")
    opt.claim_argument(p)
    opt.json_flag(p)
