"""The command line (GUIDE section 3): `workbench [--db URL|PATH] [--reviewer NAME] COMMAND`.

One module per group of commands; each registers its own options beside its handlers
(`register(subparsers)`). Start-up matters (`workbench --help` runs often), so the command
modules import only the standard library at the top, and each handler imports the service
it calls. Errors become exit statuses in `errors.py`.
"""

from __future__ import annotations

import gc
import sys
from collections.abc import Sequence

from workbench import collector

# argparse and the command modules make objects that live as long as the process: no
# collection walks them, while they load (at Python's default threshold, about 17 times,
# before `program` sets its own) or after.
with collector.paused(freeze=True):
    import argparse

    from workbench.cli import (
        app,
        articles,
        claims,
        database,
        factchecks,
        matching,
        reports,
        sources,
        team,
        users,
        verdicts,
    )
    from workbench.cli.context import Context, UserError
    from workbench.cli.errors import run
    from workbench.cli.only import OnlyCommand, command_word

__all__ = ["Context", "UserError", "build_parser", "main", "program"]

# Objects made before the collector runs: well above Python's 700, because a command's start-up
# (SQLAlchemy, trafilatura, textual) allocates hundreds of thousands of long-lived objects and
# each full collection meanwhile walks all of them (about a tenth of an ingest's imports).
YOUNG_OBJECTS_PER_COLLECTION = 10_000

# In the order `workbench --help` lists them.
COMMAND_MODULES = (
    app,
    database,
    articles,
    claims,
    sources,
    verdicts,
    team,
    users,
    reports,
    matching,
    factchecks,
)


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The command line's parser; with `only`, the real parser of that command alone ('':
    of none, as the terminal UI needs; see cli/only.py)."""
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
    chosen = sub if only is None else OnlyCommand(sub, only)
    for module in COMMAND_MODULES:
        module.register(chosen)
    if isinstance(chosen, OnlyCommand) and only and only not in chosen.names:
        return build_parser()  # a mistyped command: the whole parser names the real ones
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    line = sys.argv[1:] if argv is None else list(argv)
    args = build_parser(command_word(line)).parse_args(line)
    handler = getattr(args, "handler", None) or app.cmd_tui
    ctx = Context(db_arg=getattr(args, "db", None), reviewer_arg=args.reviewer)
    return run(handler, ctx, args, argv)


def program() -> None:
    """The `workbench` program: `main` as one process's whole life. The collector runs less
    often, and not at all on the way out: by then every database, file and stream is closed
    and flushed, and a last collection over everything the command imported (0.1-0.2 s after
    SQLAlchemy) would only free memory the process gives back when it ends anyway."""
    gc.set_threshold(YOUNG_OBJECTS_PER_COLLECTION, *gc.get_threshold()[1:])
    status = main()
    gc.freeze()
    sys.exit(status)
