"""Ingest speed: 1,000 articles of about 800 words through the service layer (clean, split,
score, store with sentences, claims and audit events), into a fresh SQLite file.

Prints articles per second, with the time spent preparing (clean/split/score) and storing.
Usage: python benchmarks/ingest_speed.py [--articles N] [--words W]
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from pathlib import Path

SUBJECTS = [
    "The council",
    "The ministry",
    "Mayor Ortiz",
    "The port authority",
    "Local traders",
    "The health board",
    "Police",
    "The university",
    "Opposition leaders",
    "The agency",
]
VERBS = ["said", "reported", "claimed", "announced", "estimated", "denied", "confirmed"]
OBJECTS = [
    "that spending rose by {n}% in {y}",
    "that {n},000 people used the service in {y}",
    "a budget of {n} million euros for {y}",
    "that crime fell {n}% since {y}",
    "that the project would finish in {y}",
    "plans to hire {n} new staff",
    "that the decision was fair",
    "the concerns of residents",
    "a review of the scheme",
]


def make_article(rng: random.Random, words: int) -> str:
    paragraphs, count = [], 0
    while count < words:
        sentences = []
        for _ in range(rng.randint(2, 4)):
            sentence = (
                f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} "
                + rng.choice(OBJECTS).format(n=rng.randint(2, 95), y=rng.randint(1990, 2026))
                + rng.choice([".", ", according to officials.", " on Tuesday."])
            )
            sentences.append(sentence)
            count += len(sentence.split())
        paragraphs.append(" ".join(sentences))
    return f"Headline number {rng.randint(1, 10**9)}\n\n" + "\n\n".join(paragraphs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--words", type=int, default=800)
    args = parser.parse_args()

    from workbench.articles.preparing import prepare_article
    from workbench.articles.service import store_article
    from workbench.storage.store import Store

    rng = random.Random(7)
    texts = [make_article(rng, args.words) for _ in range(args.articles)]
    with tempfile.TemporaryDirectory() as folder:
        store = Store("sqlite:///" + str(Path(folder) / "bench.db"))
        prepare_article(texts[0], "text")  # load the model outside the timing
        prepare_time = store_time = 0.0
        claims = sentences = 0
        start = time.perf_counter()
        for text in texts:
            t0 = time.perf_counter()
            prepared = prepare_article(text, "text")
            t1 = time.perf_counter()
            with store.write() as session:
                result = store_article(session, "bench", prepared)
            t2 = time.perf_counter()
            prepare_time += t1 - t0
            store_time += t2 - t1
            claims += len(result.claims)
            sentences += result.sentence_count
        total = time.perf_counter() - start
        store.dispose()
    print(
        f"articles: {args.articles} of ~{args.words} words; {sentences} sentences, {claims} claims"
    )
    print(f"ingest: {args.articles / total:.1f} articles/s ({total:.2f} s in all)")
    print(f"  prepare (clean, split, score): {prepare_time:.2f} s; store: {store_time:.2f} s")


if __name__ == "__main__":
    main()
