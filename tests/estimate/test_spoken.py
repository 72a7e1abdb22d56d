"""The text-to-speech front end: written English as Kokoro's front end speaks it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from inkslop.estimate import spoken as current
from inkslop.estimate.spoken import cardinal, chunks, ordinal, spoken_text, year

# (written, spoken). Where a calibration row shows what misaki said, the row is named.
TRICKY = [
    ("It costs $4.99.", "It costs four dollars and ninety nine cents."),  # numbers-01
    ("$1,000,000", "one million dollars"),  # numbers-03
    ("$0.99", "ninety nine cents"),
    ("$2.5 million", "two point five million dollars"),
    ("€5", "five euros"),
    ("£3", "three pounds"),
    ("£1.50", "one pound and fifty pence"),
    ("1,000,000 views", "one million views"),
    ("3.5%", "three point five percent"),
    ("25%", "twenty five percent"),  # numbers-14
    ("Pi is 3.14159", "Pi is three point one four one five nine"),  # numbers-15
    ("in 1998", "in nineteen ninety eight"),
    ("in 2005", "in two thousand five"),
    ("in 2024", "in twenty twenty four"),
    ("1905", "nineteen oh five"),
    ("2500 people", "twenty five hundred people"),  # misaki reads any bare 4 digits as a year
    ("2,500 people", "two thousand five hundred people"),
    ("Step 1: preheat to 350 degrees", "Step one: preheat to three hundred fifty degrees"),
    ("the 21st century", "the twenty first century"),
    ("2nd, 3rd, 12th", "second, third, twelfth"),
    ("the 1980s", "the nineteen eighties"),
    ("-5 degrees", "minus five degrees"),
    ("10-15 minutes", "ten to fifteen minutes"),
    ("1914-1918", "nineteen fourteen to nineteen eighteen"),  # numbers-13 reads the years
    ("9:30 a.m.", "nine thirty ay em"),  # numbers-09
    ("10 p.m.", "ten pee em"),
    ("10:00", "ten o'clock"),
    ("9:05", "nine oh five"),
    ("Dr. Smith", "Doctor Smith"),  # abbrev-02
    ("Elm St. next", "Elm Saint. next"),  # abbrev-02 keeps the pause
    ("Mr. and Mrs. Jones", "Mister and Missus Jones"),
    ("glue, tape, etc.", "glue, tape, etcetera."),  # abbrev-06
    ("David vs. Goliath", "David versus Goliath"),  # abbrev-10
    ("e.g. apples", "ee jee apples"),
    ("done ASAP, i.e., today", "done ASAP, eye ee, today"),  # abbrev-05
    ("NASA", "NASA"),
    ("the FAQ", "the ef ay cue"),  # abbrev-07
    ("your PIN", "your PIN"),  # abbrev-07
    ("The DIY kit", "The dee eye why kit"),  # abbrev-06
    ("OK", "oh kay"),
    ("STOP scrolling", "STOP scrolling"),  # emphasis, not an acronym
    ("U.S.", "you ess"),
    ("MP3 in 4K", "em pee three in four kay"),
    ("Rock & roll", "Rock and roll"),
    ("1+1", "one plus one"),
    ("350°F", "three hundred fifty degrees F"),
    ("well-known", "well known"),
    ("Hello - world", "Hello — world"),
    ("Best pizza 🍕🔥 Trust me.", "Best pizza pizza fire Trust me."),  # emoji-02
    ("Comment below 👇", "Comment below backhand index pointing down"),  # emoji-03
    ("from 1 to 10 ⭐ #foodie", "from one to ten star foodie"),  # emoji-06
    ("#throwback ✈️🏝️", "throwback airplane desert"),  # emoji-08
    ("👍🏽", "thumbs up medium skin tone"),
    ("🦉", "owl"),  # not in the table: its Unicode name
    ("#ThrowbackThursday", "Throwback Thursday"),
    ("Follow @example_creator", "Follow at example creator"),  # url-04
    ("visit example.com/recipes.", "visit example com recipes."),  # url-01
    ("https://www.example.org/guide", "aitch tee tee pee ess: slash slash double you double "
     "you double you. example. org slash guide"),  # url-02
    ("mail me@example.com", "mail me at example dot com"),
]


@pytest.mark.parametrize(("written", "spoken"), TRICKY)
def test_spoken_text_reads_as_the_engine_does(written: str, spoken: str) -> None:
    assert spoken_text(written) == spoken


def test_plain_text_is_left_as_written() -> None:
    text = "Octopuses have three hearts and blue blood."
    assert spoken_text(text) == text


def test_line_breaks_are_kept_and_chunks_split_at_them() -> None:
    text = "Top 5 snacks.\n\nNumber 5: chickpeas.\n   \nNumber 4: grapes."
    spoken = "Top five snacks.\n\nNumber five: chickpeas.\n\nNumber four: grapes."
    assert spoken_text(text) == spoken
    assert chunks(spoken_text(text)) == ["Top five snacks.", "Number five: chickpeas.",
                                         "Number four: grapes."]
    assert chunks("\r\n  one \r\n\r\ntwo\n") == ["one", "two"]
    assert chunks(" \n\n ") == []


@pytest.mark.parametrize(("number", "words"), [
    (0, "zero"), (13, "thirteen"), (40, "forty"), (101, "one hundred one"),
    (1_234_567, "one million two hundred thirty four thousand five hundred sixty seven"),
    (10**15, "one zero zero zero zero zero zero zero zero zero zero zero zero zero zero zero"),
])
def test_cardinals(number: int, words: str) -> None:
    assert cardinal(number) == words


def test_ordinals_and_years() -> None:
    assert [ordinal(n) for n in (1, 5, 9, 20, 101)] == [
        "first", "fifth", "ninth", "twentieth", "one hundred first"]
    assert [year(n) for n in (1000, 1900, 2000, 2010)] == [
        "one thousand", "nineteen hundred", "two thousand", "twenty ten"]


# ---- the single-pass tokenizer against the old normaliser ---------------------------------
# The normaliser's token pass as it was before the tokenizer jumped from candidate to
# candidate: the same pattern and rewriters, with `sub` trying the pattern at every
# character. The rest of the normaliser did not change.


def reads_as_before(text: str) -> bool:
    return current._rewrite_tokens(text) == current._TOKEN.sub(current._rewrite, text)


# Characters that start tokens, glue them together or end them, so that the generated
# texts are dense in the cases where a jump could skip a token.
_PIECES = st.sampled_from([
    "a", "b", "e", "g", "h", "s", "t", "w", "x", "p", "m", "k", "A", "B", "S", "T", "Z", "K",
    "0", "1", "3", "9", "12", "1998", "2,500", ".", ",", "-", "–", ":", "@", "#", "$", "€",
    "%", "&", "+", "=", "/", "'", "'s", " ", "  ", "\n", "\t", "é", "ß", "🍕", "🔥", "👍",
    "\U0001F3FD", "\u200d", "\ufe0f", "🇫🇷", "™", "°", "×", "_", "*", "<", "(", ")", "[", "]",
    '"', "!", "?", ";", "…", "www.", "http://", "https://", ".com", ".io", "dr.", "Mr.",
    "etc.", "e.g.", "vs.", "NASA", "FAQ", "OK", "pm", "st", "th", "nd", "million", "k ",
])


@settings(max_examples=1500, deadline=None)
@given(st.lists(_PIECES, max_size=40).map("".join) | st.text(max_size=60))
def test_the_tokenizer_reads_as_the_old_normaliser(text: str) -> None:
    assert reads_as_before(text)


CALIBRATION = Path(__file__).resolve().parents[2] / "bench" / "calibration" / "kokoro-dev.jsonl"


def test_the_calibration_texts_read_as_before() -> None:
    texts = [json.loads(line)["text"] for line in
             CALIBRATION.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(texts) > 20
    for text in texts:
        assert reads_as_before(text), text


def test_the_tokenizer_reads_the_tricky_cases_as_the_old_normaliser() -> None:
    for written, _ in TRICKY:
        assert reads_as_before(written)


def test_the_corpus_scripts_read_as_before() -> None:
    # Whole scripts (tags, comments, front matter and all): the densest mix of candidates.
    corpus = Path(__file__).resolve().parents[1] / "corpus"
    scripts = [path.read_text(encoding="utf-8") for path in sorted(corpus.rglob("*.inkslop"))]
    assert len(scripts) > 50
    for text in scripts:
        assert reads_as_before(text), text
