"""Sentiment of short texts: the one place every package asks."""

from textblob import TextBlob


def polarity(text: str) -> float:
    """Return TextBlob's polarity for `text`, from -1 (negative) to 1 (positive).

    TextBlob's pattern analyser needs no downloaded corpora.
    """
    if not text or not text.strip():
        return 0.0
    return round(float(TextBlob(text).sentiment.polarity), 4)


def polarity_label(value: float | None) -> str:
    if value is None:
        return "unknown"
    if value > 0.05:
        return "positive"
    if value < -0.05:
        return "negative"
    return "neutral"
