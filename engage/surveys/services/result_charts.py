"""Charts for a consultation's results, keyed by the HTML id of the element they fill."""

from engage.analysis import charts
from engage.surveys.services.results import ConsultationResults, dimension_label


def results_charts(results: ConsultationResults) -> dict[str, dict]:
    """One chart per question with options, plus responses per channel and per area."""
    figures: dict[str, dict] = {}
    if results.by_channel:
        keys = sorted(results.by_channel, key=lambda k: -results.by_channel[k])
        figures["chart-channels"] = charts.count_bars(
            [dimension_label("channel", key) for key in keys],
            [results.by_channel[key] for key in keys],
        )
    if results.by_area:
        keys = sorted(results.by_area, key=lambda k: -results.by_area[k])
        figures["chart-areas"] = charts.count_bars(
            [dimension_label("area", key) for key in keys], [results.by_area[key] for key in keys]
        )
    compared = results.groups[1:]
    for index, overall in enumerate(results.overall.questions):
        if not overall.options or not overall.answered:
            continue
        labels = [option.label for option in overall.options]
        chart_id = f"chart-{overall.question.field_name}"
        if compared:
            figures[chart_id] = charts.grouped_percentage_bars(
                labels,
                [
                    (group.label, [option.percent for option in group.questions[index].options])
                    for group in compared
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
