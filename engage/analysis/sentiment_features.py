"""The features the trained sentiment model reads, the same when training and when scoring.

Word 1-2 grams and character 2-5 grams within words, each TF-IDF weighted with sublinear term
frequency, plus five lexicon scores: VADER's compound, positive and negative shares (a lexicon
made for social media, with emoji and slang) and the pattern lexicon's polarity and
subjectivity (TextBlob's). The lexicons carry what a word means to people; the n-grams carry
how tweets in the training data use it.
"""

from collections.abc import Sequence
from functools import cache

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from textblob.en import sentiment as pattern_sentiment
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

# Hashtags and handles stay whole, words keep their apostrophes, and runs of punctuation
# ("!!!", ":)") are tokens of their own.
WORD_TOKEN = r"(?u)[#@]?\w[\w']*|[^\w\s]+"
LEXICON_FEATURES = (
    "vader_compound",
    "vader_positive",
    "vader_negative",
    "pattern_polarity",
    "pattern_subjectivity",
)

DEFAULT_SETTINGS = {
    "word_ngrams": [1, 2],
    "word_min_df": 3,
    "char_ngrams": [2, 5],
    "char_min_df": 5,
    "sublinear_tf": True,
    "lexicon_features": list(LEXICON_FEATURES),
}


def word_vectorizer(settings: dict, vocabulary: dict[str, int] | None = None) -> TfidfVectorizer:
    """The word n-gram TF-IDF vectorizer; fixed to `vocabulary` when one is given."""
    return TfidfVectorizer(
        ngram_range=tuple(settings["word_ngrams"]),
        min_df=settings["word_min_df"],
        sublinear_tf=settings["sublinear_tf"],
        token_pattern=WORD_TOKEN,
        vocabulary=vocabulary,
        dtype=np.float64,
    )


def char_vectorizer(settings: dict, vocabulary: dict[str, int] | None = None) -> TfidfVectorizer:
    """The character n-gram TF-IDF vectorizer; fixed to `vocabulary` when one is given."""
    return TfidfVectorizer(
        analyzer="char_wb",
        ngram_range=tuple(settings["char_ngrams"]),
        min_df=settings["char_min_df"],
        sublinear_tf=settings["sublinear_tf"],
        vocabulary=vocabulary,
        dtype=np.float64,
    )


@cache
def vader_analyser() -> SentimentIntensityAnalyzer:
    return SentimentIntensityAnalyzer()


def lexicon_features(texts: Sequence[str]) -> np.ndarray:
    """Five lexicon scores per text, as rows of LEXICON_FEATURES."""
    vader = vader_analyser()
    rows = np.zeros((len(texts), len(LEXICON_FEATURES)))
    for index, text in enumerate(texts):
        scores = vader.polarity_scores(text)
        pattern_polarity, subjectivity = pattern_sentiment(text)
        rows[index] = (
            scores["compound"],
            scores["pos"],
            scores["neg"],
            pattern_polarity,
            subjectivity,
        )
    return rows


def feature_matrix(
    word: TfidfVectorizer, char: TfidfVectorizer, texts: Sequence[str], fit: bool = False
) -> sparse.csr_matrix:
    """Word n-grams, then character n-grams, then lexicon scores, a row per text."""
    if fit:
        blocks = [word.fit_transform(texts), char.fit_transform(texts)]
    else:
        blocks = [word.transform(texts), char.transform(texts)]
    blocks.append(sparse.csr_matrix(lexicon_features(texts)))
    return sparse.hstack(blocks, format="csr")
