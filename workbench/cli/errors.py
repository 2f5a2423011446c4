"""Which error ends a command with which exit status and message (GUIDE section 3): 0
success, 1 a user error (one line on stderr, no traceback), 2 a usage error (argparse),
130 interrupted. When the input was fine but nothing was saved (the database was busy, the
disk full, someone changed the claim first) the message says how to apply it again."""

from __future__ import annotations

import argparse
import shlex
import sys
from collections.abc import Sequence
from typing import Any

from workbench.cli.context import Context, UserError
from workbench.cli.options import Handler


def run(
    handler: Handler, ctx: Context, args: argparse.Namespace, argv: Sequence[str] | None
) -> int:
    from workbench.errors import BusyError, ConflictError, DiskFullError, WorkbenchError

    try:
        return handler(ctx, args) or 0
    except (BusyError, DiskFullError) as exc:
        sys.stderr.write(f"workbench: error: {exc}\n")
        sys.stderr.write(f"workbench: nothing was saved; to try again, run: {_retry_line(argv)}\n")
        return 1
    except ConflictError as exc:
        sys.stderr.write(f"workbench: error: {exc}\n{_reapply_hint(exc, argv)}")
        return 1
    except (WorkbenchError, UserError) as exc:
        sys.stderr.write(f"workbench: error: {exc}\n")
        return 1
    except KeyboardInterrupt:
        sys.stderr.write("workbench: interrupted\n")
        return 130
    except BrokenPipeError:
        return 0
    finally:
        ctx.close()


def _words(argv: Sequence[str] | None) -> list[str]:
    return list(sys.argv[1:] if argv is None else argv)


def _retry_line(argv: Sequence[str] | None) -> str:
    from workbench.textsafe import printable

    return printable(shlex.join(["workbench", *_words(argv)]))


def _reapply_hint(exc: Any, argv: Sequence[str] | None) -> str:
    """Nothing was saved, but the user's input is still valid: the command to apply it again."""
    words = _words(argv)
    if exc.version is None or "--expect-version" not in " ".join(words):
        if exc.claim_id is None:
            return ""
        return f"workbench: look at it with: workbench claim show {exc.claim_id}\n"
    fixed: list[str] = []
    skip = False
    for word in words:
        if skip:
            skip = False
            continue
        if word == "--expect-version":
            skip = True
            continue
        if word.startswith("--expect-version="):
            continue
        fixed.append(word)
    fixed += ["--expect-version", str(exc.version)]
    return (
        f"workbench: nothing was saved; look at it (workbench claim show {exc.claim_id}), "
        f"then to apply your change to version {exc.version}: workbench {shlex.join(fixed)}\n"
    )
