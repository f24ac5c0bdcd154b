"""The trained sentiment model: stored as plain arrays and JSON, rebuilt for scoring.

Nothing stored is pickled, so loading runs no code from the files: `np.load` with
`allow_pickle=False` reads the weights, JSON the vocabulary and settings. Inference is the
TF-IDF vectorizers rebuilt with the stored vocabulary and idf, the lexicon scores, and a
softmax over the linear model's stored coefficients.
"""

import json
from collections.abc import Sequence
from functools import cache
from pathlib import Path

import numpy as np

from engage.analysis.sentiment_features import char_vectorizer, feature_matrix, word_vectorizer

LABELS = ("negative", "neutral", "positive")  # the classes' order in every array
MODEL_DIR = Path(__file__).parent / "sentiment_model"
METADATA_FILE = "model.json"
VOCABULARY_FILE = "vocabulary.json"
WEIGHTS_FILE = "weights.npz"
CHECK_TOLERANCE = 1e-6


class ModelMismatch(Exception):
    """The rebuilt model does not give the probabilities recorded when it was saved."""


class SentimentModel:
    """A linear model over TF-IDF and lexicon features, with its vocabulary and metadata."""

    def __init__(self, metadata: dict, vocabulary: dict[str, list[str]], arrays: dict):
        self.metadata = metadata
        self.vocabulary = vocabulary
        settings = metadata["settings"]
        self.word = word_vectorizer(settings, _indexed(vocabulary["word"]))
        self.word.idf_ = np.asarray(arrays["word_idf"], dtype=np.float64)
        self.char = char_vectorizer(settings, _indexed(vocabulary["char"]))
        self.char.idf_ = np.asarray(arrays["char_idf"], dtype=np.float64)
        self.coef = np.asarray(arrays["coef"], dtype=np.float64)
        self.intercept = np.asarray(arrays["intercept"], dtype=np.float64)

    def probabilities(self, texts: Sequence[str]) -> np.ndarray:
        """Return a row of (negative, neutral, positive) probabilities per text."""
        logits = feature_matrix(self.word, self.char, list(texts)) @ self.coef.T + self.intercept
        logits -= logits.max(axis=1, keepdims=True)
        exp = np.exp(logits)
        return exp / exp.sum(axis=1, keepdims=True)

    def save(self, directory: Path) -> None:
        """Write the model as JSON and an .npz of float32 arrays (about 5 MB)."""
        directory.mkdir(parents=True, exist_ok=True)
        np.savez_compressed(
            directory / WEIGHTS_FILE,
            word_idf=self.word.idf_.astype(np.float32),
            char_idf=self.char.idf_.astype(np.float32),
            coef=self.coef.astype(np.float32),
            intercept=self.intercept.astype(np.float32),
        )
        (directory / VOCABULARY_FILE).write_text(
            json.dumps(self.vocabulary, ensure_ascii=False, separators=(",", ":")),
            encoding="utf-8",
        )
        (directory / METADATA_FILE).write_text(
            json.dumps(self.metadata, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )


def _indexed(terms: list[str]) -> dict[str, int]:
    return {term: index for index, term in enumerate(terms)}


def read_model(directory: Path) -> SentimentModel:
    """Read a stored model's files; no pickle, so reading runs no code from them."""
    metadata = json.loads((directory / METADATA_FILE).read_text(encoding="utf-8"))
    vocabulary = json.loads((directory / VOCABULARY_FILE).read_text(encoding="utf-8"))
    with np.load(directory / WEIGHTS_FILE, allow_pickle=False) as arrays:
        return SentimentModel(metadata, vocabulary, dict(arrays))


def load_model(directory: Path = MODEL_DIR) -> SentimentModel:
    """Read a stored model and check that it reproduces its recorded probabilities."""
    model = read_model(directory)
    check_reproduces(model)
    return model


def check_reproduces(model: SentimentModel) -> None:
    """Raise ModelMismatch unless the model gives its recorded check texts' probabilities.

    Guards against a changed tokenizer or library version scoring differently from the model
    that was validated.
    """
    checks = model.metadata.get("checks", [])
    if not checks:
        raise ModelMismatch("The stored model records no check texts.")
    got = model.probabilities([check["text"] for check in checks])
    want = np.array([check["probabilities"] for check in checks])
    if not np.allclose(got, want, rtol=0, atol=CHECK_TOLERANCE):
        worst = float(np.abs(got - want).max())
        raise ModelMismatch(f"The rebuilt model's probabilities differ by up to {worst:.2g}.")


@cache
def stored_model() -> SentimentModel:
    """The model shipped in the project, loaded once per process on first use."""
    return load_model(MODEL_DIR)
