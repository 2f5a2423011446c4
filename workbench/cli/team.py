"""The desk's commands: assign, send-back, bulk-status, stats."""

from __future__ import annotations

import argparse

from workbench.cli import options as opt
from workbench.cli.context import Context, UserError
from workbench.cli.output import emit_json, report, say
from workbench.core.results import ClaimAt
from workbench.wording import counted


def cmd_assign(ctx: Context, args: argparse.Namespace) -> int:
    """put a claim in a reviewer's queue"""
    from workbench.team.workflow import assign

    if args.clear and args.name:
        raise UserError("give a NAME or --clear, not both")
    if not args.clear and not args.name:
        raise UserError("give the reviewer's NAME (or --clear to take it out of every queue)")
    row = ctx.desk.write(
        assign,
        ClaimAt(args.claim, args.expect_version),
        None if args.clear else args.name,
        blind=args.blind,
    )
    if args.json:
        emit_json(row.to_json())
    elif row.assignee is None:
        say(f"claim {row.id} is in nobody's queue")
    else:
        blind = " for a blind review" if args.blind else ""
        say(f"claim {row.id} assigned to {row.assignee}{blind}")
    return 0


def cmd_send_back(ctx: Context, args: argparse.Namespace) -> int:
    """return a reviewed claim to work, with a note"""
    from workbench.team.workflow import send_back

    row = ctx.desk.write(send_back, ClaimAt(args.claim, args.expect_version), args.note)
    return report(args, row, f"claim {row.id} sent back ({row.status}) by {ctx.reviewer}")


def cmd_bulk_status(ctx: Context, args: argparse.Namespace) -> int:
    """set the status of many claims (new, in-progress, dismissed)"""
    from workbench.team.workflow import bulk_set_status

    rows = ctx.desk.write(bulk_set_status, args.claims, args.status)
    if args.json:
        emit_json([r.to_json() for r in rows])
    else:
        say(f"{counted(len(rows), 'claim')} now {args.status}")
    return 0


def cmd_stats(ctx: Context, args: argparse.Namespace) -> int:
    """agreement between reviewers (Cohen's kappa) and their throughput"""
    from workbench.team.stats import team_stats

    stats = ctx.desk.read(team_stats)
    data = stats.to_json()
    if args.json:
        emit_json(data)
        return 0
    kappa = data["kappa"]
    if not stats.pairs:
        say("agreement: no blind pairs yet (assign claims with --blind for a second review)")
    else:
        shown = f"{kappa:.3f}" if kappa is not None else "undefined (one rating only)"
        say(
            f"agreement over {counted(len(stats.pairs), 'blind pair')}: Cohen's kappa {shown}, "
            f"observed agreement {data['observed_agreement']:.0%}"
        )
        for entry in data["by_reviewer_pair"]:
            k = f"{entry['kappa']:.3f}" if entry["kappa"] is not None else "-"
            a, b = entry["reviewers"]
            say(f"  {a} / {b}: {counted(entry['pairs'], 'pair')}, kappa {k}")
    if not stats.reviewers:
        say("throughput: no verdicts yet")
        return 0
    say(
        f"{'reviewer':<20} {'verdicts':>8} {'blind':>5} {'days':>4} {'per day':>7} "
        f"{'approved':>8} {'sent back':>9}"
    )
    for r in stats.reviewers:
        say(
            f"{r.reviewer[:20]:<20} {r.verdicts:>8} {r.blind_verdicts:>5} {r.active_days:>4} "
            f"{r.verdicts_per_day:>7.1f} {r.approvals:>8} {r.sent_back:>9}"
        )
    return 0


def register(sub: opt.Commands) -> None:
    p = opt.command(sub, "assign", cmd_assign, claim=True, json=True)
    p.add_argument("name", nargs="?", metavar="NAME", help="the reviewer")
    p.add_argument("--clear", action="store_true", help="take the claim out of every queue")
    p.add_argument(
        "--blind",
        action="store_true",
        help="a blind second review: NAME does not see the other ratings until theirs is in",
    )
    opt.expect_version(p)

    p = opt.command(sub, "send-back", cmd_send_back, claim=True, json=True)
    p.add_argument("--note", required=True, help="what must change before approval")
    opt.expect_version(p)

    p = opt.command(sub, "bulk-status", cmd_bulk_status, json=True)
    p.add_argument("status")
    p.add_argument("claims", type=int, nargs="+", metavar="CLAIM")

    p = opt.command(sub, "stats", cmd_stats, json=True)
