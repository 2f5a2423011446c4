"""Behaviour of the shipped check-worthiness scorer (workbench.ingest.checkworthy)."""

from __future__ import annotations

import importlib.util
import json
import math
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from workbench.ingest.checkworthy import (
    DEFAULT_THRESHOLD,
    MODEL_PATH,
    CheckWorthinessModel,
    default_model,
)
from workbench.ingest.turns import TURN_WIDTH, is_interjection, turn_rows

REPO = Path(__file__).resolve().parent.parent
SEED_ARTICLE = Path("/work/shared/samples/seed-article.txt")
if not SEED_ARTICLE.exists():
    SEED_ARTICLE = REPO.parent.parent / "shared" / "samples" / "seed-article.txt"

CLAIM = "Unemployment fell to 3.5% in 2019, the lowest since 1969."
GREETING = "Thank you all for being here tonight."


def _load_training_script():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location(
        "train_checkworthy", REPO / "scripts" / "train_checkworthy.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up while being built
    spec.loader.exec_module(module)
    return module


def test_output_matches_input_length_and_order() -> None:
    model = default_model()
    sentences = [GREETING, CLAIM, "", "Jobs are pouring out of the country.", "   "]
    scores = model.score(sentences)
    assert len(scores) == len(sentences)
    # Order: two blank lines between sentences cut the (distance-2) context, so each
    # sentence then scores exactly as it does alone, in the position it was given.
    spaced = [x for s in sentences[:4] for x in (s, "", "")]
    alone = [model.score([s])[0] for s in sentences[:4]]
    assert model.score(spaced)[::3] == alone
    assert model.score(spaced[::-1])[2::3] == alone[::-1]
    assert model.score([]) == []


def test_scores_are_probabilities_and_blank_lines_are_low() -> None:
    model = default_model()
    sentences = ["", "   ", "\n", CLAIM, GREETING, "!!!", "42"]
    scores = model.score(sentences)
    assert all(isinstance(s, float) and 0.0 <= s <= 1.0 and math.isfinite(s) for s in scores)
    blank = model.score([""])[0]
    assert blank < DEFAULT_THRESHOLD
    assert blank < model.score([CLAIM])[0]


def test_deterministic() -> None:
    model = default_model()
    sentences = [GREETING, CLAIM, "The wall will be paid for by Mexico."]
    assert model.score(sentences) == model.score(sentences)
    assert CheckWorthinessModel.load().score(sentences) == model.score(sentences)


def test_statistical_claim_outscores_greeting() -> None:
    model = default_model()
    claim, greeting = model.score([CLAIM, GREETING])
    assert claim > greeting
    assert model.score([CLAIM])[0] > model.score([GREETING])[0]
    assert model.score([CLAIM])[0] >= DEFAULT_THRESHOLD > model.score([GREETING])[0]


def test_default_model_is_cached_and_matches_file_threshold() -> None:
    assert default_model() is default_model()
    assert default_model().threshold == DEFAULT_THRESHOLD
    assert MODEL_PATH.is_file() and MODEL_PATH.stat().st_size < 3_000_000
    assert REPO / "workbench" in MODEL_PATH.parents


def _tiny_params() -> dict[str, object]:
    return {
        "weights": {"jobs": 2.0, "h:len0": 1.0},
        "bias": -1.0,
        "cue_scale": 0.5,
        "blank_logit": -4.0,
        "word_vectors": {"fell": 0.8, "jobs": -0.2},
        "word_vector_bias": 0.1,
        "context": {"coef": [1.0, 0.0, 0.0, 0.0, 0.0], "bias": 0.0},
        "turns": {"coef": [1.0] + [0.0] * (TURN_WIDTH - 3) + [-3.0, 0.0], "bias": 0.0},
        "threshold": 0.5,
    }


def test_load_accepts_plain_json(tmp_path: Path) -> None:
    path = tmp_path / "tiny.json"
    path.write_text(json.dumps(_tiny_params()))
    model = CheckWorthinessModel.load(path)
    jobs, other, blank = model.score(["jobs", "nothing", ""])

    def sig(x: float) -> float:
        return 1 / (1 + math.exp(-x))

    # bias + vector bias + cue (0.5 * 1 for h:len0) + n-gram 2/sqrt(1) + word mean -0.2
    assert jobs == pytest.approx(sig(-1.0 + 0.1 + 0.5 + 2.0 - 0.2))
    assert other == pytest.approx(sig(-1.0 + 0.1 + 0.5))  # no known n-gram, no known word
    assert blank == pytest.approx(sig(-4.0))
    # The word-vector part is a mean over the tokens that have a vector, repeats counted.
    fell = model.base_logits(["fell fell jobs"])[0]
    assert fell == pytest.approx(-1.0 + 0.1 + 0.5 + 2.0 / math.sqrt(1) + (0.8 + 0.8 - 0.2) / 3)


def test_speakers_switch_to_the_transcript_layer(tmp_path: Path) -> None:
    model = CheckWorthinessModel(_tiny_params())
    lines = ["jobs", "(APPLAUSE)", "jobs"]
    plain = model.score(lines)
    assert model.score(lines, ["", "", ""]) == plain  # no speaker named: plain mode
    turned = model.score(lines, ["SMITH", "", ""])
    # The tiny transcript layer only reads the own score and the interjection flag.
    assert turned[0] == pytest.approx(plain[0])
    assert turned[1] < plain[1]
    with pytest.raises(ValueError, match="speakers"):
        model.score(lines, ["A"])


def test_turn_rows_follow_the_speakers() -> None:
    sentences = ["Welcome.", "Jobs grew.", "(APPLAUSE)", "Taxes fell.", "Thank you.", "Next?"]
    speakers = ["HOST", "LEE", "", "", "", "HOST"]
    base = [0.0, 2.0, -5.0, 4.0, 0.0, 1.0]
    rows = turn_rows(base, -9.0, sentences, speakers)
    assert all(len(r) == TURN_WIDTH for r in rows)
    turn_mean = [r[5] for r in rows]
    # LEE's turn runs through the interjection: (2 + 4 + 0) / 3; the interjection stands alone.
    assert turn_mean[1] == turn_mean[3] == turn_mean[4] == pytest.approx(2.0)
    assert turn_mean[2] == -5.0
    first = [r[9] for r in rows]
    assert first == [1.0, 1.0, 1.0, 1.0, 0.0, 1.0]
    assert [r[10] for r in rows] == [0.0, 0.0, 1.0, 0.0, 0.0, 0.0]
    assert [r[11] for r in rows] == pytest.approx([i / 6 for i in range(6)])
    share = [r[8] for r in rows]
    assert share[0] == pytest.approx(2 / 6) and share[1] == pytest.approx(4 / 6)
    assert is_interjection("[crosstalk]") and not is_interjection("(He paused.) Then he spoke.")


def _run_isolated(code: str) -> subprocess.CompletedProcess[str]:
    """Run code in a fresh interpreter that can see the package but not ../shared."""
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        cwd=REPO,
        env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_model_loads_without_shared_data() -> None:
    # Make any file access under a "shared" directory fail, then load and score.
    result = _run_isolated(
        """
        import builtins, io, pathlib
        real_open, real_io_open = builtins.open, io.open
        def guarded(file, *a, **k):
            if "shared" in pathlib.Path(str(file)).parts:
                raise AssertionError(f"runtime touched {file}")
            return real_open(file, *a, **k)
        builtins.open = io.open = guarded
        real_read = pathlib.Path.read_bytes
        def guarded_read(self):
            if "shared" in self.parts:
                raise AssertionError(f"runtime touched {self}")
            return real_read(self)
        pathlib.Path.read_bytes = guarded_read
        from workbench.ingest.checkworthy import default_model
        print(default_model().score(["Unemployment fell to 3.5% in 2019."])[0])
        """
    )
    assert result.returncode == 0, result.stderr
    assert 0.0 <= float(result.stdout.strip()) <= 1.0


def test_import_hygiene() -> None:
    result = _run_isolated(
        """
        import sys
        import workbench.ingest.checkworthy as m
        m.default_model().score(["A sentence."])
        bad = sorted(
            name for name in sys.modules
            if name.split(".")[0] in {"textual", "httpx", "sqlalchemy", "sklearn", "scipy"}
        )
        print(",".join(bad))
        """
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ""


def test_seed_article_ranks_facts_above_credits() -> None:
    if not SEED_ARTICLE.exists():
        pytest.skip("seed article not available")
    text = SEED_ARTICLE.read_text(encoding="utf-8")
    sentences = [s.strip() for s in text.replace("\n", ". ").split(". ")]
    ranked = dict(zip(sentences, default_model().score(sentences), strict=True))

    def score_of(fragment: str) -> float:
        matches = [v for k, v in ranked.items() if fragment in k]
        assert matches, fragment
        return max(matches)

    credit = score_of("Additional reporting contributed by")
    for fact in (
        "can accommodate up to 40,000 inmates",
        "Each cell reportedly holds between 65 to 70 prisoners",
        "Opened in 2023",
        "Noem and Sarabia signed the pivotal agreement in Colombia on Thursday",
    ):
        assert score_of(fact) > credit, fact
    for furniture in ("304 North Cardinal St", "Physical Address", "Dorchester Center"):
        assert score_of(furniture) < score_of("Opened in 2023")


def test_average_precision_on_toy_examples() -> None:
    train = _load_training_script()
    ap = train.average_precision
    # Positives at ranks 1 and 3: (1/1 + 2/3) / 2.
    assert ap([1, 0, 1, 0], [0.9, 0.8, 0.7, 0.1]) == pytest.approx((1 + 2 / 3) / 2)
    # Order of the input does not matter, only the scores.
    assert ap([0, 1, 0, 1], [0.8, 0.7, 0.1, 0.9]) == pytest.approx((1 + 2 / 3) / 2)
    assert ap([1, 1], [0.2, 0.1]) == 1.0
    assert ap([0, 0, 1], [0.3, 0.2, 0.1]) == pytest.approx(1 / 3)
    assert ap([0, 0], [0.3, 0.2]) == 0.0
    mean = train.mean_average_precision([([1, 0], [0.9, 0.1]), ([0, 1], [0.9, 0.1])])
    assert mean == pytest.approx((1.0 + 0.5) / 2)


def test_best_threshold_on_toy_example() -> None:
    train = _load_training_script()
    np = pytest.importorskip("numpy")
    labels = np.array([1, 1, 0, 1, 0, 0])
    scores = np.array([0.9, 0.8, 0.7, 0.6, 0.2, 0.1])
    t, f1 = train.best_threshold(labels, scores, 1.0)
    # Cutting at 0.6 gives P=3/4, R=1, F1=6/7; cutting at 0.8 gives P=1, R=2/3, F1=0.8.
    assert t == pytest.approx(0.6) and f1 == pytest.approx(6 / 7)
    # Lowest cut within 90% of the best (F1 >= 0.771): 0.2 gives F1=0.75, so 0.6 stays.
    # Within 80% (F1 >= 0.686): 0.2 qualifies, 0.1 (F1=2/3) does not.
    assert train.best_threshold(labels, scores, 1.0, 0.9)[0] == pytest.approx(0.6)
    assert train.best_threshold(labels, scores, 1.0, 0.8)[0] == pytest.approx(0.2)


# Short news-style paragraphs written for these tests (not taken from any source), each
# mixing concrete, checkable sentences (F) with opinion or filler (O), in document order.
# They guard the news-prose behaviour against being tuned to the seed article alone.
NEWS_PARAGRAPHS: dict[str, list[tuple[str, str]]] = {
    "city budget": [
        ("F", "The city council approved a $4.2 billion budget on Tuesday by a vote of 9 to 4."),
        ("O", "Residents deserve a government that truly listens to their concerns."),
        (
            "F",
            "Property taxes will rise 3.1% next year, the first increase since 2016, "
            "Mayor Linda Hart said.",
        ),
        (
            "O",
            "The budget reflects a deep commitment to building a more vibrant and "
            "inclusive community.",
        ),
        ("F", "Spending on the police department grew by $38 million, to $612 million."),
        ("O", "Leaders must now work together to ensure that every neighborhood can thrive."),
    ],
    "health statistic": [
        (
            "F",
            "Measles cases in the state rose to 214 in 2024, up from 37 the year before, "
            "according to the health department.",
        ),
        (
            "O",
            "Public health experts hope that families will see vaccination as a shared "
            "responsibility.",
        ),
        (
            "F",
            "About 91% of kindergarten pupils had received both vaccine doses, the agency "
            "reported in March.",
        ),
        (
            "O",
            "Clear communication is essential for rebuilding trust between doctors and "
            "communities.",
        ),
        ("F", "Three children died of the disease in Lubbock County last year."),
        ("O", "The outbreak highlights the importance of a proactive approach to prevention."),
    ],
    "sports economy": [
        (
            "F",
            "The stadium, which opened in 1998, seats 68,000 fans and cost $450 million to build.",
        ),
        ("O", "Fans should be proud of what this team represents for the region."),
        ("F", "Attendance fell by 12% last season, while ticket revenue dropped to $81 million."),
        ("O", "A new era of success is likely to bring fresh energy to the downtown area."),
        ("F", "The club signed a 20-year lease with the county in January."),
        ("O", "The partnership is a vital step toward a brighter and more sustainable future."),
    ],
    # No numbers at all, and a long "not only ... but also" opinion sentence: the shape that
    # the debate-only model got wrong on the seed article.
    "state politics": [
        (
            "F",
            "The governor signed the water bill in Sacramento on Friday, two weeks after the "
            "Senate passed it.",
        ),
        (
            "O",
            "The new law is not only a crucial step for farmers but also an essential safeguard "
            "for future generations of Californians.",
        ),
        (
            "F",
            "Judge Maria Lopez dismissed the lawsuit last month, ruling that the state had "
            "followed its own rules.",
        ),
        (
            "O",
            "Lawmakers should continue to prioritize sustainable solutions that reflect the "
            "values of their communities.",
        ),
        (
            "F",
            "The company closed its factory in Dayton and moved production to Mexico, a "
            "spokesman said.",
        ),
        ("O", "The decision will likely shape the debate over water policy for years to come."),
    ],
}


def _fact_and_opinion_scores(topic: str) -> tuple[list[float], list[float]]:
    kinds, sentences = zip(*NEWS_PARAGRAPHS[topic], strict=True)
    scores = default_model().score(list(sentences))
    facts = [s for k, s in zip(kinds, scores, strict=True) if k == "F"]
    opinions = [s for k, s in zip(kinds, scores, strict=True) if k == "O"]
    return facts, opinions


@pytest.mark.parametrize("topic", sorted(NEWS_PARAGRAPHS))
def test_news_paragraph_facts_outrank_opinions(topic: str) -> None:
    facts, opinions = _fact_and_opinion_scores(topic)
    assert sum(facts) / len(facts) > sum(opinions) / len(opinions), (topic, facts, opinions)


NEWS_DEV = REPO / "scripts" / "data" / "news_dev.tsv"


def test_news_development_set_is_ranked_well() -> None:
    # The hand-labelled news sentences (scripts/data/news_dev.tsv), scored article by article:
    # a random ranking would give about 0.52 (the share of check-worthy sentences).
    train = _load_training_script()
    groups = train.read_news_dev(NEWS_DEV)
    assert sum(len(s) for _, s, _ in groups) >= 400
    aps = [
        train.average_precision(labels.tolist(), default_model().score(sentences))
        for _, sentences, labels in groups
    ]
    assert sum(aps) / len(aps) > 0.7
