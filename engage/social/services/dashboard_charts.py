"""Plotly figures for the comms dashboard, from its already-aggregated figures."""

from engage.analysis import charts
from engage.coding.counts import CampaignCodes
from engage.social.services.dashboard import Dashboard


def dashboard_charts(
    figures: Dashboard, terms: list[tuple[str, int]], codes: CampaignCodes | None
) -> dict[str, dict]:
    if not figures.total:
        return {}
    days = [day.day.isoformat() for day in figures.days]
    sentiment = charts.time_series(
        days,
        [
            ("Positive", [day.positive for day in figures.days]),
            ("Neutral", [day.neutral for day in figures.days]),
            ("Negative", [day.negative for day in figures.days]),
        ],
        "Posts",
    )
    mood = charts.time_series(
        days, [("Mean polarity", [round(day.mean_polarity, 3) for day in figures.days])], "Polarity"
    )
    mood["layout"]["yaxis"].update(range=[-1, 1], rangemode="normal")
    result = {
        "chart-volume-day": charts.count_bars(days, [day.posts for day in figures.days]),
        "chart-volume-hour": charts.count_bars([str(hour) for hour in range(24)], figures.hours),
        "chart-sentiment-day": sentiment,
        "chart-mood-day": mood,
        "chart-shares": charts.count_bars(
            ["Positive", "Neutral", "Negative"],
            [figures.shares["positive"], figures.shares["neutral"], figures.shares["negative"]],
        ),
    }
    if figures.hashtags:
        result["chart-hashtags"] = charts.horizontal_count_bars(
            [f"#{tag}" for tag, _ in figures.hashtags], [n for _, n in figures.hashtags]
        )
    if terms:
        result["chart-terms"] = charts.horizontal_count_bars(
            [term for term, _ in terms], [n for _, n in terms]
        )
    if codes is not None and codes.coded_any:
        result["chart-codes"] = charts.horizontal_count_bars(
            [code.name for code in codes.codes], [code.total for code in codes.codes]
        )
    return result
