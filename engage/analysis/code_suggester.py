"""Codes suggested for uncoded texts by classifiers trained on staff's own coding.

One logistic regression per code (one-vs-rest) on TF-IDF of words and word pairs, classes
weighted by their frequency so that a code on few texts is not drowned by the texts without it.
A share of the human-coded texts is held back and never seen in training, stratified by each
text's rarest code so that every code, the rare ones above all, keeps about that share there
(texts with several codes make it approximate for the common ones). Precision and recall are
measured on the held-back texts alone, for the very classifiers that then make the suggestions.
Confidences are the classifiers' probabilities; the class weighting makes them lean towards
suggesting a rare code.
"""

import math
from collections import Counter
from collections.abc import Collection, Hashable, Sequence
from dataclasses import dataclass, field, replace
from typing import cast

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from engage.analysis.tfidf import tfidf_vectorizer

MIN_EXAMPLES = 20
HELD_BACK_SHARE = 0.2
THRESHOLD = 0.5
MAX_FEATURES = 20_000
NO_WORDS = "No suggestions: the coded texts have no words to learn from."
NOT_HELD_BACK = "Not measured: no coded texts were held back."


@dataclass(frozen=True)
class CodeQuality:
    """How well a code's classifier did on held-back human coding, or why it has none."""

    code: Hashable
    # Human-coded texts with the code, training and held back together.
    positives: int
    held_back: int
    held_back_positives: int
    precision: float | None = None
    recall: float | None = None
    # Why there is no classifier, or why a figure is missing.
    reason: str | None = None


@dataclass(frozen=True)
class Suggestion:
    code: Hashable
    confidence: float


@dataclass(frozen=True)
class CodeSuggester:
    """Classifiers for the codes that had enough coding, with their measured quality."""

    quality: dict[Hashable, CodeQuality]
    # Indices into the coded texts given for training that were held back to measure.
    held_back: tuple[int, ...]
    threshold: float
    vectorizer: TfidfVectorizer | None = None
    classifiers: dict[Hashable, LogisticRegression] = field(default_factory=dict)

    def suggest(self, texts: Sequence[str | None]) -> list[list[Suggestion]]:
        """For each text, the codes whose confidence reaches the threshold, surest first.

        A text with no word the classifiers know gets none: they would only repeat how common
        each code is.
        """
        if not texts or not self.classifiers:
            return [[] for _ in texts]
        # Fitted whenever there are classifiers.
        matrix = cast(TfidfVectorizer, self.vectorizer).transform([text or "" for text in texts])
        confidences = _confidences(matrix, self.classifiers)
        known = matrix.getnnz(axis=1) > 0
        return [
            sorted(
                (
                    Suggestion(code, float(confidence[row]))
                    for code, confidence in confidences.items()
                    if known[row] and confidence[row] >= self.threshold
                ),
                key=lambda suggestion: -suggestion.confidence,
            )
            for row in range(len(texts))
        ]


def _confidences(matrix, classifiers) -> dict[Hashable, np.ndarray]:
    return {code: model.predict_proba(matrix)[:, 1] for code, model in classifiers.items()}


def train_code_suggester(
    texts: Sequence[str | None],
    codings: Sequence[Collection[Hashable]],
    codes: Sequence[Hashable],
    *,
    held_back_share: float = HELD_BACK_SHARE,
    min_examples: int = MIN_EXAMPLES,
    threshold: float = THRESHOLD,
    random_state: int = 0,
) -> CodeSuggester:
    """Train on human-coded `texts` (codings[i]: the codes staff applied to texts[i])."""
    _check(texts, codings, codes, held_back_share, min_examples, threshold)
    positives = Counter(code for applied in codings for code in set(applied))
    trainable = [
        code for code in codes if min_examples <= positives[code] <= len(texts) - min_examples
    ]
    held_back = _stratified_hold_back(codings, trainable, positives, held_back_share, random_state)
    held = set(held_back)
    training = [i for i in range(len(texts)) if i not in held]
    vectorizer = tfidf_vectorizer(min_df=1, max_df=1.0, max_features=MAX_FEATURES)
    classifiers: dict[Hashable, LogisticRegression] = {}
    reasons = {
        code: _too_few(positives[code], len(texts), min_examples)
        for code in codes
        if code not in trainable
    }
    try:
        matrix = vectorizer.fit_transform([texts[i] or "" for i in training]) if trainable else None
    except ValueError:
        # scikit-learn's way of saying no term is left after stopwords.
        reasons |= dict.fromkeys(trainable, NO_WORDS)
        trainable = []
    for code in trainable:
        classifier = LogisticRegression(
            class_weight="balanced", max_iter=1000, random_state=random_state
        )
        classifier.fit(matrix, [int(code in codings[i]) for i in training])
        classifiers[code] = classifier
    suggester = CodeSuggester(
        quality={},
        held_back=tuple(held_back),
        threshold=threshold,
        vectorizer=vectorizer if classifiers else None,
        classifiers=classifiers,
    )
    # Measured on the very suggestions staff would see for those texts.
    measured = (
        _measure(suggester.suggest([texts[i] for i in held_back]), classifiers, codings, held_back)
        if classifiers and held_back
        else {}
    )
    in_held_back = Counter(code for i in held_back for code in set(codings[i]))
    quality = {
        code: CodeQuality(
            code=code,
            positives=positives[code],
            held_back=len(held_back),
            held_back_positives=in_held_back[code],
            **measured.get(code, {"reason": reasons.get(code, NOT_HELD_BACK)}),
        )
        for code in codes
    }
    return replace(suggester, quality=quality)


def _check(texts, codings, codes, held_back_share, min_examples, threshold) -> None:
    if len(texts) != len(codings):
        raise ValueError(
            f"Every coded text needs its codes: {len(texts)} texts, {len(codings)} codings."
        )
    if len(set(codes)) != len(codes):
        raise ValueError("Each code may appear only once in the code frame.")
    frame = set(codes)
    for applied in codings:
        unknown = set(applied) - frame
        if unknown:
            raise ValueError(f"A text was coded with a code not in the frame: {unknown.pop()}.")
    if not 0 < held_back_share < 1:
        raise ValueError("The share held back must lie between 0 and 1.")
    if min_examples < 2:
        raise ValueError("A code needs at least 2 coded examples to learn from.")
    if not 0 < threshold < 1:
        raise ValueError("The confidence threshold must lie between 0 and 1.")


def _stratified_hold_back(codings, trainable, positives, share, random_state) -> list[int]:
    """Hold back `share` of each stratum: texts grouped by their rarest trainable code."""
    rarity = {code: (positives[code], rank) for rank, code in enumerate(trainable)}
    strata: dict[int, list[int]] = {}
    for index, applied in enumerate(codings):
        ranked = [rarity[code] for code in applied if code in rarity]
        strata.setdefault(min(ranked)[1] if ranked else -1, []).append(index)
    rng = np.random.default_rng(random_state)
    held_back: list[int] = []
    for key in sorted(strata):
        members = strata[key]
        chosen = rng.permutation(len(members))[: math.floor(share * len(members) + 0.5)]
        held_back.extend(members[i] for i in chosen)
    return sorted(held_back)


def _measure(suggestions, classifiers, codings, held_back) -> dict[Hashable, dict]:
    """Precision and recall of each classifier on the held-back texts alone."""
    measured = {}
    for code in classifiers:
        truth = np.array([code in codings[i] for i in held_back], dtype=bool)
        predicted = np.array([any(s.code == code for s in row) for row in suggestions], dtype=bool)
        hits = int((truth & predicted).sum())
        missing = []
        if not predicted.any():
            missing.append("No precision: it was suggested for none of the held-back texts.")
        if not truth.any():
            missing.append("No recall: none of the held-back texts has it.")
        measured[code] = {
            "precision": hits / int(predicted.sum()) if predicted.any() else None,
            "recall": hits / int(truth.sum()) if truth.any() else None,
            "reason": " ".join(missing) or None,
        }
    return measured


def _too_few(positive: int, total: int, min_examples: int) -> str:
    if positive < min_examples:
        return (
            f"No suggestions: {positive} coded text{'s' if positive != 1 else ''} "
            f"{'have' if positive != 1 else 'has'} it, at least {min_examples} are needed."
        )
    return (
        f"No suggestions: only {total - positive} coded texts lack it, at least "
        f"{min_examples} are needed to learn when it does not apply."
    )
