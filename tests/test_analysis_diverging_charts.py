"""Agreement scales as diverging stacked bars, on screen (plotly) and in print (SVG), and count
axes that tick in whole numbers."""

import re

import pytest

from engage.analysis.charts import (
    count_bars,
    diverging_bars,
    diverging_spans,
    horizontal_count_bars,
    scale_colours,
)
from engage.analysis.print_charts import BAR_AREA, LABEL_WIDTH, diverging_bars_svg

SCALE = ["Strongly disagree", "Disagree", "Neither", "Agree", "Strongly agree"]


def test_disagreement_runs_left_agreement_right_and_neutral_is_centred():
    spans = diverging_spans([5.0, 15.0, 20.0, 40.0, 20.0])

    assert spans == [(-30.0, -25.0), (-25.0, -10.0), (-10.0, 10.0), (10.0, 50.0), (50.0, 70.0)]


def test_a_scale_without_a_middle_splits_at_zero_and_missing_shares_count_as_none():
    assert diverging_spans([None, 30.0, 70.0, None]) == [
        (-30.0, -30.0),
        (-30.0, 0.0),
        (0.0, 70.0),
        (70.0, 70.0),
    ]


def test_scale_colours_are_warm_to_the_left_grey_in_the_middle_and_cool_to_the_right():
    colours = scale_colours(5)
    assert colours[2] == "#767676" and len(set(colours)) == 5
    assert scale_colours(3) == [colours[1], colours[2], colours[3]]


def test_the_plotly_figure_draws_each_point_from_its_span_with_the_true_share_on_hover():
    figure = diverging_bars(
        SCALE, [("Everyone", [5.0, 15.0, 20.0, 40.0, 20.0]), ("Roadshow", [0, 0, 100.0, 0, 0])]
    )

    assert [trace["name"] for trace in figure["data"]] == SCALE
    neither = figure["data"][2]
    assert neither["base"] == [-10.0, -50.0] and neither["x"] == [20.0, 100.0]
    assert neither["customdata"] == [20.0, 100.0] and neither["y"] == ["Everyone", "Roadshow"]
    assert figure["layout"]["barmode"] == "overlay"
    assert figure["layout"]["xaxis"]["range"] == [-100, 100]


@pytest.mark.parametrize("chart", [count_bars, horizontal_count_bars])
def test_count_axes_tick_in_whole_numbers(chart):
    small = chart(["Online", "Roadshow"], [2, 1])["layout"]
    large = chart(["Online", "Roadshow"], [2_400, 130])["layout"]
    axis = "yaxis" if chart is count_bars else "xaxis"

    assert small[axis]["dtick"] == 1 and small[axis]["tickformat"] == ",d"
    assert "dtick" not in large[axis] and large[axis]["tickformat"] == ",d"


def test_the_printed_chart_has_the_same_spans_and_a_key():
    svg = diverging_bars_svg("Cameras <b>", SCALE, [("Everyone", [5.0, 15.0, 20.0, 40.0, 20.0])])

    centre, scale = LABEL_WIDTH + BAR_AREA / 2, BAR_AREA / 200
    bars = re.findall(r'<rect x="([-\d.]+)" y="5" width="([\d.]+)"', svg)
    assert [(float(x), float(w)) for x, w in bars] == [
        (round(centre + start * scale, 1), round((end - start) * scale, 1))
        for start, end in diverging_spans([5.0, 15.0, 20.0, 40.0, 20.0])
    ]
    assert all(label in svg for label in SCALE)  # the key
    assert "<title>Cameras &lt;b&gt;</title>" in svg
