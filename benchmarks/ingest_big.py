"""One big article through `workbench ingest`: time and peak memory by input size.

Generates plain-text articles of the given sizes (news-like sentences, no two paragraphs
alike, so none is dropped as page furniture), ingests each with the real command into a
fresh SQLite file in its own process, and prints the wall time, that process's peak resident
memory, and memory per megabyte of input above an empty ingest's. Nothing is asserted.
Usage: python benchmarks/ingest_big.py [--sizes 1,5,20]   (megabytes)
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from ingest_speed import make_article  # noqa: E402

# Runs one ingest, then prints its own peak resident memory (KiB on Linux).
CHILD = """
import resource, sys
from workbench.cli import main
code = main(sys.argv[1:])
print("maxrss", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)
sys.exit(code)
"""


def write_article(path: Path, megabytes: float, seed: int) -> None:
    rng = random.Random(seed)
    parts, size = [], 0
    while size < megabytes * 1_000_000:
        article = make_article(rng, 800)
        parts.append(article)
        size += len(article) + 2
    path.write_text("\n\n".join(parts), encoding="utf-8")


def ingest(folder: Path, article: Path) -> tuple[float, int, str]:
    config = folder / "config.toml"
    config.write_text("[ingest]\nmax_bytes = 1000000000\n", encoding="utf-8")
    db = folder / f"{article.stem}.db"
    env = {**os.environ, "WORKBENCH_CONFIG": str(config), "WORKBENCH_REVIEWER": "bench"}
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", CHILD, "--db", str(db), "ingest", str(article)],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    seconds = time.perf_counter() - start
    rss = next(
        int(line.split()[1]) for line in done.stderr.splitlines() if line.startswith("maxrss")
    )
    summary = done.stdout.splitlines()[1].strip() if done.stdout else ""
    return seconds, rss, summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="1,5,20", help="megabytes, comma-separated")
    args = parser.parse_args()
    sizes = [float(s) for s in args.sizes.split(",")]
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        tiny = folder / "tiny.txt"
        tiny.write_text("The council said spending rose by 38% in 2024.\n", encoding="utf-8")
        _s, base_rss, _ = ingest(folder, tiny)
        print(f"empty-ish ingest: peak {base_rss / 1024:.0f} MiB (imports, model, migrations)")
        for index, megabytes in enumerate(sizes):
            article = folder / f"article-{megabytes:g}mb.txt"
            write_article(article, megabytes, seed=index)
            seconds, rss, summary = ingest(folder, article)
            per_mb = (rss - base_rss) / 1024 / megabytes
            print(
                f"{megabytes:g} MB: {seconds:.1f} s ({seconds / megabytes:.1f} s/MB), "
                f"peak {rss / 1024:.0f} MiB ({per_mb:.1f} MiB per MB above the base); {summary}"
            )
            article.unlink()


if __name__ == "__main__":
    main()
