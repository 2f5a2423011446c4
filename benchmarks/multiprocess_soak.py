"""Soak: the terminal UI and CLI processes on one SQLite file, round after round (issue 12).

    python benchmarks/multiprocess_soak.py [--rounds 50] [--seed N] [--writers 4]
        [--readers 2] [--writes 3] [--reads 3]

Each round takes a fresh folder and a start order chosen at random (the UI creates the file;
a CLI command creates it; `workbench demo`; an existing file; a file at schema revision 0004
upgraded by whichever process opens it first), runs a real `workbench tui` in tmux driven
by keystrokes (refresh, add a claim, search for it, change its status, quit) while the CLI
writers add claims, set statuses and record verdicts and the readers list claims and run
`workbench check`. Then, with every process ended, it checks the file: integrity_check, every
acknowledged write (a CLI exit status 0; the UI's notice after ctrl+s) present, every claim
with its audit event, no id given twice, `workbench check` passing, and nothing deleted from
under the UI while it ran. The rounds are tests/multiprocess_harness.py, which the CI test
(tests/test_multiprocess.py) runs once per start order.

Prints one line a round and the totals: rounds, acknowledged writes, lost writes (must be
0), integrity failures (must be 0). Exit status 1 when either is not 0. Needs tmux.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.multiprocess_harness import ORDERS, RoundResult, run_round  # noqa: E402
from tests.tmux_helpers import NO_TMUX, TMUX  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=50)
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--writers", type=int, default=4)
    parser.add_argument("--readers", type=int, default=2)
    parser.add_argument("--writes", type=int, default=3, help="claims each writer adds a round")
    parser.add_argument("--reads", type=int, default=3, help="reads each reader makes a round")
    args = parser.parse_args()
    if TMUX is None:
        print(NO_TMUX, file=sys.stderr)
        return 1
    seed = args.seed if args.seed is not None else random.randrange(1 << 30)
    rng = random.Random(seed)
    print(
        f"seed {seed}: {args.rounds} rounds, {args.writers} writers x {args.writes} claims, "
        f"{args.readers} readers x {args.reads} reads, the UI in tmux",
        flush=True,
    )
    started = time.monotonic()
    acked = lost = failures = refused = deleted = 0
    for number in range(1, args.rounds + 1):
        order = rng.choice(ORDERS)
        with tempfile.TemporaryDirectory(prefix="wb-soak-") as folder:
            try:
                result = run_round(
                    order,
                    Path(folder) / "round",
                    writers=args.writers,
                    readers=args.readers,
                    writes=args.writes,
                    reads=args.reads,
                )
            except Exception as exc:  # a round that could not finish counts as a failure
                result = RoundResult(order, integrity=[f"round stopped: {exc}"])
        acked += len(result.acked)
        lost += len(result.lost)
        failures += len(result.integrity) + len(result.deleted)
        refused += len(result.refused)
        deleted += len(result.deleted)
        print(
            f"round {number:>3}  {order:<12} {len(result.acked):>3} acknowledged  "
            f"{len(result.lost)} lost  {len(result.integrity) + len(result.deleted)} failures  "
            f"{len(result.refused)} refused  {result.seconds:5.1f} s",
            flush=True,
        )
        for problem in result.problems:
            print(f"    {problem}", flush=True)
    elapsed = time.monotonic() - started
    print(f"rounds: {args.rounds}")
    print(f"acknowledged writes: {acked}")
    print(f"lost writes: {lost}")
    print(f"integrity failures: {failures}")
    print(f"refused commands (not acknowledged, not counted as lost): {refused}")
    print(f"database files deleted under the UI: {deleted}")
    print(f"time: {elapsed:.0f} s ({elapsed / max(args.rounds, 1):.1f} s a round)")
    return 1 if lost or failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
