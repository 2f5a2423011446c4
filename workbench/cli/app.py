"""The terminal UI from the opt.command line: tui (also the default), demo."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from workbench.cli import options as opt
from workbench.cli.context import Context
from workbench.cli.output import say

if TYPE_CHECKING:
    from workbench.desk import Desk


def cmd_demo(ctx: Context, args: argparse.Namespace) -> int:
    """build the sample database and open the terminal UI on it"""
    from workbench.demo import open_demo

    # Only an explicit path: $WORKBENCH_DB is someone's real work and must not be reset.
    desk, summary = open_demo(
        args.demo_db or ctx.db_arg, ctx.reviewer, ctx.settings, reset=args.reset
    )
    ctx.opened.append(desk)
    say(summary)
    if args.no_tui:
        return 0
    return run_tui(desk)


def run_tui(desk: Desk) -> int:
    from workbench.tui.start import run_app

    return run_app(desk)


def cmd_tui(ctx: Context, args: argparse.Namespace) -> int:
    """open the terminal UI on the configured database"""
    # Opened (and migrated) before the screen takes over, so errors print.
    return run_tui(ctx.desk)


def register(sub: opt.Commands) -> None:
    opt.command(sub, "tui", cmd_tui)
    p = opt.command(sub, "demo", cmd_demo)
    p.add_argument("--db", dest="demo_db", metavar="PATH", help="where to put the demo database")
    p.add_argument("--no-tui", action="store_true", help="build it and say where, without the UI")
    p.add_argument("--reset", action="store_true", help="rebuild the demo database from scratch")
