"""opt.Commands on articles: ingest, rank-sentences."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from workbench.cli import options as opt
from workbench.cli.context import Context, UserError
from workbench.cli.output import emit_json, say, warn
from workbench.wording import counted


def cmd_ingest(ctx: Context, args: argparse.Namespace) -> int:
    """ingest articles (files, '-' for stdin, or http(s) URLs)"""
    from workbench.articles.ingesting import ingest_source
    from workbench.errors import WorkbenchError
    from workbench.progress import StageLine

    if args.title is not None and len(args.sources) > 1:
        raise UserError("--title names one article; ingest the sources one at a time")
    if args.sources.count("-") > 1:
        raise UserError("standard input ('-') can be read only once")
    results = []
    failures = 0
    for source in args.sources:
        progress = StageLine(f"ingesting {source}", enabled=not args.json)
        try:
            result = ingest_source(ctx.desk, source, title=args.title, progress=progress)
        except WorkbenchError as exc:
            progress.close()
            failures += 1
            warn(f"error: {exc}")
            continue
        progress.close()
        results.append(result)
        if not args.json:
            _print_summary(result)
    if args.json:
        payload = [r.to_json() for r in results]
        emit_json(payload[0] if len(args.sources) == 1 and payload else payload)
    return 1 if failures else 0


def _print_summary(result: Any) -> None:
    from workbench.textsafe import one_line

    note = " (already ingested; nothing added)" if result.duplicate else ""
    say(f"article {result.article_id}: {one_line(result.title or '(untitled)', 100)}{note}")
    say(f"  {counted(result.sentence_count, 'sentence')}, {counted(len(result.claims), 'claim')}")
    for claim in result.claims[:3]:
        score = f"{claim.score:.2f}" if claim.score is not None else "-"
        say(f"  {claim.id:>6}  {score}  {one_line(claim.text, 100)}")


def cmd_rank_sentences(ctx: Context, args: argparse.Namespace) -> int:
    """score sentences from stdin (one a line) for check-worthiness, one score a line"""
    from workbench.articles.preparing import rank_sentences

    data = sys.stdin.buffer.read()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise UserError(
            f"standard input is not UTF-8 (byte {exc.start}); convert it first"
        ) from None
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()  # the newline that ends the last line does not start another
    lines = [line.rstrip("\r") for line in lines]
    scores = rank_sentences(lines, args.format)
    sys.stdout.write("".join(f"{score:.6f}\n" for score in scores))
    return 0


def register(sub: opt.Commands) -> None:
    p = opt.command(sub, "ingest", cmd_ingest, json=True)
    p.add_argument(
        "sources", nargs="+", metavar="SOURCE", help="a .txt, .md or .html file, -, or a URL"
    )
    p.add_argument("--title", help="the article's title (default: from the page or file)")

    p = opt.command(sub, "rank-sentences", cmd_rank_sentences)
    p.add_argument(
        "--format",
        choices=("plain", "tsv"),
        default="plain",
        help="tsv: each line is SPEAKER<TAB>SENTENCE (speaker may be empty); uses turns",
    )
