"""How commands print: JSON alone with --json, otherwise lines with control characters and
escape sequences removed (text from the database or the web never drives the terminal)."""

from __future__ import annotations

import sys
from typing import Any


def emit_json(data: Any) -> None:
    # Streamed in batches: with indent, json.dumps joins millions of pieces in one list first.
    # (json imported here: the terminal UI, which prints no JSON, starts without it.)
    import json
    from itertools import islice

    pieces = json.JSONEncoder(ensure_ascii=False, indent=2, default=str).iterencode(data)
    while batch := "".join(islice(pieces, 8192)):
        sys.stdout.write(batch)
    sys.stdout.write("\n")


def say(text: str) -> None:
    from workbench.textsafe import printable

    sys.stdout.write(printable(text) + "\n")


def warn(text: str) -> None:
    sys.stderr.write(f"workbench: {text}\n")


def printed_json(args: Any, result: Any) -> bool:
    """With --json, prints the result's JSON (and nothing else will be printed): True."""
    if args.json:
        emit_json(result.to_json())
    return bool(args.json)


def report(args: Any, result: Any, *lines: str) -> int:
    """A command's answer: with --json the result's JSON only, otherwise the lines."""
    if not printed_json(args, result):
        for line in lines:
            say(line)
    return 0


def printable_line(text: str) -> str:
    from workbench.textsafe import one_line

    return one_line(text, 300)


def claim_line(row: Any) -> str:
    from workbench.textsafe import one_line

    score = f"{row.score:.2f}" if row.score is not None else "  - "
    rating = row.rating or "-"
    return (
        f"{row.id:>6}  {score}  {row.status:<11}  {rating:<12}  {row.source_count:>3}  "
        f"{one_line(row.text, 90)}"
    )


def match_line(m: Any) -> str:
    from workbench.textsafe import one_line

    flag = "  LIKELY REPEAT" if m.likely_repeat and m.state == "suggested" else ""
    target = f"{'claim' if m.target_kind == 'claim' else 'fact-check'} {m.target_id}"
    who = f" ({one_line(m.publisher, 30)})" if m.publisher else ""
    why = f"\n{'':>7}matched: {one_line(', '.join(m.matched), 100)}" if m.matched else ""
    return (
        f"{m.id:>5}  {m.score:.2f}  {m.state:<9}  {target:<16} {one_line(m.rating or '-', 16):<16}"
        f"{who} {one_line(m.text, 70)}{flag}{why}"
    )


class ProgressLine:
    """A one-line progress display on stderr (redrawn on a terminal, a line each otherwise)."""

    def __init__(self, label: str, enabled: bool = True) -> None:
        self.label = label
        self.enabled = enabled
        self.tty = sys.stderr.isatty()

    def __call__(self, done: int, total: int, report: Any) -> None:
        if not self.enabled:
            return
        from workbench.textsafe import one_line

        width = 24
        filled = int(width * done / total) if total else width
        bar = "#" * filled + "-" * (width - filled)
        status = "ok" if report.outcome == "ok" else report.outcome
        line = f"{self.label} [{bar}] {done}/{total}  {status:<12} {one_line(report.url, 60)}"
        if self.tty:
            end = "\n" if done == total else ""
            sys.stderr.write("\r\x1b[2K" + line + end)
        else:
            sys.stderr.write(line + "\n")
        sys.stderr.flush()
