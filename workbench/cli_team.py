"""Team commands of the CLI: assign, send-back, bulk-status, stats, check.

Registered by `cli.build_parser`. Like cli.py, only the standard library at the top: each
command imports what it uses, so `workbench --help` stays fast.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from workbench.wording import counted

if TYPE_CHECKING:
    from workbench.cli import Context

CommandMaker = Callable[..., argparse.ArgumentParser]


def add_expect_version(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--expect-version",
        type=int,
        metavar="N",
        help="the claim's version you looked at (claim show); refuse if it changed since",
    )


def cmd_assign(ctx: Context, args: argparse.Namespace) -> int:
    from workbench import workflow
    from workbench.cli import UserError, emit_json, say

    if args.clear and args.name:
        raise UserError("give a NAME or --clear, not both")
    if not args.clear and not args.name:
        raise UserError("give the reviewer's NAME (or --clear to take it out of every queue)")
    with ctx.store.write() as session:
        row = workflow.assign(
            session,
            ctx.reviewer,
            args.claim,
            None if args.clear else args.name,
            blind=args.blind,
            expected_version=args.expect_version,
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
    from workbench import workflow
    from workbench.cli import emit_json, say

    with ctx.store.write() as session:
        row = workflow.send_back(
            session, ctx.reviewer, args.claim, args.note, expected_version=args.expect_version
        )
    if args.json:
        emit_json(row.to_json())
    else:
        say(f"claim {row.id} sent back ({row.status}) by {ctx.reviewer}")
    return 0


def cmd_bulk_status(ctx: Context, args: argparse.Namespace) -> int:
    from workbench import workflow
    from workbench.cli import emit_json, say

    with ctx.store.write() as session:
        rows = workflow.bulk_set_status(session, ctx.reviewer, args.claims, args.status)
    if args.json:
        emit_json([r.to_json() for r in rows])
    else:
        say(f"{counted(len(rows), 'claim')} now {args.status}")
    return 0


def cmd_stats(ctx: Context, args: argparse.Namespace) -> int:
    from workbench import workflow
    from workbench.cli import emit_json, say

    with ctx.store.read() as session:
        stats = workflow.team_stats(session)
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


def cmd_check(ctx: Context, args: argparse.Namespace) -> int:
    import sys

    from workbench import audit
    from workbench.cli import emit_json, say
    from workbench.identity import require_full_view

    require_full_view(ctx.store, "workbench check")
    with ctx.store.read() as session:
        report = audit.check(session)
    if args.json:
        emit_json(report.to_json())
    else:
        say(f"events: {report.events} checked, head hash {report.head_hash or '-'}")
        say(f"snapshots: {report.snapshots} checked")
        say(f"integrity: {report.integrity}")
    if report.problems:
        if not args.json:
            for problem in report.problems[1:]:
                sys.stderr.write(f"workbench: also: {problem}\n")
        sys.stderr.write(f"workbench: check failed: {report.problems[0]}\n")
        return 1
    if not args.json:
        say("ok: the audit trail, the snapshots and the database are intact")
    return 0


def add_team_commands(command: CommandMaker, json_flag: Callable[[Any], None]) -> None:
    p = command("assign", cmd_assign, "put a claim in a reviewer's queue")
    p.add_argument("claim", type=int, metavar="CLAIM")
    p.add_argument("name", nargs="?", metavar="NAME", help="the reviewer")
    p.add_argument("--clear", action="store_true", help="take the claim out of every queue")
    p.add_argument(
        "--blind",
        action="store_true",
        help="a blind second review: NAME does not see the other ratings until theirs is in",
    )
    add_expect_version(p)
    json_flag(p)

    p = command("send-back", cmd_send_back, "return a reviewed claim to work, with a note")
    p.add_argument("claim", type=int, metavar="CLAIM")
    p.add_argument("--note", required=True, help="what must change before approval")
    add_expect_version(p)
    json_flag(p)

    p = command(
        "bulk-status",
        cmd_bulk_status,
        "set the status of many claims (new, in-progress, dismissed)",
    )
    p.add_argument("status")
    p.add_argument("claims", type=int, nargs="+", metavar="CLAIM")
    json_flag(p)

    p = command(
        "stats", cmd_stats, "agreement between reviewers (Cohen's kappa) and their throughput"
    )
    json_flag(p)

    p = command(
        "check",
        cmd_check,
        "verify the audit trail's hash chain, the archived snapshots and the database",
    )
    json_flag(p)
