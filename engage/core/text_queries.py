"""SQL conditions for filtering texts by sentiment band or by a phrase, shared by every package."""

from sqlalchemy import case

from engage.analysis.sentiment import NEGATIVE_BELOW, POSITIVE_ABOVE

SENTIMENTS = ("positive", "neutral", "negative")
UNSCORED = "unscored"  # a free-text answer stored but not scored yet (polarity NULL)


def sentiment_condition(polarity_column, sentiment: str):
    """Rows whose polarity falls in the band `polarity_label` calls `sentiment`."""
    if sentiment == "positive":
        return polarity_column > POSITIVE_ABOVE
    if sentiment == "negative":
        return polarity_column < NEGATIVE_BELOW
    return polarity_column.between(NEGATIVE_BELOW, POSITIVE_ABOVE)


def sentiment_label(polarity_column):
    """A SQL expression naming each row's sentiment band, or UNSCORED, for GROUP BY."""
    return case(
        (polarity_column.is_(None), UNSCORED),
        (polarity_column > POSITIVE_ABOVE, "positive"),
        (polarity_column < NEGATIVE_BELOW, "negative"),
        else_="neutral",
    )


def contains_phrase(text_column, phrase: str):
    """Case-insensitive 'contains', with LIKE's wildcards in the phrase taken literally."""
    escaped = phrase.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return text_column.ilike(f"%{escaped}%", escape="\\")
