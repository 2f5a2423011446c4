"""Driving a real terminal (tmux) from tests and benchmarks: run a command in a detached
session, send keys, read the screen."""

from __future__ import annotations

import shlex
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

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


def start_workbench(
    session: str,
    home: Path,
    workbench_args: str,
    *,
    env: dict[str, str] | None = None,
    size: tuple[int, int] = (120, 36),
    cwd: Path | None = None,
) -> None:
    """`python -m workbench.cli ARGS` from this checkout in a detached tmux session of `size`
    (columns, lines), started in `cwd` (default: the checkout), with its configuration and
    data under `home` (plus `env`); the pane stays 5 s after."""
    root = Path(__file__).resolve().parent.parent
    variables = {
        "PYTHONPATH": str(root),
        "WORKBENCH_CONFIG": str(home / "config.toml"),
        "XDG_DATA_HOME": str(home / "data"),
        "TERM": "xterm-256color",
        **(env or {}),
    }
    exports = " ".join(f"{k}={shlex.quote(v)}" for k, v in variables.items())
    command = (
        f"cd {shlex.quote(str(cwd or root))} && env -u COLUMNS -u LINES {exports} "
        f"{shlex.quote(sys.executable)} -m workbench.cli {workbench_args}; sleep 5"
    )
    columns, lines = size
    tmux("new-session", "-d", "-s", session, "-x", str(columns), "-y", str(lines), command)


@contextmanager
def workbench_session(
    home: Path,
    workbench_args: str,
    *,
    env: dict[str, str] | None = None,
    size: tuple[int, int] = (120, 36),
    cwd: Path | None = None,
) -> Iterator[str]:
    """`start_workbench` in a new session, whose name it yields; the app is quit with `q` when
    the block ends normally, and the session is killed however it ends."""
    session = "wb-" + uuid.uuid4().hex[:8]
    start_workbench(session, home, workbench_args, env=env, size=size, cwd=cwd)
    try:
        yield session
        tmux("send-keys", "-t", session, "q")
        time.sleep(0.5)
    finally:
        tmux("kill-session", "-t", session)
