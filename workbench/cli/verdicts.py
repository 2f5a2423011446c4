"""opt.Commands on verdicts: verdict, approve, ratings (the scale)."""

from __future__ import annotations

import argparse

from workbench.cli import options as opt
from workbench.cli.context import Context
from workbench.cli.output import emit_json, report, say
from workbench.core.results import ClaimAt


def cmd_verdict(ctx: Context, args: argparse.Namespace) -> int:
    """record a verdict on a claim"""
    from workbench.verdicts.service import record_verdict

    # The service decides whether it is a blind verdict (a reviewer shown no rating).
    verdict = ctx.desk.write(
        record_verdict,
        ClaimAt(args.claim, args.expect_version),
        args.rating,
        args.rationale or "",
        scale=ctx.settings.scale,
        request_id=args.request_id,
        blind=args.blind,
    )
    return report(args, verdict, f"claim {args.claim}: {verdict.rating} (by {verdict.reviewer})")


def cmd_approve(ctx: Context, args: argparse.Namespace) -> int:
    """sign off the verdict of a claim (not your own)"""
    from workbench.verdicts.service import approve

    row = ctx.desk.write(approve, ClaimAt(args.claim, args.expect_version))
    return report(args, row, f"claim {row.id} approved by {ctx.reviewer}")


def cmd_ratings(ctx: Context, args: argparse.Namespace) -> int:
    """list the rating scale"""
    scale = ctx.settings.scale
    if args.json:
        emit_json([{"name": r.name, "label": r.label, "value": r.value} for r in scale.ratings])
        return 0
    for r in scale.ratings:
        value = str(r.value) if r.value is not None else "-"
        say(f"{r.name:<14} {value:>2}  {r.label}")
    return 0


def register(sub: opt.Commands) -> None:
    p = opt.command(sub, "verdict", cmd_verdict, claim=True, json=True)
    p.add_argument("rating", help="a rating of the scale (see: workbench ratings)")
    p.add_argument("--rationale", required=True, help="why the claim gets this rating")
    p.add_argument(
        "--blind", action="store_true", help="a blind review: rated without seeing other ratings"
    )
    opt.expect_version(p)
    opt.request_flag(p)

    p = opt.command(sub, "approve", cmd_approve, claim=True, json=True)
    opt.expect_version(p)

    p = opt.command(sub, "ratings", cmd_ratings, json=True)
