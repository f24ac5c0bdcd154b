"""Charts for a consultation's results, keyed by the HTML id of the element they fill."""

from engage.analysis import charts
from engage.surveys.models import QuestionKind
from engage.surveys.services.representation import Representation
from engage.surveys.services.results import ConsultationResults, dimension_label
from engage.surveys.services.weighting import WeightedResults


def _counts_chart(counts: dict[str, int], dimension: str) -> dict:
    keys = sorted(counts, key=lambda k: -counts[k])
    return charts.count_bars(
        [dimension_label(dimension, key) for key in keys], [counts[key] for key in keys]
    )


def _agreement_chart(labels: list[str], rows: list[tuple[str, list[float | None]]]) -> dict:
    """Agreement options are stored "Strongly agree" first; the chart runs from disagreeing."""
    return charts.diverging_bars(
        labels[::-1], [(name, list(percents)[::-1]) for name, percents in rows]
    )


def results_charts(
    results: ConsultationResults,
    represented: Representation | None = None,
    weighted: WeightedResults | None = None,
) -> dict[str, dict]:
    """One chart per question with options (beside its re-weighted shares when there are
    some; agreement scales as diverging bars), responses per channel and per area, and area
    shares against population shares."""
    figures: dict[str, dict] = {}
    if results.by_channel:
        figures["chart-channels"] = _counts_chart(results.by_channel, "channel")
    if results.by_area:
        figures["chart-areas"] = _counts_chart(results.by_area, "area")
    if represented and represented.in_areas and represented.population_known:
        figures["chart-representation"] = charts.grouped_percentage_bars(
            [share.area.name for share in represented.areas],
            [
                ("Respondents", [share.percent for share in represented.areas]),
                ("People living there", [share.population_percent for share in represented.areas]),
            ],
            [[share.interval for share in represented.areas], [None] * len(represented.areas)],
        )
    compared = results.groups[1:]
    for index, overall in enumerate(results.overall.questions):
        if not overall.options or not overall.answered:
            continue
        labels = [option.label for option in overall.options]
        chart_id = f"chart-{overall.question.field_name}"
        if overall.question.kind == QuestionKind.AGREEMENT:
            rows = _agreement_rows(overall, compared, index, None if compared else weighted)
            figures[chart_id] = _agreement_chart(labels, rows)
        elif compared:
            figures[chart_id] = charts.grouped_percentage_bars(
                labels,
                [
                    (group.label, [option.percent for option in group.questions[index].options])
                    for group in compared
                ],
                [
                    [option.interval for option in group.questions[index].options]
                    for group in compared
                ],
            )
        elif weighted and weighted.possible:
            reweighted = weighted.questions[overall.question.id].options
            figures[chart_id] = charts.grouped_percentage_bars(
                labels,
                [
                    ("As answered", [option.percent for option in overall.options]),
                    (
                        "Re-weighted by area",
                        [reweighted[o.option_id].percent for o in overall.options],
                    ),
                ],
                [
                    [option.interval for option in overall.options],
                    [reweighted[o.option_id].interval for o in overall.options],
                ],
            )
        else:
            figures[chart_id] = charts.percentage_bars(
                labels,
                [option.percent for option in overall.options],
                [option.interval for option in overall.options],
                [option.count for option in overall.options],
            )
    return figures


def _agreement_rows(
    overall, compared, index: int, weighted: WeightedResults | None
) -> list[tuple[str, list[float | None]]]:
    """Everyone who answered, then each compared channel or area, or the shares re-weighted by
    area, as rows of percentages."""
    rows = [("Everyone", [option.percent for option in overall.options])]
    if weighted and weighted.possible:
        reweighted = weighted.questions[overall.question.id].options
        rows.append(
            ("Re-weighted by area", [reweighted[o.option_id].percent for o in overall.options])
        )
    rows += [
        (group.label, [option.percent for option in group.questions[index].options])
        for group in compared
    ]
    return rows
