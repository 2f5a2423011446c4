"""Start-up as a person at a terminal feels it: from the command to what it prints or paints.

Measures, each as the median (and range) of several runs of the whole process, imports
included:
- floors: `python -c pass`, `python -c "import textual.app"`, and a stdlib sqlite3 query of
  the first 40 claims of the same database;
- `workbench --help` (goal <= 0.3 s);
- CLI reads on 1,000,000 claims with `--json`: `claims --limit 40`, `claim show N`,
  `history N` (goal <= 0.35 s each);
- `workbench ingest` of one real-size news page (about 190 KB of HTML; goal <= 0.8 s);
- the TUI's first rows in a real terminal: tmux starts `workbench --db big.db` and the screen
  is polled until a claim row shows (goal <= 0.8 s), and VisiData opening the claims table
  of the same file the same way, in the same run, when `vd` is installed: the two
  alternately, run for run, so both see the same load.

Builds (or reuses) the million-claim database with benchmarks/scale_db.py. Compiles the
workbench package's bytecode first, as `pip install` leaves it: an editable install run with
PYTHONDONTWRITEBYTECODE set (as on these machines) otherwise compiles every module on every
run, a cost no installed copy has. Prints figures only; nothing is asserted.
Usage: python benchmarks/startup.py [--runs N] [--db PATH]
"""

from __future__ import annotations

import argparse
import compileall
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from scale_db import build  # noqa: E402

SAMPLE = Path(__file__).resolve().parent.parent / "workbench" / "data" / "sample_article.txt"
# A claims-list row: id, text, then a status word further on.
WORKBENCH_ROW = re.compile(r"^\s*\d+\s{2,}\S.*\s(new|in-progress|reviewed|approved|dismissed)\s")
VISIDATA_ROW = re.compile(r"^\s*\d+\s*║\s*\S")


def timed(command: list[str], env: dict[str, str] | None = None) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, env=env)
    return time.perf_counter() - start


def until_screen_shows(command: str, pattern: re.Pattern[str], timeout: float = 20.0) -> float:
    """Seconds from starting `command` in a new tmux session until a line of its screen
    matches `pattern`. The screen is polled every 10 ms."""
    session = f"bench{os.getpid()}"
    start = time.perf_counter()
    subprocess.run(
        ["tmux", "new-session", "-d", "-s", session, "-x", "160", "-y", "45", command],
        check=True,
    )
    try:
        while time.perf_counter() - start < timeout:
            screen = subprocess.run(
                ["tmux", "capture-pane", "-p", "-t", session],
                capture_output=True,
                text=True,
            ).stdout
            if any(pattern.search(line) for line in screen.splitlines()):
                return time.perf_counter() - start
            time.sleep(0.01)
        raise RuntimeError(f"{command!r} showed no row within {timeout} s:\n{screen}")
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)
        time.sleep(0.3)  # let the process exit before the next run starts


def sqlite_query_seconds(db: Path) -> float:
    code = (
        "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); "
        "c.execute('SELECT id, text, score, status FROM claims ORDER BY score DESC LIMIT 40')"
        ".fetchall()"
    )
    return timed([sys.executable, "-c", code, str(db)])


def news_page() -> str:
    """About 190 KB of HTML shaped like a real news page: the sample article as the body, and
    the navigation, scripts, styles and related links that make up most of a real page."""
    body = "".join(f"<p>{line}</p>\n" for line in SAMPLE.read_text().splitlines() if line.strip())
    nav = "".join(f'<li><a href="/section/{i}">Section {i}</a></li>' for i in range(80))
    related = "".join(
        f'<li><a href="/news/{i}">Related story number {i} about the region</a></li>'
        for i in range(120)
    )
    script = "<script>" + "var tracking = {id: 1, data: 'x'};" * 3400 + "</script>"
    style = "<style>" + ".c{margin:0;padding:0;color:#333}" * 1500 + "</style>"
    return (
        f"<!doctype html><html><head><title>Sample news page</title>{style}{script}</head>"
        f"<body><header><nav><ul>{nav}</ul></nav></header><main><article><h1>Sample</h1>"
        f"{body}</article></main><aside><ul>{related}</ul></aside>"
        f"<footer><ul>{nav}</ul></footer></body></html>"
    )


def report(label: str, runs: list[float], goal: float | None = None) -> None:
    med = statistics.median(runs)
    goal_text = f"  goal <= {goal * 1000:.0f} ms" if goal else ""
    print(
        f"{label:<34} median {med * 1000:7.1f} ms  "
        f"range {min(runs) * 1000:6.1f}-{max(runs) * 1000:6.1f} ms{goal_text}"
    )


def repeat(measure: Callable[[], float], runs: int) -> list[float]:
    return [measure() for _ in range(runs)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--db", type=Path, default=Path("/tmp/workbench-bench-1m.db"))
    args = parser.parse_args()
    built = build(args.db)
    if built:
        print(f"built {args.db} in {built:.1f} s")
    workbench = shutil.which("workbench") or "workbench"
    import workbench as package

    compileall.compile_dir(Path(package.__file__).parent, quiet=1)
    env = {**os.environ, "WORKBENCH_DB": str(args.db)}
    print(f"load average before: {os.getloadavg()[0]:.2f}; runs: {args.runs}")

    report("python -c pass", repeat(lambda: timed([sys.executable, "-c", "pass"]), args.runs))
    report(
        "python -c 'import textual.app'",
        repeat(lambda: timed([sys.executable, "-c", "import textual.app"]), args.runs),
    )
    report(
        "stdlib sqlite3: first 40 claims", repeat(lambda: sqlite_query_seconds(args.db), args.runs)
    )
    report("workbench --help", repeat(lambda: timed([workbench, "--help"]), args.runs), 0.3)
    reads = {
        "claims --limit 40 --json": ["claims", "--limit", "40", "--json"],
        "claim show 500000 --json": ["claim", "show", "500000", "--json"],
        "history 500000 --json": ["history", "500000", "--json"],
    }
    for label, argv in reads.items():
        command = [workbench, *argv]
        report(label, repeat(lambda command=command: timed(command, env), args.runs), 0.35)

    with tempfile.TemporaryDirectory() as folder:
        page = Path(folder) / "page.html"
        page.write_text(news_page())
        target = Path(folder) / "ingest.db"
        timed([workbench, "--db", str(target), "init"])
        size_kb = page.stat().st_size / 1024
        edition = iter(range(1, 1000))

        def ingest_new_page() -> float:
            # A page not stored yet each run (a stored one is recognised and not written).
            page.write_text(
                news_page().replace("</h1>", f"</h1><p>Edition {next(edition)} of the page.</p>", 1)
            )
            return timed([workbench, "--db", str(target), "ingest", str(page)])

        report(f"ingest one page ({size_kb:.0f} KB)", repeat(ingest_new_page, args.runs), 0.8)

    if shutil.which("tmux") is None:
        print("tmux is not installed: the terminal measurements are skipped")
        return
    vd = shutil.which("vd")
    stem = args.db.stem
    tui: list[float] = []
    visidata: list[float] = []
    # Alternately, so that both see the same load (the machine is shared).
    for _ in range(args.runs):
        tui.append(until_screen_shows(f"{workbench} --db {args.db}", WORKBENCH_ROW))
        if vd is not None:
            visidata.append(until_screen_shows(f"{vd} {args.db} +{stem}:claims::", VISIDATA_ROW))
    report("TUI first rows in tmux", tui, 0.8)
    if vd is None:
        print("VisiData (vd) is not installed: pip install visidata to compare")
        return
    report("VisiData first rows in tmux", visidata)
    ahead = sum(t < v for t, v in zip(tui, visidata, strict=True))
    print(
        f"TUI / VisiData (medians): {statistics.median(tui) / statistics.median(visidata):.2f}; "
        f"the TUI first in {ahead} of {args.runs} back-to-back pairs"
    )


if __name__ == "__main__":
    main()
