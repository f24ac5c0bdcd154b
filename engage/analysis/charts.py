"""Plotly figure specifications built from plain numbers.

Figures are plain dicts in plotly.js's JSON schema: the page embeds them as JSON data and
`static/js/charts.js` draws them with the plotly.js the app serves itself. Building the dicts by
hand keeps a results page with many charts fast; plotly's Python figure classes validate every
attribute and cost tens of milliseconds each.
"""

from collections.abc import Sequence
from typing import Any

# Colour-blind-safe (Okabe-Ito), each at least 3:1 against white for graphical objects.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#8C6D00", "#56B4E9", "#E69F00", "#000000")
# A scale's colours from its negative end to its positive end: warm for disagreeing, grey for
# the neutral middle, cool for agreeing; each at least 3:1 against white.
SCALE_NEGATIVE = ("#6B2D00", "#A84A00", "#D55E00")  # outermost first
SCALE_NEUTRAL = "#767676"
SCALE_POSITIVE = ("#0072B2", "#00508A", "#003354")  # innermost first
FONT = {"family": "system-ui, -apple-system, Segoe UI, Roboto, Arial, sans-serif", "size": 14}


def _layout(height: int, **extra) -> dict:
    layout = {
        "height": height,
        "margin": {"l": 10, "r": 20, "t": 10, "b": 40},
        "font": FONT,
        "paper_bgcolor": "#ffffff",
        "plot_bgcolor": "#ffffff",
        "showlegend": False,
    }
    layout.update(extra)
    return layout


def _count_axis(counts: Sequence[int], **extra) -> dict:
    """An axis of whole numbers: plotly would tick 0.5 when the largest count is small."""
    axis = {"fixedrange": True, "automargin": True, "tickformat": ",d", "rangemode": "tozero"}
    if max(counts, default=0) < 5:
        axis["dtick"] = 1
    axis.update(extra)
    return axis


def scale_colours(size: int) -> list[str]:
    """Colours for a scale of `size` points (up to 7), from its negative end to its positive."""
    half = size // 2
    middle = [SCALE_NEUTRAL] if size % 2 else []
    return [*SCALE_NEGATIVE[len(SCALE_NEGATIVE) - half :], *middle, *SCALE_POSITIVE[:half]]


def diverging_spans(percents: Sequence[float | None]) -> list[tuple[float, float]]:
    """Where each point of a scale (negative end first) lies on a -100..100 axis when the
    negative points stack leftwards from zero, the positive ones rightwards, and the neutral
    middle point (of an odd-sized scale) is centred on zero."""
    values = [p or 0.0 for p in percents]
    half = len(values) // 2
    centre = values[half] / 2 if len(values) % 2 else 0.0
    spans: list[tuple[float, float]] = [(0.0, 0.0)] * len(values)
    edge = -centre
    for index in range(half - 1, -1, -1):
        spans[index] = (edge - values[index], edge)
        edge -= values[index]
    if len(values) % 2:
        spans[half] = (-centre, centre)
    edge = centre
    for index in range(len(values) - half, len(values)):
        spans[index] = (edge, edge + values[index])
        edge += values[index]
    return spans


def diverging_bars(
    scale: Sequence[str], rows: Sequence[tuple[str, Sequence[float | None]]]
) -> dict:
    """An agreement scale as diverging stacked bars, one bar per row (everyone, or each group):
    disagreement to the left of zero, agreement to the right, the neutral middle centred.

    `scale` and each row's percentages run from the negative end to the positive end.
    """
    spans = [diverging_spans(percents) for _, percents in rows]
    names = [name for name, _ in rows]
    data = []
    for index, (label, colour) in enumerate(zip(scale, scale_colours(len(scale)), strict=True)):
        data.append(
            {
                "type": "bar",
                "orientation": "h",
                "name": label,
                "y": names,
                "x": [round(row[index][1] - row[index][0], 2) for row in spans],
                "base": [round(row[index][0], 2) for row in spans],
                "customdata": [_rounded(percents)[index] for _, percents in rows],
                "marker": {"color": colour, "line": {"color": "#ffffff", "width": 1}},
                "hovertemplate": f"{label}: %{{customdata:.1f}}%<extra>%{{y}}</extra>",
            }
        )
    return {
        "data": data,
        "layout": _layout(
            120 + 40 * len(rows),
            barmode="overlay",
            showlegend=True,
            legend={"orientation": "h", "y": -0.25, "traceorder": "normal"},
            xaxis={
                "range": [-100, 100],
                "tickvals": [-100, -50, 0, 50, 100],
                "ticktext": ["100%", "50%", "0", "50%", "100%"],
                "zeroline": True,
                "zerolinecolor": "#0b0c0c",
                "zerolinewidth": 2,
                "fixedrange": True,
            },
            yaxis={"autorange": "reversed", "automargin": True, "fixedrange": True},
        ),
    }


def _error_bars(values: Sequence[float], intervals: Sequence[tuple[float, float] | None]) -> dict:
    """Asymmetric whiskers from each bar to its interval's bounds."""
    return {
        "type": "data",
        "symmetric": False,
        "array": [round(i[1] - v, 2) if i else 0 for i, v in zip(intervals, values, strict=True)],
        "arrayminus": [
            round(v - i[0], 2) if i else 0 for i, v in zip(intervals, values, strict=True)
        ],
        "color": "#1b1b1b",
        "thickness": 1.5,
    }


def _rounded(percents: Sequence[float | None]) -> list[float]:
    return [round(p, 1) if p is not None else 0 for p in percents]


def percentage_bars(
    labels: Sequence[str],
    percents: Sequence[float | None],
    intervals: Sequence[tuple[float, float] | None] = (),
    counts: Sequence[int] = (),
) -> dict:
    """Horizontal bars of percentages, with 95% interval whiskers when given."""
    values = _rounded(percents)
    trace = {
        "type": "bar",
        "orientation": "h",
        "x": values,
        "y": list(labels),
        "marker": {"color": PALETTE[0]},
        "hovertemplate": "%{y}: %{x:.1f}%<extra></extra>",
    }
    if counts:
        trace["customdata"] = list(counts)
        trace["hovertemplate"] = "%{y}: %{x:.1f}% (%{customdata:,})<extra></extra>"
    if intervals:
        trace["error_x"] = _error_bars(values, intervals)
    return {
        "data": [trace],
        "layout": _layout(
            60 + 38 * len(labels),
            xaxis={"range": [0, 100], "ticksuffix": "%", "fixedrange": True},
            yaxis={"autorange": "reversed", "automargin": True, "fixedrange": True},
        ),
    }


def grouped_percentage_bars(
    labels: Sequence[str],
    groups: Sequence[tuple[str, Sequence[float | None]]],
    intervals: Sequence[Sequence[tuple[float, float] | None]] = (),
) -> dict:
    """Side-by-side percentages per option, one colour per group (a channel or an area), with
    each group's 95% interval whiskers when given."""
    data = []
    for index, (name, percents) in enumerate(groups):
        trace: dict[str, Any] = {
            "type": "bar",
            "orientation": "h",
            "name": name,
            "x": _rounded(percents),
            "y": list(labels),
            "marker": {"color": PALETTE[index % len(PALETTE)]},
            "hovertemplate": f"{name}: %{{x:.1f}}%<extra>%{{y}}</extra>",
        }
        if intervals:
            trace["error_x"] = _error_bars(trace["x"], intervals[index])
        data.append(trace)
    return {
        "data": data,
        "layout": _layout(
            80 + 22 * len(labels) * max(1, len(groups)),
            barmode="group",
            showlegend=True,
            legend={"orientation": "h", "y": -0.15},
            xaxis={"range": [0, 100], "ticksuffix": "%", "fixedrange": True},
            yaxis={"autorange": "reversed", "automargin": True, "fixedrange": True},
        ),
    }


def count_bars(labels: Sequence[str], counts: Sequence[int]) -> dict:
    """Vertical bars of counts, such as responses per channel or per area."""
    return {
        "data": [
            {
                "type": "bar",
                "x": list(labels),
                "y": list(counts),
                "marker": {"color": PALETTE[0]},
                "hovertemplate": "%{x}: %{y:,}<extra></extra>",
            }
        ],
        "layout": _layout(
            300,
            yaxis=_count_axis(counts),
            xaxis={"fixedrange": True, "automargin": True},
        ),
    }


def horizontal_count_bars(labels: Sequence[str], counts: Sequence[int]) -> dict:
    """Horizontal bars of counts, largest first, for ranked lists such as top hashtags."""
    return {
        "data": [
            {
                "type": "bar",
                "orientation": "h",
                "x": list(counts),
                "y": list(labels),
                "marker": {"color": PALETTE[0]},
                "hovertemplate": "%{y}: %{x:,}<extra></extra>",
            }
        ],
        "layout": _layout(
            60 + 26 * len(labels),
            xaxis=_count_axis(counts),
            yaxis={"autorange": "reversed", "automargin": True, "fixedrange": True},
        ),
    }


def time_series(
    dates: Sequence[str], series: Sequence[tuple[str, Sequence[float]]], y_title: str = ""
) -> dict:
    """Lines over days, one colour per series, with markers so single days still show."""
    data = [
        {
            "type": "scatter",
            "mode": "lines+markers",
            "name": name,
            "x": list(dates),
            "y": list(values),
            "line": {"color": PALETTE[index % len(PALETTE)], "width": 2},
        }
        for index, (name, values) in enumerate(series)
    ]
    return {
        "data": data,
        "layout": _layout(
            320,
            showlegend=len(series) > 1,
            legend={"orientation": "h", "y": -0.2},
            xaxis={"type": "date", "fixedrange": True},
            yaxis={
                "title": {"text": y_title},
                "fixedrange": True,
                "rangemode": "tozero",
                "automargin": True,
            },
        ),
    }


def stacked_money_bars(
    labels: Sequence[str], stacks: Sequence[tuple[str, Sequence[float]]]
) -> dict:
    """Horizontal bars in pounds, one stacked segment per part (paid, committed, remaining)."""
    data = [
        {
            "type": "bar",
            "orientation": "h",
            "name": name,
            "x": [round(value, 2) for value in values],
            "y": list(labels),
            "marker": {"color": PALETTE[index % len(PALETTE)]},
            "hovertemplate": f"{name}: £%{{x:,.0f}}<extra>%{{y}}</extra>",
        }
        for index, (name, values) in enumerate(stacks)
    ]
    return {
        "data": data,
        "layout": _layout(
            100 + 34 * len(labels),
            barmode="stack",
            showlegend=True,
            legend={"orientation": "h", "y": -0.2},
            xaxis={"tickprefix": "£", "fixedrange": True, "automargin": True},
            yaxis={"autorange": "reversed", "automargin": True, "fixedrange": True},
        ),
    }
