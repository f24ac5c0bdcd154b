"""Results re-weighted by area to the people who live there (post-stratification).

Each respondent in area h weighs (N_h / N) / (n_h / n): N_h from the census populations, n_h
the responses from area h under the page's filters, both summed over the areas that have
respondents and a known population. A question's weighted share is sum(w_h x_h) / sum(w_h n_h)
over its answers, with the Wilson interval on Kish's effective sample size (see
`analysis.statistics`). Everything comes from the tallies' counts per area, never the answers.

Respondents living elsewhere or who gave no area have no population to be weighted to: they
are left out of the weighted figures, and counted so the page can say how many. An area
without respondents cannot be weighted up, so the weighted figures then stand for the areas
that have them. Age bands are not in the tallies, so weighting is by area only.
"""

from dataclasses import dataclass, field

from engage.analysis.statistics import (
    Poststratification,
    kish_effective_n,
    poststratification_weights,
    weighted_proportion,
    weighted_wilson_interval,
)
from engage.core.areas import AREA_NAMES, WEST_MIDLANDS_AREAS
from engage.surveys.models import Consultation
from engage.surveys.services.representation import (
    Representation,
    area_populations,
    representation,
)
from engage.surveys.services.results import (
    ConsultationResults,
    Filters,
    consultation_results,
)


@dataclass
class WeightedOption:
    option_id: int
    percent: float | None
    interval: tuple[float, float] | None


@dataclass
class WeightedQuestion:
    question_id: int
    weighted_answers: int  # answers from areas that carry a weight
    effective_n: float
    options: dict[int, WeightedOption] = field(default_factory=dict)


@dataclass
class WeightedResults:
    possible: bool
    reason: str | None  # why there are no weighted figures, when there are none
    weights: dict[str, float]
    unweighted_responses: int  # elsewhere, not given, or an area of unknown population
    areas_without_respondents: list[str]
    areas_without_population: list[str]
    questions: dict[int, WeightedQuestion] = field(default_factory=dict)

    def area_names(self, slugs: list[str]) -> str:
        return ", ".join(AREA_NAMES.get(slug, slug) for slug in slugs)


def _unavailable(reason: str) -> WeightedResults:
    return WeightedResults(False, reason, {}, 0, [], [], {})


def weighted_results(results: ConsultationResults, populations: dict[str, int]) -> WeightedResults:
    """Per question and option, the share re-weighted by area, with its n_eff and interval."""
    if results.filters.area:
        return _unavailable("filtered to one area, there is nothing to weigh it against.")
    if results.by_areas is None:
        return _unavailable(
            'they are not worked out when comparing by channel; choose "No comparison".'
        )
    seven = {area.slug: populations.get(area.slug) for area in WEST_MIDLANDS_AREAS}
    stratified: Poststratification = poststratification_weights(results.by_area, seven)
    if not stratified.possible:
        return _unavailable(
            "no respondent gave an area whose population is known, so nothing can be weighted."
        )
    weights = stratified.weights
    answered, chosen = results.by_areas
    weighted = WeightedResults(
        True,
        None,
        weights,
        sum(count for area, count in results.by_area.items() if area not in weights),
        sorted(stratified.without_respondents),
        sorted(s for s in stratified.without_population if s in seven),
    )
    for overall in results.overall.questions:
        question = overall.question
        totals = {area: answered.get((question.id, area), 0) for area in weights}
        n_eff = kish_effective_n(totals, weights)
        entry = WeightedQuestion(question.id, sum(totals.values()), n_eff)
        for option in question.options:
            successes = {area: chosen.get((option.id, area), 0) for area in weights}
            share = weighted_proportion(successes, totals, weights)
            entry.options[option.id] = WeightedOption(
                option.id,
                None if share is None else 100 * share,
                weighted_wilson_interval(share, n_eff),
            )
        weighted.questions[question.id] = entry
    return weighted


@dataclass
class ResultsReport:
    results: ConsultationResults
    weighted: WeightedResults
    representation: Representation


def results_report(consultation: Consultation, filters: Filters) -> ResultsReport:
    """The results, the same re-weighted by area, and who responded against who lives there."""
    results = consultation_results(consultation, filters)
    populations = area_populations()
    return ResultsReport(
        results,
        weighted_results(results, populations),
        representation(results.by_area, populations),
    )
