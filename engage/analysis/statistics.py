"""Proportions and their confidence intervals, raw and re-weighted to a population.

Re-weighting is post-stratification: each respondent in a stratum (an area) carries the weight
(N_h / N) / (n_h / n), so the strata count in proportion to the people who live there. The
interval of a weighted proportion is Wilson's with n replaced by Kish's effective sample size
n_eff = (sum of weights)^2 / (sum of squared weights): unequal weights carry less information
than as many equal ones, and n_eff says how many equal ones they are worth. It ignores the
(small) gain post-stratification itself brings, so it errs on the wide side.
"""

import math
from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field
from typing import Generic, TypeVar, cast

Z_95 = 1.959963984540054
K = TypeVar("K", bound=Hashable)  # a stratum: an area slug, or an (area, age band) cell
UNDER_REPRESENTED_RATIO = 0.8  # a respondent share below 80% of the population share


def percentage(count: int, total: int) -> float | None:
    """Return count as a percentage of total, or None when nobody answered."""
    if total <= 0:
        return None
    return 100.0 * count / total


def _wilson(p: float, n: float, z: float) -> tuple[float, float]:
    z2 = z * z
    denominator = 1 + z2 / n
    centre = (p + z2 / (2 * n)) / denominator
    margin = z * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / denominator
    # At 0% and 100% the bound is exactly 0 or 1; floating point would miss it by a hair.
    low = 0.0 if p <= 0 else max(0.0, centre - margin)
    high = 1.0 if p >= 1 else min(1.0, centre + margin)
    return 100.0 * low, 100.0 * high


def wilson_interval(successes: int, total: int, z: float = Z_95) -> tuple[float, float] | None:
    """Return the Wilson score interval for a proportion, as percentages.

    Better behaved than the normal approximation for small samples and proportions near 0 or 1.
    """
    if total <= 0:
        return None
    if not 0 <= successes <= total:
        raise ValueError("successes must lie between 0 and total")
    return _wilson(successes / total, total, z)


@dataclass
class Poststratification(Generic[K]):
    """Weights per stratum, and the strata that could not be weighted and why."""

    weights: dict[K, float] = field(default_factory=dict)
    without_respondents: list[K] = field(default_factory=list)
    without_population: list[K] = field(default_factory=list)

    @property
    def possible(self) -> bool:
        return bool(self.weights)


def poststratification_weights(
    respondents: Mapping[K, int], population: Mapping[K, int | None]
) -> Poststratification[K]:
    """Weight each stratum's respondents by (N_h / N) / (n_h / n), over the strata having both.

    A stratum with respondents but no known (or a zero) population cannot be weighted, nor one
    with a population but nobody responding; both are listed, and N and n cover only the rest.
    """
    result: Poststratification[K] = Poststratification()
    for stratum, count in respondents.items():
        if count < 0:
            raise ValueError("respondent counts cannot be negative")
        if count and not population.get(stratum):
            result.without_population.append(stratum)
    for stratum, people in population.items():
        if people is not None and people < 0:
            raise ValueError("populations cannot be negative")
        if people and not respondents.get(stratum):
            result.without_respondents.append(stratum)
    both = [s for s, count in respondents.items() if count and population.get(s)]
    n = sum(respondents[s] for s in both)
    known = cast(Mapping[K, int], population)  # `both` has only strata with a population
    big_n = sum(known[s] for s in both)
    for stratum in both:
        result.weights[stratum] = (known[stratum] / big_n) / (respondents[stratum] / n)
    return result


def weighted_proportion(
    successes: Mapping[Hashable, int], totals: Mapping[Hashable, int], weights: Mapping
) -> float | None:
    """Return sum(w_h x_h) / sum(w_h n_h) over the weighted strata, or None if nobody answered."""
    denominator = sum(weights[s] * totals.get(s, 0) for s in weights)
    if denominator <= 0:
        return None
    return sum(weights[s] * successes.get(s, 0) for s in weights) / denominator


def kish_effective_n(totals: Mapping[Hashable, int], weights: Mapping) -> float:
    """Return (sum of weights)^2 / (sum of squared weights), each stratum's n_h times over."""
    squares = sum(weights[s] ** 2 * totals.get(s, 0) for s in weights)
    if squares <= 0:
        return 0.0
    return sum(weights[s] * totals.get(s, 0) for s in weights) ** 2 / squares


def weighted_wilson_interval(
    proportion: float | None, effective_n: float, z: float = Z_95
) -> tuple[float, float] | None:
    """Return Wilson's interval, as percentages, for a weighted proportion and its n_eff."""
    if proportion is None or effective_n <= 0:
        return None
    if not 0 <= proportion <= 1:
        raise ValueError("a proportion lies between 0 and 1")
    return _wilson(proportion, effective_n, z)


def is_under_represented(
    respondents: int, total_respondents: int, population_share: float | None
) -> bool | None:
    """Flag a group whose share of respondents is both below 80% of its share of the population
    and (the shortfall being more than chance) whose population share lies above the 95%
    Wilson interval of its respondent share. None when either share is unknown."""
    if not population_share or total_respondents <= 0:
        return None
    share = respondents / total_respondents
    high = cast(tuple[float, float], wilson_interval(respondents, total_respondents))[1] / 100.0
    return share < UNDER_REPRESENTED_RATIO * population_share and population_share > high
