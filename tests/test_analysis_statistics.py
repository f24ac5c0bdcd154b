import pytest

from engage.analysis.sentiment import polarity, polarity_label
from engage.analysis.statistics import percentage, wilson_interval


def test_wilson_interval_matches_published_values():
    # Newcombe (1998), Statistics in Medicine 17:857, table I, example (a): 81/263 -> 0.2553-0.3662.
    low, high = wilson_interval(81, 263)
    assert low == pytest.approx(25.53, abs=0.01)
    assert high == pytest.approx(36.62, abs=0.01)


def test_wilson_interval_stays_inside_bounds_at_extremes():
    low, high = wilson_interval(0, 10)
    assert low == 0.0
    assert high == pytest.approx(27.8, abs=0.1)
    low, high = wilson_interval(10, 10)
    assert high == 100.0
    assert low == pytest.approx(72.2, abs=0.1)


def test_no_answers_gives_no_interval_or_percentage():
    assert wilson_interval(0, 0) is None
    assert percentage(0, 0) is None
    assert percentage(1, 4) == 25.0


def test_impossible_counts_are_rejected():
    with pytest.raises(ValueError):
        wilson_interval(5, 4)


def test_polarity_separates_praise_from_complaint():
    assert polarity("The officers were wonderful and very helpful") > 0.3
    assert polarity("Terrible, awful response, I am very angry") < -0.3
    assert polarity("") == 0.0
    assert polarity_label(0.5) == "positive"
    assert polarity_label(-0.5) == "negative"
    assert polarity_label(0.0) == "neutral"


@pytest.mark.parametrize(
    "text",
    [
        "The officers were wonderful and very helpful",
        "not good at all, never again :(",
        "Really really great!!! :-) #WMP2020",
        "I am not unhappy with the response",
        "@WMPolice the 101 line kept me waiting 40 minutes",
        "Très bien, merci",
        "More neighbourhood officers, please.",
    ],
)
def test_textblob_analyser_gives_textblobs_own_number(text):
    from textblob import TextBlob

    assert polarity(text, "textblob") == round(TextBlob(text).sentiment.polarity, 4)
