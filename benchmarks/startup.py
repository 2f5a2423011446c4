"""Start-up time: the median wall time of `workbench --help` beside `python -c pass`.

Goal (issue 2): `workbench --help` under 0.3 s on this machine class. Prints figures only.
Usage: python benchmarks/startup.py [--runs N]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import time


def median_seconds(command: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    script = shutil.which("workbench")
    command = [script, "--help"] if script else [sys.executable, "-m", "workbench.cli", "--help"]
    baseline = median_seconds([sys.executable, "-c", "pass"], args.runs)
    help_time = median_seconds(command, args.runs)
    print(f"python -c pass:   median {baseline * 1000:7.1f} ms over {args.runs} runs")
    print(
        f"workbench --help: median {help_time * 1000:7.1f} ms over {args.runs} runs"
        f"  (goal < 300 ms; {help_time / baseline:.1f}x python -c pass)"
    )


if __name__ == "__main__":
    main()
