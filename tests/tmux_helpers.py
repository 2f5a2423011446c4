"""Driving a real terminal (tmux) from tests and benchmarks: run a command in a detached
session, send keys, read the screen."""

from __future__ import annotations

import shutil
import subprocess
import time

TMUX = shutil.which("tmux")
NO_TMUX = "tmux is not installed (apt-get install tmux) - no real terminal to test in"


def tmux(*args: str) -> str:
    assert TMUX is not None
    done = subprocess.run([TMUX, *args], capture_output=True, text=True, timeout=10)
    return done.stdout


def screen(session: str) -> str:
    return tmux("capture-pane", "-p", "-t", session)


def wait_for(session: str, text: str, timeout: float = 20.0) -> str:
    deadline = time.monotonic() + timeout
    shown = ""
    while time.monotonic() < deadline:
        shown = screen(session)
        if text in shown:
            return shown
        time.sleep(0.2)
    raise AssertionError(f"{text!r} did not appear on the screen:\n{shown}")
