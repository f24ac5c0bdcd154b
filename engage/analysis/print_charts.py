"""Bar charts as SVG markup, for printed pages and PDFs where plotly.js cannot run.

Pure: labels and numbers in, a string out. Every label is escaped, so a chart made from what
the public wrote cannot inject markup.
"""

from collections.abc import Sequence
from html import escape

from engage.analysis.charts import diverging_spans, scale_colours

BAR_COLOUR = "#0072B2"  # the first of charts.PALETTE: 5.2:1 against white
WHISKER_COLOUR = "#0b0c0c"
LABEL_WIDTH = 230
BAR_AREA = 330
ROW_HEIGHT = 26


def percentage_bars_svg(
    title: str,
    labels: Sequence[str],
    percents: Sequence[float | None],
    intervals: Sequence[tuple[float, float] | None] = (),
) -> str:
    """Horizontal bars of percentages with 95% interval whiskers, as an SVG image."""
    rows = []
    for row, (label, percent) in enumerate(zip(labels, percents, strict=True)):
        y = row * ROW_HEIGHT
        value = percent or 0.0
        width = BAR_AREA * value / 100
        rows.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{y + 17}" text-anchor="end">'
            f"{escape(_shorten(label))}</text>"
            f'<rect x="{LABEL_WIDTH}" y="{y + 5}" width="{width:.1f}" height="16" '
            f'fill="{BAR_COLOUR}"/>'
            f'<text x="{LABEL_WIDTH + width + 6:.1f}" y="{y + 17}">{value:.1f}%</text>'
        )
        interval = intervals[row] if row < len(intervals) else None
        if interval is not None:
            low, high = (LABEL_WIDTH + BAR_AREA * bound / 100 for bound in interval)
            rows.append(
                f'<line x1="{low:.1f}" x2="{high:.1f}" y1="{y + 13}" y2="{y + 13}" '
                f'stroke="{WHISKER_COLOUR}" stroke-width="1.5"/>'
            )
    height = max(len(labels), 1) * ROW_HEIGHT + 4
    width = LABEL_WIDTH + BAR_AREA + 60
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="Arial, sans-serif" font-size="12">'
        f"<title>{escape(title)}</title>{''.join(rows)}</svg>"
    )


def diverging_bars_svg(
    title: str, scale: Sequence[str], rows: Sequence[tuple[str, Sequence[float | None]]]
) -> str:
    """An agreement scale as diverging stacked bars, as an SVG image: the same layout and
    colours as charts.diverging_bars, with a key below. `scale` and each row's percentages run
    from the negative end to the positive end."""
    colours = scale_colours(len(scale))
    centre = LABEL_WIDTH + BAR_AREA / 2
    scale_x = BAR_AREA / 200
    parts = []
    for row, (name, percents) in enumerate(rows):
        y = row * ROW_HEIGHT
        parts.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{y + 17}" text-anchor="end">'
            f"{escape(_shorten(name))}</text>"
        )
        for (start, end), colour in zip(diverging_spans(percents), colours, strict=True):
            parts.append(
                f'<rect x="{centre + start * scale_x:.1f}" y="{y + 5}" '
                f'width="{(end - start) * scale_x:.1f}" height="16" fill="{colour}" '
                'stroke="#ffffff" stroke-width="1"/>'
            )
    bars_bottom = max(len(rows), 1) * ROW_HEIGHT
    parts.append(
        f'<line x1="{centre}" x2="{centre}" y1="0" y2="{bars_bottom}" '
        f'stroke="{WHISKER_COLOUR}" stroke-width="2"/>'
    )
    for index, (label, colour) in enumerate(zip(scale, colours, strict=True)):
        x = (index % 3) * 200
        y = bars_bottom + 10 + (index // 3) * 20
        parts.append(
            f'<rect x="{x}" y="{y}" width="12" height="12" fill="{colour}"/>'
            f'<text x="{x + 18}" y="{y + 11}">{escape(_shorten(label, 28))}</text>'
        )
    height = bars_bottom + 14 + 20 * ((len(scale) + 2) // 3)
    width = LABEL_WIDTH + BAR_AREA + 60
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="Arial, sans-serif" font-size="12">'
        f"<title>{escape(title)}</title>{''.join(parts)}</svg>"
    )


def _shorten(label: str, limit: int = 36) -> str:
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "…"
