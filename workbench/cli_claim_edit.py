"""`workbench claim edit N [--text T] [--summary S]`: change a claim's wording or its short
form. Registered under `claim` by `cli.build_parser`; imports only the standard library at
the top, like cli.py."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from workbench.cli import Context


def add_claim_edit(claim_sub: Any, json_flag: Callable[[argparse.ArgumentParser], None]) -> None:
    from workbench.cli_team import add_expect_version

    q = claim_sub.add_parser(
        "edit", help="change a claim's text or its short form (the summary ClaimReview publishes)"
    )
    q.set_defaults(handler=cmd_claim_edit)
    q.add_argument("claim", type=int, metavar="N")
    q.add_argument("--text", help="the claim's new wording, as said")
    q.add_argument(
        "--summary",
        metavar="TEXT",
        help='a short form for publishing (ClaimReview\'s claimReviewed); "" clears it',
    )
    add_expect_version(q)
    json_flag(q)


def cmd_claim_edit(ctx: Context, args: argparse.Namespace) -> int:
    from workbench import claim_summary, review
    from workbench.cli import UserError, emit_json, say

    if args.text is None and args.summary is None:
        raise UserError("nothing to change: give --text TEXT and/or --summary TEXT")
    version = args.expect_version
    with ctx.store.write() as session:
        row = None
        if args.text is not None:
            row = review.edit_claim_text(
                session, ctx.reviewer, args.claim, args.text, expected_version=version
            )
            version = None if version is None else row.version
        if args.summary is not None:
            row = claim_summary.set_summary(
                session, ctx.reviewer, args.claim, args.summary, expected_version=version
            )
        assert row is not None
        summary = claim_summary.get_summary(session, args.claim)
    if args.json:
        emit_json({**row.to_json(), "summary": summary})
        return 0
    say(f"claim {row.id} is now version {row.version}")
    if args.summary is not None:
        if summary is None:
            say("summary cleared: ClaimReview publishes the claim's text")
        else:
            advice = claim_summary.length_advice(summary)
            say(f"summary: {summary}" + (f"  ({advice})" if advice else ""))
    return 0
