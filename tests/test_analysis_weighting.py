"""Post-stratification weights, weighted proportions, Kish's n_eff and their intervals."""

import numpy as np
import pytest
from statsmodels.stats.proportion import proportion_confint
from statsmodels.stats.weightstats import DescrStatsW

from engage.analysis.statistics import (
    is_under_represented,
    kish_effective_n,
    poststratification_weights,
    weighted_proportion,
    weighted_wilson_interval,
    wilson_interval,
)

# Two areas of equal population; 30 responded in one, 10 in the other.
RESPONDENTS = {"a": 30, "b": 10}
POPULATION = {"a": 50_000, "b": 50_000}
YES = {"a": 15, "b": 8}  # 50% in a, 80% in b


@pytest.mark.parametrize(("successes", "total"), [(0, 1), (1, 1), (81, 263), (3, 7), (50, 50)])
def test_wilson_interval_equals_statsmodels(successes, total):
    low, high = proportion_confint(successes, total, alpha=0.05, method="wilson")
    assert wilson_interval(successes, total) == pytest.approx((100 * low, 100 * high), abs=1e-9)


def test_weights_by_hand():
    # n = 40, N = 100,000: a is 75% of respondents and 50% of people, b 25% and 50%.
    weights = poststratification_weights(RESPONDENTS, POPULATION).weights
    assert weights == pytest.approx({"a": 0.5 / 0.75, "b": 0.5 / 0.25})


def test_weighted_proportion_and_kish_n_by_hand():
    weights = poststratification_weights(RESPONDENTS, POPULATION).weights
    # (2/3 * 15 + 2 * 8) / (2/3 * 30 + 2 * 10) = 26 / 40: each area counts half.
    assert weighted_proportion(YES, RESPONDENTS, weights) == pytest.approx(0.65)
    # (sum w)^2 / sum w^2 = 40^2 / (30 * 4/9 + 10 * 4) = 1600 / 53.33 = 30.
    assert kish_effective_n(RESPONDENTS, weights) == pytest.approx(30.0)


def test_weighted_figures_equal_statsmodels_on_the_respondents_one_by_one():
    weights = poststratification_weights(RESPONDENTS, POPULATION).weights
    each_weight, each_answer = [], []
    for area, n in RESPONDENTS.items():
        each_weight += [weights[area]] * n
        each_answer += [1] * YES[area] + [0] * (n - YES[area])
    weight = np.array(each_weight)
    reference = DescrStatsW(np.array(each_answer), weights=weight)
    n_eff = weight.sum() ** 2 / (weight**2).sum()

    proportion = weighted_proportion(YES, RESPONDENTS, weights)
    assert proportion == pytest.approx(reference.mean)
    assert kish_effective_n(RESPONDENTS, weights) == pytest.approx(n_eff)
    low, high = proportion_confint(proportion * n_eff, n_eff, method="wilson")
    assert weighted_wilson_interval(proportion, n_eff) == pytest.approx((100 * low, 100 * high))


def test_weighted_interval_is_wider_than_the_raw_one_of_as_many_respondents():
    weights = poststratification_weights(RESPONDENTS, POPULATION).weights
    proportion = weighted_proportion(YES, RESPONDENTS, weights)
    low, high = weighted_wilson_interval(proportion, kish_effective_n(RESPONDENTS, weights))
    raw_low, raw_high = wilson_interval(26, 40)
    assert high - low > raw_high - raw_low


def test_equal_shares_give_weights_of_one_and_the_raw_figures():
    weights = poststratification_weights({"a": 20, "b": 10}, {"a": 2_000, "b": 1_000}).weights
    assert weights == pytest.approx({"a": 1.0, "b": 1.0})
    assert kish_effective_n({"a": 20, "b": 10}, weights) == pytest.approx(30)
    assert weighted_wilson_interval(0.5, 30) == pytest.approx(wilson_interval(15, 30))


def test_no_answers_give_no_figure():
    weights = poststratification_weights(RESPONDENTS, POPULATION).weights
    assert weighted_proportion({}, {"a": 0, "b": 0}, weights) is None
    assert kish_effective_n({"a": 0, "b": 0}, weights) == 0.0
    assert weighted_wilson_interval(None, 0) is None
    assert not poststratification_weights({}, POPULATION).possible


def test_a_single_respondent_weighs_one():
    stratified = poststratification_weights({"a": 1}, {"a": 50_000})
    assert stratified.weights == {"a": 1.0}
    assert kish_effective_n({"a": 1}, stratified.weights) == 1.0
    assert weighted_wilson_interval(1.0, 1.0) == pytest.approx(wilson_interval(1, 1))


def test_an_area_with_no_respondents_is_listed_and_left_out():
    stratified = poststratification_weights({"a": 10, "b": 0}, {"a": 1_000, "b": 3_000})
    # The weighted figure covers area a alone, so its one weight is 1.
    assert stratified.weights == {"a": 1.0}
    assert stratified.without_respondents == ["b"]


def test_unknown_or_zero_population_is_listed_not_divided_by():
    stratified = poststratification_weights({"a": 10, "b": 5, "elsewhere": 4}, {"a": 1_000, "b": 0})
    assert stratified.weights == {"a": 1.0}
    assert sorted(stratified.without_population) == ["b", "elsewhere"]
    nothing = poststratification_weights({"a": 3}, {"a": None})
    assert not nothing.possible
    assert nothing.without_population == ["a"]


def test_negative_counts_are_refused():
    with pytest.raises(ValueError):
        poststratification_weights({"a": -1}, {"a": 10})
    with pytest.raises(ValueError):
        poststratification_weights({"a": 1}, {"a": -10})
    with pytest.raises(ValueError):
        weighted_wilson_interval(1.5, 10)


def test_under_representation_needs_a_real_and_large_shortfall():
    # 10% of 1,000 respondents against 20% of people: half the share, well outside chance.
    assert is_under_represented(100, 1_000, 0.20) is True
    # 3 of 20 (15%) against 20%: below 80% of it, but within the interval, so not flagged.
    assert is_under_represented(3, 20, 0.20) is False
    # 190 of 1,000 against 20%: outside chance perhaps, but 95% of the share.
    assert is_under_represented(190, 1_000, 0.20) is False
    assert is_under_represented(5, 0, 0.2) is None
    assert is_under_represented(5, 10, None) is None
