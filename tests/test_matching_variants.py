"""Matching that finds paraphrases: names written several ways, acronyms the fact-checks
spell out, reworded claims found by the second pass, and suggestions that say why."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from workbench.matching import SUGGEST_THRESHOLD, rank_texts, score_texts
from workbench.matching_text import analyse, learn_expansions


def test_name_variants_become_one_token() -> None:
    a = analyse("The CDC said the US has 5 cases")
    b = analyse("Centers for Disease Control and Prevention: the United States has 5 cases")
    assert "n_cdc" in a.tokens and "n_cdc" in b.tokens
    assert "n_usa" in a.tokens and "n_usa" in b.tokens
    # The pronoun is not the country, and a continent is not the country.
    assert "n_usa" not in analyse("Tell us the truth").tokens
    assert "n_usa" not in analyse("Floods in South America").tokens
    assert "n_usa" in analyse("Vaccines from America").tokens


def test_expansions_learned_from_the_texts() -> None:
    learned = learn_expansions(
        ["India's National Centre for Disease Control (NCDC) approved it", "A (BAD) guess"]
    )
    assert learned == {"ncdc": ("NCDC", "National Centre for Disease Control")}
    assert "n_ncdc" in analyse("NCDC approved it", learned).tokens
    assert "n_ncdc" in analyse("the national centre for disease control approved", learned).tokens
    # What the table knows is not learned again.
    assert learn_expansions(["World Health Organization (WHO)"]) == {}


def test_acronym_claims_now_meet_their_fact_checks() -> None:
    fact_check = "The Centers for Disease Control and Prevention says masks cut infections by half"
    [(score, matched)] = rank_texts("CDC says masks cut infections by half", [fact_check])
    assert score >= SUGGEST_THRESHOLD
    assert "CDC = Centers for Disease Control and Prevention" in matched
    [(us, why)] = rank_texts(
        "The US spends more on defence than the next ten countries",
        ["The United States spends more on defence than the next ten countries combined"],
    )
    assert us >= SUGGEST_THRESHOLD and "US = United States" in why


def test_second_pass_finds_rewordings_the_cosine_misses() -> None:
    fact_check = "A study found asymptomatic transmission of COVID-19 didnt occur at all."
    claim = "Research found that asymptomatic people do not transmit the coronavirus"
    [first] = score_texts(claim, [fact_check])
    [(both, matched)] = rank_texts(claim, [fact_check])
    assert first < SUGGEST_THRESHOLD <= both
    assert "Research ~ study" in matched and "coronavirus = COVID-19" in matched


def test_topic_words_alone_are_not_a_match() -> None:
    checks = [
        "Recent video of a bridge getting collapsed in Assam due to rains",
        "Mike Pence faked getting the COVID-19 vaccine.",
    ]
    for claim in (
        "A bridge in Mumbai was renamed after a freedom fighter",
        "Mike Pence was governor of Indiana before becoming vice president",
    ):
        assert max(s for s, _ in rank_texts(claim, checks)) < SUGGEST_THRESHOLD


def test_suggestions_carry_what_matched(tmp_path: Path, cli: Any) -> None:
    feed = [
        {
            "@type": "ClaimReview",
            "url": "https://checker.example/masks",
            "claimReviewed": "The Centers for Disease Control and Prevention (CDC) says masks "
            "cut infections by half",
            "author": {"@type": "Organization", "name": "Checker"},
            "reviewRating": {"@type": "Rating", "alternateName": "Mostly true"},
        }
    ]
    path = tmp_path / "feed.json"
    path.write_text(json.dumps(feed), encoding="utf-8")
    assert cli("import", str(path)).code == 0
    added = cli("claim", "add", "The CDC says masks halve infections", "--json").json()
    (match,) = added["matches"]
    assert match["target_kind"] == "fact_check" and "masks" in match["matched"]
    assert any(m.startswith("CDC") for m in match["matched"])
    listed = cli("matches", str(added["id"]))
    assert "matched: " in listed.out and "masks" in listed.out


def test_learned_acronym_finds_the_fact_check(tmp_path: Path, cli: Any) -> None:
    feed = {
        "claims": [
            {
                "text": "The National Centre for Disease Control (NCDC) confirmed 40 dengue "
                "deaths in Delhi",
                "claimReview": [
                    {
                        "publisher": {"name": "Desk", "site": "desk.example"},
                        "url": "https://desk.example/dengue",
                        "textualRating": "False",
                    }
                ],
            }
        ]
    }
    path = tmp_path / "api.json"
    path.write_text(json.dumps(feed), encoding="utf-8")
    assert cli("import", str(path)).code == 0
    added = cli("claim", "add", "NCDC says dengue killed 40 people in Delhi", "--json").json()
    (match,) = added["matches"]
    assert match["url"] == "https://desk.example/dengue"
    assert "NCDC = National Centre for Disease Control" in match["matched"]
    assert "killed ~ deaths" in match["matched"]


def test_earlier_verdicts_are_found_by_any_form_of_a_name(cli: Any) -> None:
    """The full-text lookup of rated claims also asks for the other forms of the names."""
    rated = cli(
        "claim", "add", "The U.S. Centers for Disease Control approved the new flu shot", "--json"
    ).json()
    assert cli("verdict", str(rated["id"]), "true", "--rationale", "CDC notice").code == 0
    added = cli("claim", "add", "America's CDC approved the new flu shot", "--json").json()
    assert [(m["target_kind"], m["target_id"]) for m in added["matches"]] == [
        ("claim", rated["id"])
    ]
    assert "CDC = Centers for Disease Control" in added["matches"][0]["matched"]


class _Vectors:
    """A stand-in for static word vectors: two words of like meaning."""

    def similarity(self, a: str, b: str) -> float | None:
        return 0.9 if {a, b} == {"purchases", "bought"} else None


def test_word_vectors_plug_into_the_second_pass() -> None:
    fact_check = "The council bought 40 electric buses in 2022"
    claim = "Council purchases of electric buses reached 40 in 2022"
    [(without, _)] = rank_texts(claim, [fact_check])
    [(with_vectors, matched)] = rank_texts(claim, [fact_check], vectors=_Vectors())
    assert with_vectors > without and "purchases ~ bought" in matched
