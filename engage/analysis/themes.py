"""Candidate themes in free-text answers or posts, for staff to accept, rename, merge or reject.

TF-IDF of words and word pairs, factorised by NMF: each theme is a weighted set of terms, and
each text a mix of themes. A text belongs to the theme that weighs most in it.
"""

import warnings
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from sklearn.decomposition import NMF
from sklearn.exceptions import ConvergenceWarning

from engage.analysis.tfidf import normalise, tfidf_vectorizer

MAX_THEMES_LIMIT = 30
MAX_EXAMPLES_LIMIT = 20
# Bounds the vocabulary, so memory and time grow with the number of texts, not their words.
MAX_FEATURES = 5_000
TOP_TERMS = 10
LABEL_TERMS = 3
# A theme of one text is that text, not a theme.
TEXTS_PER_THEME = 2

NO_TEXTS = "There are no texts to find themes in."
NO_WORDS = (
    "None of the texts has words to find themes in: they are empty, or only emoji, numbers, "
    "links or common words."
)
ALL_SAME = "All the texts say the same thing, so there are no themes to tell apart."
TOO_FEW = (
    f"Too few texts with words to find themes in: at least {TEXTS_PER_THEME} different ones "
    "are needed."
)


@dataclass(frozen=True)
class Theme:
    """A candidate theme: its label, top terms, most representative texts and size."""

    label: str
    # (term, weight relative to the top term's), heaviest first.
    terms: tuple[tuple[str, float], ...]
    # Indices into the texts given, the most representative first, no two alike.
    examples: tuple[int, ...]
    # Texts (duplicates included) in which this theme weighs most.
    size: int


@dataclass(frozen=True)
class ThemeSuggestions:
    """The themes found, largest first, and why there are none or fewer than asked for."""

    themes: tuple[Theme, ...]
    # Texts in no theme: no words, or only words too rare or too common to count.
    uncovered: int
    reason: str | None = None


def suggest_themes(
    texts: Sequence[str | None], max_themes: int = 8, examples: int = 3
) -> ThemeSuggestions:
    """Suggest up to `max_themes` themes in `texts`, each with `examples` example texts."""
    _check_arguments(texts, max_themes, examples)
    if not texts:
        return ThemeSuggestions(themes=(), uncovered=0, reason=NO_TEXTS)
    normalised = [normalise(text) for text in texts]
    distinct = len(set(normalised) - {""})
    if distinct == 0:
        return ThemeSuggestions(themes=(), uncovered=len(texts), reason=NO_WORDS)
    if distinct == 1:
        return ThemeSuggestions(themes=(), uncovered=len(texts), reason=ALL_SAME)
    many = len(texts) >= 50
    vectorizer = tfidf_vectorizer(
        # A term in one text only, or in almost all of them, tells no themes apart.
        min_df=2 if many else 1,
        max_df=0.9 if many else 1.0,
        max_features=MAX_FEATURES,
        normalised=True,
    )
    try:
        matrix = vectorizer.fit_transform(normalised)
    except ValueError:
        # scikit-learn's way of saying no term is left after stopwords and pruning.
        return ThemeSuggestions(themes=(), uncovered=len(texts), reason=NO_WORDS)
    with_terms = np.flatnonzero(matrix.getnnz(axis=1))
    distinct_with_terms = len({normalised[i] for i in with_terms})
    count = min(max_themes, distinct_with_terms // TEXTS_PER_THEME, matrix.shape[1])
    if count < 1:
        return ThemeSuggestions(themes=(), uncovered=len(texts), reason=TOO_FEW)
    themes, covered = _themes(
        *_factorise(matrix, count), vectorizer.get_feature_names_out(), normalised, examples
    )
    reason = None
    found = f"Only {len(themes)} theme{'s' if len(themes) != 1 else ''} found"
    if count < max_themes:
        reason = f"{found}: there are too few different texts for more."
    elif len(themes) < count:
        reason = f"{found}: the others were not the main theme of any text."
    return ThemeSuggestions(themes=tuple(themes), uncovered=len(texts) - covered, reason=reason)


def _check_arguments(texts: Sequence[str | None], max_themes: int, examples: int) -> None:
    if isinstance(texts, str) or not isinstance(texts, Sequence):
        raise ValueError("Texts must be given as a list of strings.")
    if any(text is not None and not isinstance(text, str) for text in texts):
        raise ValueError("Every text must be a string.")
    if not isinstance(max_themes, int) or not 1 <= max_themes <= MAX_THEMES_LIMIT:
        raise ValueError(f"The number of themes must be between 1 and {MAX_THEMES_LIMIT}.")
    if not isinstance(examples, int) or not 0 <= examples <= MAX_EXAMPLES_LIMIT:
        raise ValueError(f"The number of examples must be between 0 and {MAX_EXAMPLES_LIMIT}.")


def _themes(components, weights, vocabulary, normalised, examples) -> tuple[list[Theme], int]:
    """Return the themes that are some text's main theme, largest first, and texts covered."""
    count = components.shape[0]
    dominant = weights.argmax(axis=1)
    has_theme = weights.max(axis=1) > 0
    sizes = np.bincount(dominant[has_theme], minlength=count)
    themes = []
    for t in sorted((t for t in range(count) if sizes[t]), key=lambda t: -sizes[t]):
        members = np.flatnonzero(has_theme & (dominant == t))
        ranked = members[np.argsort(-weights[members, t], kind="stable")]
        terms = _top_terms(components[t], vocabulary)
        themes.append(
            Theme(
                label=_label([term for term, _ in terms]),
                terms=terms,
                examples=_distinct_examples(ranked, normalised, examples),
                size=int(sizes[t]),
            )
        )
    return themes, int(has_theme.sum())


def _factorise(matrix, count: int) -> tuple[np.ndarray, np.ndarray]:
    """Return the themes' term weights and the texts' theme weights."""
    model = NMF(n_components=count, init="nndsvda", random_state=0, max_iter=300)
    with warnings.catch_warnings():
        # Themes are suggestions for people to judge: a factorisation a little short of the
        # tolerance after max_iter rounds ranks terms and texts just as usefully.
        warnings.simplefilter("ignore", ConvergenceWarning)
        weights = model.fit_transform(matrix)
    return model.components_, weights


def _top_terms(component: np.ndarray, vocabulary) -> tuple[tuple[str, float], ...]:
    top = np.argsort(-component, kind="stable")[:TOP_TERMS]
    top = top[component[top] > 0]
    return tuple((str(vocabulary[i]), float(component[i] / component[top[0]])) for i in top)


def _distinct_examples(ranked, normalised: list[str], wanted: int) -> tuple[int, ...]:
    chosen: list[int] = []
    seen: set[str] = set()
    for index in ranked:
        if len(chosen) == wanted:
            break
        if normalised[index] not in seen:
            seen.add(normalised[index])
            chosen.append(int(index))
    return tuple(chosen)


def _label(terms: list[str]) -> str:
    """Join the top terms into a label, a word pair standing in for its own words."""
    chosen: list[str] = []
    for term in terms:
        if any(_part_of(term, phrase) for phrase in chosen):
            continue
        extended = [i for i, phrase in enumerate(chosen) if _part_of(phrase, term)]
        if extended:
            chosen[extended[0]] = term
            chosen = [p for i, p in enumerate(chosen) if i not in extended[1:]]
        else:
            chosen.append(term)
        if len(chosen) == LABEL_TERMS:
            break
    return ", ".join(chosen)


def _part_of(part: str, phrase: str) -> bool:
    return f" {part} " in f" {phrase} "
