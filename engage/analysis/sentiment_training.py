"""Training the sentiment model on TweetEval's sentiment data, and measuring it.

Trains only on the train split; settings are chosen only on the validation split, by the
task's official metric, macro-averaged recall. The test split is never read.
"""

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import cast

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, f1_score, recall_score

from engage.analysis.sentiment_features import (
    DEFAULT_SETTINGS,
    char_vectorizer,
    feature_matrix,
    word_vectorizer,
)
from engage.analysis.sentiment_model import LABELS, SentimentModel, load_model, read_model

MODEL_VERSION = "tweeteval-tfidf-lexicon-lr-1"
C_GRID = (0.5, 1.0, 2.0)  # inverse regularisation strengths tried on the validation split
MAX_ITER = 3000
# The upstream train text is used when present; the reconstruction otherwise (see its README).
SPLIT_FILES = {
    "train": (("train_text.txt", "train_text_reconstructed.txt"), "train_labels.txt"),
    "val": (("val_text.txt",), "val_labels.txt"),
}
CHECK_TEXTS = (
    "The officers were wonderful and very helpful, thank you!",
    "Terrible response, nobody came and I am furious",
    "The meeting is on Tuesday at the community centre.",
    "😍😍🎉",
    "La police est arrivée très vite, merci beaucoup",
    "not bad at all tbh #WMP2020",
)
PROVENANCE = {
    "dataset": "TweetEval sentiment (SemEval-2017 Task 4 Subtask A, English tweets)",
    "source": "github.com/cardiffnlp/tweeteval datasets/sentiment/, snapshot commit "
    "4fbd22cd78421f05b1ecdb4fc5725bc7a7bd8f66",
    "train_text_note": "train text reconstructed from the SemEval 2013-2016 Subtask A tweets "
    "in TweetEval's order and normalisation (45,402 of 45,615 lines unique matches); labels "
    "byte-identical to upstream",
    "licence": "TweetEval itself has no licence restrictions, but the licences of the source "
    "datasets and Twitter's terms may apply (upstream README)",
    "citation": "Barbieri et al., TweetEval, Findings of EMNLP 2020; Rosenthal, Farra and "
    "Nakov, SemEval-2017 Task 4, SemEval 2017",
    "labels": "0 negative, 1 neutral, 2 positive",
}


@dataclass
class Split:
    texts: list[str]
    labels: np.ndarray
    files: dict[str, str]  # file name -> sha256, for the metadata


def _lines(path: Path) -> list[str]:
    # Each line ends in one trailing space in TweetEval's format; texts to score do not.
    return [line.removesuffix(" ") for line in path.read_text(encoding="utf-8").splitlines()]


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def read_split(directory: Path, split: str) -> Split:
    """Read the train or val split of a TweetEval-format directory (never the test split)."""
    text_names, label_name = SPLIT_FILES[split]
    text_path = next((directory / name for name in text_names if (directory / name).exists()), None)
    label_path = directory / label_name
    if text_path is None or not label_path.exists():
        raise FileNotFoundError(
            f"{directory} has no {split} split ({text_names[0]}, {label_name})."
        )
    texts = _lines(text_path)
    labels = np.array([int(label) for label in _lines(label_path)])
    if len(texts) != len(labels):
        raise ValueError(f"{text_path.name} has {len(texts)} lines but {label_name} {len(labels)}.")
    if not set(labels) <= set(range(len(LABELS))):
        raise ValueError(f"{label_name} holds labels other than 0, 1 and 2.")
    return Split(texts, labels, {path.name: _sha256(path) for path in (text_path, label_path)})


def evaluate(
    labels: Sequence[int] | np.ndarray, predicted: Sequence[int] | np.ndarray
) -> dict[str, float]:
    """Macro-averaged recall (the task's metric), macro-F1 and accuracy."""
    return {
        "macro_recall": round(float(recall_score(labels, predicted, average="macro")), 4),
        "macro_f1": round(float(f1_score(labels, predicted, average="macro")), 4),
        "accuracy": round(float(accuracy_score(labels, predicted)), 4),
    }


def train_model(
    train: Split,
    val: Split,
    c_grid: Sequence[float] = C_GRID,
    settings: dict | None = None,
    on_stage: Callable[[str], None] = lambda message: None,
) -> SentimentModel:
    """Fit on `train`, keep the regularisation that scores best on `val`, and return it."""
    settings = dict(settings or DEFAULT_SETTINGS)
    on_stage(f"Building features from {len(train.texts):,} training texts")
    word, char = word_vectorizer(settings), char_vectorizer(settings)
    train_features = feature_matrix(word, char, train.texts, fit=True)
    val_features = feature_matrix(word, char, val.texts)
    best = None
    grid = []
    for c in c_grid:
        on_stage(f"Fitting logistic regression with C={c}")
        classifier = LogisticRegression(C=c, class_weight="balanced", max_iter=MAX_ITER)
        classifier.fit(train_features, train.labels)
        scores = evaluate(val.labels, classifier.predict(val_features))
        grid.append({"C": c, **scores})
        on_stage(f"  validation macro recall {scores['macro_recall']:.4f}")
        if best is None or scores["macro_recall"] > best[1]["macro_recall"]:
            best = (classifier, scores, c)
    classifier, scores, c = cast(tuple[LogisticRegression, dict, float], best)  # a C was tried
    metadata = {
        "model_version": MODEL_VERSION,
        "trained_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "labels": list(LABELS),
        "settings": {
            **settings,
            "classifier": "LogisticRegression",
            "C": c,
            "class_weight": "balanced",
        },
        "training_data": {
            **PROVENANCE,
            "train_size": len(train.texts),
            "validation_size": len(val.texts),
            "files": {**train.files, **val.files},
        },
        "validation": scores,
        "validation_grid": grid,
    }
    vocabulary = {
        "word": list(word.get_feature_names_out()),
        "char": list(char.get_feature_names_out()),
    }
    arrays = {
        "word_idf": word.idf_,
        "char_idf": char.idf_,
        "coef": classifier.coef_,
        "intercept": classifier.intercept_,
    }
    return SentimentModel(metadata, vocabulary, arrays)


def predict(model: SentimentModel, texts: Sequence[str]) -> np.ndarray:
    """The most probable class (0, 1 or 2) for each text."""
    return model.probabilities(texts).argmax(axis=1)


def save_trained(model: SentimentModel, directory: Path, val: Split) -> SentimentModel:
    """Store the model, then record what the stored (float32) copy scores and predicts.

    The validation scores and the check texts' probabilities in the metadata are those of the
    files as written, so a later load can be held to them.
    """
    model.save(directory)
    stored = read_model(directory)
    stored.metadata["validation"] = evaluate(val.labels, predict(stored, val.texts))
    stored.metadata["checks"] = [
        {"text": text, "probabilities": [float(p) for p in row]}
        for text, row in zip(CHECK_TEXTS, stored.probabilities(CHECK_TEXTS), strict=True)
    ]
    stored.save(directory)
    return load_model(directory)
