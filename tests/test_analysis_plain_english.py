"""Plain English checks: reading age, long sentences, passive voice and jargon."""

from engage.analysis.plain_english import (
    AIM_READING_AGE,
    check_plain_english,
    jargon,
    long_sentences,
    passive_phrases,
    reading_age,
    sentences,
)

PLAIN = "Would you like to report crime online?"
DENSE = (
    "Officers were deployed in order to facilitate engagement with key stakeholders "
    "across the conurbation's neighbourhood policing infrastructure."
)


def test_a_short_plain_question_meets_the_gov_uk_aim_and_a_dense_one_does_not():
    assert reading_age(PLAIN) <= AIM_READING_AGE
    assert reading_age(DENSE) > 14
    assert check_plain_english(PLAIN).meets_aim and not check_plain_english(DENSE).meets_aim


def test_text_without_words_has_no_reading_age_and_meets_the_aim():
    check = check_plain_english("  ?! ")
    assert check.reading_age is None and check.words == 0 and check.meets_aim
    assert not check.flagged


def test_sentences_over_25_words_are_flagged_and_shorter_ones_are_not():
    long_one = " ".join(["word"] * 26) + "."
    short_one = " ".join(["word"] * 25) + "."

    assert long_sentences(f"{short_one} {long_one}\nA new line.") == [long_one]
    assert sentences("One. Two? Three!\nFour") == ["One.", "Two?", "Three!", "Four"]


def test_the_passive_voice_is_found_with_regular_and_irregular_participles():
    text = "The money was spent. Decisions are being carefully made. We decided. It is red."

    assert passive_phrases(text) == ["was spent", "being carefully made"]
    assert passive_phrases("The responses have been analysed.") == ["been analysed"]
    assert passive_phrases("We will patrol your street.") == []


def test_jargon_is_listed_once_each_with_a_plainer_word_and_not_inside_other_words():
    found = jargon("Key partners will Facilitate. We facilitate. A keyboard and a monkey.")

    assert found == [("key", "important, main"), ("facilitate", "help or make possible")]
    assert jargon("Going forward we will tackle it.")[0] == (
        "going forward",
        "from now on, in future",
    )


def test_the_check_gathers_every_finding():
    check = check_plain_english(DENSE)

    assert check.flagged and check.words == 17
    assert check.passive_phrases == ["were deployed"]
    assert [word for word, _ in check.jargon] == ["facilitate", "engagement", "key", "stakeholders"]
