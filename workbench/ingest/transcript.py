"""Transcripts given as ``speaker<TAB>sentence`` lines: who said what, in order.

The check-worthiness model scores a transcript with its turn structure (see ``turns``). An
empty speaker continues the previous speaker's turn. As an article, a transcript is stored one
line a paragraph, "SPEAKER: what was said"; the speaker label is not part of any sentence, so
claims stay verbatim quotes of what was said.
"""

from __future__ import annotations

from dataclasses import dataclass

from workbench.ingest.clean import normalise_text
from workbench.ingest.split import Sentence, split_sentences

__all__ = ["Transcript", "build_transcript", "looks_like_transcript", "parse_tsv_lines"]

MAX_SPEAKER = 80  # a longer first field is text, not a name
_MIN_SHARE = 0.6  # of non-empty lines that must be speaker<TAB>text for a file to be one


@dataclass(frozen=True)
class Transcript:
    text: str
    sentences: list[Sentence]
    speakers: list[str]  # one per sentence; "" where the line named nobody


def parse_tsv_lines(lines: list[str]) -> tuple[list[str], list[str]]:
    """Speakers and sentences of ``speaker<TAB>sentence`` lines, one of each per line.

    A line without a tab is a sentence with no speaker named (it continues the last turn).
    """
    speakers: list[str] = []
    sentences: list[str] = []
    for line in lines:
        speaker, tab, sentence = line.partition("\t")
        if not tab:
            speaker, sentence = "", line
        speakers.append(" ".join(speaker.split()))
        sentences.append(sentence.strip())
    return speakers, sentences


def _is_speaker(field: str) -> bool:
    field = field.strip()
    return len(field) <= MAX_SPEAKER and not field.endswith((".", "!", "?"))


def looks_like_transcript(text: str) -> bool:
    """Most non-empty lines are ``speaker<TAB>text`` with a short speaker field."""
    lines = [line for line in text.splitlines() if line.strip()]
    if not lines:
        return False
    tabbed = 0
    for line in lines:
        speaker, tab, rest = line.partition("\t")
        if tab and rest.strip() and "\t" not in rest and _is_speaker(speaker):
            tabbed += 1
    return tabbed >= 2 and tabbed >= _MIN_SHARE * len(lines)


def build_transcript(raw: str) -> Transcript:
    """The stored text of a transcript with its sentences (offsets into that text) and the
    speaker of each sentence."""
    # Split on tabs before normalising, which turns every tab into a space.
    raw_lines = raw.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    speakers_in, lines = parse_tsv_lines(raw_lines)
    speakers_in = [normalise_text(s).replace("\n", " ") for s in speakers_in]
    lines = [" ".join(normalise_text(line).split()) for line in lines]
    parts: list[str] = []
    sentences: list[Sentence] = []
    speakers: list[str] = []
    pos = 0
    for speaker, line in zip(speakers_in, lines, strict=True):
        if not line:
            continue
        if parts:
            parts.append("\n\n")
            pos += 2
        label = f"{speaker}: " if speaker else ""
        parts.append(label + line)
        base = pos + len(label)
        for s in split_sentences(line):
            sentences.append(Sentence(base + s.start, base + s.end, s.text))
            speakers.append(speaker)
            speaker = ""  # later sentences of the line continue the same turn
        pos += len(label) + len(line)
    return Transcript("".join(parts), sentences, speakers)
