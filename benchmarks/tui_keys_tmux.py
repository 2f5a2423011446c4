"""Keystrokes as a person at a terminal feels them: from the key to the screen that shows it.

tui_scale.py times a key in-process, from the key event to the frame handed to the driver;
this times it in a real terminal, with the terminal's own parsing and drawing in it. tmux
runs `workbench --db big.db` (1,000,000 claims, built with benchmarks/scale_db.py); each key
is sent with `tmux send-keys` and the pane is captured without pause until it shows what that
key leads to:
- cursor down (20 keys): the status line's "claim N of" names the next row;
- page down (10 keys): "claim N of" moves on by a page;
- search keystrokes: typing a common word and a rare word one letter at a time, then
  deleting them; each keystroke waits for the screen it settles on (captured once beforehand,
  letter by letter, with a pause after each), so a result drawn in two steps counts when the
  second step is on the screen. The status line is left out: a large result's count becomes
  exact only a moment after its rows.

Goals (issue 16): cursor <= 16 ms, page down and search keystroke <= 50 ms. The figures hold
one `tmux send-keys` and at least one capture (printed as the resolution). Prints figures only.
Usage: python benchmarks/tui_keys_tmux.py [--db PATH]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from scale_db import build  # noqa: E402
from startup import WORKBENCH_ROW  # noqa: E402

SESSION = f"keys{os.getpid()}"
POSITION = re.compile(r"claim ([\d,]+) of ")
STATUS = re.compile(r"│ claim [\d,]+ of ")  # "of 1,018", "of over 5,000", "of 167,472"
SETTLE = 1.5  # seconds after a letter before its screen counts as settled
TIMEOUT = 10.0


def tmux(*args: str) -> str:
    return subprocess.run(["tmux", *args], capture_output=True, text=True, check=True).stdout


def screen() -> str:
    return tmux("capture-pane", "-p", "-t", SESSION)


def wait_for(done: Callable[[str], bool], start: float) -> float:
    """Seconds from ``start`` until the pane satisfies ``done``."""
    while time.perf_counter() - start < TIMEOUT:
        if done(screen()):
            return time.perf_counter() - start
    raise RuntimeError(f"the screen did not change as expected within {TIMEOUT} s:\n{screen()}")


def send(key: str) -> None:
    """One key: a tmux key name ("Down", "BSpace") or, when it is one character, that
    character as typed."""
    tmux("send-keys", "-t", SESSION, *(["-l"] if len(key) == 1 else []), key)


def press(key: str, done: Callable[[str], bool]) -> float:
    start = time.perf_counter()
    send(key)
    return wait_for(done, start)


def position(text: str) -> int | None:
    found = POSITION.search(text)
    return int(found.group(1).replace(",", "")) if found else None


def report(label: str, times: list[float], goal_ms: int) -> None:
    print(
        f"{label:<30} {statistics.median(times) * 1000:6.1f} ms median, "
        f"{max(times) * 1000:6.1f} max of {len(times)}   (goal <= {goal_ms} ms)"
    )


def moves(key: str, count: int) -> list[float]:
    """Times of ``count`` presses of ``key``, each until "claim N of" shows a new N."""
    times = []
    for _ in range(count):
        before = position(screen())
        times.append(press(key, lambda s, b=before: position(s) not in (None, b)))
    return times


def results(text: str) -> list[str]:
    """The screen without its status line, whose count of a large result set is exact only
    a moment after the first rows (and the rows, which a person reads, are already there)."""
    return [line for line in text.splitlines() if not STATUS.search(line)]


def typing(word: str) -> list[float]:
    """Times of each keystroke typing ``word`` into the search box and deleting it again."""
    keys = [*word, *["BSpace"] * len(word)]
    settled: list[list[str]] = []
    for key in keys:  # the screen each keystroke settles on
        send(key)
        time.sleep(SETTLE)
        settled.append(results(screen()))
    times = []
    for _ in range(3):
        for key, expected in zip(keys, settled, strict=True):
            times.append(press(key, lambda s, e=expected: results(s) == e))
            time.sleep(0.2)  # a person's pace between keys, not a burst
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", type=Path, default=Path("/tmp/workbench-bench-1m.db"))
    args = parser.parse_args()
    if shutil.which("tmux") is None:
        sys.exit("tmux is not installed")
    built = build(args.db)
    if built:
        print(f"built {args.db} in {built:.1f} s")
    workbench = shutil.which("workbench") or "workbench"
    print(f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    tmux("new-session", "-d", "-s", SESSION, "-x", "160", "-y", "45", f"{workbench} --db {args.db}")
    try:
        started = time.perf_counter()
        wait_for(lambda s: any(WORKBENCH_ROW.search(line) for line in s.splitlines()), started)
        time.sleep(1.0)  # what loads after the first rows
        captures = []
        for _ in range(20):
            t0 = time.perf_counter()
            screen()
            captures.append(time.perf_counter() - t0)
        print(f"resolution: one capture-pane {statistics.median(captures) * 1000:.1f} ms")
        report("cursor down", moves("Down", 20), 16)
        report("page down", moves("PageDown", 10), 50)
        send("/")
        time.sleep(0.5)
        for word, label in (("rate", "common word"), ("sumivo", "rare word")):
            report(f"search keystroke ({label})", typing(word), 50)
    finally:
        subprocess.run(["tmux", "kill-session", "-t", SESSION], capture_output=True)


if __name__ == "__main__":
    main()
