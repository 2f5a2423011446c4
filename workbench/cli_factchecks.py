"""`workbench factchecks search "TEXT" [--lang L] [--limit N] [--import 1,3|all] [--json]`:
earlier fact-checks from Google's Fact Check Tools API, shown with publisher, rating, date
and URL; `--import` keeps the chosen ones as earlier fact-checks (then `workbench matches`
finds them for claims). Hooked into cli.py by `register`; only the standard library at the
top, like cli.py."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from workbench.cli import Context


def register(subparsers: Any) -> None:
    help_text = "search earlier fact-checks (Google Fact Check Tools API) and import them"
    p = subparsers.add_parser("factchecks", help=help_text, description=help_text)
    actions = p.add_subparsers(dest="factchecks_command", metavar="ACTION", required=True)
    q = actions.add_parser(
        "search",
        help="fact-checks of claims like TEXT: publisher, rating, date, URL",
        description="Asks the Fact Check Tools API (key: [factchecks] api_key in the config "
        "file) for fact-checks of claims like TEXT.",
    )
    q.set_defaults(handler=cmd_search)
    q.add_argument("text", metavar="TEXT", help="words of the claim")
    q.add_argument("--lang", metavar="L", help="only reviews in this language (en, es, pt-BR)")
    q.add_argument("--limit", type=int, default=20, metavar="N", help="at most N (default 20)")
    q.add_argument(
        "--import",
        dest="choose",
        metavar="N,M|all",
        help="store results N, M (as numbered) as earlier fact-checks",
    )
    q.add_argument("--json", action="store_true", help="print JSON only")


def cmd_search(ctx: Context, args: argparse.Namespace) -> int:
    from workbench import factcheck_search
    from workbench.cli import emit_json, say
    from workbench.textsafe import one_line

    found = factcheck_search.search(args.text, ctx.settings, language=args.lang, limit=args.limit)
    imported = None
    if args.choose is not None:
        picked = factcheck_search.parse_choice(args.choose, len(found.reviews))
        with ctx.store.write() as session:
            imported = factcheck_search.import_found(
                session, ctx.reviewer, [found.reviews[i] for i in picked]
            )
    if args.json:
        emit_json(
            {
                "query": found.query,
                "language": found.language,
                "more": found.more,
                "results": [
                    {"number": n, **r.to_json()} for n, r in enumerate(found.reviews, start=1)
                ],
                "imported": imported.to_json() if imported is not None else None,
            }
        )
        return 0
    if not found.reviews:
        say(f"no fact-checks found for {one_line(found.query, 80)!r}")
        return 0
    for number, r in enumerate(found.reviews, start=1):
        who = one_line(r.publisher or r.site or "?", 40)
        rating = one_line(r.rating or "-", 40)
        say(f"{number:>3}. {who} · {rating} · {(r.date or '-')[:10]} · {r.url or '-'}")
        claimant = f" ({one_line(r.claimant, 40)})" if r.claimant else ""
        say(f"     {one_line(r.claim, 110)}{claimant}")
    if found.more:
        say(f"more results exist; ask for them with --limit {args.limit * 2}")
    if imported is not None:
        parts = f"{imported.fact_checks} fact-check(s) imported"
        if imported.duplicates:
            parts += f", {imported.duplicates} already present"
        say(parts)
    else:
        say("keep some as earlier fact-checks with: --import N,M (or --import all)")
    return 0
