"""Printed bar charts: one bar per option, widths in proportion, labels escaped."""

import re

from engage.analysis.print_charts import BAR_AREA, percentage_bars_svg


def test_bars_are_as_long_as_their_percentages():
    svg = percentage_bars_svg("Yes or no", ["Yes", "No"], [75.0, 25.0], [(70.1, 79.4), None])
    widths = [float(w) for w in re.findall(r'<rect [^>]*width="([\d.]+)"', svg)]
    assert widths == [BAR_AREA * 0.75, BAR_AREA * 0.25]
    assert svg.count("<line") == 1  # a whisker only where an interval is given
    assert "75.0%" in svg and "25.0%" in svg and "<title>Yes or no</title>" in svg


def test_labels_from_the_public_cannot_inject_markup():
    svg = percentage_bars_svg("<b>Q</b>", ['<script>alert("x")</script>'], [None])
    assert "<script>" not in svg and "&lt;script&gt;" in svg and "&lt;b&gt;Q" in svg
    assert "0.0%" in svg
