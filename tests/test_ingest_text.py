"""Behaviour tests for decoding, cleaning and sentence splitting."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.ingest.clean import clean_plain_text, normalise_text
from workbench.ingest.decode import (
    BinaryContentError,
    DecodeError,
    decode_text,
    html_declared_charset,
)
from workbench.ingest.split import Sentence, split_sentences

SEED = Path(__file__).resolve().parents[1] / ".." / ".." / "shared" / "samples" / "seed-article.txt"
if not SEED.exists():
    SEED = Path("/work/shared/samples/seed-article.txt")


def seed_text() -> str:
    if not SEED.exists():
        pytest.skip("the shared seed article is not available")
    return SEED.read_text(encoding="utf-8")


# --- decode ------------------------------------------------------------------------------

FRENCH = "Le café « Chez Renée » a fermé — c’est “triste”, a dit l’élu. Coût : 5 €."


def test_utf8_plain_and_with_bom() -> None:
    assert decode_text(FRENCH.encode("utf-8")) == FRENCH
    assert decode_text(codecs.BOM_UTF8 + FRENCH.encode("utf-8")) == FRENCH


def test_empty_bytes_are_empty_text() -> None:
    assert decode_text(b"") == ""


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be", "utf-32"])
def test_utf16_and_utf32_with_bom(codec: str) -> None:
    bom = {
        "utf-16-le": codecs.BOM_UTF16_LE,
        "utf-16-be": codecs.BOM_UTF16_BE,
    }.get(codec, b"")
    assert decode_text(bom + FRENCH.encode(codec)) == FRENCH


def test_utf16_without_bom_is_recognised_rather_than_called_binary() -> None:
    text = "Plain English text without a byte-order mark, saved by an old editor."
    assert decode_text(text.encode("utf-16-le")) == text


def test_cp1252_with_curly_quotes_and_accents() -> None:
    text = "“Café society,” she said — it’s naïve to think prices won’t rise. Zoë paid €5."
    assert decode_text(text.encode("cp1252")) == text


def test_short_cp1252_word_is_not_read_as_central_european() -> None:
    assert decode_text("café naïve".encode("cp1252")) == "café naïve"


def test_other_legacy_encodings_are_detected() -> None:
    russian = "Министр заявил, что цены выросли на пять процентов за последний год."
    polish = "Minister powiedział, że ceny wzrosły o pięć procent w zeszłym roku. Źle!"
    assert decode_text(russian.encode("cp1251")) == russian
    assert decode_text(polish.encode("cp1250")) == polish


def test_declared_charset_is_honoured() -> None:
    text = "Привет, мир"
    assert decode_text(text.encode("koi8-r"), declared="koi8-r") == text
    assert decode_text(text.encode("koi8-r"), declared=" KOI8-R ") == text


def test_declared_latin1_is_read_as_windows_1252_like_browsers() -> None:
    data = "“Quoted” text".encode("cp1252")
    assert decode_text(data, declared="iso-8859-1") == "“Quoted” text"


def test_mislabelled_utf8_wins_over_declared_latin1() -> None:
    assert decode_text("café".encode(), declared="iso-8859-1") == "café"


def test_unknown_declared_label_is_ignored() -> None:
    assert decode_text(FRENCH.encode(), declared="no-such-charset") == FRENCH


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
        b"\xff\xd8\xff\xe0\x00\x10JFIF",
        b"PK\x03\x04\x14\x00\x00\x00\x08\x00",
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n",
        b"\x1f\x8b\x08\x00\x00\x00\x00\x00",
        b"hello\x00world\x00\x01\x02\x03" * 10,
        bytes(range(256)) * 4,
    ],
)
def test_binary_is_refused(data: bytes) -> None:
    with pytest.raises(BinaryContentError, match="not text"):
        decode_text(data)


def test_binary_error_is_a_decode_error_and_a_value_error() -> None:
    assert issubclass(BinaryContentError, DecodeError)
    assert issubclass(DecodeError, ValueError)


def test_undecodable_bytes_name_what_was_tried() -> None:
    data = bytes(range(0x80, 0x100)) * 4  # high bytes only: no language reads like this
    with pytest.raises(DecodeError) as info:
        decode_text(data)
    assert not isinstance(info.value, BinaryContentError)
    assert "utf-8" in str(info.value) and "windows-1252" in str(info.value)


def test_invalid_utf8_after_bom_is_a_decode_error() -> None:
    with pytest.raises(DecodeError, match="UTF-8"):
        decode_text(codecs.BOM_UTF8 + b"ok \xc3\x28 broken")


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (b'<html><head><meta charset="windows-1252"></head>', "windows-1252"),
        (b"<html><head><meta charset=ISO-8859-1>", "iso-8859-1"),
        (b"<META CHARSET='utf-8' />", "utf-8"),
        (
            b'<meta http-equiv="Content-Type" content="text/html; charset=Shift_JIS">',
            "shift_jis",
        ),
        (b'<?xml version="1.0" encoding="ISO-8859-15"?><html>', "iso-8859-15"),
        (b'<meta charset="utf-16">', "utf-8"),  # as browsers: it could not say so otherwise
        (b"<html><head><title>x</title></head>", None),
        (b'<meta charset="bogus-label">', None),
        (b'<!-- <meta charset="koi8-r"> --><meta charset="utf-8">', "utf-8"),
    ],
)
def test_html_declared_charset(head: bytes, expected: str | None) -> None:
    assert html_declared_charset(head) == expected


def test_html_declared_charset_only_looks_at_the_head() -> None:
    late = b"<html>" + b" " * 10_000 + b'<meta charset="koi8-r">'
    assert html_declared_charset(late) is None


# --- clean -------------------------------------------------------------------------------


def test_seed_article_loses_its_furniture_and_keeps_its_body() -> None:
    raw = seed_text()
    out = clean_plain_text(raw)
    for furniture in ("Physical Address", "Cardinal St", "Dorchester", "Additional reporting"):
        assert furniture not in out
    paragraphs = out.split("\n\n")
    body_lines = [
        line.strip()
        for line in raw.splitlines()
        if len(line) > 150  # every body paragraph of the seed is long
    ]
    assert paragraphs == body_lines
    assert paragraphs[0].startswith("The governments of Colombia and the United States")
    assert paragraphs[-1].endswith("promote stability throughout the region.")
    assert "Noem’s visit" in out  # typographic apostrophes are kept as published


def test_clean_is_idempotent_on_the_seed() -> None:
    once = clean_plain_text(seed_text())
    assert clean_plain_text(once) == once


def test_repeated_short_lines_are_dropped_everywhere_but_long_repeats_keep_one_copy() -> None:
    body = (
        "The harbour authority said on Monday that it would dredge the channel this summer, "
        "at a cost of about $2 million."
    )
    raw = "\n".join(
        ["Sign up for alerts", "Latest from Riverton", body, "Latest from Riverton", body]
    )
    out = clean_plain_text(raw)
    assert out == body


def test_address_block_is_dropped_even_once_and_other_addresses_nearby() -> None:
    body = "Officials confirmed the figures in a statement released late on Friday evening."
    raw = "\n".join(
        [
            "Mailing Address",
            "1200 West Lake Ave., Suite 4",
            "Springfield, IL 62704",
            body,
            "Contact us",
            "Phone: (217) 555-0142",
            "newsroom@example.org",
        ]
    )
    assert clean_plain_text(raw) == body


def test_navigation_share_cookie_and_credit_lines_are_dropped() -> None:
    body1 = "The minister resigned on Tuesday after three weeks of pressure from her own party."
    body2 = "Her deputy, Sam Okafor, will take over until an election is held in the spring."
    raw = "\n".join(
        [
            "Skip to content",
            "Home | World | Politics | Business",
            "Share",
            "Tweet",
            "Share on Facebook",
            "Comments (12)",
            body1,
            "Advertisement",
            "ADVERTISEMENT",
            "Read more:",
            body2,
            "We use cookies to give you the best experience. By continuing you accept them.",
            "Accept all",
            "Reporting by Ana Lima in Lisbon; Editing by Mark Potter",
            "Additional reporting contributed by Kim Lee and Raj Patel.",
            "The Associated Press contributed to this report.",
            "© 2024 Example Media. All rights reserved.",
            "Subscribe",
        ]
    )
    assert clean_plain_text(raw) == f"{body1}\n\n{body2}"


def test_sentences_mentioning_furniture_words_are_kept() -> None:
    raw = (
        "Voters will share the cost of the new stadium, the council said.\n"
        "The company said it would stop using tracking cookies next year, a spokesman added."
    )
    assert clean_plain_text(raw) == raw.replace("\n", "\n\n")


def test_whitespace_and_control_characters_are_normalised() -> None:
    raw = (
        "The\u00a0budget\u2009rose   by\t5\u202f%.\r\n"
        "\x1b[31mRed\x1b[0m alert\x07 was\x00 issued\u200b today.\x85"
        "Title set\x1b]0;evil\x07 here.\u202e reversed\u202c text.\x9b1m ok."
    )
    out = clean_plain_text(raw)
    assert out == (
        "The budget rose by 5 %.\n\nRed alert was issued today.\n\n"
        "Title set here. reversed text. ok."
    )
    assert all(ch >= " " or ch == "\n" for ch in out)


def test_normalise_text_applies_nfc_and_keeps_typography() -> None:
    decomposed = "Cafe\u0301 “quoted” — it’s"
    assert normalise_text(decomposed) == "Café “quoted” — it’s"


def test_markdown_is_reduced_to_text() -> None:
    raw = """# The *big* story ##

Officials **confirmed** on [Tuesday](https://example.org/a "a title") that the
dam would be repaired, said `Reuters` and the __agency__.

![chart of water levels](chart.png)

```python
print("not article text")
```

Setext heading
--------------

- first point about snake_case_names
* second point, 5 * 3 = 15
1. third point

> A quoted statement
> that wraps.

[1]: https://example.org/ref
"""
    assert clean_plain_text(raw).split("\n\n") == [
        "The big story",
        "Officials confirmed on Tuesday that the dam would be repaired, said Reuters and "
        "the agency.",
        "Setext heading",
        "first point about snake_case_names",
        "second point, 5 * 3 = 15",
        "third point",
        "A quoted statement that wraps.",
    ]


def test_one_paragraph_per_line_text_keeps_its_lines_apart() -> None:
    raw = "Short heading\nFirst paragraph is here.\nSecond paragraph follows."
    assert clean_plain_text(raw).split("\n\n") == [
        "Short heading",
        "First paragraph is here.",
        "Second paragraph follows.",
    ]


def test_a_broken_line_is_mended() -> None:
    raw = "The council voted to spend the money on the\nbridge, officials said."
    assert (
        clean_plain_text(raw)
        == "The council voted to spend the money on the bridge, officials said."
    )


def test_empty_and_furniture_only_input_cleans_to_nothing() -> None:
    assert clean_plain_text("") == ""
    assert clean_plain_text("\n\n  \nShare\nTweet\n---\n") == ""


# --- split -------------------------------------------------------------------------------


def texts(document: str) -> list[str]:
    return [s.text for s in split_sentences(document)]


@pytest.mark.parametrize(
    ("document", "expected"),
    [
        (
            'He said, "Go home." Then he left.',
            ['He said, "Go home."', "Then he left."],
        ),
        (
            "She said, “Go home.” Then she left.",
            ["She said, “Go home.”", "Then she left."],
        ),
        ('"Why?" she asked. "Because!" he said.', ['"Why?" she asked.', '"Because!" he said.']),
        ("Well... maybe not.", ["Well... maybe not."]),
        ("Well… maybe not.", ["Well… maybe not."]),
        ("He paused... Then he spoke.", ["He paused...", "Then he spoke."]),
        ("Is it true? Yes! It is.", ["Is it true?", "Yes!", "It is."]),
        (
            "Mr. Smith and Mrs. Jones met Dr. Patel at St. Mary's on Jan. 5 and Sept. 11.",
            ["Mr. Smith and Mrs. Jones met Dr. Patel at St. Mary's on Jan. 5 and Sept. 11."],
        ),
        (
            "Gov. Reed and Sen. Ortiz spoke. Acme Inc. and Foo Ltd. were fined.",
            ["Gov. Reed and Sen. Ortiz spoke.", "Acme Inc. and Foo Ltd. were fined."],
        ),
        (
            "Cities, e.g. Paris, and rivers, i.e. the Seine, vs. towns. Fine.",
            ["Cities, e.g. Paris, and rivers, i.e. the Seine, vs. towns.", "Fine."],
        ),
        ("It ranked No. 5 in the list.", ["It ranked No. 5 in the list."]),
        ("J. K. Rowling met J.R.R. Tolkien fans.", ["J. K. Rowling met J.R.R. Tolkien fans."]),
        (
            "The prison holds 40,000 inmates. Costs rose 3.5% to $1.2 billion. Next.",
            ["The prison holds 40,000 inmates.", "Costs rose 3.5% to $1.2 billion.", "Next."],
        ),
        ("It opened at 10 a.m. on Monday.", ["It opened at 10 a.m. on Monday."]),
        ("It opened at 10 a.m. Crowds came.", ["It opened at 10 a.m.", "Crowds came."]),
        (
            "U.S. officials met U.K. envoys in the U.S. on Monday.",
            ["U.S. officials met U.K. envoys in the U.S. on Monday."],
        ),
        ("He moved to the U.S. Then he ran.", ["He moved to the U.S.", "Then he ran."]),
        ("Aid to the U.S. 40 years ago.", ["Aid to the U.S. 40 years ago."]),
        ("The U.S. Sen. Ortiz voted.", ["The U.S. Sen. Ortiz voted."]),
        ("Prices rose in 2023. 40 firms closed.", ["Prices rose in 2023.", "40 firms closed."]),
        ("He called it “fake”. Then he left.", ["He called it “fake”.", "Then he left."]),
        ("(It was late.) Everyone left.", ["(It was late.)", "Everyone left."]),
        ("Visit example.com. It is free.", ["Visit example.com.", "It is free."]),
        (
            "No heading punctuation\n\nBody text here.",
            ["No heading punctuation", "Body text here."],
        ),
        ("A line\nthat wraps. Next one.", ["A line\nthat wraps.", "Next one."]),
        ("事件发生了。警方到场！", ["事件发生了。", "警方到场！"]),
        ("", []),
        ("   \n\n  \t ", []),
    ],
)
def test_split_cases(document: str, expected: list[str]) -> None:
    assert texts(document) == expected


def test_offsets_point_into_the_original_with_whitespace_trimmed() -> None:
    doc = "  First one.   Second one!\n\n\n   Third?  "
    sentences = split_sentences(doc)
    assert sentences == [
        Sentence(2, 12, "First one."),
        Sentence(15, 26, "Second one!"),
        Sentence(32, 38, "Third?"),
    ]


def test_seed_article_sentences() -> None:
    cleaned = clean_plain_text(seed_text())
    sentences = split_sentences(cleaned)
    assert sentences[0].text == (
        "The governments of Colombia and the United States have agreed to share biometric "
        "data concerning migrants."
    )
    assert (
        "Noem and Sarabia signed the pivotal agreement in Colombia on Thursday, marking a "
        "significant step in U.S. efforts to address the rising tide of illegal immigration "
        "into the country."
    ) in [s.text for s in sentences]
    quote = next(s.text for s in sentences if "First of all" in s.text)
    assert quote.endswith("you will be prosecuted.”")
    for s in sentences:
        assert cleaned[s.start : s.end] == s.text


def _check_invariants(document: str) -> None:
    sentences = split_sentences(document)
    previous_end = 0
    for s in sentences:
        assert s.text == document[s.start : s.end]
        assert s.text and s.text == s.text.strip()
        assert s.start >= previous_end
        assert document[previous_end : s.start].strip() == ""  # nothing is lost between
        previous_end = s.end
    assert document[previous_end:].strip() == ""


_ALPHABET = st.sampled_from(
    list("abcXYZ .!?…\"'“”’()\n\t,;:$%0123456789") + ["U.S.", "Mr.", "e.g.", "...", "\n\n"]
)


@settings(max_examples=400, deadline=None)
@given(st.lists(_ALPHABET, max_size=80).map("".join))
def test_split_invariants_on_sentence_like_text(document: str) -> None:
    _check_invariants(document)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_split_invariants_on_arbitrary_text(document: str) -> None:
    _check_invariants(document)


def test_split_handles_a_huge_run_without_sentence_ends() -> None:
    # Its speed is measured by benchmarks/ingest_speed.py, not asserted here.
    huge = "x" * 500_000 + ". " + "Word. " * 100_000
    pieces = split_sentences(huge)
    assert len(pieces) == 100_001
    assert pieces[0].text == "x" * 500_000 + "."
    assert pieces[-1].text == "Word."


def test_the_written_out_white_space_is_what_the_regex_engine_calls_white_space() -> None:
    import re

    from workbench.ingest.clean import _OTHER_SPACES

    every = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF)
    engine = re.findall(r"[^\S\n ]", every)
    assert re.findall(f"[{_OTHER_SPACES}]", every) == engine and len(engine) == 27
