"""Sentence splitting for English news text, with offsets into the original string.

A single linear pass over candidate boundaries (runs of ``.``, ``!``, ``?``, ``…``
followed by optional closing quotes or brackets and whitespace). Each candidate is
decided from the token before it and the first character of the next word:

* a blank line always ends a sentence; a single newline is ordinary whitespace;
* ``!`` / ``?`` / ellipses end a sentence unless the next word starts in lowercase (or,
  for an ellipsis, with a digit): ``Well... maybe`` is one sentence, ``He paused... Then
  he spoke.`` is two;
* after ``.``, a lowercase next word never starts a sentence (``e.g. the``, ``U.S.
  officials``); a digit starts one only after an ordinary word (``No. 5``, ``Jan. 5``
  and ``U.S. 40`` continue, ``in 2023. 40 died`` splits);
* titles before names (``Mr.``, ``Dr.``, ``Gov.``, ``St.``...), ``e.g.``, ``i.e.``,
  ``vs.`` and initials (``J.``, ``J.K.``) never end a sentence;
* ambiguous abbreviations that often end sentences (``U.S.``, ``U.K.``, ``a.m.``,
  ``Inc.``, ``etc.``, ``Jr.``) end one when the next word is capitalised, unless that word
  is itself a title (``U.S. Sen. Smith``). So ``He moved to the U.S. Then...`` splits and
  ``U.S. President Biden`` is split too: a known, accepted error.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

__all__ = ["Sentence", "sentence_spans", "split_sentences"]


@dataclass(frozen=True, slots=True)
class Sentence:
    """One sentence; ``text == document[start:end]`` always holds."""

    start: int
    end: int
    text: str


# Titles and the like, which precede a name and so never end a sentence.
_TITLES = frozenset(
    """mr mrs ms mx dr prof sen sens rep reps gov govs gen lt col capt cpt sgt cmdr adm maj
    brig rev hon pres supt insp det st ste mt ft messrs mme mlle fr atty amb sec secs
    cf vs v viz eg ie incl esp approx""".split()
)
# Abbreviations that continue before a number but may end a sentence before a capital.
_BEFORE_NUMBER = frozenset(
    """no nos vol vols p pp fig figs ch chap art para op ed eds eq ref refs tel ext nr pt pts
    jan feb mar apr jun jul aug sep sept oct nov dec mon tue tues wed thu thur thurs fri sat
    sun ca c est min max avg etc inc ltd co corp llc plc bros dept jr sr al govt intl
    natl univ assn yr yrs hr hrs km kg lb lbs oz mi rd ave blvd hwy pct""".split()
)
# Dotted abbreviations that often end a sentence (split before a capitalised word).
_DOTTED_ENDERS = frozenset(
    """u.s u.k u.n e.u d.c u.s.a u.a.e l.a n.y n.j s.f f.b.i c.i.a n.a.s.a n.a.t.o u.s.s.r
    a.m p.m ph.d m.d b.a m.a b.sc m.sc d.d.s ll.b ll.m r.n a.d b.c b.c.e c.e""".split()
)
_NEVER_ENDS_DOTTED = frozenset({"e.g", "i.e", "cf", "viz"})

_OPENERS = "\"'“‘«([{¿¡"
_CLOSERS = "\"'”’»)]}"
_HARD_BREAK = re.compile(r"\n[^\S\n]*\n\s*")
# A run of terminators, optional closers, then whitespace or the end of the paragraph.
_CANDIDATE = re.compile(r"(?:[.!?‽…]+)[\"'”’»)\]}]*(?=\s|\Z)|[。！？]+[」』”’)）]*")
_INITIALS = re.compile(r"(?:[A-Z]\.)*[A-Z]")
_SPACE = re.compile(r"\s*")


def _classify(ch: str) -> str:
    """'lower', 'digit' or 'upper' (anything else counts as a capital: it may start text)."""
    if ch.islower():
        return "lower"
    if ch.isdigit():
        return "digit"
    return "upper"


def _next_word(text: str, pos: int, end: int) -> tuple[str, str]:
    """The kind of the next word's first character and the word itself (lowercased)."""
    pos = _SPACE.match(text, pos, end).end()  # type: ignore[union-attr]  # \s* always matches
    while pos < end and text[pos] in _OPENERS:
        pos += 1
    if pos >= end:
        return "upper", ""
    stop = pos
    while stop < end and not text[stop].isspace():
        stop += 1
    word = text[pos:stop]
    if not word:  # a lone quote or bracket before a line break: no word follows
        return "upper", ""
    first = word[0]
    if first in "$€£¥" and len(word) > 1 and word[1].isdigit():
        return "digit", word.lower()
    return _classify(first), word.lower()


def _token_before(text: str, stop: int, start: int) -> str:
    """The whitespace-delimited token ending at ``stop``, without quotes and brackets."""
    pos = stop
    while pos > start and not text[pos - 1].isspace():
        pos -= 1
    return text[pos:stop].strip(_OPENERS + _CLOSERS)


def _is_title(word: str) -> bool:
    return word.endswith(".") and word[:-1].strip(_OPENERS).replace(".", "") in _TITLES


def _period_ends(token: str, kind: str, next_word: str) -> bool:
    """Whether a single '.' after ``token`` ends a sentence, given the next word."""
    if kind == "lower":
        return False
    low = token.lower()
    if low in _TITLES or low in _NEVER_ENDS_DOTTED:
        return False
    if "." in token:  # a dotted abbreviation such as U.S or J.K
        if low in _DOTTED_ENDERS:
            return kind == "upper" and not _is_title(next_word)
        if _INITIALS.fullmatch(token):
            return False  # initials: J.K. Rowling
        return kind == "upper"
    if len(token) == 1 and token.isupper():
        return False  # an initial: J. K. Rowling
    if low in _BEFORE_NUMBER:
        return kind == "upper" and not _is_title(next_word)
    return True


def _ends_sentence(text: str, match: re.Match[str], para_start: int, para_end: int) -> bool:
    run = match.group().rstrip(_CLOSERS)
    if run[-1] in "。！？":
        return True
    kind, next_word = _next_word(text, match.end(), para_end)
    if "!" in run or "?" in run or "‽" in run:
        return kind != "lower"
    if run == ".":
        token = _token_before(text, match.start(), para_start)
        return _period_ends(token, kind, next_word)
    # An ellipsis (..., …, or a mix): a new sentence only before a capital.
    return kind == "upper"


def _trimmed(text: str, start: int, end: int) -> tuple[int, int] | None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if start < end else None


def sentence_spans(text: str) -> Iterator[tuple[int, int]]:
    """The (start, end) of each sentence of ``text``, in order, lazily: a long article's
    sentences need not all exist as strings at once (``text[start:end]`` is one)."""
    para_start = 0
    for para_end, next_start in _breaks(text):
        sent_start = para_start
        for match in _CANDIDATE.finditer(text, para_start, para_end):
            if _ends_sentence(text, match, para_start, para_end):
                if span := _trimmed(text, sent_start, match.end()):
                    yield span
                sent_start = match.end()
        if span := _trimmed(text, sent_start, para_end):
            yield span
        para_start = next_start


def _breaks(text: str) -> Iterator[tuple[int, int]]:
    for m in _HARD_BREAK.finditer(text):
        yield m.start(), m.end()
    yield len(text), len(text)


def split_sentences(text: str) -> list[Sentence]:
    """Split ``text`` into sentences, in order, none empty, whitespace trimmed.

    Offsets index into ``text`` itself; every non-space character belongs to exactly one
    sentence. See the module docstring for the boundary rules.
    """
    return [Sentence(start, end, text[start:end]) for start, end in sentence_spans(text)]
