"""Sentiment of short texts: the one place every package asks."""

from textblob.en import sentiment as pattern_sentiment

# Polarity within this band around zero reads as neutral.
POSITIVE_ABOVE = 0.05
NEGATIVE_BELOW = -0.05


def polarity(text: str) -> float:
    """Return TextBlob's polarity for `text`, from -1 (negative) to 1 (positive).

    The pattern lexicon TextBlob's default analyser calls, called directly: the same number as
    `TextBlob(text).sentiment.polarity` in half the time, as that analyser defines a new
    namedtuple class on every call. It needs no downloaded corpora.
    """
    if not text or not text.strip():
        return 0.0
    return round(float(pattern_sentiment(text)[0]), 4)


def polarity_label(value: float | None) -> str:
    if value is None:
        return "unknown"
    if value > POSITIVE_ABOVE:
        return "positive"
    if value < NEGATIVE_BELOW:
        return "negative"
    return "neutral"


def suggested_position(value: float | None) -> str:
    """A first guess at where a reply stands on its question, for staff to confirm or change.

    Praise reads as support and complaint as opposition; anything near neutral is unclear.
    """
    label = polarity_label(value)
    return {"positive": "supports", "negative": "opposes"}.get(label, "unclear")
