"""Reports in and out: export (every format, and --check of a ClaimReview file), import."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from workbench.cli import options as opt
from workbench.cli.context import Context, UserError
from workbench.cli.output import emit_json, printable_line, say, warn
from workbench.wording import counted


def cmd_export(ctx: Context, args: argparse.Namespace) -> int:
    """a verdict report (md, html, json, csv, claimreview), or --check a ClaimReview file"""
    if args.check:
        return _check_claimreview(args)
    if not args.format:
        raise UserError("choose a format with --format md|html|json|csv|claimreview|warc")
    from workbench.export.files import (
        refuse_database_output,
        report_writer,
        unit_of,
        warc_writer,
        write_atomically,
    )

    claims = opt.claim_filter(args)
    if args.format == "warc":
        write_warc = warc_writer(ctx.desk, claims)
        if args.output:
            refuse_database_output(ctx.desk, args.output)
            count = write_atomically(Path(args.output), write_warc, binary=True)
            warn(f"wrote {counted(count, 'snapshot')} to {args.output}")
        elif sys.stdout.isatty():
            raise UserError("a WARC file is binary; write it to a file with -o FILE.warc.gz")
        else:
            write_warc(sys.stdout.buffer)
            sys.stdout.buffer.flush()
        return 0
    from workbench.export.options import report_options
    from workbench.progress import StageLine, reporting

    options = report_options(
        ctx.desk, claims, per_evidence=args.per_evidence, include_open=args.include_open
    )
    lint: list[Any] = []
    write = report_writer(ctx.desk, args.format, options, lint)
    if args.format == "claimreview":
        from workbench.export.claimreview import placeholder_warning

        if (warning := placeholder_warning(options)) is not None:
            warn(f"warning: {warning}")
    # A report on a terminal's stdout would be drawn over by a progress line on its stderr.
    line = StageLine("exporting", enabled=bool(args.output) or not sys.stdout.isatty())
    with reporting(line):
        try:
            if args.output:
                refuse_database_output(ctx.desk, args.output)
                count = write_atomically(Path(args.output), write)
            else:
                write(sys.stdout)
                sys.stdout.flush()
        finally:
            line.close()
    if args.output:
        warn(f"wrote {count} {unit_of(args.format, args.per_evidence, count)} to {args.output}")
    errors = [p for p in lint if p.level == "error"]
    if errors:
        first = errors[0]
        warn(
            f"warning: {counted(len(errors), 'ClaimReview problem')}, "
            f"e.g. {first.path}: "
            f"{first.message}; check with: workbench export --check FILE"
        )
    return 0


def _check_claimreview(args: argparse.Namespace) -> int:
    import json

    from workbench.export.claimreview import check_document

    path = Path(args.check)
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise UserError(f"{path} does not exist") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise UserError(f"cannot read {path}: {exc}") from None
    except json.JSONDecodeError as exc:
        raise UserError(
            f"{path} is not JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"
        ) from None
    found, problems = check_document(document)
    errors = sum(1 for p in problems if p.level == "error")
    if args.json:
        emit_json({"reviews": found, "errors": errors, "problems": [p.to_json() for p in problems]})
    else:
        for p in problems:
            say(f"{p.level:<7}  {p.path}  {p.message}")
        warnings = len(problems) - errors
        found_text = counted(found, "ClaimReview")
        say(f"{found_text}: {counted(errors, 'error')}, {counted(warnings, 'warning')}")
    return 1 if errors else 0


def cmd_import(ctx: Context, args: argparse.Namespace) -> int:
    """import claims (CSV, JSON Lines), earlier fact-checks (ClaimReview JSON-LD) or a JSON
    report"""
    from workbench.importing import ImportRejected, import_file
    from workbench.progress import StageLine, reporting

    name = "stdin" if args.file == "-" else args.file
    line = StageLine(f"importing {name}")  # stderr only, so --json output stays clean
    try:
        with reporting(line):
            try:
                result = ctx.desk.write(
                    import_file, args.file, strict=args.strict, refuse_unreadable=True
                )
            finally:
                line.close()
    except ImportRejected as exc:
        if args.json:
            emit_json({**exc.result.to_json(), "imported": False})
        else:
            for problem in exc.result.problems:
                warn(f"{name}: {printable_line(str(problem))}")
        raise UserError(str(exc)) from None
    if args.json:
        emit_json({**result.to_json(), "imported": True})
        return 0
    for problem in result.problems:
        warn(f"warning: {name}: {printable_line(str(problem))}")
    added = result.to_json()["added"]
    nouns = {"claims": "claim", "fact_checks": "fact-check", "articles": "article"}
    nouns |= {"sources": "source", "evidence": "evidence", "verdicts": "verdict"}
    parts = [counted(n, nouns.get(k, k)) for k, n in added.items() if n]
    say(
        f"imported from {name} ({result.format}): "
        + (", ".join(parts) or "nothing new")
        + (f"; {result.duplicates} already present" if result.duplicates else "")
        + (
            f"; {counted(result.problem_count, 'malformed record')} skipped"
            if result.problem_count
            else ""
        )
    )
    return 0


def register(sub: opt.Commands) -> None:
    p = opt.command(sub, "export", cmd_export, json=True)
    p.add_argument("--format", choices=("md", "html", "json", "csv", "claimreview", "warc"))
    p.add_argument("-o", "--output", metavar="FILE", help="write here (default: stdout)")
    opt.add_filters(p)
    opt.add_dates(p)
    p.add_argument(
        "--per-evidence", action="store_true", help="CSV: one row per evidence, not per claim"
    )
    p.add_argument(
        "--include-open",
        action="store_true",
        help="HTML, Markdown: list the open claims too, after the verdicts",
    )
    p.add_argument(
        "--check", metavar="FILE", help="lint a ClaimReview JSON-LD file; exit 1 on errors"
    )

    p = opt.command(sub, "import", cmd_import, json=True)
    p.add_argument("file", metavar="FILE", help="the file to import, or - for stdin")
    p.add_argument(
        "--strict", action="store_true", help="import nothing if any record is malformed"
    )
