"""Progress of a long command on stderr, as `fetch` shows it: one line redrawn on a
terminal; elsewhere (a log, a pipe) a plain line as each long stage completes.

Called as `progress(done, total, what)`: `total` 0 announces a stage that is not counted
("splitting into sentences"). Off a terminal only counted stages of at least `LONG` items
print, so a short command stays quiet in scripts.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO

LONG = 10_000


class StageLine:
    def __init__(self, label: str, stream: TextIO | None = None, *, enabled: bool = True) -> None:
        self.label = label
        self.stream = stream or sys.stderr
        self.enabled = enabled
        self.tty = self.stream.isatty()
        self.started = time.monotonic()
        self._drawn = 0.0
        self._open = False  # a redrawn line is on the screen

    def __call__(self, done: int, total: int, what: str) -> None:
        if not self.enabled:
            return
        finished = total > 0 and done >= total
        if self.tty:
            now = time.monotonic()
            if not finished and now - self._drawn < 0.1:
                return
            self._drawn = now
            counts = f" {done:,}/{total:,}" if total else ""
            self.stream.write(f"\r\x1b[2K{self.label}: {what}{counts}")
            self._open = True
        elif finished and total >= LONG:
            seconds = time.monotonic() - self.started
            self.stream.write(f"{self.label}: {total:,} {what} ({seconds:.0f} s)\n")
        self.stream.flush()

    def close(self) -> None:
        """Ends a redrawn line, so what follows starts on a line of its own."""
        if self._open:
            self.stream.write("\r\x1b[2K")
            self.stream.flush()
            self._open = False
