"""opt.Commands on the database itself: init, backup, restore, check."""

from __future__ import annotations

import argparse
from pathlib import Path

from workbench.cli import options as opt
from workbench.cli.context import Context, UserError
from workbench.cli.output import emit_json, printed_json, say, warn
from workbench.wording import counted


def cmd_init(ctx: Context, args: argparse.Namespace) -> int:
    """create or upgrade the database schema (safe to repeat)"""
    from workbench.upkeep import schema_revision

    if args.owner:
        return _init_owner(ctx, args)
    desk = ctx.desk  # opening migrates to head
    revision = schema_revision(desk)
    if args.json:
        emit_json({"database": desk.where, "revision": revision})
    else:
        say(f"database {desk.where} is ready (schema {revision})")
    return 0


def _init_owner(ctx: Context, args: argparse.Namespace) -> int:
    """`workbench init --owner`: migrations (which make the roles, grants and rules) run by
    the schema's owner, then a check that the set-up is what the rules rely on."""
    from workbench.identity import is_postgresql
    from workbench.upkeep import check_owner

    if not is_postgresql(ctx.db_url()):
        raise UserError(
            "init --owner sets up a PostgreSQL team server; an SQLite file needs only "
            "workbench init"
        )
    found = check_owner(ctx.desk)
    if args.json:
        emit_json(found)
        return 0
    say(
        f"team server ready: schema {found['schema']} (revision {found['revision']}) "
        f"owned by {found['owner']}; groups {', '.join(found['groups'])}"
    )
    say("add people with: workbench --db URL users add NAME --role reviewer|editor|admin")
    return 0


def cmd_backup(ctx: Context, args: argparse.Namespace) -> int:
    """write a checked copy of the database (safe while others are working)"""
    from workbench.upkeep import backup

    info = backup(ctx.desk, Path(args.path))
    if args.json:
        emit_json(info.to_json())
    else:
        say(
            f"backup written to {info.path}: {counted(info.claims, 'claim')}, "
            f"{counted(info.verdicts, 'verdict')}, {counted(info.events, 'event')} "
            f"(schema {info.revision}, checked)"
        )
    return 0


def cmd_restore(ctx: Context, args: argparse.Namespace) -> int:
    """replace the database with a backup, after checking it; the old one is kept beside it"""
    from workbench.upkeep import restore

    # The database being replaced may be damaged (the usual reason to restore), so it is
    # not opened here; restore checks the backup, then the target, itself.
    result = restore(ctx.db_url(), Path(args.path))
    if printed_json(args, result):
        return 0
    r = result.restored
    say(
        f"restored {r.path} into {result.database}: {counted(r.claims, 'claim')}, "
        f"{counted(r.verdicts, 'verdict')}, {counted(r.events, 'event')} (schema {r.revision})"
    )
    if result.previous is not None:
        say(f"the database it replaced is kept as {result.previous}")
    return 0


def cmd_check(ctx: Context, args: argparse.Namespace) -> int:
    """verify the audit trail's hash chain, the archived snapshots and the database"""
    from workbench.progress import StageLine, reporting
    from workbench.upkeep import check

    line = StageLine("checking")  # stderr only, so --json output stays clean
    with reporting(line):
        try:
            report = check(ctx.desk)
        finally:
            line.close()
    if args.json:
        emit_json(report.to_json())
    else:
        say(f"events: {report.events} checked, head hash {report.head_hash or '-'}")
        say(f"snapshots: {report.snapshots} checked")
        say(f"integrity: {report.integrity}")
    if report.problems:
        if not args.json:
            for problem in report.problems[1:]:
                warn(f"also: {problem}")
        warn(f"check failed: {report.problems[0]}")
        return 1
    if not args.json:
        say("ok: the audit trail, the snapshots and the database are intact")
    return 0


def register(sub: opt.Commands) -> None:
    p = opt.command(sub, "init", cmd_init, json=True)
    p.add_argument(
        "--owner", action="store_true", help="as the owner of a PostgreSQL team server: set it up"
    )

    p = opt.command(sub, "backup", cmd_backup, json=True)
    p.add_argument("path", metavar="PATH", help="a new file, or a folder for a dated file")

    p = opt.command(sub, "restore", cmd_restore, json=True)
    p.add_argument("path", metavar="PATH", help="the backup file")

    p = opt.command(sub, "check", cmd_check, json=True)
