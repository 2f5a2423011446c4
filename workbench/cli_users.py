"""`workbench users ...` and `workbench init --owner`: the people of a PostgreSQL team server.

Registered by `cli.build_parser` (`add_user_commands`). Only the standard library at the top,
like cli.py: each command imports what it uses.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from workbench.cli import Context

CommandMaker = Callable[..., argparse.ArgumentParser]
ROLE_CHOICES = ("reviewer", "editor", "admin")


def _people_line(person: Any) -> str:
    state = person.role if person.active else "removed (cannot connect)"
    return f"{person.name:<24} {state}"


def _database_name(ctx: Context) -> str:
    from sqlalchemy.engine import make_url

    url = make_url(ctx.db_url())
    host = f" -h {url.host}" if url.host else ""
    port = f" -p {url.port}" if url.port else ""
    return f"psql{host}{port} -d {url.database}"


def cmd_users_add(ctx: Context, args: argparse.Namespace) -> int:
    from workbench import people
    from workbench.cli import emit_json, say

    with ctx.store.write() as session:
        person = people.add_person(session, ctx.reviewer, args.name, args.role)
    if args.json:
        emit_json(person.to_json())
        return 0
    say(f"added {person.name} as {person.role}")
    say(
        f"{person.name} has no password yet; the database's owner (or a superuser) sets one "
        f"with: {_database_name(ctx)} -c '\\password {person.name}' "
        f"(and {person.name} can change it later the same way)"
    )
    return 0


def cmd_users_list(ctx: Context, args: argparse.Namespace) -> int:
    from workbench import people
    from workbench.cli import emit_json, say

    with ctx.store.read() as session:
        found = people.list_people(session)
    if args.json:
        emit_json([p.to_json() for p in found])
    elif not found:
        say("no users yet; add one with: workbench users add NAME --role admin")
    else:
        for person in found:
            say(_people_line(person))
    return 0


def cmd_users_set_role(ctx: Context, args: argparse.Namespace) -> int:
    from workbench import people
    from workbench.cli import emit_json, say

    with ctx.store.write() as session:
        person = people.set_role(session, ctx.reviewer, args.name, args.role)
    if args.json:
        emit_json(person.to_json())
    else:
        say(f"{person.name} is now {person.role}")
    return 0


def cmd_users_remove(ctx: Context, args: argparse.Namespace) -> int:
    from workbench import people
    from workbench.cli import emit_json, say

    with ctx.store.write() as session:
        person = people.remove_person(session, ctx.reviewer, args.name)
    if args.json:
        emit_json(person.to_json())
    else:
        say(
            f"removed {person.name}: they can no longer connect; their past work stays, "
            "signed with their name"
        )
    return 0


def cmd_init_owner(ctx: Context, args: argparse.Namespace) -> int:
    """`workbench init --owner`: migrations (which make the roles, grants and rules) run by
    the schema's owner, then a check that the set-up is what the rules rely on."""
    from workbench import team_setup
    from workbench.cli import UserError, emit_json, say
    from workbench.identity import is_postgresql

    if not is_postgresql(ctx.db_url()):
        raise UserError(
            "init --owner sets up a PostgreSQL team server; an SQLite file needs only "
            "workbench init"
        )
    report = team_setup.check_owner(ctx.store)
    if args.json:
        emit_json(report)
        return 0
    say(
        f"team server ready: schema {report['schema']} (revision {report['revision']}) "
        f"owned by {report['owner']}; groups {', '.join(report['groups'])}"
    )
    say("add people with: workbench --db URL users add NAME --role reviewer|editor|admin")
    return 0


def add_user_commands(command: CommandMaker, json_flag: Callable[[Any], None]) -> None:
    p = command("users", None, "the people of a PostgreSQL team server (admins manage them)")
    sub = p.add_subparsers(dest="users_command", metavar="ACTION", required=True)

    q = sub.add_parser("add", help="add a person: a database login in a workbench role")
    q.set_defaults(handler=cmd_users_add)
    q.add_argument("name", metavar="NAME", help="their login name (lower case)")
    q.add_argument("--role", required=True, choices=ROLE_CHOICES)
    json_flag(q)

    q = sub.add_parser("list", help="everyone with a workbench login, and their role")
    q.set_defaults(handler=cmd_users_list)
    json_flag(q)

    q = sub.add_parser("set-role", help="give a person another role")
    q.set_defaults(handler=cmd_users_set_role)
    q.add_argument("name", metavar="NAME")
    q.add_argument("--role", required=True, choices=ROLE_CHOICES)
    json_flag(q)

    q = sub.add_parser("remove", help="a person can no longer connect; their work stays")
    q.set_defaults(handler=cmd_users_remove)
    q.add_argument("name", metavar="NAME")
    json_flag(q)
