"""Transcripts as speaker<TAB>sentence lines: `rank-sentences --format tsv` and `ingest`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from workbench.ingest.checkworthy import default_model
from workbench.ingest.transcript import build_transcript, looks_like_transcript

LINES = [
    ("MODERATOR", "Good evening and welcome to the debate."),
    ("MODERATOR", "Senator, your first question is about jobs."),
    ("LEE", "Thank you."),
    ("LEE", "Unemployment in our state fell from 7.2 percent in 2019 to 4.1 percent last year."),
    ("", "We built 40,000 homes in four years, more than any state but Texas."),
    ("", "(APPLAUSE)"),
    ("MODERATOR", "Governor, your response?"),
    ("PARK", "The state lost 12,000 factory jobs while he was in office."),
]


def _tsv() -> str:
    return "".join(f"{speaker}\t{sentence}\n" for speaker, sentence in LINES)


def test_rank_sentences_tsv_uses_the_speakers(cli: Any) -> None:
    result = cli("rank-sentences", "--format", "tsv", stdin=_tsv())
    assert result.code == 0, result.err
    scores = [float(x) for x in result.out.splitlines()]
    assert len(scores) == len(LINES)
    sentences = [s for _, s in LINES]
    speakers = [p for p, _ in LINES]
    expected = default_model().score(sentences, speakers)
    assert scores == [float(f"{s:.6f}") for s in expected]
    # The turn structure changes the scores: the same lines without speakers score otherwise.
    assert expected != default_model().score(sentences)
    # The statistical claims outrank the moderator's greeting.
    assert min(scores[3], scores[4], scores[7]) > scores[0]


def test_rank_sentences_tsv_accepts_lines_without_a_tab_and_plain_still_works(cli: Any) -> None:
    text = "HOST\tHello there.\nNo tab on this line, so no speaker named.\n\t\n"
    result = cli("rank-sentences", "--format", "tsv", stdin=text)
    assert result.code == 0, result.err
    assert len(result.out.splitlines()) == 3
    plain = cli("rank-sentences", stdin="One sentence.\nAnother one.\n")
    assert plain.code == 0 and len(plain.out.splitlines()) == 2


def test_transcript_text_keeps_speakers_out_of_sentences() -> None:
    transcript = build_transcript(_tsv())
    assert looks_like_transcript(_tsv())
    assert not looks_like_transcript("A plain article.\n\nWith a tab\there once.\n")
    texts = [s.text for s in transcript.sentences]
    assert texts == [s for _, s in LINES]
    for s in transcript.sentences:
        assert transcript.text[s.start : s.end] == s.text
    assert transcript.text.startswith("MODERATOR: Good evening")
    assert transcript.speakers[4] == ""  # continues LEE's turn


def test_ingest_of_a_tsv_transcript_uses_its_turns(cli: Any, tmp_path: Path) -> None:
    path = tmp_path / "debate.txt"
    path.write_text(_tsv(), encoding="utf-8")
    result = cli("ingest", str(path), "--json")
    assert result.code == 0, result.err
    doc = result.json()
    assert doc["sentences"] == len(LINES)
    model = default_model()
    expected = model.score([s for _, s in LINES], [p for p, _ in LINES])
    by_text = {s: round(v, 4) for (_, s), v in zip(LINES, expected, strict=True)}
    for claim in doc["claims"]:
        assert claim["score"] == by_text[claim["text"]]
        assert "\t" not in claim["text"] and not claim["text"].startswith(("LEE", "PARK"))
