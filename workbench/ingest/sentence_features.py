"""What the check-worthiness model sees of one sentence: its tokens, their uni/bigrams and a
few structural cues (length, capitals, numbers).

Shared by the runtime scorer and the training script, so both featurise identically. There
are no hand-made word lists here: which words matter is learned from the debates.
"""

from __future__ import annotations

import re

__all__ = ["CUE_PREFIX", "analyse", "features", "ngrams", "tokens"]

# Tokens of the lower-cased text: words (with inner apostrophes), numbers (with their
# separators) and the few symbols that carry meaning for claims.
_TOKEN = re.compile(r"[a-z]+(?:'[a-z]+)*|\d+(?:[.,]\d+)*|[$%£€?!]")
# Where a word starts in the original text, to see its case without a Python-level loop.
_LOWER_WORD = re.compile(r"(?<![A-Za-z'])[a-z]")
_CAPITAL_WORD = re.compile(r"(?<![A-Za-z'])[A-Z]")
_FIRST_TOKEN = re.compile(r"[A-Za-z0-9$%£€?!]")
_DIGIT = re.compile(r"\d")
_YEAR = re.compile(r"(?:1[89]|20)\d\d$")
# Cue features carry this prefix; they are weighted apart from the length-normalised n-grams.
CUE_PREFIX = "h:"
# Page furniture that the debate transcripts never show the model: bylines and credits.
# Such lines are scored like blank ones.
_CREDIT = re.compile(
    r"^\W*(?:additional |further )?(?:reporting|writing|editing|research)(?: \w+)? by\b"
    r"|contributed to this (?:report|story|article)"
    r"|^\W*(?:photo|image|video)s?(?: credits?)?:"
    r"|all rights reserved|^\W*(?:copyright\b|©)",
    re.IGNORECASE,
)


def _number_token(t: str) -> str:
    if not t[0].isdigit():
        return t
    return "<year>" if _YEAR.match(t) else "<num>"


def tokens(sentence: str) -> list[str]:
    """Lower-cased tokens; numbers fold into ``<num>`` or ``<year>`` (a particular number
    does not recur between documents, "a number is here" does)."""
    toks = _TOKEN.findall(sentence.lower().replace("’", "'"))
    if _DIGIT.search(sentence) is not None:
        toks = [_number_token(t) for t in toks]
    return toks


def analyse(sentence: str) -> tuple[list[str], list[str]] | None:
    """Tokens and cue features of a sentence, or None if it is not worth scoring.

    Built from a few C-level regex passes rather than a per-token Python loop, for speed.
    """
    # No lower-case word at all means an address, heading, name list or the like, not a
    # sentence ("304 North Cardinal St.", "Physical Address"); likewise credit lines.
    if _LOWER_WORD.search(sentence) is None or _CREDIT.search(sentence) is not None:
        return None
    toks = tokens(sentence)
    nums = toks.count("<year>") + toks.count("<num>") if _DIGIT.search(sentence) else 0
    # A capital after the first token is a cheap named-entity signal.
    caps = len(_CAPITAL_WORD.findall(sentence))
    first = _FIRST_TOKEN.search(sentence)
    if caps and first is not None and first.group().isupper():
        caps -= 1
    # Length bins stop at 20+ tokens: in the debates, length separates short interjections
    # from statements, but among full prose sentences a longer one is not more checkable.
    cues = [
        f"h:len{min(len(toks) // 5, 4)}",
        f"h:caps{min(caps, 4)}",
        f"h:nums{min(nums, 3)}",
    ]
    return toks, cues


def ngrams(toks: list[str]) -> set[str]:
    grams = set(toks)
    grams.update(map(" ".join, zip(toks, toks[1:], strict=False)))
    return grams


def features(sentence: str) -> list[str]:
    """Distinct binary features of one sentence: word uni/bigrams, then ``h:`` cue features.

    An empty list means "not a sentence worth scoring" (blank, furniture or a credit line).
    """
    analysed = analyse(sentence)
    if analysed is None:
        return []
    toks, cues = analysed
    return sorted(ngrams(toks)) + cues
