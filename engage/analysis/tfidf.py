"""TF-IDF vectors of short texts, shared by theme suggestion and code suggestion."""

import re

import numpy as np
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfVectorizer

from engage.analysis.text import STOPWORDS

# Links, @handles, and escapes such as "\\u2019" left in text exported as JSON and re-imported.
_NOT_WORDS = re.compile(r"https?://\S+|www\.\S+|@\w+|\\u[0-9a-f]{4}")
# English contractions lose their apostrophe, to meet stopwords such as "dont"; any other
# apostrophe parts words, as in French "l'éclairage".
_CONTRACTION = re.compile(r"['’‘`](?=(?:t|s|m|d|re|ve|ll)\b)")
_APOSTROPHE = re.compile(r"['’‘`]")
# Words of two or more characters with at least one letter: keeps road names such as "a38",
# drops bare numbers; \w is Unicode, so words of other languages count too.
TOKEN_PATTERN = r"(?u)\b(?=\w*[^\W\d_])\w{2,}\b"
_TOKEN = re.compile(TOKEN_PATTERN)


def normalise(text: str | None) -> str:
    """Lower-case `text` without links, @handles, escapes or apostrophes."""
    text = _NOT_WORDS.sub(" ", (text or "").lower())
    return _APOSTROPHE.sub(" ", _CONTRACTION.sub("", text)).strip()


def _stop_words() -> list[str]:
    # Passed through normalise() and the tokens, so scikit-learn finds them consistent with
    # the texts' preprocessing (it warns otherwise).
    words: set[str] = set()
    for word in ENGLISH_STOP_WORDS | STOPWORDS:
        words.update(_TOKEN.findall(normalise(word)))
    return sorted(words)


STOP_WORDS = _stop_words()


def tfidf_vectorizer(
    *, min_df: int | float, max_df: int | float, max_features: int, normalised: bool = False
) -> TfidfVectorizer:
    """Return a TF-IDF vectorizer of words and word pairs, without stopwords.

    `normalised` says the texts have been through normalise() already.
    """
    return TfidfVectorizer(
        lowercase=False,
        preprocessor=None if normalised else normalise,
        token_pattern=TOKEN_PATTERN,
        stop_words=STOP_WORDS,
        ngram_range=(1, 2),
        min_df=min_df,
        max_df=max_df,
        max_features=max_features,
        sublinear_tf=True,
        dtype=np.float32,
    )
