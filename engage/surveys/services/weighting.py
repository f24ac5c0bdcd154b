"""Results re-weighted by area to the people who live there (post-stratification).

Each respondent in area h weighs (N_h / N) / (n_h / n): N_h from the census populations, n_h
the responses from area h under the page's filters, both summed over the areas that have
respondents and a known population. A question's weighted share is sum(w_h x_h) / sum(w_h n_h)
over its answers, with the Wilson interval on Kish's effective sample size (see
`analysis.statistics`). Everything comes from the tallies' counts per area, never the answers.

Respondents living elsewhere or who gave no area have no population to be weighted to: they
are left out of the weighted figures, and counted so the page can say how many. An area
without respondents cannot be weighted up, so the weighted figures then stand for the areas
that have them.

Where every age band of every responding area has a population, the strata are (area, age
band) cells instead, counted by the age band tallies; respondents who gave no age band are then
left out too. When a needed cell has no population, or a cell with a population has nobody
responding (its weight would divide by zero), the figures fall back to weighting by area, and
`note` says why.
"""

from collections.abc import Hashable
from dataclasses import dataclass, field
from typing import Any

from engage.analysis.statistics import (
    Poststratification,
    kish_effective_n,
    poststratification_weights,
    weighted_proportion,
    weighted_wilson_interval,
)
from engage.core.areas import AREA_NAMES, WEST_MIDLANDS_AREAS
from engage.surveys.models import Consultation
from engage.surveys.services.cell_counts import CellCounts, cell_counts
from engage.surveys.services.representation import (
    SURVEY_AGE_BAND_LABELS,
    Representation,
    age_band_populations,
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
    weights: dict[Hashable, float]  # by area slug, or by (area, age band) cell
    unweighted_responses: int  # elsewhere, not given, or an area of unknown population
    areas_without_respondents: list[str]
    areas_without_population: list[str]
    questions: dict[int, WeightedQuestion] = field(default_factory=dict)
    by_age_band: bool = False  # strata are (area, age band) cells, not areas
    note: str | None = None  # why weighting by age band fell back to area only

    @property
    def strata(self) -> str:
        """What the respondents were weighted by, in words."""
        return "area and age band" if self.by_age_band else "area"

    def area_names(self, slugs: list[str]) -> str:
        return ", ".join(AREA_NAMES.get(slug, slug) for slug in slugs)


def _unavailable(reason: str) -> WeightedResults:
    return WeightedResults(False, reason, {}, 0, [], [], {})


MAX_NAMED = 4  # cells named in a note before "and N more"


def _cell_names(cells: list) -> str:
    names = [f"{AREA_NAMES.get(a, a)} {SURVEY_AGE_BAND_LABELS.get(b, b)}" for a, b in cells]
    more = len(names) - MAX_NAMED
    return ", ".join(names[:MAX_NAMED]) + (f" and {more} more" if more > 0 else "")


def _cells_or_why_not(
    areas: list[str], cells: CellCounts, cell_populations: dict, filtered: bool
) -> Poststratification | str:
    """Weights per (area, age band) over the responding areas, or why there can be none."""
    needed = [(area, band) for area in sorted(areas) for band in SURVEY_AGE_BAND_LABELS]
    unknown = [cell for cell in needed if not cell_populations.get(cell)]
    if unknown:
        return f"the population is not given for {_cell_names(unknown)}."
    empty = [cell for cell in needed if not cells.responses.get(cell)]
    if empty:
        matching = " matching the filters" if filtered else ""
        return (
            f"nobody{matching} responded from {_cell_names(empty)}, "
            "so no weight can stand in for them."
        )
    respondents = {cell: cells.responses[cell] for cell in needed}
    return poststratification_weights(respondents, {c: cell_populations[c] for c in needed})


def weighted_results(
    results: ConsultationResults,
    populations: dict[str, int],
    cells: CellCounts | None = None,
    cell_populations: dict | None = None,
) -> WeightedResults:
    """Per question and option, the share re-weighted by area and age band (or by area only,
    with a note why), with its n_eff and interval."""
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
    answered, chosen = results.by_areas
    respondents: dict[Any, int] = results.by_area  # by area, or by (area, age band) cell below
    by_cell = None
    note = None
    if cells is not None:
        by_cell = _cells_or_why_not(
            list(stratified.weights), cells, cell_populations or {}, results.filters.active
        )
        if isinstance(by_cell, str):
            note, by_cell = f"Weighted by area only: {by_cell}", None
        else:
            answered, chosen, respondents = cells.answered, cells.chosen, cells.responses
    weights = by_cell.weights if isinstance(by_cell, Poststratification) else stratified.weights
    weighted = WeightedResults(
        True,
        None,
        weights,
        results.total_responses - sum(respondents.get(stratum, 0) for stratum in weights),
        sorted(stratified.without_respondents),
        sorted(s for s in stratified.without_population if s in seven),
        by_age_band=by_cell is not None,
        note=note,
    )
    for overall in results.overall.questions:
        question = overall.question
        totals = {stratum: answered.get((question.id, stratum), 0) for stratum in weights}
        n_eff = kish_effective_n(totals, weights)
        entry = WeightedQuestion(question.id, sum(totals.values()), n_eff)
        for option in question.options:
            successes = {stratum: chosen.get((option.id, stratum), 0) for stratum in weights}
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
    """The results, the same re-weighted by area and age band, and who responded against who
    lives there."""
    results = consultation_results(consultation, filters)
    populations = area_populations()
    cell_populations = age_band_populations()
    cells = None
    # The age band tallies hold about ten rows for each area tally row: read them only when
    # admins have given age band populations, so weighting by area alone costs what it did.
    if cell_populations and not filters.area and filters.compare != "channel":
        cells = cell_counts(consultation, filters)
    return ResultsReport(
        results,
        weighted_results(results, populations, cells, cell_populations),
        representation(results.by_area, populations),
    )
