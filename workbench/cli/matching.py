"""`matches`: earlier fact-checks that look like a claim; confirm or reject them."""

from __future__ import annotations

import argparse

from workbench.cli import options as opt
from workbench.cli.context import Context
from workbench.cli.output import emit_json, match_line, report, say


def cmd_matches(ctx: Context, args: argparse.Namespace) -> int:
    """earlier fact-checks that look like claim N; confirm or reject them"""
    from workbench.matching import decide_match, list_matches, suggest_matches

    if args.confirm is not None or args.reject is not None:
        decision = "confirmed" if args.confirm is not None else "rejected"
        match_id = args.confirm if args.confirm is not None else args.reject
        view = ctx.desk.write(decide_match, args.claim, match_id, decision)
        return report(
            args, view, f"match {view.id} of claim {args.claim} {decision} by {ctx.reviewer}"
        )
    if args.refresh:
        ctx.desk.write(suggest_matches, args.claim)
    views = ctx.desk.read(list_matches, args.claim)
    if args.json:
        emit_json([v.to_json() for v in views])
        return 0
    if not views:
        say(f"no earlier fact-checks match claim {args.claim} (look again with --refresh)")
        return 0
    say(f"{'match':>5}  score  {'state':<9}  {'target':<16} {'rating':<16} text")
    for v in views:
        say(match_line(v))
    return 0


def register(sub: opt.Commands) -> None:
    p = opt.command(sub, "matches", cmd_matches, json=True)
    p.add_argument("claim", type=int, metavar="N")
    decide = p.add_mutually_exclusive_group()
    decide.add_argument("--confirm", type=int, metavar="M", help="match M is the same claim")
    decide.add_argument("--reject", type=int, metavar="M", help="match M is a different claim")
    decide.add_argument("--refresh", action="store_true", help="look for matches again first")
