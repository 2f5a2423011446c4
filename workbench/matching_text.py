"""Reading claims for matching: the same name written several ways becomes one token.

- A table of name variants (workbench/data/name_variants.tsv: agencies, international
  bodies, countries, frequent claim subjects, some in several languages): "CDC", "Centers
  for Disease Control and Prevention" and "Centers for Disease Control" all read `cdc`;
  "US", "U.S.", "United States" and "America" read `usa`. Capitalised forms match only as
  written, so the pronoun "us" stays a stop word.
- Expansions learned from the texts themselves: "Indian Council of Medical Research
  (ICMR)" teaches that ICMR is that council (`learn_expansions`), when the letters of the
  acronym are the initials of the name.
- Words that claims use for one another ("jab"/"vaccine" is in the table; "died"/"killed",
  "rose"/"increased", ...) in workbench/data/paraphrase_words.tsv, used by the second pass
  only (matching_rerank.py), where they count less than the same word.

`analyse(text, learned)` gives the tokens (lower-cased, stop words out, lightly stemmed)
and, for explanations, the surface form each token came from.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

STOP_WORDS = frozenset(
    """a about above after again against all also am an and any are as at be because been
    before being below between both but by can could did do does doing down during each few
    for from further had has have having he her here hers him his how i if in into is it its
    itself just me more most my no nor not now of off on once only or other our ours out over
    own said says same she should so some such than that the their theirs them then there
    these they this those through to too under until up very was we were what when where
    which while who whom why will with would you your yours""".split()
)
_WORD = re.compile(r"\w+", re.UNICODE)
# "America" alone is the United States in claims; these qualifiers make it a continent.
_QUALIFIED = {"america": ("south", "latin", "central", "north")}
_ACRONYM = re.compile(r"\(([A-Z][A-Z0-9&]{1,9})\)")
_NAME_WORD = re.compile(r"[A-Z][\w'’-]*|of|for|and|the|on|de|du|des|la|le|del|y|et|für|und")
_LINKING = frozenset("of for and the on de du des la le del y et für und".split())


def stem(word: str) -> str:
    """A light stemmer: enough to meet "rises"/"rise", "claimed"/"claim", "taxes"/"tax"."""
    for suffix in ("ing", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3 and not word.isdigit():
            return word[: -len(suffix)]
    return word


@dataclass(frozen=True)
class Variants:
    """key -> forms, and the regular expressions that find any form in a text."""

    forms: dict[str, tuple[str, ...]]
    patterns: tuple[re.Pattern[str], ...]  # forms in any case first, then capitalised ones
    key_of: dict[str, str]  # a form as matched (exact for capitals, else lower) -> key

    def key(self, matched: str) -> str | None:
        return self.key_of.get(matched) or self.key_of.get(matched.lower())


def _is_exact(form: str) -> bool:
    letters = [c for c in form if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


def _alternation(forms: list[str], flags: int) -> re.Pattern[str]:
    # One word-edge check around the whole alternation is much faster than one for each
    # of hundreds of alternatives. Longest first: "United States of America" before "US".
    bodies = [re.escape(f).replace(r"\ ", r"\s+") for f in sorted(forms, key=len, reverse=True)]
    return re.compile(r"(?<!\w)(?:" + "|".join(bodies) + r")(?![\w])", flags)


def _compile(table: dict[str, tuple[str, ...]]) -> Variants:
    key_of: dict[str, str] = {}
    exact: list[str] = []
    loose: list[str] = []
    for key, forms in table.items():
        for form in forms:
            if not form[0].isalnum():
                continue  # symbols ("%") are handled before names are looked for
            is_exact = _is_exact(form)
            key_of.setdefault(form if is_exact else form.lower(), key)
            (exact if is_exact else loose).append(form)
    patterns = tuple(
        _alternation(forms, flags) for forms, flags in ((loose, re.IGNORECASE), (exact, 0)) if forms
    )
    return Variants(dict(table), patterns, key_of)


def _read_table(name: str) -> dict[str, tuple[str, ...]]:
    text = resources.files("workbench.data").joinpath(name).read_text("utf-8")
    table: dict[str, tuple[str, ...]] = {}
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        key, _, forms = line.partition("\t")
        table[key.strip()] = tuple(f.strip() for f in forms.split("|") if f.strip())
    return table


@lru_cache(maxsize=1)
def name_variants() -> Variants:
    return _compile(_read_table("name_variants.tsv"))


@lru_cache(maxsize=1)
def paraphrase_groups() -> dict[str, str]:
    """stemmed word -> its group's name, for words claims use for one another."""
    groups: dict[str, str] = {}
    for key, words in _read_table("paraphrase_words.tsv").items():
        for word in words:
            groups.setdefault(stem(word.lower()), key)
    return groups


def learn_expansions(texts: list[str]) -> dict[str, tuple[str, ...]]:
    """ "Full Name Of Body (FNOB)" in the texts: acronym -> (its long form,). Only where
    the acronym's letters are the initials of the name's capitalised words, and only for
    acronyms the table does not know."""
    known = name_variants()
    learned: dict[str, tuple[str, ...]] = {}
    for text in texts:
        for found in _ACRONYM.finditer(text):
            acronym = found.group(1)
            if known.key(acronym) is not None or acronym.lower() in learned:
                continue
            words = [w.group(0) for w in _NAME_WORD.finditer(text[: found.start()])]
            name = _name_for(acronym, words)
            if name:
                learned[acronym.lower()] = (acronym, name)
    return learned


def _name_for(acronym: str, words: list[str]) -> str | None:
    """The shortest run of words ending the list whose initials spell the acronym."""
    letters = [c for c in acronym if c.isalpha()]
    taken: list[str] = []
    initials: list[str] = []
    for word in reversed(words[-12:]):
        taken.insert(0, word)
        if word.lower() in _LINKING:
            continue
        initials.insert(0, word[0].upper())
        if initials == letters:
            return " ".join(taken) if taken[0].lower() not in _LINKING else None
        if len(initials) >= len(letters):
            break
    return None


@dataclass
class Analysed:
    tokens: list[str] = field(default_factory=list)
    surface: dict[str, str] = field(default_factory=dict)  # token -> the words it came from
    names: dict[str, str] = field(default_factory=dict)  # variant key -> form as written


def _replace_names(text: str, variants: Variants, out: Analysed) -> str:
    def swap(match: re.Match[str]) -> str:
        matched = match.group(0)
        key = variants.key(" ".join(matched.split()))
        if key is None:
            return matched
        qualifiers = _QUALIFIED.get(matched.lower())
        if qualifiers:
            before = text[: match.start()].split()
            if before and before[-1].lower() in qualifiers:
                return matched
        if key.startswith("_"):
            return " "
        token = f"n_{key}"
        out.names.setdefault(key, matched)
        out.surface.setdefault(token, matched)
        return f" {token} "

    for pattern in variants.patterns:
        text = pattern.sub(swap, text)
    return text


def analyse(text: str, learned: dict[str, tuple[str, ...]] | None = None) -> Analysed:
    out = Analysed()
    normalised = _replace_names(text.replace("%", " "), name_variants(), out)
    if learned:
        normalised = _replace_names(normalised, _learned_variants(learned), out)
    for word in _WORD.findall(normalised):
        lower = word.lower()
        if lower in STOP_WORDS:
            continue
        token = lower if lower.startswith("n_") else stem(lower)
        out.tokens.append(token)
        out.surface.setdefault(token, word)
    return out


def _learned_variants(learned: dict[str, tuple[str, ...]]) -> Variants:
    return _compile_cached(tuple(sorted(learned.items())))


@lru_cache(maxsize=8)
def _compile_cached(items: tuple[tuple[str, tuple[str, ...]], ...]) -> Variants:
    return _compile(dict(items))


def lookup_forms(analysed: Analysed, learned: dict[str, tuple[str, ...]] | None) -> list[str]:
    """Lower-case strings to look candidates up by, for the names found in a claim: every
    way of writing them that is long enough not to match inside other words."""
    table = dict(name_variants().forms)
    table.update(learned or {})
    forms: list[str] = []
    for key in analysed.names:
        for form in table.get(key, ()):
            lower = " ".join(form.lower().split())
            if len(lower) >= 5 or (len(lower) >= 3 and lower.isalpha()):
                forms.append(lower)
            elif len(lower) == 2 and lower.isalpha():
                forms.append(f" {lower} ")  # "US" as a word, not inside "virus"
    return list(dict.fromkeys(forms))
