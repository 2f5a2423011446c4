"""`workbench users ...`: the people of a PostgreSQL team server (admins manage them)."""

from __future__ import annotations

import argparse
from typing import Any

from workbench.cli import options as opt
from workbench.cli.context import Context
from workbench.cli.output import emit_json, printed_json, report, say

ROLE_CHOICES = ("reviewer", "editor", "admin")


def _people_line(person: Any) -> str:
    state = person.role if person.active else "removed (cannot connect)"
    return f"{person.name:<24} {state}"


def cmd_users_add(ctx: Context, args: argparse.Namespace) -> int:
    """add a person: a database login in a workbench role"""
    from workbench.team.people import add_person, password_hint

    person = ctx.desk.write(add_person, args.name, args.role)
    if printed_json(args, person):
        return 0
    say(f"added {person.name} as {person.role}")
    say(password_hint(ctx.db_url(), person.name))
    return 0


def cmd_users_list(ctx: Context, args: argparse.Namespace) -> int:
    """everyone with a workbench login, and their role"""
    from workbench.team.people import list_people

    found = ctx.desk.read(lambda session, _viewer: list_people(session))
    if args.json:
        emit_json([p.to_json() for p in found])
    elif not found:
        say("no users yet; add one with: workbench users add NAME --role admin")
    else:
        for person in found:
            say(_people_line(person))
    return 0


def cmd_users_set_role(ctx: Context, args: argparse.Namespace) -> int:
    """give a person another role"""
    from workbench.team.people import set_role

    person = ctx.desk.write(set_role, args.name, args.role)
    return report(args, person, f"{person.name} is now {person.role}")


def cmd_users_remove(ctx: Context, args: argparse.Namespace) -> int:
    """a person can no longer connect; their work stays"""
    from workbench.team.people import remove_person

    person = ctx.desk.write(remove_person, args.name)
    return report(
        args,
        person,
        f"removed {person.name}: they can no longer connect; their past work stays, "
        "signed with their name",
    )


def register(sub: opt.Commands) -> None:
    p = opt.command(
        sub, "users", None, "the people of a PostgreSQL team server (admins manage them)"
    )
    users = p.add_subparsers(dest="users_command", metavar="ACTION", required=True)

    q = opt.command(users, "add", cmd_users_add, json=True)
    q.add_argument("name", metavar="NAME", help="their login name (lower case)")
    q.add_argument("--role", required=True, choices=ROLE_CHOICES)

    q = opt.command(users, "list", cmd_users_list, json=True)

    q = opt.command(users, "set-role", cmd_users_set_role, json=True)
    q.add_argument("name", metavar="NAME")
    q.add_argument("--role", required=True, choices=ROLE_CHOICES)

    q = opt.command(users, "remove", cmd_users_remove, json=True)
    q.add_argument("name", metavar="NAME")
