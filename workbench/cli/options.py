"""Options several commands share, each written once: --json, --request-id,
--expect-version, the claim filters, and dates."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from workbench.cli.context import Context, UserError

if TYPE_CHECKING:
    from workbench.core.results import ClaimFilter
    from workbench.sources.evidence import Attachment

Handler = Callable[[Context, argparse.Namespace], int | None]
Commands = Any  # argparse's subparsers action (a private class)


def command(
    sub: Commands,
    name: str,
    handler: Handler | None,
    help_text: str | None = None,
    *,
    claim: bool = False,
    json: bool = False,
    **kw: Any,
) -> argparse.ArgumentParser:
    """A subcommand running `handler`, described by `help_text` or else by the handler's
    docstring (written beside the code it describes); `claim`: its first argument is a claim
    id; `json`: it takes --json (every command that lists or creates things)."""
    if help_text is None:
        help_text = " ".join(((handler and handler.__doc__) or "").split())
    parser: argparse.ArgumentParser = sub.add_parser(
        name, help=help_text, description=help_text, **kw
    )
    if handler is not None:
        parser.set_defaults(handler=handler)
    if claim:
        claim_argument(parser)
    if json:
        json_flag(parser)
    return parser


def json_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print JSON only")


def request_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--request-id",
        metavar="KEY",
        help="a unique key for this write; repeating it returns the earlier result "
        "instead of a duplicate (for scripts that retry)",
    )


def expect_version(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--expect-version",
        type=int,
        metavar="N",
        help="the claim's version you looked at (claim show); refuse if it changed since",
    )


def claim_argument(parser: argparse.ArgumentParser, name: str = "claim") -> None:
    parser.add_argument(name, type=int, metavar="CLAIM")


def stance_and_quote(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--stance", default="context", help="supports, refutes or context")
    parser.add_argument("--quote", help="the passage that matters")


def attachment(args: argparse.Namespace) -> Attachment:
    """How the source is attached: --stance, --quote, and --expect-version where it is taken."""
    from workbench.sources.evidence import Attachment

    return Attachment(args.stance, args.quote, getattr(args, "expect_version", None))


def add_filters(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--status", help="new, in-progress, reviewed, approved or dismissed")
    parser.add_argument("--rating", help="only claims whose current verdict has this rating")
    parser.add_argument("--search", metavar="WORDS", help="full-text search over claim text")
    parser.add_argument("--article", type=int, metavar="N", help="only claims of article N")
    parser.add_argument("--by", metavar="REVIEWER", help="only claims with a verdict by REVIEWER")
    parser.add_argument("--assignee", metavar="NAME", help="only claims assigned to NAME")
    parser.add_argument(
        "--sort", default="score", choices=("score", "updated", "status", "id"), help="sort order"
    )
    parser.add_argument("--ascending", action="store_true", help="smallest first")


def add_dates(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--since", metavar="DATE", help="claims updated on or after DATE")
    parser.add_argument(
        "--until",
        metavar="DATE",
        help="claims updated before DATE (a bare date: up to the end of that day)",
    )


def claim_filter(args: argparse.Namespace, me: str | None = None) -> ClaimFilter:
    """The filter the options describe; `--mine` is the queue of `me`."""
    from workbench.core.results import ClaimFilter

    since = parse_when(getattr(args, "since", None), "--since")
    until = parse_when(getattr(args, "until", None), "--until", end_of_day=True)
    if since is not None and until is not None and since >= until:
        raise UserError("--since must be before --until")
    return ClaimFilter(
        status=args.status,
        rating=args.rating,
        article_id=args.article,
        search=args.search,
        reviewer=getattr(args, "by", None),
        assignee=me if getattr(args, "mine", False) else getattr(args, "assignee", None),
        since=since,
        until=until,
        sort=args.sort,
        descending=not args.ascending,
    )


def parse_when(value: str | None, option: str, *, end_of_day: bool = False) -> Any:
    """An ISO date or date-time (UTC unless it says otherwise). A bare date given to an
    exclusive upper bound means the end of that day."""
    from datetime import UTC, datetime, timedelta

    if value is None:
        return None
    text = value.strip()
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        raise UserError(
            f"{option} {value!r} is not a date; write YYYY-MM-DD or YYYY-MM-DDTHH:MM"
        ) from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    if end_of_day and len(text) == 10:
        parsed += timedelta(days=1)
    return parsed
