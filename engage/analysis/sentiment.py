"""Sentiment of short texts: the one place every package asks.

`score(texts)` gives each text a label (negative, neutral or positive) and a polarity score
from -1 to 1 that `polarity_label` reads back as the same label, so the polarity columns
stored from it, and every SQL filter on their bands, agree with the label.

Analysers, by name: "model" (the default) is a linear model over TF-IDF word and character
n-grams and lexicon scores, trained on TweetEval's labelled tweets (`sentiment_model.py`,
trained by `flask --app engage analysis train-sentiment`); "vader" is VADER's compound score;
"textblob" is TextBlob's pattern lexicon, the analyser engage used first, kept as a baseline.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from textblob.en import sentiment as pattern_sentiment

# Polarity within this band around zero reads as neutral.
POSITIVE_ABOVE = 0.05
NEGATIVE_BELOW = -0.05
# The stored polarity for the model's labels: just past the band for a weak positive or
# negative, and well inside it for neutral.
LEAST_POSITIVE = 0.0501
LEAST_NEGATIVE = -0.0501
NEUTRAL_SHRINK = 0.049

DEFAULT_ANALYSER = "model"


@dataclass(frozen=True)
class Sentiment:
    label: str  # "negative", "neutral" or "positive"
    score: float  # polarity from -1 to 1; polarity_label(score) == label


def polarity_label(value: float | None) -> str:
    if value is None:
        return "unknown"
    if value > POSITIVE_ABOVE:
        return "positive"
    if value < NEGATIVE_BELOW:
        return "negative"
    return "neutral"


def _from_polarity(value: float) -> Sentiment:
    value = round(value, 4)
    return Sentiment(polarity_label(value), value)


def _textblob(texts: Sequence[str]) -> list[Sentiment]:
    # The pattern lexicon TextBlob's default analyser calls, called directly: the same number
    # as `TextBlob(text).sentiment.polarity` without a new namedtuple class per call.
    return [_from_polarity(float(pattern_sentiment(text)[0])) for text in texts]


# The model's modules are imported on first use: scikit-learn takes most of a second to import,
# which every process and command would otherwise pay at start.
def _vader(texts: Sequence[str]) -> list[Sentiment]:
    from engage.analysis.sentiment_features import vader_analyser

    analyser = vader_analyser()
    # VADER's own thresholds for its compound score are these same ±0.05.
    return [_from_polarity(analyser.polarity_scores(text)["compound"]) for text in texts]


def model_sentiment(negative: float, neutral: float, positive: float) -> Sentiment:
    """The label the model's probabilities pick, with a polarity inside that label's band."""
    negative, neutral, positive = float(negative), float(neutral), float(positive)
    difference = positive - negative
    # Ties go as numpy's argmax breaks them, the first class in (negative, neutral, positive).
    if positive > neutral and positive > negative:
        return Sentiment("positive", round(max(LEAST_POSITIVE, difference), 4))
    if negative >= neutral and negative >= positive:
        return Sentiment("negative", round(min(LEAST_NEGATIVE, difference), 4))
    return Sentiment("neutral", round(NEUTRAL_SHRINK * difference, 4))


def _model(texts: Sequence[str]) -> list[Sentiment]:
    from engage.analysis.sentiment_model import stored_model

    return [model_sentiment(*row) for row in stored_model().probabilities(texts)]


ANALYSERS: dict[str, Callable[[Sequence[str]], list[Sentiment]]] = {
    "model": _model,
    "vader": _vader,
    "textblob": _textblob,
}
NO_TEXT = Sentiment("neutral", 0.0)


def score(texts: Sequence[str], analyser: str = DEFAULT_ANALYSER) -> list[Sentiment]:
    """Label and score each text, in one batch; blank texts are neutral, 0.0."""
    if analyser not in ANALYSERS:
        raise ValueError(f"No sentiment analyser named {analyser!r}; use one of {list(ANALYSERS)}.")
    texts = list(texts)
    present = [index for index, text in enumerate(texts) if text and text.strip()]
    results = [NO_TEXT] * len(texts)
    if present:
        scored = ANALYSERS[analyser]([texts[index] for index in present])
        for index, result in zip(present, scored, strict=True):
            results[index] = result
    return results


def polarity(text: str, analyser: str = DEFAULT_ANALYSER) -> float:
    """Return one text's polarity, from -1 (negative) to 1 (positive)."""
    return score([text], analyser)[0].score


def suggested_position(value: float | None) -> str:
    """A first guess at where a reply stands on its question, for staff to confirm or change.

    Praise reads as support and complaint as opposition; anything near neutral is unclear.
    """
    label = polarity_label(value)
    return {"positive": "supports", "negative": "opposes"}.get(label, "unclear")
