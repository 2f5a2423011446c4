"""Progress of a long command on stderr, as `fetch` shows it: one line redrawn on a
terminal; elsewhere (a log, a pipe) a plain line now and then once a counted stage has run
for a second, and one as each long stage completes. Never on stdout, so `--json` output
stays clean.

Called as `progress(done, total, what)`: `total` 0 announces a stage that is not counted
("splitting into sentences"), or counts one whose end is unknown (`done` records read so
far). Off a terminal only counted stages of at least `LONG` items, or running for more than
`QUIET_SECONDS`, print, so a short command stays quiet in scripts. `WORKBENCH_PROGRESS=1`
prints every step as a plain line wherever stderr goes (for logs, and for tests).

Code deep in a service reports through `report_progress(...)`, which goes to whatever line
the front end installed with `reporting(line)` (nothing, when none was), so the services do
not carry a callback through every signature.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TextIO

LONG = 10_000
QUIET_SECONDS = 1.0  # off a terminal, a stage shorter than this prints nothing
EVERY_SECONDS = 2.0  # off a terminal, at most one line this often while a stage runs

Progress = Callable[[int, int, str], None]

_current: ContextVar[Progress | None] = ContextVar("workbench_progress", default=None)


def forced() -> bool:
    return os.environ.get("WORKBENCH_PROGRESS", "").strip().lower() in ("1", "true", "yes")


@contextmanager
def reporting(progress: Progress | None) -> Iterator[None]:
    """Sends `report_progress` calls made inside the block to `progress`."""
    token = _current.set(progress)
    try:
        yield
    finally:
        _current.reset(token)


def report_progress(done: int, total: int, what: str) -> None:
    progress = _current.get()
    if progress is not None:
        progress(done, total, what)


class StageLine:
    def __init__(self, label: str, stream: TextIO | None = None, *, enabled: bool = True) -> None:
        self.label = label
        self.stream = stream or sys.stderr
        self.enabled = enabled
        self.tty = self.stream.isatty()
        self.forced = forced()
        self.started = time.monotonic()
        self._drawn = 0.0
        self._open = False  # a redrawn line is on the screen
        self._what = ""  # the stage last shown

    def __call__(self, done: int, total: int, what: str) -> None:
        if not self.enabled:
            return
        finished = total > 0 and done >= total
        now = time.monotonic()
        # A new stage always shows; steps of one stage at most ten times a second.
        hurried = what == self._what and not finished and now - self._drawn < 0.1
        self._what = what
        if self.tty and not self.forced:
            if hurried:
                return
            self._drawn = now
            self.stream.write(f"\r\x1b[2K{self.label}: {what}{_counts(done, total)}")
            self._open = True
        elif self.forced:
            if hurried:
                return
            self._drawn = now
            self.stream.write(f"{self.label}: {what}{_counts(done, total)}\n")
        elif finished and total >= LONG:
            seconds = now - self.started
            self.stream.write(f"{self.label}: {total:,} {what} ({seconds:.0f} s)\n")
        elif (
            not finished
            and done > 0
            and now - self.started >= QUIET_SECONDS
            and now - self._drawn >= EVERY_SECONDS
        ):
            self._drawn = now
            self.stream.write(f"{self.label}: {what}{_counts(done, total)}\n")
        else:
            return
        self.stream.flush()

    def close(self) -> None:
        """Ends a redrawn line, so what follows starts on a line of its own."""
        if self._open:
            self.stream.write("\r\x1b[2K")
            self.stream.flush()
            self._open = False


def _counts(done: int, total: int) -> str:
    if total:
        return f" {done:,}/{total:,}"
    return f" {done:,}" if done else ""
