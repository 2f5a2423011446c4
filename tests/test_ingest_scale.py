"""The bulk ingest path (offsets, Core rows, scoring windows) stores exactly what the
one-object-per-row path stored, and long ingests report progress on stderr. Speed and memory
are measured by benchmarks/ingest_big.py, not here."""

from __future__ import annotations

import io
import random
from pathlib import Path
from typing import Any

from sqlalchemy import select

from tests.conftest import SHARED
from workbench.articles.preparing import prepare_article
from workbench.articles.service import store_article
from workbench.claims.service import add_claims_from_article
from workbench.ingest.checkworthy import default_model
from workbench.ingest.clean import clean_plain_text
from workbench.ingest.split import split_sentences
from workbench.ingest.windows import score_in_windows
from workbench.progress import LONG, StageLine
from workbench.storage.audit import check
from workbench.storage.models import Claim, Event, Sentence
from workbench.storage.store import Store

SEED = SHARED / "samples" / "seed-article.txt"


def test_windows_give_the_scores_of_one_call() -> None:
    text = clean_plain_text(SEED.read_text(encoding="utf-8"))
    texts = [s.text for s in split_sentences(text)]
    whole = [round(s, 4) for s in default_model().score(texts)]
    for window in (1, 2, 3, 7, len(texts)):
        got = score_in_windows(default_model(), len(texts), lambda a, b: texts[a:b], window=window)
        assert list(got) == whole, window


def test_prepared_sentences_are_the_split_sentences() -> None:
    raw = SEED.read_text(encoding="utf-8")
    prepared = prepare_article(raw, "text")
    expected = split_sentences(prepared.text)
    assert [(s.start, s.end, s.text) for s in prepared.sentences] == [
        (s.start, s.end, s.text) for s in expected
    ]
    assert prepared.sentences[-1].text == expected[-1].text
    assert [s.text for s in prepared.sentences[1:3]] == [s.text for s in expected[1:3]]
    ranked = prepared.sentences.ranked_at_least(0.5)
    assert [s.score for s in ranked] == sorted((s.score for s in ranked), reverse=True)
    assert {s.start for s in ranked} == {s.start for s in prepared.sentences if s.score >= 0.5}


def _stored(store: Store) -> tuple[list[Any], list[Any], list[Any]]:
    with store.read() as session:
        claims = session.execute(
            select(Claim.text, Claim.score, Claim.start, Claim.end, Claim.status).order_by(Claim.id)
        ).all()
        sentences = session.execute(
            select(Sentence.position, Sentence.start, Sentence.end, Sentence.text, Sentence.score)
        ).all()
        events = [
            (e.action, e.entity, e.claim_id is not None, e.after)
            for e in session.scalars(select(Event).where(Event.action == "claim.add"))
        ]
    return claims, sentences, events


def test_bulk_rows_equal_the_orm_rows(tmp_path: Path, store: Store) -> None:
    prepared = prepare_article(SEED.read_text(encoding="utf-8"), "text")
    with store.write() as session:
        result = store_article(session, "ana", prepared, threshold=0.3)
    # The same article through the ORM path it replaced (review.add_claims_from_article).
    other = Store("sqlite:///" + str(tmp_path / "orm.db"))
    try:
        with other.write() as session:
            result_orm = store_article(session, "ana", prepared, threshold=1.1)  # no claims
            worthy = sorted(
                (s for s in prepared.sentences if s.score >= 0.3), key=lambda s: -s.score
            )
            rows = add_claims_from_article(
                session,
                "ana",
                result_orm.article_id,
                [(s.text, s.score, s.start, s.end) for s in worthy],
            )
        assert [(c.text, c.score) for c in result.claims] == [(c.text, c.score) for c in rows]
        ours, theirs = _stored(store), _stored(other)
        assert ours == theirs
        for each in (store, other):  # both hash chains verify
            with each.read() as session:
                assert check(session).problems == []
    finally:
        other.dispose()
    assert len(result.claims) == len(ours[0]) > 3
    with store.read() as session:
        assert [c.id for c in result.claims] == list(
            session.scalars(select(Claim.id).order_by(Claim.id))
        )


def _long_article(sentences: int) -> str:
    rng = random.Random(5)
    words = ["council", "budget", "tram", "harbour", "school", "clinic", "bridge", "market"]
    paragraphs = []
    for p in range(0, sentences, 4):
        paragraphs.append(
            " ".join(
                f"The {rng.choice(words)} plan number {p + i} cost {rng.randint(2, 99)} million "
                f"euros in {rng.randint(1990, 2026)}."
                for i in range(4)
            )
        )
    return "\n\n".join(paragraphs)


def test_long_ingest_reports_progress_and_stores_everything(cli: Any, tmp_path: Path) -> None:
    article = tmp_path / "long.txt"
    article.write_text(_long_article(LONG + 400), encoding="utf-8")
    result = cli("ingest", str(article))
    assert result.code == 0, result.err
    assert f"{LONG + 400:,} sentences" in result.out
    # Not a terminal: a plain line as each long stage completes.
    lines = result.err.splitlines()
    assert any(line.endswith(")") and "sentences scored" in line for line in lines), lines
    assert any("sentences stored" in line for line in lines) and "claims stored" in result.err
    assert "\r" not in result.err
    check = cli("check")
    assert check.code == 0, check.err
    short = tmp_path / "short.txt"
    short.write_text("The council said spending rose by 38% in 2024.\n", encoding="utf-8")
    quiet = cli("ingest", str(short))
    assert quiet.code == 0 and quiet.err == ""  # a short ingest says nothing on stderr


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_line_on_a_terminal_is_redrawn() -> None:
    out = _Terminal()
    line = StageLine("ingesting a.txt", out)
    line(0, 0, "cleaning the text")
    line(100, 100, "sentences scored")
    line.close()
    text = out.getvalue()
    assert "\r\x1b[2Kingesting a.txt: cleaning the text" in text
    assert "ingesting a.txt: sentences scored 100/100" in text
    assert text.endswith("\r\x1b[2K")
    quiet = io.StringIO()
    StageLine("x", quiet)(100, 100, "sentences scored")  # short, and not a terminal
    assert quiet.getvalue() == ""
